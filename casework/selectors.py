"""Reads shared by every case type."""

from django.core.exceptions import MultipleObjectsReturned
from django.db import connections
from django.db.models import F, Q
from django.db.models.functions import Collate, Upper

from casework import search
from casework.models import Case, CaseAccess, CaseLink, Notification, Property, Resident
from casework.permissions import visible_cases, visible_residents


def open_cases_assigned_to(user):
    """The 'my work' list: open cases of every type assigned to the user, soonest deadline first."""
    return (
        Case.objects.filter(assigned_to=user, closed_at__isnull=True)
        .select_related("service_area", "resident")
        .order_by("-is_urgent", F("next_due_on").asc(nulls_last=True), "received_on", "id")
    )


def only_match(queryset):
    """The one row of a query filtered on a unique key (a case's reference), or None.

    Read without `.first()`'s ORDER BY ... LIMIT 1, on purpose: given a LIMIT, PostgreSQL's planner also
    weighs plans that return a first row early, and for a case page's dozen joins that made planning cost 20 to
    50 ms of CPU on every request (4 ms without), a hundred times the query's own run (docs/performance.md)."""
    rows = list(queryset.order_by())
    if len(rows) > 1:
        raise MultipleObjectsReturned(f"{len(rows)} rows where a unique key allows one")
    return rows[0] if rows else None


def case_for_user(user, reference):
    """A case the user may see, or None (so the view answers 404 and leaks nothing)."""
    return only_match(
        visible_cases(user, Case.objects.all())
        .select_related("service_area", "resident", "assigned_to")
        .filter(reference=reference)
    )


def timeline_of(case, *, member_view=False):
    events = case.timeline.select_related("actor")
    if member_view:
        events = events.filter(visible_to_member=True)
    return events


# A case page shows this many of its latest timeline events; the rest are one link away (`?history=all`).
TIMELINE_RECENT = 50


def timeline_for_page(case, request, *, limit=TIMELINE_RECENT):
    """The timeline a case page shows: its latest `limit` events, oldest first, or every event when the page is
    asked for `?history=all`. A case with thousands of events otherwise spent most of its page's time rendering
    them (docs/performance.md).

    Returns the context the timeline include reads: `timeline`, `timeline_hidden` (how many earlier events are
    left out) and `timeline_all` (the full history is shown)."""
    events = timeline_of(case)
    if request.GET.get("history") == "all":
        return {"timeline": list(events), "timeline_hidden": 0, "timeline_all": True}
    latest = list(events.order_by("-occurred_at", "-id")[: limit + 1])
    hidden = 0
    if len(latest) > limit:
        latest = latest[:limit]
        hidden = case.timeline.count() - limit
    latest.reverse()
    return {"timeline": latest, "timeline_hidden": hidden, "timeline_all": False}


def notes_of(case):
    """A case's notes, newest first, with their authors in the same query (a page names each note's author)."""
    return case.notes.select_related("author")


def links_of(case, user=None):
    """The case's links to other cases, oldest first, each as (link, the other case), in one query; with `user`,
    only those to cases the user may see (a link names the other case and its summary)."""
    links = (
        CaseLink.objects.filter(Q(case=case) | Q(other=case))
        .select_related("case", "other", "created_by")
        .order_by("created_at", "id")
    )
    pairs = [(link, link.other_than(case)) for link in links]
    if user is not None and pairs:
        seen = set(
            visible_cases(user, Case.objects.filter(pk__in=[other.pk for _, other in pairs])).values_list(
                "pk", flat=True
            )
        )
        pairs = [(link, other) for link, other in pairs if other.pk in seen]
    return pairs


def case_by_reference(user, reference):
    """A case of any kind the user may see, by its reference as typed (spaces trimmed, any case), or None."""
    reference = (reference or "").strip()
    if not reference:
        return None
    # Exact (the unique index answers), as typed or in capitals: references are written in capitals.
    rows = list(visible_cases(user, Case.objects.all()).filter(reference__in={reference, reference.upper()}).order_by())
    return next((row for row in rows if row.reference == reference), rows[0] if rows else None)


def unread_notification_count(user):
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user).select_related("case")


def case_accesses(*, case_reference="", username=""):
    entries = CaseAccess.objects.select_related("case", "user")
    if case_reference:
        entries = entries.filter(case__reference=case_reference)
    if username:
        entries = entries.filter(user__username=username)
    return entries


def _at_postcode(word):
    """The residents of the homes whose postcode begins with `word`, as [a condition on their home] if there are
    fewer than FEW_ROWS such homes (none if there are none or `word` is no postcode); None if there are more. The
    homes' ids are read first, from the postcode's index: joined to the residents instead, PostgreSQL hashed every
    resident to find a sector's."""
    postcode = search.postcode_q(word, ["postcode_key"])
    if postcode is None:
        return []
    homes = search.few_ids(Property.objects.filter(postcode))
    if homes is None:
        return None
    return [search.AmongIds("home_id", homes)] if homes else []


FOUND_RESIDENTS = 50  # what find a resident lists


