from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sla import selectors
from sla.api.serializers import DeadlineQuerySerializer, DeadlineSerializer
from sla.engine import OutsideCalendarRange


class DeadlineView(APIView):
    """Due date for a start date and a number of working days, with the non-working days skipped."""

    @extend_schema(parameters=[DeadlineQuerySerializer], responses=DeadlineSerializer)
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            explanation = selectors.explain_deadline(**query.validated_data)
        except OutsideCalendarRange as error:
            raise drf_serializers.ValidationError({"start": [str(error)]}) from error
        return Response(DeadlineSerializer(explanation).data)
