"""The Housing Ombudsman's Complaint Handling Code 2024 self-assessment form (the Code's Appendix A), as data: its
nine sections, each provision with its number and requirement, and the figure the product's data gives for it where
it can tell. A reporting year starting on or after 1 April 2024 is assessed against it; earlier years keep the form
of their Code (`reporting.selectors.self_assessment`).

The requirements are close summaries of the Code's text, keeping its "must". Where each was checked (docs/reporting.md
names the pages):

- Councils' published self-assessments against the 2024 Code, which quote it provision by provision: Slough Borough
  Council (2024 and 2025), Oxford City Council (2024-25), Great Yarmouth Borough Council (on its policy of 1 March
  2024) and South Norfolk Council (2024 and 2025). Between them they give sections 1 to 4, section 5 as far as 5.6,
  stage 1 (6.1 to 6.6), stage 2 as far as 6.15, section 7 and section 9 as far as 9.5.
- The Housing Ombudsman's own pages: on the Member Responsible for Complaints (9.5), its MRC FAQs (9.7, "paragraph 9.7
  of the new Code": the regular updates on volume, categories and outcomes alongside complaint handling performance
  "including compliance with the Ombudsman's orders", and the regular reviews of issues and trends) and its
  Self-assessment guidance (8.2 and 8.3).
- The aligned Complaint Handling Code of the Local Government and Social Care Ombudsman (lgo.org.uk, parts 6 to 10),
  for the text, not the numbers, of the provisions no Housing Ombudsman source reached: 5.7, 5.9 to 5.15, 6.7 to 6.9,
  6.16 to 6.20, 9.6, 9.8 and the rest of 9.7. It says "should" for "must" and numbers differently (its 1.2 defines a
  service request and 1.4 a complaint; its section 5 has its own 5.3 and 5.4, so that its 5.5 to 5.7 are the
  counterparts of 5.9 to 5.11 here; its 6.7 joins 6.7 and 5.7 here), so those provisions' numbers are the Housing
  Ombudsman's as the form had them, unconfirmed. Stage 2's 6.14 to 6.20 repeat stage 1's 6.3 to 6.9 for the final
  response. Its part 9 (section 8, 8.1 to 8.3) has the same numbers and substance as section 8 here.

The summaries of 1.6, 2.4, 2.5, 3.4 to 3.7 and 5.8 are kept as the form first had them, no published text having been
found to check them against. No provision after 5.15 or after 8.3 is listed: none was found. The Ombudsman's Code
page was read only as far as its introduction, which puts the duty to tell the Ombudsman and residents when
exceptional circumstances (such as a cyber incident) stop a landlord complying under "Compliance with the Code",
with no provision number; it is not on the form. The council's answer (complies or not), its evidence and its
commentary for each provision are recorded by an administrator (`SelfAssessmentAnswer`, keyed by the provision's
number)."""

CODE_2024_FROM_YEAR = 2024  # reporting years from 1 April 2024 are assessed against the statutory Code

