from django.urls import path

from correspondence import views

app_name = "correspondence"

urlpatterns = [
    path("letter-templates/", views.templates, name="templates"),
    path("letter-templates/<str:kind>/", views.edit_template, name="template"),
]
