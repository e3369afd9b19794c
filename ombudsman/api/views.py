"""Ombudsman cases over the API: list with the page's filters, open, read, every stage change as an action,
and the actions on information requests, contributions and orders; the figures for a period.

A change the case's (or the item's) state does not allow answers 409; invalid input answers 400 with field
messages."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.permissions import HasStaffRole, can_see_case, visible_cases
from casework.services import DomainError
from ombudsman import selectors, services
from ombudsman.api import serializers as api
from ombudsman.filters import OmbudsmanCaseFilter
from ombudsman.models import FindingCategory, InformationRequest, OmbudsmanCase, Order, ServiceContribution


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The case's state does not allow this."
    default_code = "conflict"


class HandlesOmbudsmanCases(permissions.BasePermission):
    """Reading is for any staff role (narrowed to the cases the user may see); recording anything is for the
    cases' handlers, as on the pages (ombudsman.services.HANDLER_ROLES)."""

    message = "Only complaints officers and managers record anything on an ombudsman case."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or services.may_handle(request.user)


OMBUDSMAN_PERMISSIONS = [HasStaffRole, HandlesOmbudsmanCases]


def _refuse(refusal):
    # Checked before the input: a change the state does not allow is a conflict whatever was sent.
    if refusal:
        raise Conflict(refusal)


