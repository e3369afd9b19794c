from rest_framework import serializers

from sla.models import Clock, ClockExtension, ClockPause, Division


class DeadlineQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="Day 0 of the count, YYYY-MM-DD.")
    working_days = serializers.IntegerField(min_value=-400, max_value=400)
    division = serializers.ChoiceField(choices=Division.choices, default=Division.ENGLAND_AND_WALES)


class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField()
    working_days = serializers.IntegerField()
    division = serializers.CharField()
    due_on = serializers.DateField()
    skipped = SkippedDaySerializer(many=True)


class ClockExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClockExtension
        fields = [
            "granted_on",
            "extra_working_days",
            "new_due_on",
            "reason",
            "resident_told_on",
            "beyond_cap",
            "approved_by",
        ]


class ClockPauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClockPause
        fields = ["paused_on", "resumed_on", "reason"]


class ClockSerializer(serializers.ModelSerializer):
    extensions = ClockExtensionSerializer(many=True, read_only=True)
    pauses = ClockPauseSerializer(many=True, read_only=True)

    class Meta:
        model = Clock
        fields = [
            "id",
            "kind",
            "stage",
            "label",
            "division",
            "started_on",
            "target_working_days",
            "fixed_due_on",
            "extension_cap_working_days",
            "due_on",
            "status",
            "stopped_on",
            "met",
            "working_days_taken",
            "extensions",
            "pauses",
        ]
