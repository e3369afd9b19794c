"""Learning over the API: plans (register filters, open, edit, transitions as actions, evidence upload),
service commitments (progress, complete, withdraw, carry over) and the repeat-upheld list.

A transition the plan's state does not allow (or one missing its evidence) answers 409; someone who may not
take it, 403; invalid input, 400 with field messages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from casework.api.actions import add_actions
from casework.permissions import HasStaffRole, IsManager
from learning import selectors, services
from learning.api import serializers as api
from learning.filters import CommitmentFilter, LearningPlanFilter, RepeatUpheldFilter
from learning.models import LearningSource, ServiceCommitment
from learning.workflow import COMMITMENT_WORKFLOW, PLAN_WORKFLOW


class LearningPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    lookup_field = "reference"
    filterset_class = LearningPlanFilter
    ordering_fields = ["month", "due_on", "reference"]

    def get_queryset(self):
        queryset = selectors.plans_queryset(self.request.user).order_by("-month", "service_area__name", "-id")
        if self.action == "list":
            return queryset
        sources = LearningSource.objects.select_related(
            "complaint_stage__complaint", "finding__determination__case", "finding__category"
        )
        return queryset.prefetch_related(Prefetch("sources", queryset=sources), "evidence_files", "events__actor")

    def get_serializer_class(self):
        if self.action == "list":
            return api.PlanListSerializer
        if self.action == "create":
            return api.OpenPlanSerializer
        if self.action == "partial_update":
            return api.PlanUpdateSerializer
        return api.PlanDetailSerializer

    def _detail(self, plan, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(api.PlanDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=api.OpenPlanSerializer, responses={201: api.PlanDetailSerializer})
    def create(self, request, *args, **kwargs):
        payload = api.OpenPlanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plan = services.open_plan(actor=request.user, **payload.validated_data)
        return self._detail(plan, status.HTTP_201_CREATED)

    @extend_schema(request=api.PlanUpdateSerializer, responses=api.PlanDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        payload = api.PlanUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        plan = services.update_plan(plan, actor=request.user, **payload.validated_data)
        return self._detail(plan)

    def case_response(self, plan):
        return self._detail(plan)

    @extend_schema(
        request={"multipart/form-data": api.EvidenceUploadSerializer}, responses={201: api.PlanDetailSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, reference=None):
        plan = self.get_object()
        payload = api.EvidenceUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_evidence_file(
            plan, payload.validated_data["file"], actor=request.user, description=payload.validated_data["description"]
        )
        return self._detail(plan, status.HTTP_201_CREATED)


add_actions(LearningPlanViewSet, PLAN_WORKFLOW, prefix="Plan", response_serializer=api.PlanDetailSerializer)


class CommitmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = api.CommitmentSerializer
    filterset_class = CommitmentFilter

    def get_queryset(self):
        return (
            ServiceCommitment.objects.select_related("municipal_year", "service_area", "carried_over_to")
            .prefetch_related("plans")
            .order_by("-municipal_year__year", "service_area__name", "id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.add_commitment(
            municipal_year=data["municipal_year"],
            service_area=data["service_area"],
            commitment=data["commitment"],
            lead_officer=data.get("lead_officer"),
            plans=data.get("plans") or (),
            actor=self.request.user,
        )

    def case_response(self, item):
        return Response(api.CommitmentSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(
        request=api.CommitmentCarryOverSerializer,
        responses=inline_serializer("CarriedOver", {"carried_over": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="carry-over", permission_classes=[IsAuthenticated, IsManager])
    def carry_over(self, request):
        payload = api.CommitmentCarryOverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        carried = services.carry_over_commitments(payload.validated_data["into_year"])
        return Response({"carried_over": carried})


add_actions(CommitmentViewSet, COMMITMENT_WORKFLOW, prefix="Commitment", response_serializer=api.CommitmentSerializer)


class RepeatUpheldViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Complaints upheld again within 12 months for the same resident, property or issue nature; managers."""

    serializer_class = api.RepeatUpheldSerializer
    filterset_class = RepeatUpheldFilter
    permission_classes = [HasStaffRole, IsManager]

    def get_queryset(self):
        return selectors.repeat_upheld(None).qs
