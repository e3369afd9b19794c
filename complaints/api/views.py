"""Complaints over the API: list with the queue's filters, log, read, and every transition as an action.

An action the complaint's state does not allow answers 409; invalid input answers 400 with field messages."""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from casework.permissions import visible_cases
from casework.services import DomainError, create_resident
from complaints import services
from complaints.api import serializers as api
from complaints.filters import ComplaintFilter
from complaints.models import Complaint, ComplaintStage, ServiceRequest
from complaints.selectors import queue_queryset


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The complaint's state does not allow this."
    default_code = "conflict"


def _run(complaint, action_name, function, **kwargs):
    refusal = services.why_not_allowed(complaint, action_name)
    if refusal:
        raise Conflict(refusal)
    try:
        return function(complaint, **kwargs)
    except DomainError as error:
        raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error


class ComplaintViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
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
        stages = ComplaintStage.objects.select_related("handler").prefetch_related(
            "points", "remedies", "actions__owner"
        )
        return (
            visible_cases(self.request.user, Complaint.objects.all())
            .select_related(
                "service_area",
                "issue_nature",
                "assigned_to",
                "resident",
                "procedure_version__procedure",
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
        return Response(api.ComplaintDetailSerializer(fresh).data)

    @extend_schema(request=api.LogComplaintSerializer, responses={201: api.ComplaintDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = api.LogComplaintSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        details = data.pop("resident_details", None)
        try:
            with transaction.atomic():
                if not data.get("resident"):
                    data["resident"] = create_resident(**details)
                complaint = services.log_complaint(actor=request.user, **data)
        except DomainError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        response = self._detail(complaint)
        response.status_code = status.HTTP_201_CREATED
        return response

    def _transition(self, request, action_name, serializer_class, function, to_kwargs=lambda data: data):
        complaint = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        complaint = _run(
            complaint, action_name, function, actor=request.user, **to_kwargs(dict(payload.validated_data))
        )
        return self._detail(complaint)

    @extend_schema(request=api.AcknowledgeSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, reference=None):
        return self._transition(request, "acknowledge", api.AcknowledgeSerializer, services.acknowledge)

    @extend_schema(request=api.AssignSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        return self._transition(
            request,
            "assign",
            api.AssignSerializer,
            lambda complaint, actor, handler: services.assign(complaint, handler, actor=actor),
        )

    @extend_schema(request=api.ExtendSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, reference=None):
        return self._transition(request, "extend", api.ExtendSerializer, services.extend)

    @extend_schema(request=api.RespondSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, reference=None):
        def to_kwargs(data):
            return {
                "on": data["on"],
                "summary": data["summary"],
                "points": [services.Point(**point) for point in data["points"]],
                "remedies": [services.RemedyLine(**remedy) for remedy in data["remedies"]],
                "actions": [services.ActionLine(**item) for item in data["actions"]],
            }

        return self._transition(request, "respond", api.RespondSerializer, services.respond, to_kwargs)

    @extend_schema(request=api.ResolveEarlySerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"], url_path="resolve-early")
    def resolve_early(self, request, reference=None):
        return self._transition(request, "resolve_early", api.ResolveEarlySerializer, services.resolve_early)

    @extend_schema(request=api.WithdrawSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, reference=None):
        return self._transition(request, "withdraw", api.WithdrawSerializer, services.withdraw)

    @extend_schema(request=api.RefuseSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, reference=None):
        return self._transition(request, "refuse", api.RefuseSerializer, services.refuse)

    @extend_schema(request=api.EscalateSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, reference=None):
        return self._transition(request, "escalate", api.EscalateSerializer, services.escalate)

    @extend_schema(request=api.RefuseEscalationSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"], url_path="refuse-escalation")
    def refuse_escalation(self, request, reference=None):
        return self._transition(
            request, "refuse_escalation", api.RefuseEscalationSerializer, services.refuse_escalation
        )

    @extend_schema(request=api.CloseSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        return self._transition(request, "close", api.CloseSerializer, services.close)

    @extend_schema(request=api.ReopenSerializer, responses=api.ComplaintDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, reference=None):
        return self._transition(request, "reopen", api.ReopenSerializer, services.reopen)


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
        try:
            serializer.instance = services.log_service_request(
                actor=self.request.user,
                received_on=data["received_on"],
                service_area=data["service_area"],
                description=data["description"],
                channel=data.get("channel", "phone"),
                resident=data.get("resident"),
                summary=data.get("summary", ""),
            )
        except DomainError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
