from django.contrib.auth import get_user_model
from rest_framework import serializers

from casework.models import Ombudsman, ServiceArea
from complaints.api.serializers import PersonSerializer, ResidentSerializer
from complaints.models import Complaint
from ombudsman import services
from ombudsman.models import (
    Determination,
    Finding,
    FindingCategory,
    InformationRequest,
    NonComplianceFinding,
    OmbudsmanCase,
    OmbudsmanPublication,
    Order,
    ServiceContribution,
)
from sla.api.serializers import ClockSerializer

User = get_user_model()


class OmbudsmanCaseListSerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    assigned_to = PersonSerializer(read_only=True)
    stage = serializers.CharField(source="status", read_only=True)
    original_complaint = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    determined_on = serializers.DateField(source="determination.determined_on", read_only=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = OmbudsmanCase
        fields = [
            "reference",
            "ombudsman",
            "ombudsman_reference",
            "stage",
            "summary",
            "service_area",
            "original_complaint",
            "received_on",
            "next_due_on",
            "determined_on",
            "assigned_to",
            "closed_at",
            "url",
        ]

    def get_url(self, case) -> str:
        return case.get_absolute_url()


class ServiceContributionSerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    officer = PersonSerializer(read_only=True)

    class Meta:
        model = ServiceContribution
        fields = ["id", "service_area", "officer", "requested_on", "due_on", "details", "received_on", "notes"]


class InformationRequestSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    contributions = ServiceContributionSerializer(many=True, read_only=True)
    reply_sent_by = PersonSerializer(read_only=True)

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "case",
            "received_on",
            "due_on",
            "details",
            "contributions",
            "reply_sent_on",
            "reply_summary",
            "reply_sent_by",
        ]


class FindingSerializer(serializers.ModelSerializer):
    category = serializers.StringRelatedField()

    class Meta:
        model = Finding
        fields = ["number", "complaint_head", "category", "outcome", "reasons"]


class OrderSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="determination.case.reference", read_only=True)
    finding = serializers.IntegerField(source="finding.number", read_only=True, default=None)
    category = serializers.CharField(source="finding.category.name", read_only=True, default=None)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "case",
            "kind",
            "order_type",
            "description",
            "amount_pence",
            "finding",
            "category",
            "due_on",
            "complied_on",
            "compliance_evidence",
            "evidence",
            "evidence_sent_on",
        ]

    def get_evidence(self, order) -> list[str]:
        return [attachment.original_name for attachment in order.evidence.all()]


class DeterminationSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    orders = OrderSerializer(many=True, read_only=True)

    class Meta:
        model = Determination
        fields = ["determined_on", "summary", "findings", "orders"]


class OmbudsmanCaseDetailSerializer(OmbudsmanCaseListSerializer):
    resident = ResidentSerializer(read_only=True)
    information_requests = InformationRequestSerializer(many=True, read_only=True)
    determination = DeterminationSerializer(read_only=True, default=None)
    clocks = ClockSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(OmbudsmanCaseListSerializer.Meta):
        fields = [
            *OmbudsmanCaseListSerializer.Meta.fields,
            "ombudsman_contact",
            "description",
            "resident",
            "closed_on",
            "closure_reason",
            "information_requests",
            "determination",
            "clocks",
            "allowed_actions",
        ]

    def get_allowed_actions(self, case) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(case, request.user if request else None)


class FindingCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingCategory
        fields = ["id", "name", "is_active"]


class NonComplianceFindingSerializer(serializers.ModelSerializer):
    ombudsman_case = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    complaint = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = NonComplianceFinding
        fields = [
            "id",
            "kind",
            "ombudsman",
            "issued_on",
            "ombudsman_reference",
            "finding",
            "code_provisions",
            "ombudsman_case",
            "complaint",
            "council_action",
            "complied_on",
        ]


class OmbudsmanPublicationSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = OmbudsmanPublication
        fields = ["id", "kind", "ombudsman", "reporting_year", "title", "received_on", "summary", "has_file"]

    def get_has_file(self, publication) -> bool:
        return bool(publication.file)


# --- Input --------------------------------------------------------------------------------------------


class OmbudsmanOpenCaseSerializer(serializers.Serializer):
    ombudsman = serializers.ChoiceField(choices=Ombudsman.choices)
    received_on = serializers.DateField()
    original_complaint = serializers.SlugRelatedField(
        slug_field="reference", queryset=Complaint.objects.all(), required=False, allow_null=True, default=None
    )
    ombudsman_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    ombudsman_contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    service_area = serializers.PrimaryKeyRelatedField(
        queryset=ServiceArea.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    external_reference = serializers.CharField(required=False, allow_null=True, max_length=60, default=None)

    def validate(self, data):
        if data.get("original_complaint") is None and data.get("service_area") is None:
            raise serializers.ValidationError(
                {"service_area": ["Give the service area, or the original_complaint's reference."]}
            )
        return data


class OmbudsmanPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    ombudsman = serializers.ChoiceField(choices=Ombudsman.choices, default=Ombudsman.HOUSING)

    def validate(self, data):
        if data["start"] > data["end"]:
            raise serializers.ValidationError({"end": ["The end of the period must be on or after its start."]})
        return data


# --- Figures ------------------------------------------------------------------------------------------


class OmbudsmanRateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True, help_text="To 0.1%.")
    shown = serializers.CharField(help_text="Rounded to a whole percentage, as published: '55%'.")


class OmbudsmanCategoryRowSerializer(serializers.Serializer):
    category = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="{outcome: findings}")
    total = serializers.IntegerField()


class OmbudsmanFindingsTableSerializer(serializers.Serializer):
    ombudsman = serializers.CharField()
    outcomes = serializers.SerializerMethodField()
    rows = OmbudsmanCategoryRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()

    def get_outcomes(self, table) -> list[str]:
        return [value for value, _ in table.outcomes]


class OmbudsmanOrdersByTypeSerializer(serializers.Serializer):
    order_type = serializers.CharField()
    label = serializers.CharField()
    orders = serializers.IntegerField()
    recommendations = serializers.IntegerField()


class OmbudsmanCompensationByCategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    ordered_pence = serializers.IntegerField()
    recommended_pence = serializers.IntegerField()


class OmbudsmanFiguresSerializer(serializers.Serializer):
    ombudsman = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    determinations = serializers.IntegerField()
    findings = OmbudsmanFindingsTableSerializer(help_text="Findings by category and outcome.")
    rate = OmbudsmanRateSerializer(
        help_text="The Housing Ombudsman's maladministration rate, or the LGSCO's uphold rate."
    )
    rate_label = serializers.CharField()
    orders_by_type = OmbudsmanOrdersByTypeSerializer(many=True)
    compensation_by_category = OmbudsmanCompensationByCategorySerializer(many=True)
    compensation_ordered_pence = serializers.IntegerField()
    order_compliance_rate = OmbudsmanRateSerializer()
