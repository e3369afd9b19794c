"""A manager walks the product on the demo data: every main page loads without a browser error (a content
security policy violation shows as one), with no serious or critical accessibility violation, the
performance page draws its charts, the focused sign-out button can be read, and the links between a
complaint, its ombudsman case and the learning plan lead from one to the next."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from casework.demo import DEMO_PASSWORD
from learning.models import LearningSource
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"

MAIN_PAGES = [
    "/work/",
    "/complaints/",
    "/enquiries/",
    "/ombudsman/",
    "/ombudsman/figures/",
    "/learning/",
    "/learning/print/",
    "/learning/commitments/",
    "/learning/repeat-upheld/",
    "/dashboard/",
    "/reports/",
    "/reports/tenant-satisfaction/",
    "/reports/monthly/",
    "/reports/annual/",
    "/reports/self-assessment/",
    "/deadlines/",
    "/notifications/",
]


@pytest.fixture
def demo(page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - the command's output is not under test
    page.add_init_script(path=str(AXE))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "manager", DEMO_PASSWORD)
    page.wait_for_url("**/work/")
    return errors


def serious_violations(page):
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_main_page_loads_cleanly_and_accessibly(page, demo):
    problems = {}
    for url in MAIN_PAGES:
        demo.clear()
        response = page.goto(url)
        found = serious_violations(page) if response.status == 200 else []
        if response.status != 200 or demo or found:
            problems[url] = {"status": response.status, "browser errors": list(demo), "axe": found}
    assert problems == {}, json.dumps(problems, indent=1)


def test_the_performance_page_draws_its_charts(page, demo):
    page.goto("/reports/")
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart && Chart.getChart(c))"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].map(c => Chart.getChart(c).data.datasets.length)"
    )
    assert all(n > 0 for n in drawn)
    assert demo == []


def test_the_focused_sign_out_button_can_be_read(page, demo):
    button = page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out")
    button.focus()
    colours = button.evaluate("b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]")
    assert colours == ["rgb(11, 12, 12)", "rgb(255, 221, 0)"]  # dark text on the focus yellow


def test_from_a_complaint_to_its_ombudsman_case_and_the_learning_plan(page, demo):
    source = LearningSource.objects.filter(finding__determination__case__original_complaint__isnull=False)
    source = source.select_related("plan", "finding__determination__case__original_complaint").first()
    assert source is not None, "the demo has an ombudsman case about a complaint, with a finding learned from"
    case = source.finding.determination.case
    complaint = case.original_complaint

    page.goto(complaint.get_absolute_url())
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    page.locator("#findings").get_by_role("link", name=source.plan.reference).first.click()
    page.wait_for_url(f"**{source.plan.get_absolute_url()}")
    page.get_by_role("link", name=case.reference).first.click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    page.locator("#original-complaint").click()
    page.wait_for_url(f"**{complaint.get_absolute_url()}")
    assert demo == []