def name_order(using="default"):
    """Find a resident's order: last name, then first name, ignoring case, then id. In the "C" collation on
    PostgreSQL (SQLite's own), so that a surname typed is one range of `resident_name_key_idx`, whatever the
    database's collation."""
    if connections[using].vendor == "postgresql":
        return [Collate(Upper("last_name"), "C"), Collate(Upper("first_name"), "C"), "pk"]
    return [Upper("last_name"), Upper("first_name"), "pk"]


def _first_by_one_name(residents, word):
    """The first FOUND_RESIDENTS residents in `name_order` whose last name, first name or email begins with `word`,
    as ids. Asked as one OR in name order, PostgreSQL walked the names from the start, expecting the matches spread
    through them, when a surname's are together: the first Smith came after 162,000 others (0.9 s among 1,000,000
    complaints). Each is asked for its own first ones, the last name as a range of the name order's index, and the
    three lists are merged."""
    order = name_order(residents.db)
    surname = residents.alias(surname=order[0]).filter(surname__startswith=word.upper())
    found = {}
    for matching in (
        surname,
        residents.filter(first_name__istartswith=word),
        residents.filter(email__istartswith=word),
    ):
        rows = matching.annotate(last=order[0], first=order[1]).order_by(*order)
        found.update(
            (pk, (last, first, pk)) for pk, last, first in rows.values_list("pk", "last", "first")[:FOUND_RESIDENTS]
        )
    return sorted(found, key=found.get)[:FOUND_RESIDENTS]


def sorted_name_order():
    """`name_order` as no index holds it, so that the database sorts the matches it has found rather than walk the
    names' index looking for them."""
    return [Upper("last_name"), Upper("first_name"), "pk"]


def _named(word):
    """Residents whose first name, last name or email begins with `word`, in any case."""
    return Q(first_name__istartswith=word) | Q(last_name__istartswith=word) | Q(email__istartswith=word)


def find_residents(query, user=None, residents=None, every=False):
    """Residents whose name, email, phone or postcode starts with the words typed, in `name_order`; with `user`, only
    those whose details that user may see. Of one name, the first FOUND_RESIDENTS, unless `every` (a list that is
    paged, such as the admin's): then every one, in `sorted_name_order`."""
    residents = Resident.objects.select_related("home") if residents is None else residents
    if user is not None:
        residents = visible_residents(user, residents)
    order = name_order(residents.db)
    keys = search.resident_key_conditions(query)
    if keys and len(query.split()) > 1:
        # "SW1A 1AA" or "07700 900123": one postcode or number, not two words.
        return residents.filter(Q(*keys, _connector=Q.OR)).order_by(*order)
    words = query.split()
    if len(words) == 1 and not keys and words[0].isascii() and search.name_words(words[0]):
        # One name ("Smith"). ASCII, so that Python's upper case is PostgreSQL's.
        if every:
            # Each condition has its index (upper case, prefix), OR-ed into one bitmap; sorted, as walking the names'
            # index in order meets a surname's residents only once it reaches them (162,000 before the first Smith).
            return residents.filter(_named(words[0])).order_by(*sorted_name_order())
        return residents.filter(search.AmongIds("pk", _first_by_one_name(residents, words[0]))).order_by(*order)
    everyone, by_name_alone = residents, True
    for word in query.split():
        named = _named(word)
        keys = search.resident_key_conditions(word)
        by_name_alone = by_name_alone and not keys
        at_homes = _at_postcode(word) if keys else None
        if at_homes is not None:
            # A name OR a home's postcode is answered by no index: PostgreSQL walked every resident in name order
            # for the dozen at a postcode, and for a district or sector with few homes or none ("n24": 331, 1.5 s;
            # "sw1a": none, 1.1 s among 1,000,000 complaints). Each side's ids come from its own index, and only
            # those are sorted. A district's thousands of homes are met soon in name order (sorted, they took
            # 400-700 ms), so it stays one OR, as does a word that matches FEW_ROWS residents or more.
            either = [named, search.phone_q(word, ["phone_digits"]), *at_homes]
            ids = search.ids_meeting_any(residents, either, search.FEW_ROWS)
            if ids is None:
                residents = residents.filter(Q(named, *keys, _connector=Q.OR))
            else:
                residents = residents.filter(search.AmongIds("pk", ids)) if ids else residents.none()
        else:
            residents = residents.filter(Q(named, *keys, _connector=Q.OR))
    if by_name_alone:
        # "Chiamaka Jones": each word is common, the two together rare, and PostgreSQL, expecting the matches
        # spread through the names, walked them in order to the Joneses. Asked for the ids without the order, it
        # combines the words' indexes; a name matching many ("Smith") is met soon in name order, so stays as it was.
        ids = search.few_ids(residents)
        if ids is not None:
            residents = everyone.filter(search.AmongIds("pk", ids)) if ids else everyone.none()
    return residents.order_by(*order)


