"""Demo ombudsman cases for `make run`: one at each stage, recorded through the services so their clocks and
timelines are real, with dates around today so some deadlines are near. Safe to run again."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import Ombudsman, ServiceArea
from complaints.models import Complaint
from ombudsman import services
from ombudsman.models import FindingCategory, NonComplianceKind, OmbudsmanCase, OmbudsmanPublication, OrderKind
from reporting.periods import financial_year_of
from sla import engine


def _complaint(nature, received):
    """The complaint an ombudsman case received on `received` is about: a live demo complaint received before
    it, or else one from the imported history that finished stage 2 before it, so the older demo cases link
    back to a complaint too (complaint -> ombudsman case -> learning plan)."""
    live = (
        Complaint.objects.filter(external_reference__startswith="DEMO-", issue_nature__name=nature)
        .order_by("received_on")
        .first()
    )
    if live is not None and live.received_on <= received:
        return live
    return (
        Complaint.objects.filter(
            external_reference__startswith="HIST-",
            issue_nature__name=nature,
            current_stage=2,
            closed_at__date__lt=received,
        )
        .order_by("-closed_at")
        .first()
    )


def load_demo(stdout):
    if OmbudsmanCase.objects.filter(external_reference__startswith="DEMO-OMB-").exists():
        stdout.write("Demo ombudsman cases already loaded.")
        return
    User = get_user_model()
    officer, manager = User.objects.get(username="officer"), User.objects.get(username="manager")
    investigator = User.objects.get(username="investigator")
    today = timezone.localdate()

    def ago(days):
        return engine.add_working_days(today, -days)

    def ahead(days):
        return engine.add_working_days(today, days)

    def category(name):
        return FindingCategory.objects.get(name=name)

    def area(name):
        return ServiceArea.objects.get(name=name)

    def open_case(number, ombudsman, received, reference, nature=None, **fields):
        complaint = _complaint(nature, received) if nature else None
        if complaint is None:
            fields.setdefault("service_area", area(fields.pop("area", "Responsive Repairs")))
        fields.pop("area", None)
        return services.open_case(
            actor=officer,
            ombudsman=ombudsman,
            received_on=received,
            original_complaint=complaint,
            ombudsman_reference=reference,
            assigned_to=officer,
            external_reference=f"DEMO-OMB-{number}",
            **fields,
        )

    # 1. Just arrived: the Housing Ombudsman is making enquiries.
    open_case(
        1,
        Ombudsman.HOUSING,
        ago(3),
        "202512345",
        "Repairs and Maintenance (Non-Mears)",
        summary="Damp and mould in the bedroom",
        ombudsman_contact="Jo Patel, Housing Ombudsman Service",
    )

    # 2. A request for information with two services asked; one has answered.
    case = open_case(
        2,
        Ombudsman.HOUSING,
        ago(20),
        "202511876",
        "Gas Servicing and Repairs (Aaron Services)",
        summary="No heating for two weeks",
        description="The resident says the council took too long to fix the boiler and to answer the complaint.",
    )
    services.start_assessment(case, actor=officer, on=ago(15))
    request = services.request_information(
        case,
        actor=officer,
        received_on=ago(8),
        due_on=ahead(7),
        details="Repair records for the boiler, the complaint file and the stage 1 and 2 responses.",
    )
    services.ask_service(
        request,
        actor=officer,
        service_area=area("Gas Servicing and Repairs"),
        officer=investigator,
        requested_on=ago(8),
        due_on=ahead(2),
        details="Job history and the contractor's notes for every visit.",
    )
    complaints_file = services.ask_service(
        request,
        actor=officer,
        service_area=area("Tenancy Management"),
        officer=manager,
        requested_on=ago(8),
        due_on=ago(1),
        details="Notes of calls with the resident.",
    )
    services.record_contribution(complaints_file, actor=officer, received_on=ago(2), notes="Call notes, 6 pages")

    # 3. The LGSCO is assessing a homelessness complaint.
    case = open_case(
        3,
        Ombudsman.LGSCO,
        ago(12),
        "25 004 321",
        area="Homelessness and Homeless Prevention",
        summary="Suitability of temporary accommodation",
    )
    services.start_assessment(case, actor=officer, on=ago(6))

    # 4. Under investigation after the reply was sent on time.
    case = open_case(4, Ombudsman.HOUSING, ago(60), "202509911", "Tenancy Management", summary="Noise nuisance")
    services.start_assessment(case, actor=officer, on=ago(55))
    request = services.request_information(
        case, actor=officer, received_on=ago(50), due_on=ago(35), details="The ASB case file and the complaint file."
    )
    services.send_reply(request, actor=officer, sent_on=ago(37), summary="ASB case file and complaint file sent.")
    services.start_investigation(case, actor=officer, on=ago(20))

    # 5. Determined with findings of service failure and maladministration: orders being complied with.
    case = open_case(
        5, Ombudsman.HOUSING, ago(140), "202402468", "Responsive Repairs (Mears)", summary="Leak not fixed"
    )
    services.start_assessment(case, actor=officer, on=ago(130))
    services.start_investigation(case, actor=officer, on=ago(90))
    determination = services.record_determination(
        case,
        actor=officer,
        determined_on=ago(15),
        summary="Repairs to the leak were delayed and the complaint was answered late.",
        findings=[
            services.FindingLine(
                "Repairs to the leak under the sink", category("Property condition"), "service_failure"
            ),
            services.FindingLine("Handling of the complaint", category("Complaints handling"), "maladministration"),
        ],
        orders=[
            services.OrderLine("compensation", amount_pence=35000, due_on=ahead(5), finding_number=1),
            services.OrderLine("compensation", amount_pence=10000, due_on=ahead(5), finding_number=2),
            services.OrderLine("apology", due_on=ago(5), finding_number=2, description="From the Head of Housing"),
            services.OrderLine("repairs", due_on=ahead(10), finding_number=1, description="Replace the waste pipe"),
            services.OrderLine(
                "staff_training", kind=OrderKind.RECOMMENDATION, description="Complaint handling refresher"
            ),
        ],
    )
    apology = determination.orders.get(order_type="apology")
    services.record_compliance(apology, actor=officer, complied_on=ago(7), evidence="Letter of apology sent")
    services.record_evidence_sent(apology, actor=officer, sent_on=ago(6))

    # 6. Closed after a determination of no maladministration.
    case = open_case(6, Ombudsman.HOUSING, ago(200), "202301357", "Rents", summary="Rent account charged twice")
    services.start_assessment(case, actor=officer, on=ago(190))
    services.start_investigation(case, actor=officer, on=ago(150))
    services.record_determination(
        case,
        actor=officer,
        determined_on=ago(40),
        findings=[services.FindingLine("Rent account", category("Charges"), "no_maladministration")],
    )
    services.close(case, actor=officer, on=ago(38))

    # What the Ombudsman said of the council's complaint handling, for the annual report (Code 8.1 c and e).
    services.record_non_compliance(
        actor=manager,
        kind=NonComplianceKind.FAILURE_NOTICE,
        issued_on=ago(60),
        ombudsman_reference="CHF-DEMO-1",
        finding="Escalation requests made by phone were not logged as stage 2 complaints.",
        code_provisions="6.7",
        council_action="Contact centre scripts changed; every escalation request now logged the same day.",
        complied_on=ago(45),
    )
    last_year = financial_year_of(timezone.localdate()) - 1
    if not OmbudsmanPublication.objects.filter(kind="annual_letter", reporting_year=last_year).exists():
        services.record_publication(
            actor=manager,
            reporting_year=last_year,
            received_on=ago(30),
            title="Annual landlord performance letter",
            summary="Maladministration found in 4 of 9 findings; complaint handling failure notice on escalations.",
        )
    stdout.write("Demo ombudsman cases loaded (6), with a failure notice and the annual letter.")
