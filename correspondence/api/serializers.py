from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from correspondence.models import Letter, OutboundEmail


class OutboundEmailSerializer(serializers.ModelSerializer):
    letter = serializers.PrimaryKeyRelatedField(read_only=True)
    sent_by = serializers.StringRelatedField()

    class Meta:
        model = OutboundEmail
        fields = ["id", "letter", "to", "subject", "body", "message_id", "created_at", "sent_at", "error", "sent_by"]


class SentLetterSerializer(serializers.ModelSerializer):
    sent_by = serializers.StringRelatedField()
    delivery = serializers.CharField(read_only=True)
    document = serializers.SerializerMethodField()
    emails = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "large_print",
            "addressee",
            "address",
            "posted",
            "email",
            "delivery",
            "document",
            "emails",
            "sent_at",
            "sent_by",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_document(self, letter):
        """Where the PDF is downloaded (the case's attachment), or null once the retention schedule removed it."""
        if letter.document_id is None:
            return None
        path = reverse("casework:download-attachment", args=[letter.document_id])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
