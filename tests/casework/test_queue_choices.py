"""The queues' officer, service area, team and issue nature lists are read once as (id, label) pairs and kept in
Django's cache (casework.choices): they must still list exactly the staff officers, follow every change made
through the ORM, and never let an officer who left be chosen, even while a cached list still shows them."""

import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from casework import choices
from casework.choices import ListedChoiceField
from casework.filters import officers
from casework.forms_rendering import AccessibleFormRenderer
from casework.models import Team
from casework.roles import Role, group_name
from complaints.filters import ComplaintFilter
from complaints.models import Complaint
from tests.factories import (
    IssueNatureFactory,
    ServiceAreaFactory,
    TeamFactory,
    UserFactory,
    log_complaint,
    make_office,
    portal_user,
)

pytestmark = pytest.mark.django_db


def options(page, select_id):
    select = re.search(rf'<select name="\w+"[^>]* id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select, select_id
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def officer_lists(client):
    page = client.get("/complaints/").content.decode()
    return options(page, "id_officer"), options(page, "reassign_handler")


@pytest.fixture
def people(officer):
    log_complaint()  # the reassign form shows when the queue has cases
    UserFactory(username="tom", first_name="Tom", last_name="Bennett", role=Role.INVESTIGATING_OFFICER)
    UserFactory(username="root", first_name="", last_name="", is_superuser=True)
    UserFactory(username="gone", first_name="Gail", last_name="Gone", role=Role.MANAGER, is_active=False)
    UserFactory(username="nobody", first_name="No", last_name="Role")
    portal_user("caseworker.mp", make_office()[0])


def test_the_filter_and_the_reassign_form_list_exactly_the_staff_officers(officer_client, officer, people):
    by_username, by_name = officer_lists(officer_client)
    tom, root = (get_user_model().objects.get(username=name) for name in ("tom", "root"))
    staff = sorted([officer, tom, root], key=lambda user: (user.first_name, user.last_name, user.username))
    assert by_username[1:] == [(str(user.pk), user.username) for user in staff]
    assert by_name == [("", "Choose an officer")] + [
        (str(user.pk), user.get_full_name() or user.username) for user in staff
    ]


def test_the_lists_follow_officers_joining_leaving_and_changing_roles(officer_client, people):
    officer_lists(officer_client)  # the lists are now cached
    newcomer = UserFactory(username="newcomer", first_name="Nia", last_name="New", role=Role.COMPLAINTS_OFFICER)
    tom = get_user_model().objects.get(username="tom")
    tom.is_active = False
    tom.save()
    nobody = get_user_model().objects.get(username="nobody")
    nobody.groups.add(Group.objects.get(name=group_name(Role.MANAGER)))

    by_username, by_name = officer_lists(officer_client)
    assert (dict(by_username)[str(newcomer.pk)], dict(by_name)[str(newcomer.pk)]) == ("newcomer", "Nia New")
    assert str(tom.pk) not in dict(by_username) and str(tom.pk) not in dict(by_name)
    assert dict(by_name)[str(nobody.pk)] == "No Role"

    nobody.groups.clear()
    newcomer.delete()
    by_username, by_name = officer_lists(officer_client)
    assert str(nobody.pk) not in dict(by_username) and str(newcomer.pk) not in dict(by_name)


def test_an_officer_deactivated_behind_the_cached_list_cannot_be_given_cases(officer_client, people):
    complaint = Complaint.objects.get()
    tom = get_user_model().objects.get(username="tom")
    officer_lists(officer_client)
    # An update sends no signal: the cached list may still show Tom, but choosing him is checked in the database.
    get_user_model().objects.filter(pk=tom.pk).update(is_active=False)
    assert str(tom.pk) in dict(officer_lists(officer_client)[1])

    response = officer_client.post(
        "/queues/complaints/reassign/", {"case": [complaint.pk], "handler": tom.pk, "scope": "selected"}
    )

    assert "Choose an officer from the list: only active staff can take cases." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.assigned_to is None


def test_the_officers_are_read_once_for_a_page_and_then_from_the_cache(officer_client, people):
    def officer_reads():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get("/complaints/").status_code == 200
        return sum(query["sql"].startswith('SELECT DISTINCT "auth_user"."id" AS "pk"') for query in queries)

    choices.forget_all()
    assert officer_reads() == 1  # for the filter and the reassign form
    assert officer_reads() == 0


def test_a_deactivated_officer_is_no_filter_value(officer, people):
    gone = get_user_model().objects.get(username="gone")
    queue = ComplaintFilter({"officer": str(gone.pk)}, queryset=Complaint.objects.all())
    assert not queue.form.is_valid() and "officer" in queue.form.errors


def test_areas_teams_and_issue_natures_follow_their_changes(officer_client):
    area, team, nature = ServiceAreaFactory(name="Repairs"), TeamFactory(name="North"), IssueNatureFactory(name="Damp")
    page = officer_client.get("/complaints/").content.decode()
    assert (str(area.pk), "Repairs") in options(page, "id_service_area")
    assert options(page, "id_team")[1:3] == [("null", "No team"), (str(team.pk), "North")]
    area.name, team.name, nature.name = "Repairs and maintenance", "North East", "Damp and mould"
    area.save(), team.save(), nature.save()
    added = TeamFactory(name="South")

    page = officer_client.get("/complaints/").content.decode()
    assert (str(area.pk), "Repairs and maintenance") in options(page, "id_service_area")
    assert [label for _value, label in options(page, "id_team")][1:] == ["No team", "North East", "South"]
    assert (str(nature.pk), "Damp and mould") in options(page, "id_issue_nature")
    Team.objects.filter(pk=added.pk).delete()  # a queryset's delete still sends post_delete
    assert "South" not in dict(options(officer_client.get("/complaints/").content.decode(), "id_team")).values()


class Plain(forms.Form):
    officer = forms.ModelChoiceField(queryset=officers(), required=False)
    area = forms.ModelChoiceField(queryset=Team.objects.all(), empty_label="Every team")


class Listed(forms.Form):
    officer = ListedChoiceField(queryset=officers(), required=False, listed=choices.officers_by_username)
    area = ListedChoiceField(queryset=Team.objects.all(), empty_label="Every team", listed=choices.teams)


@pytest.mark.parametrize("data", [None, {"officer": "", "area": ""}, "chosen", {"officer": "junk", "area": "0"}])
def test_a_listed_field_writes_what_the_model_field_writes(officer, data):
    TeamFactory(name="Repairs <& Maintenance>")
    team = TeamFactory(name='Say "x"')
    if data == "chosen":
        data = {"officer": str(officer.pk), "area": str(team.pk)}
    ours, django = Listed(data, renderer=DjangoTemplates()), Plain(data, renderer=DjangoTemplates())
    for name in ("officer", "area"):
        assert str(ours[name]) == str(django[name]), name
    ours = Listed(data, renderer=AccessibleFormRenderer())  # the project's Python-written select too
    for name in ("officer", "area"):
        assert parse_html(str(ours[name])) == parse_html(str(django[name])), name
    if data:
        assert ours.is_valid() == django.is_valid()
        assert ours.errors == django.errors
