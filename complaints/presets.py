"""The complaints schemes and procedures shipped with the product, as plain data.

Used by the migrations and by `load_reference_data` (through ComplaintsConfig), so a database emptied by a test
or restored from scratch gets them back. Data only: no model imports.

Each procedure lists the schemes it applies to and from when. Sources, as councils' published policies and
self-assessments quote them:
- Housing Ombudsman Complaint Handling Code 2020 (landlords to comply from 1 September 2020): stage 1 answered
  within 10 working days of the complaint being logged, stage 2 within 20 of the escalation request, each
  extendable by up to 10 more with good reason; a third stage only where it is optional for residents.
- The Code 2022 (from 1 April 2022): exactly two stages; logged within 5 working days; stage 1 within 10 of
  logging, stage 2 within 20 of the escalation request, extensions up to 10 more.
- The statutory Code 2024 (from 1 April 2024): sections 5 and 6 (5.3: no more than two stages; 6.2-6.5 stage 1:
  acknowledged within 5 working days of receipt, answered within 10 of the acknowledgement, extended by no more
  than 10 without good reason; 6.11-6.16 stage 2: acknowledged within 5 of the escalation request, answered
  within 20 of the acknowledgement, extended by no more than 20; 6.13 a different person at stage 2).
- The LGSCO's Complaint Handling Code, aligned with the Housing Ombudsman's, for a council's other services from
  1 April 2026 (its section 6 sets the same timescales).
- Children's social care: the Children Act 1989 Representations Procedure (England) Regulations 2006: stage 1
  local resolution within 10 working days, up to 20; stage 2 investigation within 25, up to 65; stage 3 review
  panel (councils publish up to 50 working days in all).
- Adults' social care: the Local Authority Social Services and NHS Complaints (England) Regulations 2009:
  acknowledged within 3 working days; one stage; the response by a date agreed with the complainant, within
  six months unless agreed otherwise."""

import datetime

D = datetime.date

SCHEMES = [
    {
        "code": "housing-landlord",
        "name": "Housing landlord complaints",
        "kind": "landlord",
        "ombudsman": "housing",
        "description": "Complaints about the council as a landlord, under the Housing Ombudsman's Code.",
    },
    {
        "code": "corporate",
        "name": "Corporate complaints",
        "kind": "corporate",
        "ombudsman": "lgsco",
        "description": "Complaints about the council's other services (allocations, homelessness, ...), LGSCO.",
    },
    {
        "code": "childrens-social-care",
        "name": "Children's social care (statutory)",
        "kind": "childrens_social_care",
        "ombudsman": "lgsco",
        "description": "Children Act 1989 representations and complaints: three stages.",
    },
    {
        "code": "adults-social-care",
        "name": "Adults' social care (statutory)",
        "kind": "adults_social_care",
        "ombudsman": "lgsco",
        "description": "One stage, with a response date agreed with the complainant.",
    },
]


def _stage(number, name, *, ack=5, respond, start="acknowledgement", cap=None, independent=None, **extra):
    return {
        "number": number,
        "name": name,
        "acknowledge_within": ack,
        "respond_within": respond,
        "respond_from": start,
        "extension_cap": cap,
        "independent_handler": number > 1 if independent is None else independent,
        **extra,
    }


