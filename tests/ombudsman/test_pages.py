"""The officers' ombudsman pages over HTTP."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.roles import Role
from ombudsman import services
from ombudsman.models import FindingCategory, OmbudsmanCase, OmbudsmanStage
from tests.factories import ServiceAreaFactory, UserFactory, log_complaint, open_ombudsman_case

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


def test_the_list_shows_open_cases_with_filters(officer_client, officer):
    housing = open_ombudsman_case(officer, ombudsman_reference="202501234")
    allocations = ServiceAreaFactory(name="Allocations")
    lgsco = open_ombudsman_case(
        officer, ombudsman="lgsco", original_complaint=None, service_area=allocations, summary="Banding decision"
    )
    closed = services.close(
        open_ombudsman_case(officer), actor=officer, on=D("2025-06-10"), reason="Declined by the ombudsman"
    )
    page = officer_client.get("/ombudsman/").content.decode()
    assert housing.reference in page and lgsco.reference in page and closed.reference not in page
    assert housing.original_complaint.reference in page
    filtered = officer_client.get("/ombudsman/", {"ombudsman": "lgsco"}).content.decode()
    assert lgsco.reference in filtered and housing.reference not in filtered
    filtered = officer_client.get("/ombudsman/", {"state": "closed"}).content.decode()
    assert closed.reference in filtered and housing.reference not in filtered
    filtered = officer_client.get("/ombudsman/", {"q": "202501234"}).content.decode()
    assert housing.reference in filtered and lgsco.reference not in filtered
    filtered = officer_client.get("/ombudsman/", {"q": housing.original_complaint.reference}).content.decode()
    assert housing.reference in filtered and lgsco.reference not in filtered
    filtered = officer_client.get("/ombudsman/", {"stage": "enquiry", "service_area": allocations.pk}).content.decode()
    assert lgsco.reference in filtered and housing.reference not in filtered


def test_opening_a_case_from_a_complaint_links_them_both_ways(officer_client):
    complaint = log_complaint(received_on=D("2025-04-17"))
    form = officer_client.get("/ombudsman/new/", {"complaint": complaint.reference}).content.decode()
    assert f'value="{complaint.reference}"' in form

    response = officer_client.post("/ombudsman/new/", {"complaint_reference": "CMP-2025-999999"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Choose which ombudsman has the case." in content
    assert "There is no complaint CMP-2025-999999 that you can see." in content
    assert not OmbudsmanCase.objects.exists()

    response = officer_client.post(
        "/ombudsman/new/",
        {
            "ombudsman": "housing",
            "received_on": "2025-06-02",
            "complaint_reference": complaint.reference.lower(),
            "ombudsman_reference": "202501234",
        },
    )
    case = OmbudsmanCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    detail = officer_client.get(case.get_absolute_url()).content.decode()
    assert f'href="{complaint.get_absolute_url()}"' in detail
    complaint_page = officer_client.get(complaint.get_absolute_url()).content.decode()
    assert f'href="{case.get_absolute_url()}"' in complaint_page


def test_without_a_complaint_the_service_area_and_summary_are_asked_for(officer_client):
    response = officer_client.post("/ombudsman/new/", {"ombudsman": "lgsco", "received_on": "2025-06-02"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Choose the service area, or give the complaint&#x27;s reference." in content
    assert "Enter a one-line summary, or give the complaint&#x27;s reference." in content


def test_stage_actions_from_the_detail_page_and_the_409_for_a_refused_one(officer_client, officer):
    case = open_ombudsman_case(officer)
    detail = officer_client.get(case.get_absolute_url()).content.decode()
    assert f"/ombudsman/{case.reference}/start_assessment/" in detail
    assert f"/ombudsman/{case.reference}/start_investigation/" not in detail

    refused = officer_client.get(f"/ombudsman/{case.reference}/start_investigation/")
    assert "cannot be moved to investigation" in refused.content.decode()
    assert (
        officer_client.post(f"/ombudsman/{case.reference}/start_investigation/", {"on": "2025-06-03"}).status_code
        == 409
    )

    bad = officer_client.post(f"/ombudsman/{case.reference}/start_assessment/", {"on": "2099-01-01"})
    assert bad.status_code == 400 and "cannot be in the future" in bad.content.decode()
    done = officer_client.post(f"/ombudsman/{case.reference}/start_assessment/", {"on": "2025-06-03"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == OmbudsmanStage.ASSESSMENT
    assert officer_client.get(f"/ombudsman/{case.reference}/nonsense/").status_code == 404


def test_a_request_for_information_its_contribution_and_the_reply_through_the_pages(officer_client, officer):
    case = open_ombudsman_case(officer)
    missing = officer_client.post(f"/ombudsman/{case.reference}/request_information/", {"received_on": "2025-06-04"})
    assert missing.status_code == 400
    assert "Enter the deadline set by the ombudsman." in missing.content.decode()
    officer_client.post(
        f"/ombudsman/{case.reference}/request_information/",
        {"received_on": "2025-06-04", "due_on": "2025-06-25", "details": "Repairs records"},
    )
    item = case.information_requests.get()
    grace = UserFactory(username="grace", first_name="Grace", role=Role.INVESTIGATING_OFFICER)
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    base = f"/ombudsman/{case.reference}/information-requests/{item.pk}"
    asked = officer_client.post(
        f"{base}/ask_service/",
        {"service_area": repairs.pk, "officer": grace.pk, "requested_on": "2025-06-04", "due_on": "2025-06-18"},
    )
    assert asked.status_code == 302
    contribution = item.contributions.get()
    detail = officer_client.get(case.get_absolute_url()).content.decode()
    assert "Contribution from Responsive Repairs" in detail  # its deadline is listed
    assert f"/contributions/{contribution.pk}/received/" in detail
    received = officer_client.post(
        f"/ombudsman/{case.reference}/contributions/{contribution.pk}/received/", {"received_on": "2025-06-17"}
    )
    assert received.status_code == 302
    replied = officer_client.post(f"{base}/reply/", {"sent_on": "2025-06-20", "summary": "Everything sent"})
    assert replied.status_code == 302
    item.refresh_from_db()
    assert item.reply_sent_on == D("2025-06-20")
    again = officer_client.post(f"{base}/reply/", {"sent_on": "2025-06-21", "summary": "Again"})
    assert again.status_code == 409 and "answered on" in again.content.decode()
    assert officer_client.get(f"{base}/nonsense/").status_code == 404


def _ready_for_determination(officer, **overrides):
    case = open_ombudsman_case(officer, **overrides)
    case = services.start_assessment(case, actor=officer, on=D("2025-06-03"))
    return services.start_investigation(case, actor=officer, on=D("2025-06-10"))


def _determination_post(findings, orders):
    data = {
        "determined_on": "2025-09-01",
        "findings-TOTAL_FORMS": "6",
        "findings-INITIAL_FORMS": "0",
        "orders-TOTAL_FORMS": "6",
        "orders-INITIAL_FORMS": "0",
    }
    for number in range(6):
        data[f"orders-{number}-kind"] = "order"
    for number, finding in enumerate(findings):
        data.update({f"findings-{number}-{key}": value for key, value in finding.items()})
    for number, order in enumerate(orders):
        data.update({f"orders-{number}-{key}": value for key, value in order.items()})
    return data


def test_recording_a_determination_with_several_findings_and_orders(officer_client, officer):
    case = _ready_for_determination(officer)
    url = f"/ombudsman/{case.reference}/determination/"
    form = officer_client.get(url).content.decode()
    assert "Severe maladministration" in form and "Closed after initial enquiries" not in form
    condition = FindingCategory.objects.get(name="Property condition")
    handling = FindingCategory.objects.get(name="Complaints handling")

    bad = officer_client.post(
        url,
        _determination_post(
            [{"complaint_head": "Leak"}],
            [{"order_type": "compensation", "due_on": "2025-09-29"}],
        ),
    )
    assert bad.status_code == 400
    content = bad.content.decode()
    for message in (
        "Choose the category of this finding.",
        "Choose the finding on this head of complaint.",
        "Enter the compensation, like 150 or 75.50.",
        "Choose the finding of the determination it remedies.",
    ):
        assert message in content

    good = officer_client.post(
        url,
        _determination_post(
            [
                {"complaint_head": "Leak", "category": condition.pk, "outcome": "service_failure"},
                {"complaint_head": "Complaint handling", "category": handling.pk, "outcome": "maladministration"},
            ],
            [
                {"order_type": "compensation", "amount_pence": "250", "finding": "1", "due_on": "2025-09-29"},
                {"order_type": "apology", "finding": "2", "due_on": "2025-09-15"},
                {"kind": "recommendation", "order_type": "staff_training", "description": "Complaints training"},
            ],
        ),
    )
    assert good.status_code == 302, good.content.decode()
    determination = case.determination
    assert [(f.number, f.category.name, f.outcome) for f in determination.findings.all()] == [
        (1, "Property condition", "service_failure"),
        (2, "Complaints handling", "maladministration"),
    ]
    assert sorted(o.order_type for o in determination.orders.all()) == ["apology", "compensation", "staff_training"]
    assert determination.orders.get(order_type="compensation").amount_pence == 25000
    detail = officer_client.get(case.get_absolute_url()).content.decode()
    assert "£250.00" in detail and "The ombudsman found fault" in detail
    assert officer_client.post(url, _determination_post([], [])).status_code == 409


def test_an_lgsco_determination_offers_the_lgscos_outcomes_only(officer_client, officer):
    area = ServiceAreaFactory(name="Allocations")
    case = _ready_for_determination(
        officer, ombudsman="lgsco", original_complaint=None, service_area=area, summary="Banding"
    )
    form = officer_client.get(f"/ombudsman/{case.reference}/determination/").content.decode()
    assert "Closed after initial enquiries" in form and "Severe maladministration" not in form


def test_compliance_with_a_document_and_the_evidence_sent(officer_client, officer):
    case = _ready_for_determination(officer)
    determination = services.record_determination(
        case,
        actor=officer,
        determined_on=D("2025-09-01"),
        findings=[
            services.FindingLine("Leak", FindingCategory.objects.get(name="Property condition"), "service_failure")
        ],
        orders=[services.OrderLine("apology", due_on=D("2025-09-15"), finding_number=1)],
    )
    order = determination.orders.get()
    base = f"/ombudsman/{case.reference}/orders/{order.pk}"
    assert officer_client.post(f"{base}/evidence_sent/", {"sent_on": "2025-09-12"}).status_code == 409
    letter = SimpleUploadedFile("apology.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    response = officer_client.post(
        f"{base}/comply/", {"complied_on": "2025-09-10", "evidence": "Apology letter sent", "file": letter}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.complied_on == D("2025-09-10")
    assert order.evidence.get().original_name == "apology.pdf"
    assert officer_client.post(f"{base}/evidence_sent/", {"sent_on": "2025-09-12"}).status_code == 302
    detail = officer_client.get(case.get_absolute_url()).content.decode()
    assert "apology.pdf" in detail and "12 Sep 2025" in detail
    assert officer_client.post(f"/ombudsman/{case.reference}/close/", {"on": "2025-09-12"}).status_code == 302


def test_an_investigating_officer_sees_only_their_services_cases(client, officer):
    repairs = ServiceAreaFactory(name="Responsive Repairs")
    allocations = ServiceAreaFactory(name="Allocations")
    visible = open_ombudsman_case(officer, original_complaint=None, service_area=repairs, summary="Leak")
    hidden = open_ombudsman_case(officer, original_complaint=None, service_area=allocations, summary="Banding")
    client.force_login(UserFactory(username="inv", role=Role.INVESTIGATING_OFFICER, service_areas=[repairs]))
    page = client.get("/ombudsman/").content.decode()
    assert visible.reference in page and hidden.reference not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
    # Investigating officers read their services' cases but record nothing on them: the complaints team does.
    assert client.get(f"/ombudsman/{hidden.reference}/close/").status_code == 403
    assert client.get(f"/ombudsman/{visible.reference}/close/").status_code == 403
    assert client.post(f"/ombudsman/{visible.reference}/close/", {"on": "2025-06-10", "reason": "x"}).status_code == 403
    assert "Record an ombudsman case" not in page


def test_a_complaint_that_is_finished_offers_to_record_an_ombudsman_case(officer_client, officer):
    from complaints import services as complaints

    complaint = log_complaint(received_on=D("2025-04-17"))
    offer = f"/ombudsman/new/?complaint={complaint.reference}"
    assert offer not in officer_client.get(complaint.get_absolute_url()).content.decode()
    complaints.refuse(
        complaint, actor=officer, on=D("2025-04-18"), reason="council_policy", details="About the rent policy."
    )
    assert offer in officer_client.get(complaint.get_absolute_url()).content.decode()
