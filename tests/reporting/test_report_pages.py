"""What the report pages show people: links that open, rows that lead somewhere, months not yet begun left
blank, and the demo data that fills them for `make run`."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from casework.models import Team
from casework.roles import Role
from reporting import selectors
from reporting.models import MonthlyReport, StockCount, SurveyAnswer
from reporting.periods import financial_year, financial_year_of
from sla import engine
from tests.factories import UserFactory, log_complaint

pytestmark = pytest.mark.django_db


def links_in_main(html):
    main = html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', main)}


def test_every_link_on_the_dashboard_opens_for_a_complaints_officer(client):
    """Officers see the dashboard but not the managers' reports, so it must not offer links to those."""
    today = datetime.date.today()
    log_complaint(received_on=engine.add_working_days(today, -10))
    client.force_login(UserFactory(username="co", role=Role.COMPLAINTS_OFFICER))
    links = links_in_main(client.get("/dashboard/").content.decode())
    assert links, "the dashboard's figures link to queues"
    assert not any(link.startswith("/reports/") for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_a_manager_has_the_reports_menu_with_the_current_page_marked(client):
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    page = client.get("/reports/tenant-satisfaction/").content.decode()
    assert '<a href="/reports/tenant-satisfaction/" aria-current="page">' in page
    for link in ("/dashboard/", "/reports/", "/reports/monthly/", "/reports/annual/", "/reports/self-assessment/"):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200


def test_the_no_team_row_opens_the_cases_without_a_team(client):
    today = datetime.date.today()
    team = Team.objects.create(name="Housing feedback")
    with_team = log_complaint(received_on=today, team=team)
    without = log_complaint(received_on=today)
    assert without.team_id is None

    row = next(r for r in selectors.dashboard(today)["teams"] if r["kind"] == "complaint" and r["team_id"] is None)
    assert row["team"] == "No team" and row["open"] == 1
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    assert row["links"]["open"] in client.get("/dashboard/").content.decode().replace("&amp;", "&")
    shown = {c.reference for c in client.get(row["links"]["open"]).context["page"]}
    assert shown == {without.reference}
    assert with_team.reference not in shown


def test_months_not_yet_begun_have_no_average_or_rise():
    period = financial_year(2025)
    rows = [{"month": datetime.date(2025, m, 1), "number": 1, "current": 10 * (m - 3)} for m in range(4, 8)]
    months = selectors.monthly_volumes(rows, {}, period, today=datetime.date(2025, 7, 15))
    by_month = {row["month"]: row for row in months}
    july, august = by_month[datetime.date(2025, 7, 1)], by_month[datetime.date(2025, 8, 1)]
    assert july["so_far"] and not by_month[datetime.date(2025, 6, 1)]["so_far"]
    assert (july["year_to_date_average"], july["rise_percent"]) == (20, 100)  # 40 against (10 + 20 + 30) / 3
    assert (august["total"], august["year_to_date_average"], august["rise_percent"]) == (0, None, None)
    assert by_month[datetime.date(2026, 3, 1)]["enquiries_rise_percent"] is None


def test_the_demo_fills_the_tenant_satisfaction_measures_and_monthly_reports_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    today = datetime.date.today()
    year = financial_year_of(today)
    assert set(StockCount.objects.filter(reporting_year=year).values_list("stock_type", flat=True)) == {"lcra", "lcho"}
    answers = SurveyAnswer.objects.count()
    assert answers > 0
    months_past = (today.year - year) * 12 + today.month - 4
    assert MonthlyReport.objects.count() == months_past

    call_command("seed_demo", stdout=io.StringIO())
    assert SurveyAnswer.objects.count() == answers
    assert MonthlyReport.objects.count() == months_past

    data = selectors.tenant_satisfaction(year)
    lcra = next(m for m in data["measures"] if m["stock_type"] == "lcra")
    assert lcra["homes"] and lcra["tp09"] is not None
