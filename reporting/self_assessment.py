"""The Housing Ombudsman's Complaint Handling Code 2024 self-assessment form (the Code's Appendix A), as data:
its nine sections, each provision with its number and requirement, and the figure the product's data gives for
it where it can tell. A reporting year starting on or after 1 April 2024 is assessed against it; earlier years
keep the form of their Code (`reporting.selectors.self_assessment`).

The requirements are summarised from the Code's text; the council's answer (complies or not), its evidence
and its commentary for each provision are recorded by an administrator (`SelfAssessmentAnswer`)."""

CODE_2024_FROM_YEAR = 2024  # reporting years from 1 April 2024 are assessed against the statutory Code

# (section number, section title, [(provision, requirement, computed figure key or None)])
APPENDIX_A_2024 = [
    (
        1,
        "Definition of a complaint",
        [
            (
                "1.2",
                "A complaint is defined as an expression of dissatisfaction, however made, about the standard of "
                "service, actions or lack of action by the landlord, its own staff, or those acting on its behalf, "
                "affecting a resident or group of residents.",
                None,
            ),
            (
                "1.3",
                "A resident does not have to use the word 'complaint' for it to be treated as such; a complaint "
                "made through a third party or representative is handled in line with the complaints policy.",
                None,
            ),
            (
                "1.4",
                "Service requests are told apart from complaints, and are recorded, monitored and reviewed regularly.",
                "service_requests",
            ),
            (
                "1.5",
                "A complaint is raised when the resident is dissatisfied with the response to a service request, "
                "even while the service request goes on.",
                "raised_from_service_requests",
            ),
            (
                "1.6",
                "Dissatisfaction expressed in a survey is not a complaint, but the resident is told how to complain.",
                None,
            ),
        ],
    ),
    (
        2,
        "Exclusions",
        [
            (
                "2.1",
                "A complaint is accepted unless there is a valid reason not to, which the landlord can evidence; "
                "each complaint is considered on its own merits.",
                "refused",
            ),
            (
                "2.2",
                "The policy sets out, fairly and reasonably, the circumstances in which a matter will not be "
                "considered as a complaint or escalated.",
                "escalations_refused",
            ),
            (
                "2.3",
                "Complaints are accepted within 12 months of the issue occurring or the resident becoming aware "
                "of it, unless excluded on other grounds; older ones are considered where that is reasonable.",
                "refused_over_12_months",
            ),
            (
                "2.4",
                "A complaint not accepted is explained to the resident, with the reasons and their right to take "
                "that decision to the Ombudsman.",
                None,
            ),
            ("2.5", "No blanket approach is taken to excluding complaints.", None),
        ],
    ),
    (
        3,
        "Accessibility and awareness",
        [
            (
                "3.1",
                "It is easy to complain, through more than one channel (in person, by telephone, in writing, by "
                "email, digitally).",
                "channels",
            ),
            (
                "3.2",
                "Residents can complain in any way and to any member of staff, who knows how to pass it on.",
                None,
            ),
            ("3.3", "High volumes of complaints are not seen as a negative in themselves.", None),
            (
                "3.4",
                "The landlord complies with the Equality Act 2010 and has a reasonable adjustments policy.",
                None,
            ),
            (
                "3.5",
                "The complaints policy follows the Code, is published in a clear and accessible format and on the "
                "website, and is publicised with the Code and the self-assessment.",
                None,
            ),
            ("3.6", "Residents can have a representative deal with their complaint.", None),
            ("3.7", "Residents are told of their right to go to the Ombudsman and what it can do.", None),
        ],
    ),
    (
        4,
        "Complaint handling staff",
        [
            (
                "4.1",
                "A person or team is responsible for complaint handling, including liaison with the Ombudsman "
                "and reporting to the governing body, with access to staff at all levels.",
                "ombudsman_evidence",
            ),
            ("4.2", "The person or team has the autonomy and authority to resolve disputes promptly and fairly.", None),
            (
                "4.3",
                "Complaint handling is prioritised, and relevant staff are trained in it and in learning from "
                "complaints.",
                None,
            ),
        ],
    ),
    (
        5,
        "The complaint handling process",
        [
            (
                "5.1",
                "A single policy deals with the complaints the Code covers, with a chance to escalate to a second "
                "stage.",
                None,
            ),
            ("5.3", "No more than two stages: a process with more stages is not acceptable.", "third_stages"),
            (
                "5.6",
                "At each stage the landlord sets out its understanding of the complaint and the outcome the "
                "resident seeks.",
                None,
            ),
            (
                "5.8",
                "Complaints are dealt with on their merits, independently and with an open mind, the resident "
                "having a fair chance to set out their position.",
                None,
            ),
        ],
    ),
    (
        6,
        "Complaints stages",
        [
            (
                "6.2",
                "Stage 1: complaints are acknowledged, defined and logged within five working days of being received.",
                "acknowledged_1",
            ),
            (
                "6.3",
                "Stage 1: a full response within 10 working days of the complaint being acknowledged.",
                "stage_1_in_time",
            ),
            (
                "6.4",
                "Stage 1: an extension is explained to the resident and is no more than 10 working days without "
                "good reason.",
                "extensions_1",
            ),
            (
                "6.11",
                "Stage 2: the escalation is acknowledged within five working days of the request.",
                "acknowledged_2",
            ),
            (
                "6.13",
                "Stage 2: the person considering the complaint is not the one who considered it at stage 1.",
                "independent_stage_2",
            ),
            (
                "6.14",
                "Stage 2: a final response within 20 working days of the escalation being acknowledged.",
                "stage_2_in_time",
            ),
            (
                "6.15",
                "Stage 2: an extension is explained to the resident and is no more than 20 working days without "
                "good reason.",
                "extensions_2",
            ),
        ],
    ),
    (
        7,
        "Putting things right",
        [
            (
                "7.1",
                "Where something has gone wrong, the landlord acknowledges it and sets out the actions taken or "
                "intended to put things right (apology, explanation, action, compensation).",
                "remedies",
            ),
        ],
    ),
    (
        8,
        "Self-assessment, reporting and compliance",
        [
            (
                "8.1",
                "An annual complaints performance and service improvement report, with this self-assessment, "
                "performance figures, the Ombudsman's findings of non-compliance, service improvements, the "
                "Ombudsman's annual letters and its other reports about the landlord.",
                "annual_report",
            ),
            (
                "8.2",
                "The annual report goes to the governing body and is published on the complaints pages of the "
                "website, with the governing body's response alongside it.",
                "governing_body_response",
            ),
            (
                "8.3",
                "The self-assessment is also carried out after a significant restructure, merger or change in "
                "procedures.",
                None,
            ),
        ],
    ),
    (
        9,
        "Scrutiny and oversight: continuous learning and improvement",
        [
            (
                "9.1",
                "Complaints data and outcomes are used to learn and improve services, looking beyond the "
                "individual complaint.",
                "learning",
            ),
            (
                "9.4",
                "A senior lead is accountable for complaint handling, and a member of the governing body (the "
                "Member Responsible for Complaints) for its oversight.",
                None,
            ),
        ],
    ),
]


def provisions():
    """[(section number, section title, provision, requirement, computed key)] in the form's order."""
    return [
        (number, title, provision, requirement, key)
        for number, title, items in APPENDIX_A_2024
        for provision, requirement, key in items
    ]
