"""A note or an attachment that cannot be saved sends the officer back to the top of the case page, where
the message saying why is; a saved one goes to its section."""

import datetime

import pytest

from casework.roles import Role
from tests.factories import UserFactory, log_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(client):
    client.force_login(UserFactory(username="amara", role=Role.COMPLAINTS_OFFICER))
    return log_complaint(received_on=datetime.date(2025, 6, 2))


def test_an_empty_note_returns_to_the_top_with_the_reason(client, complaint):
    response = client.post(f"/cases/{complaint.reference}/notes/", {"body": ""})
    assert response.url == complaint.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert 'class="notification notification--error" role="alert"' in page
    assert not complaint.notes.exists()


def test_a_saved_note_goes_to_the_notes(client, complaint):
    response = client.post(f"/cases/{complaint.reference}/notes/", {"body": "Rang the resident."})
    assert response.url == complaint.get_absolute_url() + "#notes"
    assert complaint.notes.get().body == "Rang the resident."


def test_an_attachment_without_a_file_returns_to_the_top(client, complaint):
    response = client.post(f"/cases/{complaint.reference}/attachments/", {"description": "Photo"})
    assert response.url == complaint.get_absolute_url()
    assert "notification--error" in client.get(response.url).content.decode()
