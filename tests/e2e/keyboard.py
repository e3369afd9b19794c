"""Helpers for browser tests of the GOV.UK Frontend pages: axe-core with no violations at all, and a keyboard
that reaches each control with Tab, the way someone without a mouse does."""

import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def assert_no_violations(page):
    """axe-core's WCAG 2.0-2.2 A and AA rules and its best practices: no violation of any impact."""
    page.wait_for_load_state("load")  # after GOV.UK Frontend's scripts have run, as people see the page
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    found = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert found == [], f"{page.url}: " + json.dumps(found, indent=1)


def assert_accessible(page):
    """axe-core's WCAG 2.0-2.2 A and AA rules: no serious or critical violation (the officers' pages' bar)."""
    page.wait_for_load_state("load")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS[:-1]
    )
    serious = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: " + json.dumps(serious, indent=1)


def assert_fits_the_screen(page):
    """Nothing needs scrolling sideways (WCAG 1.4.10, reflow)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


def tab_to(page, target, limit=80):
    """Press Tab until `target` (a CSS selector or a Playwright locator) has the focus; fail if Tab never
    reaches it."""
    locator = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate_all("(elements) => elements.includes(document.activeElement)"):
            return
    raise AssertionError(f"{target} on {page.url} cannot be reached with the Tab key")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def choose_radio(page, name, value):
    """Tab into a group of radios and move to `value` with the arrow keys (Space picks the first)."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(40):
        if page.evaluate("(value) => document.activeElement.value === value", value):
            if not page.evaluate("document.activeElement.checked"):
                page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"No radio {name}={value} on {page.url}")


def tick(page, name, value):
    tab_to(page, f"input[type=checkbox][name='{name}'][value='{value}']")
    page.keyboard.press("Space")


def press_button(page, name):
    """Tab to a button (or a link styled as one) by its text and press Enter."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    follow(page, "Enter")


def follow(page, key):
    """Press a key that leaves the page (a link, a button) and wait for the next page to load."""
    with page.expect_navigation():
        page.keyboard.press(key)


def error_summary(page):
    """The GOV.UK error summary's messages; it has the focus when the page opens."""
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible(), f"{page.url} shows no error summary"
    assert page.evaluate("!!document.activeElement?.closest('.govuk-error-summary')"), "the summary is not focused"
    return [text.strip() for text in summary.locator(".govuk-error-summary__list li").all_inner_texts()]
