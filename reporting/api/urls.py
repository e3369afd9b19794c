from django.urls import path
from rest_framework.routers import SimpleRouter

from reporting.api import views

router = SimpleRouter()
router.register("reports/monthly", views.MonthlyReportViewSet, basename="monthly-report")

urlpatterns = [
    path("reports/dashboard/", views.DashboardView.as_view(), name="report-dashboard"),
    path("reports/performance/", views.PerformanceView.as_view(), name="report-performance"),
    path("reports/tenant-satisfaction/", views.TenantSatisfactionView.as_view(), name="report-tsm"),
    path("reports/annual/", views.AnnualReportView.as_view(), name="report-annual"),
    path("reports/self-assessment/", views.SelfAssessmentView.as_view(), name="report-self-assessment"),
    *router.urls,
]
