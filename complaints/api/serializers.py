from django.contrib.auth import get_user_model
from rest_framework import serializers

from casework.models import IssueNature, Resident, ServiceArea, UrgentReason
from casework.permissions import visible_residents
from complaints import services
from complaints.models import (
    Channel,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    ComplaintType,
    Remedy,
    ResponseAction,
    ServiceRequest,
    StageHandler,
)
from sla.api.serializers import ClockSerializer

User = get_user_model()


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class ResidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resident
        fields = ["id", "first_name", "last_name", "email", "phone"]


class ComplaintListSerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    issue_nature = serializers.StringRelatedField()
    assigned_to = PersonSerializer(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "reference",
            "status",
            "current_stage",
            "summary",
            "service_area",
            "issue_nature",
            "complaint_type",
            "received_on",
            "next_due_on",
            "assigned_to",
            "is_urgent",
            "repeat_upheld",
            "closed_at",
            "url",
        ]

    def get_url(self, complaint) -> str:
        return complaint.get_absolute_url()


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintPoint
        fields = ["summary", "decision", "reasons"]


class RemedySerializer(serializers.ModelSerializer):
    class Meta:
        model = Remedy
        fields = ["kind", "description", "amount_pence"]


class ResponseActionSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)

    class Meta:
        model = ResponseAction
        fields = ["description", "owner", "due_on", "completed_on"]


class StageHandlerSerializer(serializers.ModelSerializer):
    officer = PersonSerializer(read_only=True)

    class Meta:
        model = StageHandler
        fields = ["officer", "since", "until"]


class StageSerializer(serializers.ModelSerializer):
    handler = PersonSerializer(read_only=True)
    responded_by = PersonSerializer(read_only=True)
    handlers = StageHandlerSerializer(many=True, read_only=True)
    points = PointSerializer(many=True, read_only=True)
    remedies = RemedySerializer(many=True, read_only=True)
    actions = ResponseActionSerializer(many=True, read_only=True)

    class Meta:
        model = ComplaintStage
        fields = [
            "number",
            "name",
            "requested_on",
            "escalation_reason",
            "acknowledged_on",
            "handler",
            "handlers",
            "responded_on",
            "responded_by",
            "response_summary",
            "outcome",
            "compensation_pence",
            "extended",
            "within_code_timescale",
            "working_days_to_respond",
            "points",
            "remedies",
            "actions",
        ]


class ComplaintDetailSerializer(ComplaintListSerializer):
    resident = ResidentSerializer(read_only=True)
    procedure = serializers.CharField(source="procedure_version.procedure.name", read_only=True)
    procedure_version = serializers.CharField(source="procedure_version.__str__", read_only=True)
    scheme = serializers.CharField(source="procedure_version.scheme.code", read_only=True)
    ombudsman = serializers.CharField(read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    clocks = ClockSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    service_request = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "procedure",
            "procedure_version",
            "scheme",
            "ombudsman",
            "channel",
            "description",
            "outcome_wanted",
            "issue_occurred_on",
            "staff_named",
            "vulnerability_noted",
            "resident",
            "service_request",
            "refusal_reason",
            "refusal_details",
            "stages",
            "clocks",
            "allowed_actions",
        ]

    def get_allowed_actions(self, complaint) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(complaint, request.user if request else None)


class LetterSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()


class VisibleResidentMixin:
    """An existing resident is chosen among those the caller may see: another resident's id is 'not found',
    so the API cannot be used to attach a case to someone and read their details back."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "resident" in self.fields:
            self.fields["resident"].queryset = visible_residents(request.user, Resident.objects.all())


class ResidentDetailsSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")


class LogComplaintSerializer(VisibleResidentMixin, serializers.Serializer):
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    service_area = serializers.PrimaryKeyRelatedField(queryset=ServiceArea.objects.filter(is_active=True))
    issue_nature = serializers.PrimaryKeyRelatedField(queryset=IssueNature.objects.filter(is_active=True))
    complaint_type = serializers.ChoiceField(choices=ComplaintType.choices)
    summary = serializers.CharField(max_length=250)
    description = serializers.CharField()
    outcome_wanted = serializers.CharField()
    issue_occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    staff_named = serializers.CharField(required=False, allow_blank=True, default="")
    is_urgent = serializers.BooleanField(required=False, default=False)
    urgent_reason = serializers.ChoiceField(choices=UrgentReason.choices, required=False, allow_blank=True, default="")
    urgent_details = serializers.CharField(required=False, allow_blank=True, default="")
    vulnerability_noted = serializers.BooleanField(required=False, default=False)
    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    resident_details = ResidentDetailsSerializer(required=False)
    assigned_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    external_reference = serializers.CharField(required=False, allow_null=True, max_length=60, default=None)

    def validate(self, data):
        if not data.get("resident") and not data.get("resident_details"):
            raise serializers.ValidationError({"resident": ["Give an existing resident's id or resident_details."]})
        return data


class ServiceRequestSerializer(VisibleResidentMixin, serializers.ModelSerializer):
    service_area = serializers.PrimaryKeyRelatedField(queryset=ServiceArea.objects.filter(is_active=True))
    resident = serializers.PrimaryKeyRelatedField(queryset=Resident.objects.all(), required=False, allow_null=True)
    complaints = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "reference",
            "status",
            "summary",
            "description",
            "channel",
            "service_area",
            "resident",
            "received_on",
            "completed_on",
            "complaints",
        ]
        read_only_fields = ["reference", "status", "completed_on", "complaints"]
