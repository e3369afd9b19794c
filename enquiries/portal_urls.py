from django.urls import path

from enquiries import portal_views

app_name = "portal"

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("new/", portal_views.new, name="new"),
    path("enquiries/<str:reference>/", portal_views.detail, name="detail"),
]
