"""The monthly report (first working day only, stored once, emailed once), the pages' downloads and the API."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from casework.roles import Role
from complaints import services
from reporting.models import LeadershipRecipient, MonthlyReport, MonthlyReportEmail
from reporting.monthly import run_monthly_report, send_report_emails
from tests.factories import UserFactory, log_complaint

D = datetime.date.fromisoformat
pytestmark = pytest.mark.django_db


@pytest.fixture
def march_complaints():
    handler = UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER)
    complaint = log_complaint(received_on=D("2025-03-03"), assigned_to=handler, summary='=HYPERLINK("x")')
    services.acknowledge(complaint, on=D("2025-03-04"), actor=handler)
    services.respond(
        complaint, actor=handler, on=D("2025-03-14"), summary="Done", points=[services.Point("Leak", "upheld")]
    )
    log_complaint(received_on=D("2025-03-20"))
    return complaint


def test_runs_only_on_the_first_working_day_stores_once_and_emails_each_address_once(settings, march_complaints):
    settings.MONTHLY_REPORT_RECIPIENTS = ["Chief.Exec@council.example"]
    LeadershipRecipient.objects.create(email="director@council.example", name="Director")
    LeadershipRecipient.objects.create(email="gone@council.example", is_active=False)

    # 1 April 2025 is a Tuesday and a working day; 2 April is not the first.
    skipped = run_monthly_report(D("2025-04-02"))
    assert "first working day" in str(skipped) and not MonthlyReport.objects.exists()

    first = run_monthly_report(D("2025-04-01"))
    assert first.created and first.month == D("2025-03-01")
    assert sorted(first.emailed) == ["chief.exec@council.example", "director@council.example"]
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert "March 2025" in message.subject
    assert {name for name, _, _ in message.attachments} == {
        "complaints-report-2025-03.xlsx",
        "complaints-report-2025-03.csv",
    }

    again = run_monthly_report(D("2025-04-01"))  # a retry, or a second worker
    assert not again.created and again.emailed == []
    assert len(mail.outbox) == 2 and MonthlyReport.objects.count() == 1

    report = MonthlyReport.objects.get()
    assert report.figures["headline"]["received"] == 2
    assert report.figures["headline"]["upheld"] == 1
    # Someone added to the list later gets it on the next run; nobody gets it twice.
    LeadershipRecipient.objects.create(email="new@council.example")
    assert run_monthly_report(D("2025-04-01")).emailed == ["new@council.example"]
    assert len(mail.outbox) == 3


def test_a_claimed_email_is_not_sent_by_a_second_worker(settings, march_complaints):
    settings.MONTHLY_REPORT_RECIPIENTS = ["a@council.example"]
    run_monthly_report(D("2025-04-01"))
    report = MonthlyReport.objects.get()
    MonthlyReportEmail.objects.create(
        report=report, email="b@council.example", claimed_at=datetime.datetime.now(datetime.UTC)
    )
    assert send_report_emails(report) == []  # b is being sent by another worker; a is already sent


def test_first_working_day_skips_bank_holidays_and_force_runs_any_day(settings, march_complaints):
    settings.MONTHLY_REPORT_RECIPIENTS = []
    # 1 January 2024 is a bank holiday: the first working day is Tuesday 2 January.
    assert run_monthly_report(D("2024-01-01")).skipped
    assert run_monthly_report(D("2024-01-02")).month == D("2023-12-01")
    assert run_monthly_report(D("2025-04-15"), force=True).month == D("2025-03-01")


def test_run_sweep_command_prints_the_result(settings, march_complaints, capsys):
    settings.MONTHLY_REPORT_RECIPIENTS = []
    call_command("run_sweep", "monthly-report", "--date", "2025-04-01")
    assert "report for March 2025 stored" in capsys.readouterr().out


def test_monthly_page_and_downloads_neutralise_formulas(client, settings, march_complaints):
    settings.MONTHLY_REPORT_RECIPIENTS = []
    run_monthly_report(D("2025-04-01"))
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    page = client.get("/reports/monthly/2025-03/")
    assert page.status_code == 200 and "March 2025" in page.content.decode()
    csv = client.get("/reports/monthly/2025-03/?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"Responsive Repairs" in csv.content
    workbook = load_workbook(io.BytesIO(client.get("/reports/monthly/2025-03/?format=xlsx").content))
    assert "By issue nature" in workbook.sheetnames
    api = client.get("/api/v1/reports/monthly/2025-03/").json()
    assert api["month"] == "2025-03" and api["figures"]["headline"]["received"] == 2
    assert client.get("/api/v1/reports/monthly/").json()["results"][0]["month"] == "2025-03"
    assert client.get("/api/v1/reports/monthly/2025-02/").status_code == 404


def test_report_pages_downloads_and_api_for_managers(client, march_complaints):
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    for path in (
        "/reports/",
        "/reports/?year=2024/25",
        "/reports/tenant-satisfaction/?year=2024",
        "/reports/annual/?year=2024/25",
        "/reports/self-assessment/?year=2024/25",
        "/reports/monthly/",
        "/dashboard/",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get("/reports/?start=2025-03-01&end=2025-03-31")
    assert "Responsive Repairs (Mears)" in page.content.decode()
    assert 'data-chart="chart-volumes"' in page.content.decode()
    area = march_complaints.service_area_id
    drilled = client.get(f"/reports/?year=2024/25&service_area={area}").context["data"]
    assert drilled["filters"]["service_area"]["id"] == area
    bad = client.get("/reports/?start=2025-03-31&end=2025-03-01")
    assert bad.status_code == 200 and "cannot end before it starts" in bad.content.decode()

    xlsx = client.get("/reports/annual/?year=2024/25&format=xlsx")
    assert "Self" not in load_workbook(io.BytesIO(xlsx.content)).sheetnames[0]
    assessment = client.get("/reports/self-assessment/?year=2024/25&format=csv").content.decode("utf-8-sig")
    assert "Resolved at stage one: 100.0%" in assessment

    api = client.get("/api/v1/reports/performance/", {"year": "2024/25"}).json()
    assert api["headline"]["received"] == 2 and api["period"]["label"] == "2024/25"
    assert api["by_issue_nature"][0]["issue_nature"] == "Responsive Repairs (Mears)"
    assert {s["key"] for s in api["sections"]} == {"ombudsman", "learning"}
    assert client.get("/api/v1/reports/performance/", {"year": "banana"}).status_code == 400
    assert client.get("/api/v1/reports/annual/", {"year": "2024/25"}).json()["escalation"]["stage_1"] == 2
    questions = client.get("/api/v1/reports/self-assessment/", {"year": "2024/25"}).json()["questions"]
    assert any(q["computed"] and "1 of 1" in q["answer"] for q in questions)  # acknowledged within target
    assert client.get("/api/v1/reports/tenant-satisfaction/", {"year": "2024"}).status_code == 200


def test_spreadsheet_formulas_in_free_text_are_neutralised(client, march_complaints):
    handler = UserFactory(username="h2", role=Role.COMPLAINTS_OFFICER)
    services.refuse_escalation(march_complaints, actor=handler, requested_on=D("2025-03-20"), reason="=1+1 not allowed")
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    csv = client.get("/reports/annual/?year=2024/25&format=csv").content.decode("utf-8-sig")
    assert "'=1+1 not allowed" in csv
    assert "1 escalation request refused" in client.get("/reports/self-assessment/?year=2024/25").content.decode()
