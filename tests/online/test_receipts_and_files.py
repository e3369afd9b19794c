"""The receipt email goes once, whatever retries or second workers do; files of forms never sent are removed;
the same form sent at the same moment from two requests makes one case (PostgreSQL)."""

import datetime
import os
import threading
import uuid

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from online import services, uploads
from online.models import OnlineSubmission
from tests.factories import ServiceAreaFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def answers(**changes):
    from casework.models import ServiceArea

    fields = {
        "complaint": True,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "service_area": ServiceArea.objects.get(name="Responsive Repairs"),
        "description": "Leak under the sink.",
        "contact_method": "email",
        "email": "ada@example.org",
        "complaint_type": "delay",
        "outcome_wanted": "Fix it.",
        "issue_occurred_on": datetime.date(2025, 3, 3),
    }
    fields.update(changes)
    return services.OnlineAnswers(**fields)


@pytest.mark.django_db
def test_the_receipt_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission, created = services.submit(
            answers=answers(), submission_key=uuid.uuid4(), sender_address="192.0.2.1"
        )
    assert created and len(mail.outbox) == 1
    assert services.deliver_acknowledgement(submission.pk) is False
    assert services.deliver_pending_acknowledgements() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<online-{submission.submission_key}@127.0.0.1>"


@pytest.mark.django_db
def test_a_receipt_a_dead_worker_left_is_sent_by_the_hourly_job():
    # Without running the after-commit step, as if the worker died before sending.
    submission, _ = services.submit(answers=answers(), submission_key=uuid.uuid4(), sender_address="192.0.2.1")
    assert mail.outbox == []
    assert services.deliver_pending_acknowledgements() == 0  # too recent: a worker may still be on it
    OnlineSubmission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.deliver_pending_acknowledgements() == 1
    assert services.deliver_pending_acknowledgements() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_no_email_no_receipt(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(
            answers=answers(contact_method="phone", email="", phone="07700 900982"),
            submission_key=uuid.uuid4(),
            sender_address="192.0.2.1",
        )
    assert mail.outbox == []


def test_files_of_forms_never_sent_are_removed_after_a_day(settings):
    token = uuid.uuid4().hex
    kept_for = datetime.timedelta(hours=settings.ONLINE_UPLOADS_KEPT_HOURS)

    def held(name, age):
        # Files dated by this process's clock (which the suite may run moved ahead), not the file system's.
        path = default_storage.save(f"online-pending/{token}/{name}", ContentFile(b"x"))
        when = (timezone.now() - age).timestamp()
        os.utime(default_storage.path(path), (when, when))
        return path

    old = held("old", kept_for + datetime.timedelta(minutes=1))
    new = held("new", datetime.timedelta(minutes=5))
    assert uploads.remove_abandoned() == 1
    assert not default_storage.exists(old) and default_storage.exists(new)
    assert uploads.remove_abandoned(now=timezone.now() + kept_for) == 1
    assert not default_storage.exists(new)


def test_a_held_files_folder_is_the_forms_own_token():
    with pytest.raises(ValueError):
        uploads.discard_all("../attachments")


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_makes_one_case(postgresql_only):
    ServiceAreaFactory(name="Responsive Repairs")
    key = uuid.uuid4()
    results, errors = [], []
    barrier = threading.Barrier(2)

    def send():
        try:
            barrier.wait()
            results.append(services.submit(answers=answers(), submission_key=key, sender_address="192.0.2.1"))
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert Complaint.objects.count() == 1 and OnlineSubmission.objects.count() == 1
