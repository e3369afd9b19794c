from django.urls import path

from sla.api import views

urlpatterns = [path("deadlines/", views.DeadlineView.as_view(), name="api-deadline")]
