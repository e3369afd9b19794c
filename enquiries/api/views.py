from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from casework.api.actions import add_actions
from casework.api.pagination import KeysetPagination
from casework.api.records import TimelineMixin
from casework.roles import Role, has_role
from complaints.workflow import remember_barred_officers
from enquiries import selectors, services
from enquiries.api import serializers as api
from enquiries.filters import EnquiryFilter
from enquiries.models import Enquiry, EnquiryMessage
from enquiries.workflow import WORKFLOW


def _submit(request, office):
    payload = api.EnquirySubmissionSerializer(data=request.data, context={"office": office})
    payload.is_valid(raise_exception=True)
    data = payload.validated_data
    enquiry, created = services.submit_enquiry(
        member=data["member"],
        submitted_by=request.user if office is not None else None,
        enquiry_type=data["enquiry_type"],
        service_area=data["service_area"],
        description=data["description"],
        constituent=services.Constituent(
            data["first_name"],
            data["last_name"],
            data.get("email", ""),
            data["phone"],
            data["address"],
            data["postcode"],
        ),
        consent_to_share=data["consent_to_share"],
        urgent_reasons=data["urgent_reasons"],
        submission_key=data.get("submission_key"),
    )
    return enquiry, created


class EnquiryViewSet(TimelineMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Officers: the enquiries queue, recording an enquiry, and each action."""

    # Paged by keyset: a page deep in a million cases costs what the first does (casework.api.pagination).
    pagination_class = KeysetPagination
    lookup_field = "reference"
    serializer_class = api.EnquirySerializer
    filterset_class = EnquiryFilter

    def filter_queryset(self, queryset):
        # The queue's filters (open cases by default) are for the list; a case is found by reference whatever its state.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enquiry.objects.none()
        # The member's office and the converted complaint are shown on every row: joined, not one query each.
        return (
            selectors.queue_queryset(self.request.user)
            .select_related("member__office", "converted_complaint")
            .prefetch_related("messages", "clocks__extensions", "clocks__pauses")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        # Each row's allowed actions check the resident's barred officers: one query for the page.
        return remember_barred_officers(page) if page is not None else page

    def _detail(self, enquiry):
        fresh = self.get_queryset().get(pk=enquiry.pk)
        return Response(api.EnquirySerializer(fresh, context={"request": self.request}).data)

    @extend_schema(
        request=api.EnquirySubmissionSerializer, responses={201: api.EnquirySerializer, 200: api.EnquirySerializer}
    )
    def create(self, request):
        enquiry, created = _submit(request, office=None)
        response = self._detail(enquiry)
        response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return response

    def case_response(self, enquiry):
        return self._detail(enquiry)

    @extend_schema(request=api.MessageSerializer, responses=api.EnquirySerializer)
    @action(detail=True, methods=["post"])
    def messages(self, request, reference=None):
        enquiry = self.get_object()
        payload = api.MessageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_message(enquiry, author=request.user, body=payload.validated_data["body"], from_office=False)
        return self._detail(enquiry)


# Every action of the enquiry's workflow, POST /api/v1/enquiries/<reference>/<action>/ (casework.api.actions).
add_actions(EnquiryViewSet, WORKFLOW, prefix="Enquiry", response_serializer=api.EnquirySerializer)


class IsPortalUser(BasePermission):
    message = "The members' portal API is for members' offices."

    def has_permission(self, request, view):
        return has_role(request.user, Role.MEMBER_PORTAL) and selectors.office_of(request.user) is not None


class PortalEnquiryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Members' offices: their own enquiries only (another office's reference answers 404)."""

    lookup_field = "reference"
    serializer_class = api.PortalEnquirySerializer
    permission_classes = [IsPortalUser]
    filterset_fields = ["status", "enquiry_type"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enquiry.objects.none()
        return selectors.office_enquiries(self.request.user).prefetch_related(
            Prefetch("messages", queryset=EnquiryMessage.objects.order_by("created_at"))
        )

    @extend_schema(
        request=api.EnquirySubmissionSerializer,
        responses={201: api.PortalEnquirySerializer, 200: api.PortalEnquirySerializer},
    )
    def create(self, request):
        enquiry, created = _submit(request, office=selectors.office_of(request.user))
        data = api.PortalEnquirySerializer(self.get_queryset().get(pk=enquiry.pk)).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=api.MessageSerializer, responses=api.PortalEnquirySerializer)
    @action(detail=True, methods=["post"])
    def messages(self, request, reference=None):
        enquiry = self.get_object()
        payload = api.MessageSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.add_message(enquiry, author=request.user, body=payload.validated_data["body"], from_office=True)
        return Response(api.PortalEnquirySerializer(self.get_queryset().get(pk=enquiry.pk)).data)
