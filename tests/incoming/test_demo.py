import io

import pytest
from django.core.management import call_command

from incoming.models import IncomingEmail, IncomingStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_email_waiting_one_threaded_and_one_set_aside_and_loads_once():
    call_command("seed_demo", stdout=io.StringIO())
    statuses = sorted(IncomingEmail.objects.values_list("status", flat=True))
    assert statuses == sorted([IncomingStatus.NEW, IncomingStatus.THREADED, IncomingStatus.SET_ASIDE])
    assert IncomingEmail.objects.get(status=IncomingStatus.NEW).attachments.count() == 1
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo emails already taken in." in out.getvalue() and IncomingEmail.objects.count() == 3