# (section number, section title, [(provision, requirement, computed figure key or None)])
APPENDIX_A_2024 = [
    (
        1,
        "Definition of a complaint",
        [
            (
                "1.2",
                "A complaint must be defined as an expression of dissatisfaction, however made, about the standard "
                "of service, actions or lack of action by the landlord, its own staff, or those acting on its "
                "behalf, affecting a resident or group of residents.",
                None,
            ),
            (
                "1.3",
                "A resident does not have to use the word 'complaint' for it to be treated as such: whenever a "
                "resident expresses dissatisfaction the landlord must give them the choice to complain, and a "
                "complaint made through a third party or representative must be handled in line with the policy.",
                None,
            ),
            (
                "1.4",
                "Landlords must recognise the difference between a service request (a request for action to put "
                "something right) and a complaint, and set it out in the policy; service requests are not "
                "complaints but must be recorded, monitored and reviewed regularly.",
                "service_requests",
            ),
            (
                "1.5",
                "A complaint must be raised when the resident is dissatisfied with the response to a service "
                "request, even while the service request goes on; the landlord must not stop its efforts on the "
                "service request because the resident complains.",
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
                "Landlords must accept a complaint unless there is a valid reason not to, and must be able to "
                "evidence their reasoning when they do not; each complaint must be considered on its own merits.",
                "refused",
            ),
            (
                "2.2",
                "The complaints policy must set out the circumstances in which a matter will not be considered as "
                "a complaint or escalated, and they must be fair and reasonable to residents (for example: the "
                "issue arose over twelve months ago, legal proceedings have started, or the matter has already "
                "been considered under the policy).",
                "escalations_refused",
            ),
            (
                "2.3",
                "Landlords must accept complaints made within 12 months of the issue occurring or the resident "
                "becoming aware of it, unless excluded on other grounds, and must consider using discretion to "
                "accept later ones where there are good reasons.",
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
                "Landlords must make it easy to complain, through different channels, and must consider their "
                "duties under the Equality Act 2010 and anticipate the needs and reasonable adjustments of "
                "residents who may need to use the complaints process.",
                "channels",
            ),
            (
                "3.2",
                "Residents must be able to complain in any way and to any member of staff; all staff must know the "
                "complaints process and be able to pass the complaint to the right person.",
                None,
            ),
            (
                "3.3",
                "High volumes of complaints must not be seen as a negative, as they can show a well-publicised and "
                "accessible complaints process.",
                None,
            ),
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
                "Landlords must have a person or team (the 'complaints officer') responsible for complaint "
                "handling, including liaison with the Ombudsman and reporting complaints to the governing body; "
                "the role may sit alongside other duties.",
                "ombudsman_evidence",
            ),
            (
                "4.2",
                "The complaints officer must have access to staff at all levels to resolve complaints promptly, "
                "and the authority and autonomy to resolve disputes promptly and fairly.",
                None,
            ),
            (
                "4.3",
                "Complaint handling and a culture of learning from complaints are prioritised; all relevant staff "
                "must be suitably trained, and complaints, as a core service, must be resourced to be handled "
                "effectively.",
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
                "Landlords must have a single policy for the complaints the Code covers; residents must not be "
                "treated differently if they complain.",
                None,
            ),
            (
                "5.2",
                "Early and local resolution is key, but extra named stages (such as 'stage 0' or 'informal "
                "complaint') are not appropriate, as they cause confusion.",
                None,
            ),
            (
                "5.3",
                "A process with more than two stages is not acceptable under any circumstances: it makes the "
                "process unduly long and delays access to the Ombudsman.",
                "third_stages",
            ),
            (
                "5.4",
                "Where a third party (a contractor or independent adjudicator) handles a complaint response at any "
                "stage, it must form part of the Code's two-stage process; residents must not have to go through "
                "two complaints processes.",
                None,
            ),
            (
                "5.5",
                "Landlords are responsible for ensuring that any third parties handle complaints in line with the "
                "Code.",
                None,
            ),
            (
                "5.6",
                "When a complaint is logged at stage 1 or escalated to stage 2, the landlord must set out its "
                "understanding of the complaint and the outcomes the resident seeks (the complaint definition).",
                None,
            ),
            (
                "5.7",
                "When a complaint is acknowledged at either stage, landlords must be clear which aspects of the "
                "complaint they are, and are not, responsible for, and clarify any areas where this is not clear.",
                None,
            ),
            (
                "5.8",
                "Complaints are dealt with on their merits, independently and with an open mind, the resident "
                "having a fair chance to set out their position.",
                None,
            ),
            (
                "5.9",
                "Where a response will fall outside the Code's timescales, the landlord must agree with the "
                "resident suitable intervals for keeping them informed about their complaint.",
                None,
            ),
            (
                "5.10",
                "Landlords must make reasonable adjustments for residents where appropriate under the Equality Act "
                "2010, keep a record of any reasonable adjustments agreed and of any disabilities a resident has "
                "disclosed, and keep agreed adjustments under active review.",
                None,
            ),
            (
                "5.11",
                "Landlords must not refuse to escalate a complaint through all stages of the procedure unless they "
                "have valid reasons, which they must clearly set out and which must comply with section 2 of the "
                "Code.",
                None,
            ),
            (
                "5.12",
                "A full record must be kept of the complaint and its outcomes at each stage: the original complaint "
                "and the date received, all correspondence with the resident and with other parties, and relevant "
                "supporting documents such as reports or surveys.",
                None,
            ),
            (
                "5.13",
                "Landlords must have processes to ensure a complaint can be remedied at any stage of the procedure, "
                "and appropriate remedies must be available at any stage without the need for escalation.",
                None,
            ),
            (
                "5.14",
                "Landlords must have policies and procedures for managing unacceptable behaviour from residents or "
                "their representatives when pursuing a complaint.",
                None,
            ),
            (
                "5.15",
                "Any restrictions placed on contact because of unacceptable behaviour must be proportionate and "
                "demonstrate regard for the Equality Act 2010.",
                None,
            ),
        ],
    ),
    (
        6,
        "Complaints stages",
        [
            (
                "6.1",
                "Stage 1: landlords must have processes to decide which complaints can be answered as early as "
                "possible and which need further investigation, considering the complaint's complexity and "
                "whether the resident is vulnerable or at risk.",
                None,
            ),
            (
                "6.2",
                "Stage 1: complaints must be acknowledged, defined and logged within five working days of being "
                "received.",
                "acknowledged_1",
            ),
            (
                "6.3",
                "Stage 1: landlords must issue a full response within 10 working days of the complaint being "
                "acknowledged.",
                "stage_1_in_time",
            ),
            (
                "6.4",
                "Stage 1: the landlord must decide whether an extension is needed given the complaint's complexity "
                "and tell the resident the expected timescale; an extension must be no more than 10 working days "
                "without good reason, and the reasons must be clearly explained to the resident.",
                "extensions_1",
            ),
            (
                "6.5",
                "When a resident is told of an extension to these timescales, they must be given the Ombudsman's "
                "contact details.",
                None,
            ),
            (
                "6.6",
                "A complaint response must be sent when the answer to the complaint is known, not when the "
                "outstanding actions to address the issue are completed.",
                None,
            ),
            (
                "6.7",
                "Stage 1: landlords must address all points raised in the complaint and give clear reasons for any "
                "decisions, referring to the relevant policy, law and good practice where appropriate.",
                None,
            ),
            (
                "6.8",
                "Stage 1: additional complaints raised during the investigation must be incorporated into the stage "
                "1 response if they are related and the response has not been issued; otherwise (already issued, "
                "unrelated, or it would unreasonably delay the response) they must be logged as a new complaint.",
                None,
            ),
            (
                "6.9",
                "Stage 1: at its completion the landlord must confirm in writing, in clear plain language, the "
                "complaint stage, the complaint definition, the decision, the reasons for it, any remedy offered, "
                "any outstanding actions, and how to escalate to stage 2 if the resident is not satisfied.",
                None,
            ),
            (
                "6.10",
                "Stage 2: if all or part of the complaint is not resolved to the resident's satisfaction at stage 1, "
                "it must be progressed to stage 2, the landlord's final response.",
                None,
            ),
            (
                "6.11",
                "Stage 2: requests for stage 2 must be acknowledged, defined and logged within five working days of "
                "the escalation request being received.",
                "acknowledged_2",
            ),
            (
                "6.12",
                "Stage 2: residents must not be required to explain why they ask for stage 2; the landlord makes "
                "reasonable efforts to understand why the resident remains unhappy.",
                None,
            ),
            (
                "6.13",
                "Stage 2: the person considering the complaint at stage 2 must not be the one who considered it at "
                "stage 1.",
                "independent_stage_2",
            ),
            (
                "6.14",
                "Stage 2: landlords must issue a final response to the stage 2 complaint within 20 working days of "
                "the escalation being acknowledged.",
                "stage_2_in_time",
            ),
            (
                "6.15",
                "Stage 2: the landlord must decide whether an extension is needed given the complaint's complexity "
                "and tell the resident the expected timescale; an extension must be no more than 20 working days "
                "without good reason, and the reasons must be clearly explained to the resident.",
                "extensions_2",
            ),
            (
                "6.16",
                "Stage 2: when a resident is told of an extension to these timescales, they must be given the "
                "Ombudsman's contact details.",
                None,
            ),
            (
                "6.17",
                "Stage 2: the response must be sent when the answer to the complaint is known, not when outstanding "
                "actions are completed; outstanding actions must still be tracked and carried out promptly, with "
                "updates to the resident.",
                None,
            ),
            (
                "6.18",
                "Stage 2: landlords must address all points raised in the complaint and give clear reasons for any "
                "decisions, referring to the relevant policy, law and good practice where appropriate.",
                None,
            ),
            (
                "6.19",
                "Stage 2: at its completion the landlord must confirm in writing, in clear plain language, the "
                "complaint stage, the complaint definition, the decision, the reasons for it, any remedy offered, "
                "any outstanding actions, and how to take the matter to the Ombudsman if the resident remains "
                "dissatisfied.",
                None,
            ),
            (
                "6.20",
                "Stage 2 is the landlord's final response and must involve all suitable staff members needed to "
                "issue it.",
                None,
            ),
        ],
    ),
    (
        7,
        "Putting things right",
        [
            (
                "7.1",
                "Where something has gone wrong the landlord must acknowledge it and set out the actions it has "
                "taken or intends to take to put things right: for example an apology, an explanation, action on "
                "a delay, a changed decision or record, a financial remedy, or changed policies or practices.",
                "remedies",
            ),
            (
                "7.2",
                "Any remedy offered must reflect the impact on the resident of the fault identified.",
                None,
            ),
            (
                "7.3",
                "The remedy offer must set out clearly what will happen and by when, agreed with the resident "
                "where appropriate, and any remedy proposed must be followed through to completion.",
                None,
            ),
            (
                "7.4",
                "Landlords must take account of the Ombudsman's guidance when deciding on appropriate remedies.",
                None,
            ),
        ],
    ),
    (
        8,
        "Self-assessment, reporting and compliance",
        [
            (
                "8.1",
                "Landlords must produce an annual complaints performance and service improvement report for "
                "scrutiny and challenge, including: the annual self-assessment against the Code; a qualitative and "
                "quantitative analysis of complaint handling performance, with a summary of the types of complaint "
                "refused; any findings of non-compliance with the Code; the service improvements made from the "
                "learning from complaints; the Ombudsman's annual letter about the landlord's performance; and any "
                "other relevant reports or publications of the Ombudsman about the landlord's work.",
                "annual_report",
            ),
            (
                "8.2",
                "The annual complaints performance and service improvement report must be reported to the "
                "governing body (or equivalent) and published on the complaints section of the website, with the "
                "governing body's response to it published alongside.",
                "governing_body_response",
            ),
            (
                "8.3",
                "Landlords must also carry out a self-assessment following a significant restructure, merger or "
                "change in procedures.",
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
                "Landlords must look beyond the circumstances of the individual complaint and consider whether "
                "services can be improved from what it teaches.",
                "learning",
            ),
            (
                "9.2",
                "A positive complaint handling culture is integral to resolving disputes: landlords must use "
                "complaints as a source of intelligence to identify issues and make positive changes to services.",
                None,
            ),
            (
                "9.3",
                "Accountability and transparency are integral too: landlords must report the wider learning and "
                "improvements from complaints back to stakeholders such as residents' panels, staff and relevant "
                "committees.",
                None,
            ),
            (
                "9.4",
                "Landlords must appoint a suitably senior lead person as accountable for their complaint handling, "
                "who must assess any themes or trends to identify potential systemic issues, serious risks, or "
                "policies and procedures that need revising.",
                None,
            ),
            (
                "9.5",
                "A member of the governing body (the Member Responsible for Complaints) must be appointed to take "
                "lead responsibility for complaints and support a positive complaint handling culture.",
                None,
            ),
            (
                "9.6",
                "The Member Responsible for Complaints must ensure the governing body receives regular information "
                "on complaints that gives insight into the landlord's complaint handling performance, and must have "
                "access to suitable information and staff to perform the role and report on their findings.",
                None,
            ),
            (
                "9.7",
                "As a minimum, the Member Responsible for Complaints and the governing body must receive regular "
                "updates on the volume, categories and outcomes of complaints alongside complaint handling "
                "performance, including compliance with the Ombudsman's orders; regular reviews of issues and trends "
                "arising from complaint handling; and the annual complaints performance and service improvement "
                "report.",
                None,
            ),
            (
                "9.8",
                "Landlords must have a standard objective on complaint handling for all relevant employees and "
                "third parties, reflecting the need to work collaboratively across teams to resolve complaints, to "
                "take collective responsibility for shortfalls rather than blaming others, and to act within any "
                "relevant professional body's standards for complaints.",
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
