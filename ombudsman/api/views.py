"""Ombudsman cases over the API: list with the page's filters, open, read, every stage change as an action,
and the actions on information requests, contributions and orders; the figures for a period.

Every action comes from the case's (or the item's) workflow (ombudsman.workflow, casework.api.actions): a change
the state does not allow answers 409; invalid input answers 400 with field messages."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.actions import add_actions
from casework.api.pagination import KeysetPagination
from casework.api.records import TimelineMixin
from casework.permissions import HasStaffRole, can_see_case, visible_cases
from ombudsman import selectors, services
from ombudsman.api import serializers as api
from ombudsman.filters import OmbudsmanCaseFilter
from ombudsman.models import FindingCategory, InformationRequest, OmbudsmanCase, Order, ServiceContribution
from ombudsman.workflow import CASE_WORKFLOW, CONTRIBUTION_WORKFLOW, ORDER_WORKFLOW, REQUEST_WORKFLOW


class HandlesOmbudsmanCases(permissions.BasePermission):
    """Reading is for any staff role (narrowed to the cases the user may see); recording anything is for the
    cases' handlers, as on the pages (ombudsman.services.HANDLER_ROLES)."""

    message = "Only complaints officers and managers record anything on an ombudsman case."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or services.may_handle(request.user)


OMBUDSMAN_PERMISSIONS = [HasStaffRole, HandlesOmbudsmanCases]


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


class OmbudsmanCaseViewSet(
    TimelineMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = OMBUDSMAN_PERMISSIONS
    # Paged by keyset: a page deep in a million cases costs what the first does (casework.api.pagination).
    pagination_class = KeysetPagination
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
        return Response(api.OmbudsmanCaseDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(request=api.OmbudsmanOpenCaseSerializer, responses={201: api.OmbudsmanCaseDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = _payload(api.OmbudsmanOpenCaseSerializer, request)
        complaint = data.get("original_complaint")
        if complaint is not None and not can_see_case(request.user, complaint):
            raise serializers.ValidationError({"original_complaint": ["There is no such complaint that you can see."]})
        with transaction.atomic():
            case = services.open_case(actor=request.user, **data)
        return self._detail(case, status.HTTP_201_CREATED)

    def case_response(self, case):
        return self._detail(case)


add_actions(
    OmbudsmanCaseViewSet, CASE_WORKFLOW, prefix="Ombudsman", response_serializer=api.OmbudsmanCaseDetailSerializer
)


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

    def case_response(self, item):
        return Response(api.InformationRequestSerializer(self.get_queryset().get(pk=item.pk)).data)


add_actions(
    InformationRequestViewSet,
    REQUEST_WORKFLOW,
    prefix="OmbudsmanRequest",
    response_serializer=api.InformationRequestSerializer,
)


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

    def case_response(self, contribution):
        return Response(api.ServiceContributionSerializer(self.get_queryset().get(pk=contribution.pk)).data)


add_actions(
    ServiceContributionViewSet,
    CONTRIBUTION_WORKFLOW,
    prefix="OmbudsmanContribution",
    response_serializer=api.ServiceContributionSerializer,
)


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

    def case_response(self, order):
        return Response(api.OrderSerializer(self.get_queryset().get(pk=order.pk)).data)


add_actions(OrderViewSet, ORDER_WORKFLOW, prefix="OmbudsmanOrder", response_serializer=api.OrderSerializer)


class ReadsOmbudsmanFindings(permissions.BasePermission):
    """What the Ombudsman found of the council as a whole is read by those who handle ombudsman cases, as on the
    pages; it is recorded on the pages by managers and administrators."""

    message = "Only complaints officers, managers and administrators read the Ombudsman's findings and letters."

    def has_permission(self, request, view):
        return services.may_handle(request.user)


class NonComplianceFindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaint handling failure orders and notices, latest first."""

    permission_classes = [HasStaffRole, ReadsOmbudsmanFindings]
    serializer_class = api.NonComplianceFindingSerializer
    filterset_fields = ["kind", "ombudsman"]

    def get_queryset(self):
        return selectors.non_compliance_findings()


class OmbudsmanPublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The Ombudsman's annual letters and other reports about the council, latest year first."""

    permission_classes = [HasStaffRole, ReadsOmbudsmanFindings]
    serializer_class = api.OmbudsmanPublicationSerializer
    filterset_fields = ["kind", "ombudsman", "reporting_year"]

    def get_queryset(self):
        return selectors.publications()


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
