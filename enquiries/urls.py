from django.urls import path

from enquiries import views

app_name = "enquiries"

urlpatterns = [
    path("enquiries/", views.queue, name="queue"),
    path("enquiries/new/", views.new, name="new"),
    path("enquiries/<str:reference>/", views.detail, name="detail"),
    path("enquiries/<str:reference>/messages/", views.message, name="message"),
    path("enquiries/<str:reference>/<str:name>/", views.action, name="action"),
]
