"""The header marks where the user is: the page itself (aria-current="page") or, on a page inside a
section such as a complaint or the annual report, the section's link (aria-current="true")."""

import datetime

import pytest

from casework.roles import Role
from tests.factories import UserFactory, log_complaint

pytestmark = pytest.mark.django_db


def header(client, url):
    page = client.get(url).content.decode()
    return page.split('<nav class="header__nav"', 1)[1].split("</nav>", 1)[0]


def test_the_header_marks_the_page_or_its_section(client):
    client.force_login(UserFactory(username="boss", role=Role.MANAGER))
    complaint = log_complaint(received_on=datetime.date(2025, 6, 2))

    nav = header(client, "/complaints/")
    assert '<a href="/complaints/" aria-current="page">Complaints</a>' in nav
    assert nav.count("aria-current") == 1

    nav = header(client, complaint.get_absolute_url())
    assert '<a href="/complaints/" aria-current="true">Complaints</a>' in nav
    assert nav.count("aria-current") == 1

    nav = header(client, "/reports/annual/")
    assert '<a href="/reports/" aria-current="true">Reports</a>' in nav
    assert 'href="/dashboard/" aria-current' not in nav

    nav = header(client, "/dashboard/")
    assert '<a href="/dashboard/" aria-current="page">Dashboard</a>' in nav
    assert 'href="/reports/" aria-current' not in nav

    nav = header(client, "/notifications/")
    assert 'aria-current="page">Notifications' in nav
