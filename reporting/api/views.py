"""Every report as JSON. Parameters as the pages: `year` (2024/25) or `start` and `end`, and for the
performance report `service_area`, `issue_nature` and `average_until` (YYYY-MM)."""

import datetime

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.roles import Role, has_role
from reporting import selectors
from reporting.api import serializers as api
from reporting.forms import ReportFilterForm, YearForm
from reporting.models import MonthlyReport

YEAR = OpenApiParameter("year", str, description="Financial year, e.g. 2024/25 (default: the current one).")


class CanSeeDashboard(BasePermission):
    message = "Only complaints officers, managers and administrators see the dashboard."

    def has_permission(self, request, view):
        return has_role(request.user, Role.COMPLAINTS_OFFICER, Role.MANAGER, Role.ADMINISTRATOR)


class CanSeeReports(BasePermission):
    message = "Only managers and administrators see the reports."

    def has_permission(self, request, view):
        return has_role(request.user, Role.MANAGER, Role.ADMINISTRATOR)


def _year(request):
    form = YearForm(request.query_params)
    if not form.is_valid():
        raise serializers.ValidationError(form.errors)
    return form.cleaned_data["year"]


class DashboardView(APIView):
    permission_classes = [CanSeeDashboard]

    @extend_schema(responses=api.DashboardSerializer, summary="The SLA dashboard")
    def get(self, request):
        return Response(api.DashboardSerializer(selectors.dashboard()).data)


class PerformanceView(APIView):
    permission_classes = [CanSeeReports]

    @extend_schema(
        responses=api.PerformanceSerializer,
        summary="Complaints and enquiries performance for a period",
        parameters=[
            YEAR,
            OpenApiParameter("start", OpenApiTypes.DATE, description="With `end`: any other period."),
            OpenApiParameter("end", OpenApiTypes.DATE),
            OpenApiParameter("service_area", int),
            OpenApiParameter("issue_nature", int),
            OpenApiParameter("average_until", str, description="YYYY-MM: the last month of the year-to-date average."),
        ],
    )
    def get(self, request):
        form = ReportFilterForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = selectors.performance(
            form.period(),
            service_area=form.cleaned_data.get("service_area"),
            issue_nature=form.cleaned_data.get("issue_nature"),
            average_until=form.cleaned_data.get("average_until"),
        )
        return Response(api.PerformanceSerializer(data).data)


class TenantSatisfactionView(APIView):
    permission_classes = [CanSeeReports]

    @extend_schema(responses=api.TenantSatisfactionSerializer, parameters=[YEAR], summary="CH01, CH02 and TP09")
    def get(self, request):
        return Response(api.TenantSatisfactionSerializer(selectors.tenant_satisfaction(_year(request))).data)


class AnnualReportView(APIView):
    permission_classes = [CanSeeReports]

    @extend_schema(responses=api.AnnualReportSerializer, parameters=[YEAR], summary="The annual complaints report")
    def get(self, request):
        return Response(api.AnnualReportSerializer(selectors.annual_report(_year(request))).data)


class SelfAssessmentView(APIView):
    permission_classes = [CanSeeReports]

    @extend_schema(responses=api.SelfAssessmentSerializer, parameters=[YEAR], summary="The Code self-assessment")
    def get(self, request):
        return Response(api.SelfAssessmentSerializer(selectors.self_assessment(_year(request))).data)


class MonthlyReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Stored monthly reports, newest first; one by its month (YYYY-MM)."""

    permission_classes = [CanSeeReports]
    queryset = MonthlyReport.objects.all()
    lookup_field = "month"
    lookup_value_regex = r"\d{4}-\d{2}"
    filter_backends = []

    def get_serializer_class(self):
        return api.MonthlyReportListSerializer if self.action == "list" else api.MonthlyReportSerializer

    def get_queryset(self):
        if self.action == "list":
            return MonthlyReport.objects.only("month", "generated_at")
        return MonthlyReport.objects.all()

    def get_object(self):
        try:
            month = datetime.datetime.strptime(self.kwargs["month"], "%Y-%m").date()
        except ValueError as error:
            raise Http404 from error
        report = MonthlyReport.objects.filter(month=month).first()
        if report is None:
            raise Http404
        return report
