import os
import shutil

import pytest
from django.db import connection

from casework import choices
from casework.roles import Role
from config.celery import app as celery_app
from sla import engine
from tests.factories import UserFactory

# CI (.ci/run) sets this so that a missing PostgreSQL, Redis or Chromium fails the run instead of skipping.
REQUIRE_ALL_SERVICES = os.environ.get("CASEWORK_REQUIRE_ALL_SERVICES") == "1"


def pytest_addoption(parser):
    parser.addoption(
        "--clock-shift-days",
        type=int,
        default=int(os.environ.get("CASEWORK_CLOCK_SHIFT_DAYS", "0")),
        help="Run the whole suite with the clock moved this many days from now (time-machine), to show that no "
        "test depends on today's date: `make test-shifted` moves it a year ahead.",
    )


def pytest_configure(config):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    shift = config.getoption("--clock-shift-days")
    if shift:
        import datetime

        import time_machine

        # tick=True: time goes on from the shifted moment, so timeouts and durations still work.
        config._clock_shift = time_machine.travel(
            datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=shift), tick=True
        )
        config._clock_shift.start()
    # Tests run Celery tasks in-process unless a test starts a real worker itself.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


def pytest_report_header(config):
    shift = config.getoption("--clock-shift-days")
    return (
        f"clock shifted {shift} days ahead: today is taken to be {__import__('datetime').date.today()}"
        if shift
        else None
    )


def require_service(available, what):
    """Skip when a real service is missing on a developer's machine; fail in CI, where it must be there."""
    if available:
        return
    if REQUIRE_ALL_SERVICES:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available here; CI runs this test")


# Debian's Chromium, driven by Playwright, for the browser tests (tests/e2e, tests/sso). One for the whole run:
# Playwright's synchronous API allows one at a time in a process.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    require_service(os.path.exists(CHROMIUM) or shutil.which("chromium"), "Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def broker():
    """Tasks sent to Redis for real worker processes (tests.workers), the broker cleared afterwards."""
    from tests.workers import broker_for_real_workers

    yield from broker_for_real_workers()


@pytest.fixture
def postgresql_only():
    require_service(connection.vendor == "postgresql", "PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # A calendar cached by an earlier test may hold days that test's rolled-back transaction added.
    engine.clear_cache()
    choices.forget_all()  # likewise the queues' cached choice lists (officers, teams...)
    yield
    engine.clear_cache()
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", role=Role.COMPLAINTS_OFFICER)


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=Role.MANAGER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", role=Role.ADMINISTRATOR)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
