"""The annual complaints performance and service improvement report holds every section the Housing Ombudsman's
Complaint Handling Code 2024 names in 8.1 (a to f), with the governing body's response (8.2): what the Ombudsman
found and wrote is recorded on the ombudsman side, the improvements come from the learning app, and a year with
nothing for a section says so."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.errors import Forbidden, InvalidInput
from casework.models import TimelineEvent
from casework.roles import Role
from learning import services as learning
from learning.models import LearningActionPlan, MunicipalYear
from ombudsman import services as ombudsman
from ombudsman.models import NonComplianceFinding, NonComplianceKind, OmbudsmanPublication, PublicationKind
from reporting import selectors
from reporting import services as reporting
from reporting.models import GoverningBodyResponse, PerformanceAnalysis
from tests.factories import ServiceAreaFactory, UserFactory, log_complaint, open_ombudsman_case

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat
SECTION_PROVISIONS = ["8.1(a)", "8.1(b)", "8.1(c)", "8.1(d)", "8.1(e)", "8.1(f)", "8.2"]


@pytest.fixture
def manager():
    return UserFactory(username="head", first_name="Ada", last_name="Okafor", role=Role.MANAGER)


@pytest.fixture
def officer():
    return UserFactory(username="co", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def text_of(response):
    """The page's main content as plain text, one space between words."""
    html = response.content.decode()
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'").replace("&amp;", "&")


def section(page_text, heading, next_heading=None):
    start = page_text.index(heading)
    end = page_text.index(next_heading, start) if next_heading else len(page_text)
    return page_text[start:end]


def completed_plan(manager, *, area, opened, implemented, what_went_wrong, action):
    lead = UserFactory(username=f"lead-{opened}", role=Role.INVESTIGATING_OFFICER)
    plan = learning.open_plan(
        service_area=area, month=opened, actor=manager, lead_officer=lead, due_on=opened + datetime.timedelta(60),
        today=opened,
    )  # fmt: skip
    plan = learning.update_plan(
        plan,
        actor=lead,
        what_went_wrong=what_went_wrong,
        action_to_address_cause=action,
        evidence_of_implementation="Weekly audit of jobs raised after surveyor visits.",
    )
    return learning.implement(plan, actor=lead, on=implemented)


