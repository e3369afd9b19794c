from django.urls import path

from online import views

app_name = "online"

urlpatterns = [
    path("complain/", views.start, name="start"),
    path("complain/evidence/", views.evidence, name="evidence"),
    path("complain/evidence/remove/", views.remove_file, name="remove-file"),
    path("complain/check-your-answers/", views.check, name="check"),
    path("complain/sent/", views.done, name="done"),
    path("complain/<slug:slug>/", views.question, name="question"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
