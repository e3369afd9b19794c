"""The complaint procedures shipped with the product, as plain data.

Used by migration 0002 and by `complaints.services.load_procedure_presets` (which `load_reference_data` calls),
so a database emptied by a test or restored from scratch gets them back. Data only: no model imports."""

import datetime

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
            {
                "number": 1,
                "name": "Stage 1",
                "acknowledge_within": 5,
                "respond_within": 10,
                "respond_from": "acknowledgement",
                "extension_cap": 10,
                "independent_handler": False,
            },
            {
                "number": 2,
                "name": "Stage 2",
                "acknowledge_within": 5,
                "respond_within": 20,
                "respond_from": "acknowledgement",
                "extension_cap": 20,
                "independent_handler": True,
            },
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
            {
                "number": 1,
                "name": "Stage 1",
                "acknowledge_within": None,
                "respond_within": 15,
                "respond_from": "receipt",
                "extension_cap": None,
                "independent_handler": False,
            },
            {
                "number": 2,
                "name": "Stage 2",
                "acknowledge_within": None,
                "respond_within": 15,
                "respond_from": "receipt",
                "extension_cap": None,
                "independent_handler": True,
            },
            {
                "number": 3,
                "name": "Stage 3 corporate review",
                "acknowledge_within": None,
                "respond_within": 20,
                "respond_from": "receipt",
                "extension_cap": None,
                "independent_handler": True,
            },
        ],
    },
    {
        "code": "stage-1-complaint-review",
        "name": "Stage 1 complaint with complaint review",
        "description": "Stage 1: respond within 15 working days of receipt. Stage 1 complaint review: within 10.",
        "applies_from": None,
        "stages": [
            {
                "number": 1,
                "name": "Stage 1",
                "acknowledge_within": None,
                "respond_within": 15,
                "respond_from": "receipt",
                "extension_cap": None,
                "independent_handler": False,
            },
            {
                "number": 2,
                "name": "Stage 1 complaint review",
                "acknowledge_within": None,
                "respond_within": 10,
                "respond_from": "receipt",
                "extension_cap": None,
                "independent_handler": True,
            },
        ],
    },
]


def install(procedure_model, version_model, stage_model):
    """Create each shipped procedure that does not exist yet, with its version and stages. Takes the model
    classes so the migration can pass its historical models."""
    created = 0
    for preset in PRESETS:
        if procedure_model.objects.filter(code=preset["code"]).exists():
            continue
        procedure = procedure_model.objects.create(
            code=preset["code"], name=preset["name"], description=preset["description"]
        )
        applies_from = preset["applies_from"]
        if applies_from and version_model.objects.filter(applies_from=applies_from).exists():
            applies_from = None  # an administrator already scheduled another version on that day
        version = version_model.objects.create(procedure=procedure, applies_from=applies_from)
        for stage in preset["stages"]:
            stage_model.objects.create(version=version, **stage)
        created += 1
    return created
