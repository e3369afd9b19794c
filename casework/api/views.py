from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework import selectors, services
from casework.api import serializers
from casework.models import Case, IssueNature, Notification, ServiceArea, Team


class ServiceAreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = ServiceArea.objects.all()
    serializer_class = serializers.ServiceAreaSerializer
    filterset_fields = ["is_active", "ombudsman"]


class IssueNatureViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = IssueNature.objects.select_related("service_area")
    serializer_class = serializers.IssueNatureSerializer
    filterset_fields = ["is_active", "service_area"]


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.prefetch_related("service_areas")
    serializer_class = serializers.TeamSerializer


class OfficerViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().order_by("id")
    serializer_class = serializers.OfficerSerializer

    @extend_schema(responses=serializers.MeSerializer)
    @action(detail=False)
    def me(self, request):
        return Response(serializers.MeSerializer(request.user).data)


class MyWorkViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open cases of every type assigned to the caller, soonest deadline first."""

    serializer_class = serializers.CaseSummarySerializer
    filter_backends: list[type] = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Case.objects.none()
        return selectors.open_cases_assigned_to(self.request.user)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.NotificationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        return Response({"marked": services.mark_notifications_read(request.user)})


def not_found(request, exception=None):
    """404 for an address nothing answers: JSON under /api/ (as the API's own 404s are), the page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