CODE_2024_STAGES = [_stage(1, "Stage 1", respond=10, cap=10), _stage(2, "Stage 2", respond=20, cap=20)]

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
        "max_stages": 2,
        "versions": [("housing-landlord", D(2024, 4, 1))],
        "stages": CODE_2024_STAGES,
    },
    {
        "code": "hos-code-2022",
        "name": "Housing Ombudsman Complaint Handling Code 2022",
        "description": (
            "Two stages only. Stage 1: logged within 5 working days, answered within 10 working days of "
            "logging, extension of up to 10 more. Stage 2: answered within 20 working days of the escalation "
            "request, extension of up to 10 more, by someone who did not handle stage 1."
        ),
        "max_stages": 2,
        "versions": [("housing-landlord", D(2022, 4, 1))],
        "stages": [
            _stage(1, "Stage 1", respond=10, cap=10),
            _stage(2, "Stage 2", respond=20, start="receipt", cap=10),
        ],
    },
    {
        "code": "hos-code-2020",
        "name": "Housing Ombudsman Complaint Handling Code 2020",
        "description": (
            "Stage 1: logged within 5 working days, answered within 10 working days of logging, extension of "
            "up to 10 more. Stage 2: answered within 20 working days of the escalation request, extension of up "
            "to 10 more. A third stage only where it is optional for residents."
        ),
        "max_stages": 3,
        "versions": [("housing-landlord", D(2020, 9, 1))],
        "stages": [
            _stage(1, "Stage 1", respond=10, cap=10),
            _stage(2, "Stage 2", respond=20, start="receipt", cap=10),
            _stage(3, "Stage 3 (optional for the resident)", respond=20, start="receipt", cap=10),
        ],
    },
    {
        "code": "legacy-corporate-three-stage",
        "name": "Legacy three-stage corporate procedure",
        "description": (
            "Stage 1: respond within 15 working days of receipt. Stage 2: respond within 15 working days of the "
            "escalation request. Stage 3: review by the corporate complaints team."
        ),
        "max_stages": 3,
        # Before the Code, a council's housing complaints ran on its corporate procedure too.
        "versions": [("housing-landlord", D(2000, 1, 1)), ("corporate", D(2000, 1, 1))],
        "stages": [
            _stage(1, "Stage 1", ack=None, respond=15, start="receipt"),
            _stage(2, "Stage 2", ack=None, respond=15, start="receipt"),
            _stage(3, "Stage 3 corporate review", ack=None, respond=20, start="receipt"),
        ],
    },
    {
        "code": "lgsco-code-2026",
        "name": "LGSCO Complaint Handling Code (corporate complaints)",
        "description": (
            "The Local Government and Social Care Ombudsman's Code, aligned with the Housing Ombudsman's: two "
            "stages, 5 working days to acknowledge, 10 and 20 to respond from the acknowledgement, extensions up "
            "to 10 and 20 more."
        ),
        "max_stages": 2,
        "versions": [("corporate", D(2026, 4, 1))],
        "stages": CODE_2024_STAGES,
    },
    {
        "code": "childrens-social-care-2006",
        "name": "Children's social care statutory complaints procedure",
        "description": (
            "Children Act 1989 Representations Procedure (England) Regulations 2006. Stage 1 local resolution: "
            "10 working days, up to 20. Stage 2 investigation: 25 working days, up to 65. Stage 3 review panel."
        ),
        "max_stages": 3,
        "versions": [("childrens-social-care", D(2006, 9, 1))],
        "stages": [
            _stage(1, "Stage 1 local resolution", respond=10, start="receipt", cap=10),
            _stage(2, "Stage 2 investigation", respond=25, start="receipt", cap=40),
            _stage(3, "Stage 3 review panel", respond=50, start="receipt"),
        ],
    },
    {
        "code": "adults-social-care-2009",
        "name": "Adults' social care statutory complaints procedure",
        "description": (
            "Local Authority Social Services and NHS Complaints (England) Regulations 2009: acknowledged within "
            "3 working days; one stage; the response by a date agreed with the complainant (the council aims "
            "for 20 working days), within six months unless agreed otherwise."
        ),
        "max_stages": 1,
        "versions": [("adults-social-care", D(2009, 4, 1))],
        "stages": [
            _stage(1, "Response", ack=3, respond=20, start="receipt", response_agreed=True, agreed_within_months=6)
        ],
    },
    {
        "code": "stage-1-complaint-review",
        "name": "Stage 1 complaint with complaint review",
        "description": "Stage 1: respond within 15 working days of receipt. Stage 1 complaint review: within 10.",
        "max_stages": 2,
        "versions": [("corporate", None)],
        "stages": [
            _stage(1, "Stage 1", ack=None, respond=15, start="receipt"),
            _stage(2, "Stage 1 complaint review", ack=None, respond=10, start="receipt"),
        ],
    },
]

# Service areas whose complaints go under a scheme other than their ombudsman's default.
SERVICE_AREA_SCHEMES = {"Children's Social Care": "childrens-social-care", "Adult Social Care": "adults-social-care"}


def install(scheme_model, procedure_model, version_model, stage_model):
    """Create each shipped scheme, procedure and scheme version that does not exist yet. Takes the model
    classes so a migration can pass its historical models. A version an administrator already scheduled for a
    scheme on the same day wins: the preset's version is then left unscheduled."""
    created = 0
    schemes = {}
    for data in SCHEMES:
        scheme, was_created = scheme_model.objects.get_or_create(code=data["code"], defaults=data)
        schemes[data["code"]] = scheme
        created += was_created
    for preset in PRESETS:
        procedure, was_created = procedure_model.objects.get_or_create(
            code=preset["code"],
            defaults={"name": preset["name"], "description": preset["description"], "max_stages": preset["max_stages"]},
        )
        created += was_created
        for scheme_code, applies_from in preset["versions"]:
            scheme = schemes[scheme_code]
            if version_model.objects.filter(procedure=procedure, scheme=scheme).exists():
                continue
            if applies_from and version_model.objects.filter(scheme=scheme, applies_from=applies_from).exists():
                applies_from = None
            version = version_model.objects.create(procedure=procedure, scheme=scheme, applies_from=applies_from)
            for stage in preset["stages"]:
                stage_model.objects.create(version=version, **stage)
            created += 1
    return created
