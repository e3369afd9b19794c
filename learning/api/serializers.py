from django.contrib.auth import get_user_model
from rest_framework import serializers

from casework.models import ServiceArea
from complaints.api.serializers import PersonSerializer
from complaints.models import Complaint, RepeatUpheldMatch
from learning import services
from learning.models import (
    EvidenceFile,
    LearningActionPlan,
    LearningSource,
    MunicipalYear,
    PlanEvent,
    ServiceCommitment,
)

User = get_user_model()


class PlanSourceSerializer(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()
    complaint = serializers.CharField(source="complaint_stage.complaint.reference", read_only=True)
    stage = serializers.IntegerField(source="complaint_stage.number", read_only=True)
    outcome = serializers.CharField(source="complaint_stage.outcome", read_only=True)
    responded_on = serializers.DateField(source="complaint_stage.responded_on", read_only=True)

    class Meta:
        model = LearningSource
        fields = ["kind", "complaint", "stage", "outcome", "responded_on", "note"]

    def get_kind(self, source) -> str:
        return "complaint_stage"


class EvidenceFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size_bytes", "description", "uploaded_at", "url"]

    def get_url(self, evidence) -> str:
        from django.urls import reverse

        return reverse("learning:download-evidence", args=[evidence.pk])


class PlanEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(read_only=True)

    class Meta:
        model = PlanEvent
        fields = ["occurred_at", "actor", "kind", "summary"]


class PlanListSerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    service_area_id = serializers.IntegerField(read_only=True)
    lead_officer = PersonSerializer(read_only=True)
    complaint_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = LearningActionPlan
        fields = [
            "reference",
            "service_area",
            "service_area_id",
            "month",
            "origin",
            "status",
            "lead_officer",
            "due_on",
            "implemented_on",
            "verified_on",
            "complaint_count",
            "url",
        ]

    def get_url(self, plan) -> str:
        return plan.get_absolute_url()


class PlanDetailSerializer(PlanListSerializer):
    sources = PlanSourceSerializer(many=True, read_only=True)
    evidence_files = EvidenceFileSerializer(many=True, read_only=True)
    events = PlanEventSerializer(many=True, read_only=True)
    verified_by = PersonSerializer(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(PlanListSerializer.Meta):
        fields = [
            *PlanListSerializer.Meta.fields,
            "what_went_wrong",
            "action_to_address_cause",
            "evidence_of_implementation",
            "verified_by",
            "sources",
            "evidence_files",
            "events",
            "allowed_actions",
        ]

    def get_allowed_actions(self, plan) -> list[str]:
        request = self.context.get("request")
        return services.allowed_actions(plan, request.user) if request else []


class OpenPlanSerializer(serializers.Serializer):
    service_area = serializers.PrimaryKeyRelatedField(queryset=ServiceArea.objects.filter(is_active=True))
    month = serializers.DateField(help_text="Any day of the month covered.")
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanUpdateSerializer(serializers.Serializer):
    what_went_wrong = serializers.CharField(required=False, allow_blank=True)
    action_to_address_cause = serializers.CharField(required=False, allow_blank=True)
    evidence_of_implementation = serializers.CharField(required=False, allow_blank=True)
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_on = serializers.DateField(required=False)


class PlanStartSerializer(serializers.Serializer):
    pass


class PlanDatedSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanSendBackSerializer(serializers.Serializer):
    reason = serializers.CharField()


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class CommitmentSerializer(serializers.ModelSerializer):
    municipal_year = serializers.SlugRelatedField(slug_field="year", queryset=MunicipalYear.objects.all())
    municipal_year_label = serializers.CharField(source="municipal_year.label", read_only=True)
    service_area = serializers.PrimaryKeyRelatedField(queryset=ServiceArea.objects.all())
    lead_officer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    plans = serializers.SlugRelatedField(
        slug_field="reference", many=True, required=False, queryset=LearningActionPlan.objects.all()
    )
    carried_over_from = serializers.PrimaryKeyRelatedField(read_only=True)
    carried_over_to = serializers.SerializerMethodField()

    class Meta:
        model = ServiceCommitment
        fields = [
            "id",
            "municipal_year",
            "municipal_year_label",
            "service_area",
            "commitment",
            "progress_summary",
            "status",
            "lead_officer",
            "plans",
            "carried_over_from",
            "carried_over_to",
        ]
        read_only_fields = ["status", "progress_summary"]

    def get_carried_over_to(self, item) -> int | None:
        following = getattr(item, "carried_over_to", None)
        return following.pk if following else None


class CommitmentProgressSerializer(serializers.Serializer):
    progress_summary = serializers.CharField(allow_blank=True)


class CommitmentCompleteSerializer(serializers.Serializer):
    progress_summary = serializers.CharField(required=False)


class CommitmentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CommitmentCarryOverSerializer(serializers.Serializer):
    into_year = serializers.SlugRelatedField(slug_field="year", queryset=MunicipalYear.objects.all())


class RepeatMatchSerializer(serializers.ModelSerializer):
    earlier = serializers.CharField(source="earlier.reference")

    class Meta:
        model = RepeatUpheldMatch
        fields = ["earlier", "same_resident", "same_property", "same_issue_nature"]


class RepeatUpheldSerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    issue_nature = serializers.StringRelatedField()
    latest_upheld_on = serializers.DateField(read_only=True)
    matches = RepeatMatchSerializer(source="repeat_matches", many=True, read_only=True)
    root_cause = serializers.CharField(source="root_cause.cause", read_only=True, default=None)

    class Meta:
        model = Complaint
        fields = ["reference", "summary", "service_area", "issue_nature", "latest_upheld_on", "matches", "root_cause"]