def test_the_2024_25_report_holds_every_section_of_code_8_1_with_the_governing_bodys_response(manager, manager_client):
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    complaint = log_complaint(received_on=D("2024-04-17"), service_area=repairs)
    case = open_ombudsman_case(actor=manager, received_on=D("2024-07-01"), original_complaint=complaint)

    # 8.1(c): an order on the case (its complaint taken from it), a notice, and one of the next year left out.
    order = ombudsman.record_non_compliance(
        actor=manager,
        kind=NonComplianceKind.FAILURE_ORDER,
        issued_on=D("2024-10-14"),
        ombudsman_reference="CHF-2024-118",
        finding="Stage 2 response not sent within 20 working days of the acknowledgement.",
        code_provisions="6.13",
        ombudsman_case=case,
        council_action="Stage 2 response sent on 28 October 2024; evidence sent to the Ombudsman.",
        complied_on=D("2024-10-28"),
    )
    assert order.complaint == complaint
    response = manager_client.post(
        "/ombudsman/non-compliance/new/",
        {
            "kind": "failure_notice",
            "ombudsman": "housing",
            "issued_on": "2025-02-10",
            "finding": "Complaints about contractors were not logged as complaints.",
            "code_provisions": "1.3, 5.1",
            "council_action": "",
        },
    )
    assert response.status_code == 302
    ombudsman.record_non_compliance(
        actor=manager, kind="failure_notice", issued_on=D("2025-04-02"), finding="A finding of 2025/26."
    )

    # 8.1(e) and (f): the annual letter through the page, with its file, and a special report.
    response = manager_client.post(
        "/ombudsman/letters-and-reports/new/",
        {
            "kind": "annual_letter",
            "ombudsman": "housing",
            "reporting_year": "2024/25",
            "title": "Annual landlord performance letter 2024/25",
            "received_on": "2025-09-18",
            "summary": "Maladministration rate 52%, against 71% for landlords of similar size.",
            "file": SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    ombudsman.record_publication(
        actor=manager,
        kind=PublicationKind.SPECIAL_REPORT,
        reporting_year=2024,
        title="Special report on damp and mould",
        received_on=D("2025-03-05"),
        summary="Repeated failures to act on reports of damp.",
    )

    # 8.1(d): a plan completed in the year, one completed after it, and the municipal year's commitments.
    completed_plan(
        manager, area=repairs, opened=D("2024-06-03"), implemented=D("2024-09-02"),
        what_went_wrong="Jobs were not raised after surveyor visits.",
        action="Surveyors raise the job on their tablet before leaving.",
    )  # fmt: skip
    completed_plan(
        manager, area=repairs, opened=D("2025-02-03"), implemented=D("2025-05-01"),
        what_went_wrong="A plan of the next year.", action="Next year's action.",
    )  # fmt: skip
    year = MunicipalYear.objects.create(year=2024, starts_on=D("2024-05-15"))
    kept = learning.add_commitment(
        municipal_year=year, service_area=repairs, commitment="Every repair appointment confirmed by text."
    )
    learning.complete_commitment(kept, actor=manager, progress_summary="Texts sent since November 2024.")
    learning.add_commitment(municipal_year=year, service_area=repairs, commitment="Publish repair times online.")

    # 8.2: the governing body's response, through its page.
    response = manager_client.post(
        "/reports/annual/governing-body-response/?year=2024/25",
        {
            "year": "2024/25",
            "governing_body": "Housing Scrutiny Committee",
            "responded_on": "2025-10-09",
            "response": "The committee notes the report and asks for quarterly updates on stage 2 timeliness.",
        },
    )
    assert response.status_code == 302
    assert response.url == "/reports/annual/?year=2024/25#governing-body-response"

    data = selectors.annual_report(2024)
    assert [s["provision"] for s in data["code_sections"]] == SECTION_PROVISIONS
    assert all(s["has_content"] for s in data["code_sections"] if s["key"] != "performance")
    assert [f.issued_on for f in data["non_compliance"]] == [D("2024-10-14"), D("2025-02-10")]
    assert [p.implemented_on for p in data["improvements"]["plans"]] == [D("2024-09-02")]
    assert data["improvements"]["total"] == 2
    assert [letter.title for letter in data["annual_letters"]] == ["Annual landlord performance letter 2024/25"]
    assert [p.title for p in data["other_publications"]] == ["Special report on damp and mould"]
    # 8.1(b) reuses the figures of the performance page, not figures of its own.
    from reporting.periods import financial_year

    assert data["by_stage"] == selectors.performance(financial_year(2024))["by_stage"]
    assert data["refusals"] == selectors.refusals(financial_year(2024))

    page = manager_client.get("/reports/annual/?year=2024/25")
    assert page.status_code == 200
    text = text_of(page)
    headings = [
        "Self-assessment against the Code Code 8.1(a)",
        "Complaint handling performance Code 8.1(b)",
        "Findings of non-compliance with the Code by the Ombudsman Code 8.1(c)",
        "Service improvements made as a result of the learning from complaints Code 8.1(d)",
        "The Ombudsman's annual letter about the council's performance Code 8.1(e)",
        "Other reports and publications of the Ombudsman about the council's work Code 8.1(f)",
        "The governing body's response to this report Code 8.2",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions), "the sections follow the Code's order"
    findings = section(text, headings[2], headings[3])
    assert "14 Oct 2024" in findings and "CHF-2024-118" in findings and case.reference in findings
    assert complaint.reference in findings and "Stage 2 response sent on 28 October 2024" in findings
    assert "Complaints about contractors were not logged" in findings
    assert "A finding of 2025/26." not in text
    improvements = section(text, headings[3], headings[4])
    assert "Surveyors raise the job on their tablet before leaving." in improvements
    assert "Next year's action." not in improvements
    assert "Every repair appointment confirmed by text. (completed)" in improvements
    assert "2 commitments: in progress 1; completed 1" in improvements
    assert "Maladministration rate 52%" in section(text, headings[4], headings[5])
    assert "letter.pdf" in section(text, headings[4], headings[5])
    assert "Special report on damp and mould" in section(text, headings[5], headings[6])
    response_text = section(text, headings[6])
    assert "Housing Scrutiny Committee , 9 October 2025" in response_text
    assert "asks for quarterly updates on stage 2 timeliness" in response_text
    assert "Recorded by Ada Okafor" in response_text
    assert "No findings of non-compliance" not in text

    # The download holds the same sections.
    download = manager_client.get("/reports/annual/?year=2024/25&format=csv")
    cells = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    table = {}
    for name, row, column, value in cells[1:]:
        table.setdefault(name, {})[(row, column)] = value
    assert table["Code 8.1 sections"][("8.1(e)", "This year")] == "Recorded"
    assert "CHF-2024-118" in table["Non-compliance findings"].values()
    assert any("quarterly updates on stage 2" in value for value in table["Governing body response"].values())

    # The self-assessment's 8.2 answers from the data that the response is recorded.
    answer = next(q for q in selectors.self_assessment(2024)["questions"] if q["provision"] == "8.2")
    assert answer["answer"] == "Response of Housing Scrutiny Committee recorded, dated 9 October 2025"


def test_a_year_with_nothing_recorded_keeps_every_section_and_says_so(manager_client):
    text = text_of(manager_client.get("/reports/annual/?year=2019/20"))
    for said in (
        "No findings of non-compliance were made in 2019/20.",
        "No learning action plans were completed in 2019/20.",
        "No service commitments were recorded for the 2019/20 municipal year.",
        "No service improvements from the learning from complaints were recorded in 2019/20.",
        "No annual letter from the Ombudsman was recorded for 2019/20.",
        "No other reports or publications of the Ombudsman about the council were recorded for 2019/20.",
        "The governing body's response to the 2019/20 report has not been recorded yet.",
        "No complaints were received or answered in 2019/20.",
        "No complaints were refused in 2019/20.",
    ):
        assert said in text, said
    for provision in SECTION_PROVISIONS:
        assert f"Code {provision}" in text
    assert "Record the governing body's response" in text


def test_a_response_with_no_text_or_a_future_date_is_refused_with_a_message(manager, manager_client):
    response = manager_client.post(
        "/reports/annual/governing-body-response/",
        {"year": "2024/25", "governing_body": "Cabinet", "responded_on": "2025-10-09", "response": "  "},
    )
    assert response.status_code == 400
    assert "Enter the governing body&#x27;s response to the report." in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = manager_client.post(
        "/reports/annual/governing-body-response/",
        {"year": "2024/25", "governing_body": "Cabinet", "responded_on": tomorrow.isoformat(), "response": "Noted."},
    )
    assert response.status_code == 400
    assert "The date of the response cannot be in the future." in response.content.decode()
    response = manager_client.post(
        "/reports/annual/governing-body-response/",
        {"year": "2024/25", "governing_body": "Cabinet", "responded_on": "2024-03-31", "response": "Noted."},
    )
    assert response.status_code == 400
    assert "cannot be dated before 1 April 2024" in response.content.decode()
    assert not GoverningBodyResponse.objects.exists()

    with pytest.raises(InvalidInput) as refused:
        reporting.record_governing_body_response(
            actor=manager, reporting_year=2024, governing_body="Cabinet", responded_on=D("2025-10-09"), response=""
        )
    assert refused.value.problems == {"response": ["Enter the governing body's response to the report."]}


def test_a_second_response_for_the_year_corrects_the_first(manager):
    reporting.record_governing_body_response(
        actor=manager, reporting_year=2024, governing_body="Cabinet", responded_on=D("2025-10-09"), response="Noted."
    )
    reporting.record_governing_body_response(
        actor=manager,
        reporting_year=2024,
        governing_body="Cabinet",
        responded_on=D("2025-10-16"),
        response="Noted, with actions.",
    )
    stored = GoverningBodyResponse.objects.get()
    assert (stored.responded_on, stored.response) == (D("2025-10-16"), "Noted, with actions.")


def test_a_finding_dated_in_the_future_or_without_what_was_found_is_refused(manager, manager_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = manager_client.post(
        "/ombudsman/non-compliance/new/",
        {"kind": "failure_order", "ombudsman": "housing", "issued_on": tomorrow.isoformat(), "finding": "Late."},
    )
    assert response.status_code == 400
    assert "The date of the order or notice cannot be in the future." in response.content.decode()
    response = manager_client.post(
        "/ombudsman/non-compliance/new/",
        {"kind": "failure_order", "ombudsman": "housing", "issued_on": "2024-10-14", "finding": ""},
    )
    assert response.status_code == 400
    assert "Enter what the Ombudsman found." in response.content.decode()
    response = manager_client.post(
        "/ombudsman/non-compliance/new/",
        {
            "kind": "failure_order",
            "ombudsman": "housing",
            "issued_on": "2024-10-14",
            "finding": "Late.",
            "ombudsman_case_reference": "OMB-2024-999999",
        },
    )
    assert response.status_code == 400
    assert "There is no ombudsman case OMB-2024-999999 that you can see." in response.content.decode()
    assert not NonComplianceFinding.objects.exists()

    with pytest.raises(InvalidInput, match="cannot have complied before"):
        ombudsman.record_non_compliance(
            actor=manager, kind="failure_order", issued_on=D("2024-10-14"), finding="x", complied_on=D("2024-10-01")
        )


def test_what_the_council_did_is_added_later_and_both_timelines_say_so(manager, manager_client):
    complaint = log_complaint(received_on=D("2024-04-17"))
    case = open_ombudsman_case(actor=manager, received_on=D("2024-07-01"), original_complaint=complaint)
    finding = ombudsman.record_non_compliance(
        actor=manager, kind="failure_order", issued_on=D("2024-10-14"), finding="Stage 2 late.", ombudsman_case=case
    )
    form = manager_client.get(f"/ombudsman/non-compliance/{finding.pk}/")
    assert form.status_code == 200 and case.reference in form.content.decode()
    response = manager_client.post(
        f"/ombudsman/non-compliance/{finding.pk}/",
        {
            "kind": "failure_order",
            "ombudsman": "housing",
            "issued_on": "2024-10-14",
            "finding": "Stage 2 late.",
            "ombudsman_case_reference": case.reference,
            "council_action": "Response sent and staff retrained.",
            "complied_on": "2024-10-28",
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.council_action == "Response sent and staff retrained." and finding.complied_on == D("2024-10-28")
    assert finding.complaint == complaint
    for subject in (case, complaint):
        kinds = set(TimelineEvent.objects.filter(case=subject).values_list("kind", flat=True))
        assert {"non_compliance_recorded", "non_compliance_updated"} <= kinds
    listing = manager_client.get("/ombudsman/non-compliance/").content.decode()
    assert "Response sent and staff retrained." in listing and "Complied 28 Oct 2024" in listing


def test_one_annual_letter_per_ombudsman_and_year(manager, manager_client):
    ombudsman.record_publication(
        actor=manager, reporting_year=2024, received_on=D("2025-09-18"), summary="The 2024/25 letter."
    )
    response = manager_client.post(
        "/ombudsman/letters-and-reports/new/",
        {
            "kind": "annual_letter",
            "ombudsman": "housing",
            "reporting_year": "2024/25",
            "received_on": "2025-09-20",
            "summary": "Again",
        },
    )
    assert response.status_code == 400
    assert "annual letter for 2024/25 is recorded already" in response.content.decode()
    # The LGSCO's annual review letter of the same year is another letter.
    ombudsman.record_publication(
        actor=manager, ombudsman="lgsco", reporting_year=2024, received_on=D("2025-07-20"), summary="LGSCO review."
    )
    assert OmbudsmanPublication.objects.filter(kind="annual_letter").count() == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(InvalidInput, match="The date it was received cannot be in the future"):
        ombudsman.record_publication(
            actor=manager, kind="other", reporting_year=2024, received_on=tomorrow, summary="Future."
        )
    with pytest.raises(InvalidInput, match="Enter the financial year it is about, from 2000/01 to"):
        ombudsman.record_publication(
            actor=manager, reporting_year=tomorrow.year + 1, received_on=D("2025-09-20"), summary="A year ahead."
        )
    response = manager_client.post(
        "/ombudsman/letters-and-reports/new/",
        {"kind": "other", "ombudsman": "housing", "reporting_year": "2024/26", "received_on": "2025-09-20"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a financial year" in page and "Enter a summary of what it says about the council." in page


def test_the_letter_file_is_checked_and_downloaded_by_those_who_handle_ombudsman_cases(manager, officer, client):
    with pytest.raises(InvalidInput, match="not a real PDF file"):
        ombudsman.record_publication(
            actor=manager,
            reporting_year=2024,
            received_on=D("2025-09-18"),
            summary="Letter",
            file=SimpleUploadedFile("letter.pdf", b"MZ not a pdf"),
        )
    letter = ombudsman.record_publication(
        actor=manager,
        reporting_year=2024,
        received_on=D("2025-09-18"),
        summary="Letter",
        file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 the letter"),
    )
    client.force_login(officer)
    download = client.get(f"/ombudsman/letters-and-reports/{letter.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 the letter"
    assert 'filename="letter.pdf"' in download["Content-Disposition"]


def test_officers_read_but_cannot_record_and_investigating_officers_cannot_open(officer, client):
    client.force_login(officer)
    assert client.get("/ombudsman/non-compliance/").status_code == 200
    assert client.get("/ombudsman/letters-and-reports/").status_code == 200
    assert "Record an order or notice" not in client.get("/ombudsman/non-compliance/").content.decode()
    for path, data in (
        ("/ombudsman/non-compliance/new/", {"kind": "failure_order", "issued_on": "2024-10-14", "finding": "x"}),
        ("/ombudsman/letters-and-reports/new/", {"reporting_year": "2024", "received_on": "2025-09-18"}),
        ("/reports/annual/governing-body-response/", {"year": "2024/25", "response": "x"}),
    ):
        assert client.get(path).status_code == 403
        assert client.post(path, data).status_code == 403
    assert not NonComplianceFinding.objects.exists() and not OmbudsmanPublication.objects.exists()
    assert not GoverningBodyResponse.objects.exists()
    with pytest.raises(Forbidden):
        ombudsman.record_non_compliance(actor=officer, kind="failure_order", issued_on=D("2024-10-14"), finding="x")
    with pytest.raises(Forbidden):
        ombudsman.record_publication(actor=officer, reporting_year=2024, received_on=D("2025-09-18"), summary="x")
    with pytest.raises(Forbidden):
        reporting.record_governing_body_response(
            actor=officer, reporting_year=2024, governing_body="Cabinet", responded_on=D("2025-10-09"), response="x"
        )

    client.force_login(UserFactory(username="io", role=Role.INVESTIGATING_OFFICER))
    assert client.get("/ombudsman/non-compliance/").status_code == 403
    assert client.get("/ombudsman/letters-and-reports/").status_code == 403


def test_plans_not_yet_implemented_are_not_improvements_made(manager):
    area = ServiceAreaFactory(name="Tenancy Management")
    plan = learning.open_plan(
        service_area=area, month=D("2024-06-01"), actor=manager, due_on=D("2024-08-01"), today=D("2024-06-03")
    )
    assert LearningActionPlan.objects.filter(pk=plan.pk).exists()
    data = selectors.annual_report(2024)
    assert data["improvements"]["plans"] == []
    improvements = next(s for s in data["code_sections"] if s["key"] == "improvements")
    assert not improvements["has_content"]
    assert (
        improvements["empty"] == "No service improvements from the learning from complaints were recorded in 2024/25."
    )


def test_the_api_gives_the_reports_sections_and_the_ombudsmans_records(manager, officer, client):
    finding = ombudsman.record_non_compliance(
        actor=manager,
        kind="failure_notice",
        issued_on=D("2025-02-10"),
        finding="Complaints not logged.",
        code_provisions="1.3",
    )
    ombudsman.record_publication(
        actor=manager, reporting_year=2024, received_on=D("2025-09-18"), summary="The 2024/25 letter."
    )
    reporting.record_governing_body_response(
        actor=manager, reporting_year=2024, governing_body="Cabinet", responded_on=D("2025-10-09"), response="Noted."
    )
    client.force_login(manager)
    data = client.get("/api/v1/reports/annual/", {"year": "2024/25"}).json()
    assert [s["provision"] for s in data["code_sections"]] == SECTION_PROVISIONS
    assert data["non_compliance"][0]["finding"] == "Complaints not logged."
    assert data["annual_letters"][0]["summary"] == "The 2024/25 letter."
    assert data["other_publications"] == [] and data["improvements"]["plans"] == []
    assert data["governing_body_response"] == {
        "governing_body": "Cabinet",
        "responded_on": "2025-10-09",
        "response": "Noted.",
    }
    assert client.get("/api/v1/reports/annual/", {"year": "2019/20"}).json()["governing_body_response"] is None

    client.force_login(officer)
    listed = client.get("/api/v1/ombudsman-non-compliance-findings/").json()["results"]
    assert [(f["id"], f["kind"], f["code_provisions"]) for f in listed] == [(finding.pk, "failure_notice", "1.3")]
    letters = client.get("/api/v1/ombudsman-publications/", {"reporting_year": 2024}).json()["results"]
    assert [(p["kind"], p["has_file"]) for p in letters] == [("annual_letter", False)]
    assert client.get("/api/v1/ombudsman-publications/", {"reporting_year": 2023}).json()["results"] == []
    client.force_login(UserFactory(username="io", role=Role.INVESTIGATING_OFFICER))
    assert client.get("/api/v1/ombudsman-non-compliance-findings/").status_code == 403


# 8.1(b) asks for "a qualitative and quantitative analysis": the figures come from the cases, the words from
# the council, written from the report's page and printed above the figures.
def test_the_councils_analysis_of_the_years_performance_is_written_from_the_report_and_printed_in_it(
    manager, manager_client
):
    page = text_of(manager_client.get("/reports/annual/?year=2024/25"))
    assert "No written analysis of 2024/25 performance has been recorded yet." in page
    assert "Write the analysis of the year's performance" in page
    form = manager_client.get("/reports/annual/performance-analysis/?year=2024/25")
    assert form.status_code == 200 and 'value="2024/25"' in form.content.decode()

    written = "Stage 1 timeliness fell in the autumn, when damp reports doubled.\n\nTwo officers joined in January."
    response = manager_client.post(
        "/reports/annual/performance-analysis/?year=2024/25", {"year": "2024/25", "analysis": f"  {written}  "}
    )
    assert response.status_code == 302 and response.url == "/reports/annual/?year=2024/25#performance"

    data = selectors.annual_report(2024)
    assert data["performance_analysis"].analysis == written
    performance = next(s for s in data["code_sections"] if s["key"] == "performance")
    assert performance["has_content"]  # a year with only the council's words is not "left out"
    page = text_of(manager_client.get("/reports/annual/?year=2024/25"))
    analysis = section(page, "The council's analysis", "Summary")
    assert "when damp reports doubled." in analysis and "Two officers joined in January." in analysis
    assert "Recorded by Ada Okafor" in analysis
    assert "Change the analysis of the year's performance" in page
    assert "No written analysis" not in text_of(manager_client.get("/reports/annual/?year=2024/25"))

    # The form opens with what was written; saving again corrects it rather than adding a second.
    form = manager_client.get("/reports/annual/performance-analysis/?year=2024/25").content.decode()
    assert "when damp reports doubled." in form
    reporting.record_performance_analysis(actor=manager, reporting_year=2024, analysis="Corrected.")
    assert [a.analysis for a in PerformanceAnalysis.objects.all()] == ["Corrected."]

    # The API and the download carry it.
    api = manager_client.get("/api/v1/reports/annual/", {"year": "2024/25"}).json()
    assert api["performance_analysis"]["analysis"] == "Corrected."
    assert manager_client.get("/api/v1/reports/annual/", {"year": "2023/24"}).json()["performance_analysis"] is None
    download = manager_client.get("/reports/annual/?year=2024/25&format=csv")
    cells = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert ["Performance analysis", "2024/25", "Analysis", "Corrected."] in cells


def test_an_analysis_that_is_empty_too_long_or_of_a_year_not_begun_is_refused_and_nothing_is_written(
    manager, manager_client
):
    path = "/reports/annual/performance-analysis/"
    response = manager_client.post(path, {"year": "2024/25", "analysis": "   "})
    assert response.status_code == 400
    assert "Enter the analysis of the year&#x27;s complaint handling performance." in response.content.decode()
    too_long = "x" * (PerformanceAnalysis.MAX_LENGTH + 1)
    response = manager_client.post(path, {"year": "2024/25", "analysis": too_long})
    assert response.status_code == 400
    assert "at most 20,000 characters; it has 20,001" in response.content.decode()
    response = manager_client.post(path, {"year": "2024-25x", "analysis": "Words."})
    assert response.status_code == 400
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC), tick=False):
        response = manager_client.post(path, {"year": "2026/27", "analysis": "Words."})
        assert response.status_code == 400
        assert "The 2026/27 year has not begun" in response.content.decode()
        with pytest.raises(InvalidInput) as refused:
            reporting.record_performance_analysis(actor=manager, reporting_year=2026, analysis="Words.")
        assert list(refused.value.problems) == ["year"]
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC), tick=False):
        reporting.record_performance_analysis(actor=manager, reporting_year=2026, analysis="Words.")
    assert list(PerformanceAnalysis.objects.values_list("reporting_year", flat=True)) == [2026]


def test_officers_cannot_write_the_analysis(officer, client):
    client.force_login(officer)
    path = "/reports/annual/performance-analysis/"
    assert client.get(path).status_code == 403
    assert client.post(path, {"year": "2024/25", "analysis": "x"}).status_code == 403
    with pytest.raises(Forbidden):
        reporting.record_performance_analysis(actor=officer, reporting_year=2024, analysis="x")
    assert not PerformanceAnalysis.objects.exists()


def test_the_admin_shows_what_the_pages_record_but_cannot_add_or_change_it_past_their_checks(manager, admin_client):
    reporting.record_governing_body_response(
        actor=manager, reporting_year=2024, governing_body="Cabinet", responded_on=D("2025-10-09"), response="Noted."
    )
    stored = GoverningBodyResponse.objects.get()
    finding = ombudsman.record_non_compliance(
        actor=manager, kind="failure_notice", issued_on=D("2025-02-10"), finding="Complaints not logged."
    )
    for model, obj in (("reporting/governingbodyresponse", stored), ("ombudsman/noncompliancefinding", finding)):
        assert admin_client.get(f"/admin/{model}/").status_code == 200
        assert admin_client.get(f"/admin/{model}/{obj.pk}/change/").status_code == 200  # shown, read-only
        assert admin_client.get(f"/admin/{model}/add/").status_code == 403
    # A response dated in the future, which the page refuses, cannot be saved through the admin either.
    admin_client.post(
        f"/admin/reporting/governingbodyresponse/{stored.pk}/change/",
        {"reporting_year": 2024, "governing_body": "Cabinet", "responded_on": "2099-01-01", "response": "Noted."},
    )
    stored.refresh_from_db()
    assert stored.responded_on == D("2025-10-09")
    for model in ("reporting/performanceanalysis", "ombudsman/ombudsmanpublication"):
        assert admin_client.get(f"/admin/{model}/add/").status_code == 403
