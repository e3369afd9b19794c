from django.contrib.auth import get_user_model
from rest_framework import serializers

from casework.models import Case, IssueNature, Notification, ServiceArea, Team, TimelineEvent
from casework.roles import roles_of


class ServiceAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "code", "ombudsman", "is_active"]


class IssueNatureSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssueNature
        fields = ["id", "name", "service_area", "is_active"]


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "service_areas", "manager", "head_of_service"]


class OfficerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name", "email"]

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class MeSerializer(OfficerSerializer):
    roles = serializers.SerializerMethodField()

    class Meta(OfficerSerializer.Meta):
        fields = [*OfficerSerializer.Meta.fields, "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(str(role) for role in roles_of(user))


class CaseSummarySerializer(serializers.ModelSerializer):
    service_area = serializers.StringRelatedField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "kind",
            "status",
            "summary",
            "service_area",
            "received_on",
            "next_due_on",
            "url",
        ]

    def get_url(self, case) -> str:
        return case.get_absolute_url()


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = TimelineEvent
        fields = ["occurred_at", "actor", "kind", "summary", "data"]


class NotificationSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "url", "case", "created_at", "read_at"]
