"""The choice lists every queue's filters and tools show (officers, service areas, teams, issue natures), read as
(id, label) pairs and kept in Django's cache.

Built from model instances, read through a server-side cursor each time a form was made, they cost a third of a
queue page's CPU (among 1,000,000 complaints: the officers, read twice, ~12 ms of ~90). A list is shown from the
cache, but what is chosen is still checked against the field's queryset in the database, so an officer who left
can never be given cases, even while a list still shows them.

A change through the ORM's signals (a user saved or deleted, their groups changed, a group or an area renamed)
starts a new generation of the list, in the shared cache, so every process reads it again; writes that bypass the
signals (`QuerySet.update`, raw SQL, a locmem cache in another development process), or a list read inside a
transaction that changed it and was then rolled back, are seen within `CHOICES_TIMEOUT`."""

import contextlib
import uuid

from asgiref.local import Local
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_filters import ModelChoiceFilter
from django_filters import fields as filter_fields

CHOICES_TIMEOUT = 300  # seconds: how stale a list can be after a write that sends no signal
GENERATION_TIMEOUT = 24 * 3600


def _officer_rows():
    from casework.filters import officers

    # The name as User.get_full_name() or get_username() gives it, and the username (str(user)).
    return [
        (pk, f"{first} {last}".strip() or username, username)
        for pk, first, last, username in officers().values_list("pk", "first_name", "last_name", "username")
    ]


def _named_rows(model_name):
    def read():
        from casework import models

        return list(getattr(models, model_name).objects.values_list("pk", "name"))

    return read


# Each list, how it is read, and what changes it.
LISTS = {
    "officers": (_officer_rows, lambda: [get_user_model(), get_user_model().groups.through, Group]),
    "service_areas": (_named_rows("ServiceArea"), lambda: [_model("ServiceArea")]),
    "teams": (_named_rows("Team"), lambda: [_model("Team")]),
    "issue_natures": (_named_rows("IssueNature"), lambda: [_model("IssueNature")]),
}


def _model(name):
    from casework import models

    return getattr(models, name)


def _keys(name):
    # The database's name too: test workers and the benchmarks share one Redis but not one database.
    prefix = f"choices:{connection.settings_dict['NAME']}:{name}"
    return prefix, f"{prefix}:generation"


# The lists read during the current request: a queue page shows the officers twice (its filter and the
# reassign form) and four lists in all, read from the cache in one round trip (Redis: ~0.4 ms of CPU each).
_request = Local()


def _request_started(**kwargs):
    _request.lists = None  # none read yet


def _request_finished(**kwargs):
    with contextlib.suppress(AttributeError):
        del _request.lists  # what the next request shows is read again


def _fresh(names):
    """The rows of those of `names` whose cached rows are of the list's current generation."""
    keys = {name: _keys(name) for name in names}
    found = cache.get_many([key for pair in keys.values() for key in pair])
    fresh = {}
    for name, (key, generation_key) in keys.items():
        generation, stored = found.get(generation_key), found.get(key)
        if generation is not None and stored is not None and stored[0] == generation:
            fresh[name] = stored[1]
    return fresh


def _read(name):
    key, generation_key = _keys(name)
    generation = cache.get(generation_key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, GENERATION_TIMEOUT)
        generation = cache.get(generation_key)
    # The generation is read before the rows: if they change meanwhile, these are stored under the old one.
    rows = LISTS[name][0]()
    cache.set(key, (generation, rows), CHOICES_TIMEOUT)
    return rows


def choices(name):
    """The rows of one of `LISTS`: from this request's, else from the cache when of the current generation."""
    if not hasattr(_request, "lists"):  # outside a request (a task, the shell)
        return _fresh([name]).get(name) or _read(name)
    if _request.lists is None:  # the request's first: every list at once
        _request.lists = _fresh(LISTS)
    if name not in _request.lists:
        _request.lists[name] = _read(name)
    return _request.lists[name]


def choices_changed(name):
    """Start a new generation of a list now (this transaction's own reads see the change) and again once the
    change is committed (another process may have read the list between the two)."""
    _, generation_key = _keys(name)
    if getattr(_request, "lists", None):
        _request.lists.pop(name, None)

    def renew():
        cache.set(generation_key, uuid.uuid4().hex, GENERATION_TIMEOUT)

    renew()
    transaction.on_commit(renew)


def forget_all():
    """Read every list afresh (the tests: a transaction rolled back sends no signal)."""
    _request_finished()
    cache.delete_many([_keys(name)[1] for name in LISTS])


def officers_by_name():
    """The officers as the officer fields (casework.forms.OfficerChoiceField) name them."""
    return [(pk, name) for pk, name, _username in choices("officers")]


def officers_by_username():
    """The officers as the queues' officer filter has always named them (str(user), their username)."""
    return [(pk, username) for pk, _name, username in choices("officers")]


def service_areas():
    return choices("service_areas")


def teams():
    return choices("teams")


def issue_natures():
    return choices("issue_natures")


def connect_signals():
    request_started.connect(_request_started, dispatch_uid="casework.choices.request_started")
    request_finished.connect(_request_finished, dispatch_uid="casework.choices.request_finished")
    for name, (_read, senders) in LISTS.items():

        def changed(sender, name=name, **kwargs):
            choices_changed(name)

        for sender in senders():
            uid = f"casework.choices.{name}.{sender._meta.label}"
            if sender._meta.auto_created:  # the users' groups
                m2m_changed.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
            else:
                post_save.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
                post_delete.connect(changed, sender=sender, weak=False, dispatch_uid=uid)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """(id, label) pairs from the field's list; the field's queryset only checks what is chosen."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.listed_rows()

    def __len__(self):
        return len(self.field.listed_rows()) + (self.field.empty_label is not None)


class ListedMixin:
    """A model choice field that shows the (id, label) pairs `listed()` gives (one of the lists above, or a list
    of the user's own) rather than its queryset's instances."""

    def __init__(self, *args, listed, **kwargs):
        self.listed = listed
        self._rows = None
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied._rows = None  # each form reads the list afresh (from the cache)
        return copied

    def listed_rows(self):
        if self._rows is None:
            self._rows = self.listed()
        return self._rows


class ListedChoiceField(ListedMixin, forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class _ListedFilterIterator(filter_fields.ModelChoiceIterator, ListedChoiceIterator):
    pass  # django-filter's null choice ("No team") after the empty one, then the list


class ListedFilterField(ListedMixin, filter_fields.ModelChoiceField):
    iterator = _ListedFilterIterator


class ListedChoiceFilter(ModelChoiceFilter):
    """`ModelChoiceFilter` showing what `listed()` gives."""

    field_class = ListedFilterField