def team_recipients(case):
    """Who hears about a case nobody is assigned to: the officers of its team and the team's manager; with no
    team, those of the teams that cover its service area; with none of those, the duty senior managers."""
    from django.contrib.auth import get_user_model

    from casework.models import Team

    users = get_user_model().objects.filter(is_active=True)
    teams = (
        Team.objects.filter(pk=case.team_id)
        if case.team_id
        else Team.objects.filter(service_areas=case.service_area_id)
    )
    found = users.filter(Q(officer__team__in=teams) | Q(managed_teams__in=teams)).distinct().order_by("pk")
    if not found.exists():
        found = users.filter(officer__is_duty_senior_manager=True).order_by("pk")
    return list(found)


# --- Officers' tools on a queue -----------------------------------------------------------------------


def teams_of(user):
    """The teams an officer belongs to: their own (their profile's) and those they manage."""
    from casework.models import Team

    return Team.objects.filter(Q(officers__user=user) | Q(manager=user)).distinct()


def saved_views_for(user, queue):
    """The views of a queue an officer can open: their own and those shared with their teams."""
    from casework.models import SavedView

    return (
        SavedView.objects.filter(queue=queue)
        .filter(Q(owner=user) | Q(team__in=teams_of(user)))
        .select_related("owner", "team")
        .order_by("name", "id")
    )


def saved_view_for(user, pk):
    """A saved view the user can see (their own or their team's), or None."""
    from casework.models import SavedView

    return (
        SavedView.objects.filter(pk=pk)
        .filter(Q(owner=user) | Q(team__in=teams_of(user)))
        .select_related("team")
        .first()
    )


def selected_cases(queue, user, *, ids=(), query="", everything=False, limit=None):
    """The cases a bulk action is for: every case matching the queue's filter (`query`, the page's own query
    string) when `everything`, else those of `ids` the user may see. Returns (cases, unknown): `unknown` counts
    the ids that name no case of the queue this user may see (or are not numbers), so nothing is revealed
    about cases they may not see. With `limit`, at most limit + 1 cases are read, enough to say there are too
    many."""
    from django.http import QueryDict

    if everything:
        filterset = queue.filterset(user, QueryDict(query or ""))
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        return list(rows[: limit + 1] if limit else rows), 0
    wanted = set()
    unknown = 0
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if 0 < number < 2**63:  # beyond a database integer no case has it
            wanted.add(number)
        else:
            unknown += 1
    found = list(queue.cases(user).filter(pk__in=wanted)) if wanted else []
    unknown += len(wanted) - len(found)
    return found, unknown


def queue_export_rows(queue, user, params):
    """The cases of a queue's export: filtered exactly as the page is (an invalid filter matches nothing), in
    the queue's order, with what its columns read joined."""
    filterset = queue.filterset(user, params)
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


# An export reads its cases this many at a time, and the open clocks of each batch in one more query.
EXPORT_BATCH = 2000


def queue_export_table(queue, rows, on_batch=None):
    """The header and the rows of an export. The rows are read as they are written, a batch at a time: one
    query for the cases (a server-side cursor on PostgreSQL) and one per batch for their open clocks, whose due
    dates the export shows (a subquery per row made PostgreSQL look through every open clock of the kind for
    each case: 60 s for 9,000 cases among a million). `on_batch(case_ids)` is called with each batch's ids
    before its rows are written (the access log)."""
    header = [header for header, _ in queue.export_columns]
    getters = [getter for _, getter in queue.export_columns]

    def written(batch):
        if batch and on_batch is not None:
            on_batch([case.pk for case in batch])
        return ([getter(case) for getter in getters] for case in attach_open_clock_dues(batch))

    def table():
        batch = []
        for row in rows.iterator(chunk_size=EXPORT_BATCH):
            batch.append(row)
            if len(batch) >= EXPORT_BATCH:
                yield from written(batch)
                batch = []
        yield from written(batch)

    return header, table()


def attach_open_clock_dues(cases):
    """Set `open_due` on each case: {clock kind: the earliest due date of its open clocks of that kind}, read in
    one query for them all. Returns the cases."""
    from sla.models import Clock

    by_id = {case.pk: case for case in cases}
    for case in cases:
        case.open_due = {}
    if not by_id:
        return cases
    clocks = Clock.objects.filter(case_id__in=by_id, stopped_on__isnull=True, due_on__isnull=False)
    for case_id, kind, due_on in clocks.order_by().values_list("case_id", "kind", "due_on"):
        dues = by_id[case_id].open_due
        if kind not in dues or due_on < dues[kind]:
            dues[kind] = due_on
    return cases


def resident_for(user, pk):
    """A resident whose details the user may see, with their home and representatives, or None."""
    return only_match(
        visible_residents(user, Resident.objects.select_related("home"))
        .prefetch_related("representatives")
        .filter(pk=pk)
    )


def resident_cases(user, resident):
    """Every case about the resident that the user may see, of every kind (casework.subject_access.cases_of:
    theirs, and those the apps register as about them), newest first, in one query."""
    from casework.subject_access import cases_of

    return list(
        visible_cases(user, cases_of(resident))
        .select_related("service_area", "assigned_to")
        .order_by("-received_on", "-id")
    )


def resident_safeguards(resident):
    """What the apps record that officers must know before acting for the resident: [(what, detail)]."""
    from casework import registry

    return [row for provider in registry.resident_safeguard_providers() for row in provider(resident)]
