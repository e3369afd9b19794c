"""The procedures councils use, as data an administrator can schedule (see complaints.models.ProcedureVersion).

The legacy three-stage corporate procedure applies to complaints received before 1 April 2024, when the
Housing Ombudsman's Complaint Handling Code became statutory; the Code's two stages apply from then. The
'stage 1 complaint review' procedure ships unscheduled for councils that still use it."""

import datetime

from django.db import migrations

PRESETS = [
    {
        "code": "hos-code-2024",
        "name": "Housing Ombudsman Complaint Handling Code 2024",
        "description": (
            "Two stages. Stage 1: acknowledge within 5 working days of receipt, respond within 10 working days "
            "of the acknowledgement, extension of up to 10 more. Stage 2: acknowledge within 5 working days of "
            "the escalation request, respond within 20 of the acknowledgement, extension of up to 20 more; the "
            "stage 2 handler must not be the stage 1 handler."
        ),
        "applies_from": datetime.date(2024, 4, 1),
        "stages": [
            {"number": 1, "name": "Stage 1", "acknowledge_within": 5, "respond_within": 10,
             "respond_from": "acknowledgement", "extension_cap": 10, "independent_handler": False},
            {"number": 2, "name": "Stage 2", "acknowledge_within": 5, "respond_within": 20,
             "respond_from": "acknowledgement", "extension_cap": 20, "independent_handler": True},
        ],
    },
    {
        "code": "legacy-corporate-three-stage",
        "name": "Legacy three-stage corporate procedure",
        "description": (
            "Stage 1: respond within 15 working days of receipt. Stage 2: respond within 15 working days of the "
            "escalation request. Stage 3: review by the corporate complaints team."
        ),
        "applies_from": datetime.date(2000, 1, 1),
        "stages": [
            {"number": 1, "name": "Stage 1", "acknowledge_within": None, "respond_within": 15,
             "respond_from": "receipt", "extension_cap": None, "independent_handler": False},
            {"number": 2, "name": "Stage 2", "acknowledge_within": None, "respond_within": 15,
             "respond_from": "receipt", "extension_cap": None, "independent_handler": True},
            {"number": 3, "name": "Stage 3 corporate review", "acknowledge_within": None, "respond_within": 20,
             "respond_from": "receipt", "extension_cap": None, "independent_handler": True},
        ],
    },
    {
        "code": "stage-1-complaint-review",
        "name": "Stage 1 complaint with complaint review",
        "description": "Stage 1: respond within 15 working days of receipt. Stage 1 complaint review: within 10.",
        "applies_from": None,
        "stages": [
            {"number": 1, "name": "Stage 1", "acknowledge_within": None, "respond_within": 15,
             "respond_from": "receipt", "extension_cap": None, "independent_handler": False},
            {"number": 2, "name": "Stage 1 complaint review", "acknowledge_within": None, "respond_within": 10,
             "respond_from": "receipt", "extension_cap": None, "independent_handler": True},
        ],
    },
]


def load(apps, schema_editor):
    Procedure = apps.get_model("complaints", "Procedure")
    ProcedureVersion = apps.get_model("complaints", "ProcedureVersion")
    ProcedureStage = apps.get_model("complaints", "ProcedureStage")
    for preset in PRESETS:
        procedure, _ = Procedure.objects.get_or_create(
            code=preset["code"], defaults={"name": preset["name"], "description": preset["description"]}
        )
        if procedure.versions.exists():
            continue
        version = ProcedureVersion.objects.create(procedure=procedure, applies_from=preset["applies_from"])
        for stage in preset["stages"]:
            ProcedureStage.objects.create(version=version, **stage)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
