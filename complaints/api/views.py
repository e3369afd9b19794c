"""Complaints over the API: list with the queue's filters, log, read, and every transition of the complaint's
workflow as an action (made from the workflow by casework.api.actions).

An action the complaint's state does not allow answers 409 (403 when it is about who asks); invalid input
answers 400 with field messages."""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.api.actions import add_actions
from casework.api.pagination import KeysetPagination
from casework.api.records import TimelineMixin
from casework.permissions import visible_cases
from casework.services import create_resident
from complaints import letters, services
from complaints.api import serializers as api
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ComplaintStage, ServiceRequest
from complaints.selectors import queue_queryset
from complaints.workflow import WORKFLOW
from correspondence.api.views import CorrespondenceMixin


class ComplaintViewSet(
    TimelineMixin,
    CorrespondenceMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    # Paged by keyset: a page deep in a million cases costs what the first does (casework.api.pagination).
    pagination_class = KeysetPagination
    lookup_field = "reference"
    filterset_class = ComplaintFilter
    ordering_fields = ["received_on", "next_due_on", "reference"]

    def filter_queryset(self, queryset):
        # The queue's filters (open cases by default) are for the list; a case is found by reference whatever its state.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        if self.action == "list":
            return queue_queryset(self.request.user)
        stages = ComplaintStage.objects.select_related("handler", "responded_by").prefetch_related(
            "points", "remedies", "actions__owner", "handlers__officer"
        )
        return (
            visible_cases(self.request.user, Complaint.objects.all())
            .select_related(
                "service_area",
                "issue_nature",
                "assigned_to",
                "resident",
                "procedure_version__procedure",
                "procedure_version__scheme",
                "service_request",
            )
            .prefetch_related(Prefetch("stages", queryset=stages), "clocks__extensions", "clocks__pauses")
        )

    def get_serializer_class(self):
        if self.action == "list":
            return api.ComplaintListSerializer
        if self.action == "create":
            return api.LogComplaintSerializer
        return api.ComplaintDetailSerializer

    def _detail(self, complaint):
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(api.ComplaintDetailSerializer(fresh, context={"request": self.request}).data)

    @extend_schema(request=api.LogComplaintSerializer, responses={201: api.ComplaintDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = api.LogComplaintSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        details = data.pop("resident_details", None)
        with transaction.atomic():
            if not data.get("resident"):
                data["resident"] = create_resident(**details)
            complaint = services.log_complaint(actor=request.user, **data)
        response = self._detail(complaint)
        response.status_code = status.HTTP_201_CREATED
        return response

    def case_response(self, complaint):
        return self._detail(complaint)

    @extend_schema(responses=api.LetterSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, filter_backends=[], pagination_class=None)
    def letters(self, request, reference=None):
        """The letters the complaint's page offers now, each as the drafted text."""
        complaint = self.get_object()
        return Response(
            [
                {"kind": kind, "title": title, "text": letters.draft(complaint, kind)}
                for kind, title in letters.available_letters(complaint)
            ]
        )


# Every action of the complaint's workflow, POST /api/v1/complaints/<reference>/<action>/ (casework.api.actions).
add_actions(ComplaintViewSet, WORKFLOW, prefix="Complaint", response_serializer=api.ComplaintDetailSerializer)


class ServiceRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    lookup_field = "reference"
    serializer_class = api.ServiceRequestSerializer
    filterset_fields = ["status", "service_area"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceRequest.objects.none()
        return (
            visible_cases(self.request.user, ServiceRequest.objects.all())
            .select_related("service_area", "resident")
            .prefetch_related("complaints")
            .order_by("-received_on", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.log_service_request(
            actor=self.request.user,
            received_on=data["received_on"],
            service_area=data["service_area"],
            description=data["description"],
            channel=data.get("channel", "phone"),
            resident=data.get("resident"),
            summary=data.get("summary", ""),
        )
