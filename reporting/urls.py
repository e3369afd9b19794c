from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.performance, name="performance"),
    path("reports/tenant-satisfaction/", views.tenant_satisfaction, name="tsm"),
    path("reports/annual/", views.annual, name="annual"),
    path("reports/annual/governing-body-response/", views.governing_body_response, name="governing-body-response"),
    path("reports/annual/performance-analysis/", views.performance_analysis, name="performance-analysis"),
    path("reports/self-assessment/", views.self_assessment, name="self-assessment"),
    path("reports/monthly/", views.monthly_list, name="monthly"),
    path("reports/monthly/<str:month>/", views.monthly_detail, name="monthly-detail"),
    # Public: the resident's link from the email sent when their complaint closed.
    path("survey/<str:token>/", views.closure_survey, name="closure-survey"),
]
