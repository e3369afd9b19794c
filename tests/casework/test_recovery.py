"""What repairs itself after a crash, short of killing workers: job runs that lost their worker, claims that
lapse in about a minute, monthly report emails resumed on a later day with a stable Message-ID, and the
schedules that do it."""

import datetime
import time

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from casework import jobs
from casework.models import JobRun, JobRunStatus, Notification
from casework.schedules import all_schedules
from casework.services import deliver_pending_emails, notification_message_id
from reporting.models import MonthlyReport, MonthlyReportEmail
from reporting.monthly import report_message_id, run_monthly_report
from tests.factories import UserFactory

D = datetime.date.fromisoformat


def _other_session():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    )


def _wait_until_session_ended(observer, pid):
    """The server ends a closed session's backend a moment after the client goes; until then it holds its locks."""
    for _ in range(200):
        if not observer.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            return
        time.sleep(0.05)
    raise AssertionError(f"session {pid} did not end")


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_session_ended_is_recorded_as_failed_and_a_live_one_is_not(postgresql_only):
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    dead = JobRun.objects.create(job="deadline_sweep", started_at=long_ago)
    alive = JobRun.objects.create(job="monthly_report", started_at=long_ago)
    worker = _other_session()  # a worker still running `alive`
    worker.execute("SELECT pg_advisory_lock(%s)", [jobs._lock_key(alive.pk)])
    gone = _other_session()  # a worker killed while running `dead`: its session ended with it
    gone.execute("SELECT pg_advisory_lock(%s)", [jobs._lock_key(dead.pk)])
    gone_pid = gone.execute("SELECT pg_backend_pid()").fetchone()[0]
    gone.close()
    _wait_until_session_ended(worker, gone_pid)
    try:
        assert jobs.mark_dead_runs() == 1
    finally:
        worker.close()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobRunStatus.FAILED and "stopped" in dead.error and dead.finished_at
    assert alive.status == JobRunStatus.RUNNING


@pytest.mark.django_db(transaction=True)
def test_a_recorded_job_holds_its_lock_while_it_runs_so_another_worker_does_not_take_it_for_dead(
    postgresql_only,
):
    other = _other_session()  # another worker's check
    try:
        with jobs.recorded_job("check_deadlines") as run:
            taken = other.execute("SELECT pg_try_advisory_lock(%s)", [jobs._lock_key(run.pk)]).fetchone()[0]
            assert taken is False
            run.summary = "done"
        # Finished: the lock is free again, and the run is recorded as it ended.
        assert other.execute("SELECT pg_try_advisory_lock(%s)", [jobs._lock_key(run.pk)]).fetchone()[0] is True
    finally:
        other.close()
    run.refresh_from_db()
    assert run.status == JobRunStatus.SUCCEEDED


@pytest.mark.django_db
def test_on_sqlite_a_run_older_than_the_stale_limit_is_recorded_as_failed(settings):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL decides by the run's advisory lock (the test above)")
    settings.JOB_RUN_STALE_HOURS = 6
    old = JobRun.objects.create(job="x", started_at=timezone.now() - datetime.timedelta(hours=7))
    recent = JobRun.objects.create(job="y", started_at=timezone.now() - datetime.timedelta(hours=1))
    assert jobs.mark_dead_runs() == 1
    assert JobRun.objects.get(pk=old.pk).status == JobRunStatus.FAILED
    assert JobRun.objects.get(pk=recent.pk).status == JobRunStatus.RUNNING


@pytest.mark.django_db
def test_an_email_claimed_by_a_dead_worker_goes_after_about_a_minute_with_its_message_id(settings, mailoutbox):
    settings.EMAIL_CLAIM_SECONDS = 60
    recipient = UserFactory(username="amara", email="amara@council.example")
    notification = Notification.objects.create(recipient=recipient, subject="Due", body="Soon", email_wanted=True)
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=timezone.now() - datetime.timedelta(seconds=30)
    )
    assert deliver_pending_emails() == 0  # still within its claim
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert deliver_pending_emails() == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == notification_message_id(notification)
    assert deliver_pending_emails() == 0


@pytest.mark.django_db
def test_monthly_report_emails_left_by_a_crash_resume_on_a_later_day_with_stable_message_ids(settings):
    settings.MONTHLY_REPORT_RECIPIENTS = [f"lead{n}@council.example" for n in range(5)]
    settings.EMAIL_CLAIM_SECONDS = 60
    mail.outbox = []
    # The first working day's run stored the report and its email rows, then its worker died: two were sent,
    # one was claimed mid-send, two never started.
    report = MonthlyReport.objects.create(month=D("2025-03-01"), figures=_figures())
    rows = [MonthlyReportEmail.objects.create(report=report, email=a) for a in settings.MONTHLY_REPORT_RECIPIENTS]
    MonthlyReportEmail.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(sent_at=timezone.now())
    MonthlyReportEmail.objects.filter(pk=rows[2].pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=2))

    later = run_monthly_report(D("2025-04-09"))  # not the first working day
    assert later.skipped
    assert sorted(later.emailed) == ["lead2@council.example", "lead3@council.example", "lead4@council.example"]
    ids = {message.to[0]: message.extra_headers["Message-ID"] for message in mail.outbox}
    assert ids["lead3@council.example"] == report_message_id(rows[3])
    assert len(set(ids.values())) == 3
    assert run_monthly_report(D("2025-04-10")).emailed == []
    assert not MonthlyReportEmail.objects.filter(sent_at__isnull=True).exists()


def _figures():
    from reporting import selectors
    from reporting.monthly import jsonable

    return jsonable(selectors.monthly_figures(D("2025-03-01"), today=D("2025-04-01")))


def test_beat_delivers_emails_every_minute_and_runs_the_recovery_checks():
    schedules = {task: (minute, hour) for _, task, minute, hour, *_ in all_schedules()}
    assert schedules["casework.tasks.email_pending_notifications"] == ("*", "*")
    assert schedules["reporting.tasks.send_unsent_report_emails"] == ("*/5", "*")
    assert schedules["casework.tasks.mark_dead_job_runs"] == ("*/5", "*")
    assert schedules["sla.tasks.resume_recomputes"] == ("*/5", "*")
    assert "sla.tasks.check_deadlines" in schedules
