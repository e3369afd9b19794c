from rest_framework import serializers

from casework.models import IssueNature, ServiceArea
from complaints.models import ComplaintType
from enquiries import services
from enquiries.models import Enquiry, EnquiryMessage, EnquiryType, Member, UrgentReason
from sla.api.serializers import ClockSerializer


class MemberSerializer(serializers.ModelSerializer):
    office = serializers.StringRelatedField()

    class Meta:
        model = Member
        fields = ["id", "name", "member_type", "ward", "constituency", "party", "office"]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnquiryMessage
        fields = ["body", "from_office", "created_at"]
        read_only_fields = ["from_office", "created_at"]


class PortalEnquirySerializer(serializers.ModelSerializer):
    """What the member's office sees: never officers' notes or internal events."""

    member = serializers.StringRelatedField()
    service_area = serializers.StringRelatedField()
    constituent = serializers.CharField(source="resident.full_name", read_only=True)
    response_due_on = serializers.DateField(read_only=True)
    messages = MessageSerializer(many=True, read_only=True)

    class Meta:
        model = Enquiry
        fields = [
            "reference",
            "status",
            "member",
            "enquiry_type",
            "service_area",
            "summary",
            "description",
            "constituent",
            "urgent_reasons",
            "received_on",
            "response_due_on",
            "response",
            "responded_on",
            "messages",
        ]


class EnquirySubmissionSerializer(serializers.Serializer):
    submission_key = serializers.UUIDField(
        required=False, allow_null=True, help_text="Send the same key again after a network failure: one enquiry."
    )
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.filter(is_active=True))
    enquiry_type = serializers.ChoiceField(choices=EnquiryType.choices)
    service_area = serializers.PrimaryKeyRelatedField(queryset=ServiceArea.objects.filter(is_active=True))
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, default="")
    address = serializers.CharField()
    postcode = serializers.CharField(max_length=10)
    consent_to_share = serializers.BooleanField()
    description = serializers.CharField()
    urgent_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=UrgentReason.choices), required=False, default=list
    )

    def validate_consent_to_share(self, value):
        if not value:
            raise serializers.ValidationError("The council can only act with the constituent's agreement.")
        return value

    def validate_member(self, member):
        office = self.context.get("office")
        if office is not None and member.office_id != office.pk:
            raise serializers.ValidationError("Choose a member of your office.")
        return member


class EnquirySerializer(PortalEnquirySerializer):
    """Officers' view: everything, with clocks and allowed actions."""

    member = MemberSerializer(read_only=True)
    clocks = ClockSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    assigned_to = serializers.StringRelatedField()
    converted_complaint = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta(PortalEnquirySerializer.Meta):
        fields = [
            *PortalEnquirySerializer.Meta.fields,
            "is_urgent",
            "consent_to_share",
            "assigned_to",
            "acknowledged_on",
            "working_days_to_respond",
            "responded_in_time",
            "converted_complaint",
            "clocks",
            "allowed_actions",
        ]

    def get_allowed_actions(self, enquiry) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(enquiry, request.user if request else None)


class EnquiryResponseSerializer(serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField()


class ConvertSerializer(serializers.Serializer):
    issue_nature = serializers.PrimaryKeyRelatedField(queryset=IssueNature.objects.filter(is_active=True))
    complaint_type = serializers.ChoiceField(choices=ComplaintType.choices)
    outcome_wanted = serializers.CharField()