def _run(refusal, function, *args, **kwargs):
    _refuse(refusal)
    try:
        return function(*args, **kwargs)
    except DomainError as error:
        raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class OmbudsmanCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = OMBUDSMAN_PERMISSIONS
    lookup_field = "reference"
    filterset_class = OmbudsmanCaseFilter
    ordering_fields = ["received_on", "next_due_on", "reference"]

    def filter_queryset(self, queryset):
        # The list's filters (open cases by default) are for the list; a case is found by reference whatever its state.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OmbudsmanCase.objects.none()
        if self.action == "list":
            return selectors.list_queryset(self.request.user)
        return selectors.detail_queryset(self.request.user).prefetch_related("clocks__extensions", "clocks__pauses")

    def get_serializer_class(self):
        if self.action == "list":
            return api.OmbudsmanCaseListSerializer
        if self.action == "create":
            return api.OmbudsmanOpenCaseSerializer
        return api.OmbudsmanCaseDetailSerializer

    def _detail(self, case, code=status.HTTP_200_OK):
        fresh = selectors.detail_queryset(self.request.user).prefetch_related("clocks__extensions").get(pk=case.pk)
        return Response(api.OmbudsmanCaseDetailSerializer(fresh).data, status=code)

    @extend_schema(request=api.OmbudsmanOpenCaseSerializer, responses={201: api.OmbudsmanCaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = _payload(api.OmbudsmanOpenCaseSerializer, request)
        complaint = data.get("original_complaint")
        if complaint is not None and not can_see_case(request.user, complaint):
            raise serializers.ValidationError({"original_complaint": ["There is no such complaint that you can see."]})
        try:
            with transaction.atomic():
                case = services.open_case(actor=request.user, **data)
        except DomainError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        return self._detail(case, status.HTTP_201_CREATED)

    def _transition(self, request, name, serializer_class, function):
        case = self.get_object()
        _refuse(services.why_not_allowed(case, name))
        data = _payload(serializer_class, request)
        _run(services.why_not_allowed(case, name), function, case, actor=request.user, **data)
        return self._detail(case)

    @extend_schema(request=api.OmbudsmanAssignSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, reference=None):
        return self._transition(
            request,
            "assign",
            api.OmbudsmanAssignSerializer,
            lambda case, actor, handler: services.assign(case, handler, actor=actor),
        )

    @extend_schema(request=api.OmbudsmanStageDateSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-assessment")
    def start_assessment(self, request, reference=None):
        return self._transition(
            request, "start_assessment", api.OmbudsmanStageDateSerializer, services.start_assessment
        )

    @extend_schema(request=api.OmbudsmanRequestInformationSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-information")
    def request_information(self, request, reference=None):
        return self._transition(
            request, "request_information", api.OmbudsmanRequestInformationSerializer, services.request_information
        )

    @extend_schema(request=api.OmbudsmanStageDateSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-investigation")
    def start_investigation(self, request, reference=None):
        return self._transition(
            request, "start_investigation", api.OmbudsmanStageDateSerializer, services.start_investigation
        )

    @extend_schema(request=api.OmbudsmanDeterminationInputSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def determination(self, request, reference=None):
        def record(case, actor, determined_on, summary, findings, orders):
            return services.record_determination(
                case,
                actor=actor,
                determined_on=determined_on,
                summary=summary,
                findings=[services.FindingLine(**finding) for finding in findings],
                orders=[
                    services.OrderLine(
                        order_type=order["order_type"],
                        kind=order["kind"],
                        description=order["description"],
                        amount_pence=order["amount_pence"],
                        due_on=order["due_on"],
                        finding_number=order["finding"],
                    )
                    for order in orders
                ],
            )

        return self._transition(request, "record_determination", api.OmbudsmanDeterminationInputSerializer, record)

    @extend_schema(request=api.OmbudsmanCloseSerializer, responses=api.OmbudsmanCaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        return self._transition(request, "close", api.OmbudsmanCloseSerializer, services.close)


class InformationRequestViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = OMBUDSMAN_PERMISSIONS
    serializer_class = api.InformationRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InformationRequest.objects.none()
        cases = visible_cases(self.request.user, OmbudsmanCase.objects.all())
        return (
            InformationRequest.objects.filter(case__in=cases)
            .select_related("case", "reply_sent_by")
            .prefetch_related("contributions__service_area", "contributions__officer")
        )

    def _act(self, request, name, serializer_class, function):
        item = self.get_object()
        _refuse(services.why_not_information_request(item, name))
        data = _payload(serializer_class, request)
        _run(services.why_not_information_request(item, name), function, item, actor=request.user, **data)
        return Response(api.InformationRequestSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(request=api.OmbudsmanAskServiceSerializer, responses=api.InformationRequestSerializer)
    @action(detail=True, methods=["post"], url_path="ask-service")
    def ask_service(self, request, pk=None):
        return self._act(request, "ask_service", api.OmbudsmanAskServiceSerializer, services.ask_service)

    @extend_schema(request=api.OmbudsmanReplySerializer, responses=api.InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        return self._act(request, "reply", api.OmbudsmanReplySerializer, services.send_reply)

    @extend_schema(request=api.OmbudsmanExtendRequestSerializer, responses=api.InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(request, "extend", api.OmbudsmanExtendRequestSerializer, services.extend_information_request)


class ServiceContributionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = OMBUDSMAN_PERMISSIONS
    serializer_class = api.ServiceContributionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ServiceContribution.objects.none()
        cases = visible_cases(self.request.user, OmbudsmanCase.objects.all())
        return ServiceContribution.objects.filter(request__case__in=cases).select_related(
            "request__case", "service_area", "officer"
        )

    @extend_schema(request=api.OmbudsmanContributionReceivedSerializer, responses=api.ServiceContributionSerializer)
    @action(detail=True, methods=["post"])
    def received(self, request, pk=None):
        contribution = self.get_object()
        refusal = services.why_not_information_request(contribution.request, "contribution")
        if refusal is None and contribution.received_on is not None:
            refusal = f"{contribution.service_area}'s contribution was recorded on {contribution.received_on}."
        _refuse(refusal)
        data = _payload(api.OmbudsmanContributionReceivedSerializer, request)
        _run(refusal, services.record_contribution, contribution, actor=request.user, **data)
        return Response(api.ServiceContributionSerializer(self.get_queryset().get(pk=contribution.pk)).data)


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders and recommendations, soonest due first; `?outstanding=false` includes those complied with."""

    permission_classes = OMBUDSMAN_PERMISSIONS

    serializer_class = api.OrderSerializer
    filterset_fields = ["kind", "order_type"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        outstanding = self.request.query_params.get("outstanding", "true").lower() != "false"
        if self.action != "list":
            outstanding = False
        return selectors.orders_due(self.request.user, outstanding=outstanding).prefetch_related("evidence")

    def _act(self, request, name, serializer_class, function):
        order = self.get_object()
        _refuse(services.why_not_order(order, name))
        data = _payload(serializer_class, request)
        _run(services.why_not_order(order, name), function, order, actor=request.user, **data)
        return Response(api.OrderSerializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=api.OmbudsmanComplianceSerializer, responses=api.OrderSerializer)
    @action(detail=True, methods=["post"])
    def comply(self, request, pk=None):
        return self._act(request, "comply", api.OmbudsmanComplianceSerializer, services.record_compliance)

    @extend_schema(request=api.OmbudsmanEvidenceSentSerializer, responses=api.OrderSerializer)
    @action(detail=True, methods=["post"], url_path="evidence-sent")
    def evidence_sent(self, request, pk=None):
        return self._act(request, "evidence_sent", api.OmbudsmanEvidenceSentSerializer, services.record_evidence_sent)


class FindingCategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = api.FindingCategorySerializer
    queryset = FindingCategory.objects.all()
    pagination_class = None


class FiguresView(APIView):
    """One ombudsman's figures for determinations made from `start` to `end` (both included)."""

    @extend_schema(parameters=[api.OmbudsmanPeriodSerializer], responses=api.OmbudsmanFiguresSerializer)
    def get(self, request):
        period = api.OmbudsmanPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        figures = selectors.figures(**period.validated_data)
        return Response(api.OmbudsmanFiguresSerializer(figures).data)
