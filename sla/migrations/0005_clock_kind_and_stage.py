"""Clocks say what they time with a kind and a stage, not a purpose string read back by its suffix."""

import re

from django.db import migrations, models

KINDS = {
    "acknowledgement": "acknowledgement",
    "response": "response",
    "enquiry_acknowledgement": "acknowledgement",
    "enquiry_response": "response",
    "ombudsman_information_request": "information_request",
    "ombudsman_service_contribution": "contribution",
    "ombudsman_order": "order",
}


def kind_and_stage(purpose):
    match = re.fullmatch(r"stage(\d+)_(acknowledgement|response)", purpose)
    if match:
        return match.group(2), int(match.group(1))
    return KINDS.get(purpose, "response"), None


def forwards(apps, schema_editor):
    Clock = apps.get_model("sla", "Clock")
    for purpose in Clock.objects.order_by().values_list("purpose", flat=True).distinct():
        kind, stage = kind_and_stage(purpose)
        Clock.objects.filter(purpose=purpose).update(kind=kind, stage=stage)


def backwards(apps, schema_editor):
    Clock = apps.get_model("sla", "Clock")
    for kind, stage in Clock.objects.order_by().values_list("kind", "stage").distinct():
        if stage is not None:
            purpose = f"stage{stage}_{kind}"
        else:
            purpose = {v: k for k, v in KINDS.items() if k.startswith(("enquiry", "ombudsman"))}.get(kind, kind)
        Clock.objects.filter(kind=kind, stage=stage).update(purpose=purpose)


class Migration(migrations.Migration):
    dependencies = [("sla", "0004_clock_fixed_due_on")]

    operations = [
        migrations.AddField(
            model_name="clock",
            name="kind",
            field=models.CharField(
                choices=[
                    ("acknowledgement", "Acknowledgement"),
                    ("response", "Full response"),
                    ("information_request", "Reply to a request for information"),
                    ("contribution", "A service's contribution to a reply"),
                    ("order", "Compliance with an order or recommendation"),
                ],
                default="response",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="clock",
            name="stage",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="The complaint stage it belongs to; empty for other kinds of case.", null=True
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveIndex(model_name="clock", name="clock_case_purpose_idx"),
        migrations.RemoveIndex(model_name="clock", name="clock_purpose_stopped_idx"),
        migrations.RemoveField(model_name="clock", name="purpose"),
        migrations.AddIndex(
            model_name="clock", index=models.Index(fields=["case", "kind", "stage"], name="clock_case_kind_idx")
        ),
        migrations.AddIndex(
            model_name="clock", index=models.Index(fields=["kind", "stopped_on"], name="clock_kind_stopped_idx")
        ),
    ]
