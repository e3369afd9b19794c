"""What a case's page shows beside its details, over the API too, for integrations and audits."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from casework.api.pagination import StandardPagination
from casework.api.serializers import TimelineEventSerializer
from casework.models import TimelineEvent


class TimelineMixin:
    """GET .../<reference>/timeline/: everything that happened to the case, oldest first, a page at a time."""

    @extend_schema(responses=TimelineEventSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, filter_backends=[], pagination_class=StandardPagination)
    def timeline(self, request, reference=None):
        case = self.get_object()
        events = TimelineEvent.objects.filter(case_id=case.pk).select_related("actor").order_by("occurred_at", "id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(TimelineEventSerializer(page, many=True).data)
