"""A case's correspondence over the API, read-only: added to each kind's viewset beside its timeline."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from casework.api.pagination import StandardPagination
from correspondence import selectors
from correspondence.api.serializers import OutboundEmailSerializer, SentLetterSerializer


class CorrespondenceMixin:
    """GET .../<reference>/correspondence/: every email about the case to the resident or their representative,
    newest first; GET .../<reference>/sent-letters/: the letters sent, with their PDFs. A page at a time."""

    @extend_schema(responses=OutboundEmailSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, filter_backends=[], pagination_class=StandardPagination)
    def correspondence(self, request, reference=None):
        case = self.get_object()
        page = self.paginate_queryset(selectors.emails_of(case).select_related("sent_by"))
        return self.get_paginated_response(OutboundEmailSerializer(page, many=True).data)

    @extend_schema(responses=SentLetterSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="sent-letters",
        filterset_class=None,
        filter_backends=[],
        pagination_class=StandardPagination,
    )
    def sent_letters(self, request, reference=None):
        case = self.get_object()
        page = self.paginate_queryset(selectors.letters_of(case))
        return self.get_paginated_response(SentLetterSerializer(page, many=True, context={"request": request}).data)
