"""The retention schedule: personal data of closed cases is removed a number of years after they closed
(settings.RETENTION_YEARS, 6 by default), keeping what the reports count (dates, stages, outcomes, service
areas, issue natures, amounts) and the timeline of what was done and when (each entry's kind and date; its
words, which quote responses, evidence and names, go too).

A case is due when it closed before the cut-off date and its resident has no case still open. Its free text
(summary, descriptions, notes, messages, responses) is replaced, its attachments are deleted with their files,
and its rows in the history tables are deleted (they hold the old values). A resident whose every case has
been anonymised loses their name and contact details the same way, and the officers' saved views that name them
are deleted (casework.saved_view_subjects).

Run `manage.py apply_retention --dry-run` to see what would go. Each app registers the free text it holds
(casework.registry.personal_data, from its personal_data module); a model whose app is not installed is
skipped."""

import datetime
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone

from casework import registry

logger = logging.getLogger(__name__)

REMOVED = "Removed under the retention schedule."

# Free text the kernel's own tables hold; each app adds its own (casework.registry.personal_data).
# On a case's own tables: {model label: {field: replacement}}, only the rows of due cases changed.
CASE_TEXT = {"casework.Case": {"summary": "Anonymised case"}}
# On rows that belong to a case: (model label, path from the row to the case's id, {field: value}).
RELATED_TEXT = [
    ("casework.Note", "case_id", {"body": REMOVED}),
    ("casework.TimelineEvent", "case_id", {"summary": REMOVED, "data": {}}),
    ("casework.Notification", "case_id", {"subject": "Anonymised case", "body": REMOVED}),
]

# What is kept of a resident once all their cases are anonymised.
RESIDENT_FIELDS = {
    "title": "",
    "first_name": "Anonymised",
    "last_name": "resident",
    "email": "",
    "phone": "",
    "phone_digits": "",
    "address": "",
    "vulnerability_notes": "",
    "reasonable_adjustments": "",
}
REPRESENTATIVE_FIELDS = {
    "name": "Anonymised",
    "organisation": "",
    "email": "",
    "phone": "",
    "phone_digits": "",
    "address": "",
}


def _case_text():
    return {**CASE_TEXT, **registry.PERSONAL_DATA.case_text}


def _related_text():
    return [*RELATED_TEXT, *registry.PERSONAL_DATA.related_text]


def _resident_text():
    return list(registry.PERSONAL_DATA.resident_text)


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def cutoff_date(today=None, years=None):
    """Cases that closed before this day are due: `years` whole years before today (28 Feb for 29 Feb)."""
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_cases(today=None, years=None):
    from casework.models import Case

    cutoff = cutoff_date(today, years)
    start_of_cutoff = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    open_case_of_resident = Case.objects.filter(resident_id=OuterRef("resident_id"), closed_at__isnull=True)
    return (
        Case.objects.filter(closed_at__lt=start_of_cutoff, anonymised_at__isnull=True)
        .filter(Q(resident__isnull=True) | ~Exists(open_case_of_resident))
        .order_by("closed_at", "id")
    )


def residents_to_anonymise(case_ids):
    """Residents of these cases whose every other case is anonymised or among them."""
    from casework.models import Case, Resident

    other_live_case = Case.objects.filter(resident_id=OuterRef("pk"), anonymised_at__isnull=True).exclude(
        pk__in=case_ids
    )
    resident_ids = Case.objects.filter(pk__in=case_ids, resident__isnull=False).values("resident_id")
    return Resident.objects.filter(pk__in=resident_ids, anonymised_at__isnull=True).exclude(Exists(other_live_case))


@dataclass
class RetentionReport:
    cutoff: datetime.date
    years: int
    dry_run: bool
    cases_by_kind: dict = field(default_factory=dict)
    residents: int = 0
    attachments: int = 0
    saved_views: int = 0
    oldest_closed: datetime.datetime | None = None
    newest_closed: datetime.datetime | None = None
    examples: list = field(default_factory=list)

    @property
    def cases(self):
        return sum(self.cases_by_kind.values())

    def lines(self):
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"Retention schedule: cases closed before {self.cutoff:%-d %B %Y} ({self.years} years)"
            + (" - dry run, nothing changed" if self.dry_run else ""),
            f"{self.cases} cases {verb} anonymised"
            + (
                ": " + ", ".join(f"{count} {kind}" for kind, count in sorted(self.cases_by_kind.items()))
                if self.cases
                else ""
            ),
            f"{self.residents} residents {verb} anonymised; {self.attachments} attachments {verb} deleted",
            f"{self.saved_views} saved views naming those residents {verb} deleted",
        ]
        if self.oldest_closed:
            lines.append(f"Closed between {self.oldest_closed:%-d %b %Y} and {self.newest_closed:%-d %b %Y}")
        if self.examples:
            lines.append("For example: " + ", ".join(self.examples))
        return lines

    def __str__(self):
        return "\n".join(self.lines())


def apply_retention(*, dry_run=True, today=None, years=None, limit=None):
    """Anonymise the cases due (or, with dry_run, only report them). `limit` caps one run's cases, oldest
    first, so a first run over many years of data can be spread over several nights."""
    from casework.models import Attachment, Case, Representative

    years = settings.RETENTION_YEARS if years is None else years
    due = due_cases(today, years)
    if limit:
        due = due.filter(pk__in=list(due.values_list("pk", flat=True)[:limit]))
    report = RetentionReport(cutoff=cutoff_date(today, years), years=years, dry_run=dry_run)
    report.cases_by_kind = {
        row["kind"]: row["n"] for row in due.order_by().values("kind").annotate(n=Count("id")).order_by("kind")
    }
    span = due.aggregate(oldest=Min("closed_at"), newest=Max("closed_at"))
    report.oldest_closed, report.newest_closed = span["oldest"], span["newest"]
    report.examples = list(due.values_list("reference", flat=True)[:10])
    case_ids = list(due.values_list("pk", flat=True))
    report.attachments = Attachment.objects.filter(case_id__in=case_ids).count()
    residents = residents_to_anonymise(case_ids)
    report.residents = residents.count()
    views = _saved_views_naming(residents)
    report.saved_views = len(views)
    if dry_run or not case_ids:
        return report

    now = timezone.now()
    with transaction.atomic():
        resident_ids = list(residents.values_list("pk", flat=True))
        for label, fields in _case_text().items():
            model = _model(label)
            if model is not None:
                model.objects.filter(pk__in=case_ids).update(**fields)
        for label, path, fields in _related_text():
            model = _model(label)
            if model is not None:
                model.objects.filter(**{f"{path}__in": case_ids}).update(**fields)
        files = list(Attachment.objects.filter(case_id__in=case_ids).values_list("file", flat=True))
        for label, path, file_fields in registry.PERSONAL_DATA.related_files:
            model = _model(label)
            if model is not None:
                rows = model.objects.filter(**{f"{path}__in": case_ids})
                for name in file_fields:
                    files += [stored for stored in rows.values_list(name, flat=True) if stored]
                rows.update(**dict.fromkeys(file_fields, ""))
        Attachment.objects.filter(case_id__in=case_ids).delete()
        Case.objects.filter(pk__in=case_ids).update(anonymised_at=now)
        _delete_history(Case, case_ids)

        from casework.models import Resident, SavedView

        Resident.objects.filter(pk__in=resident_ids).update(anonymised_at=now, **RESIDENT_FIELDS)
        Representative.objects.filter(resident_id__in=resident_ids).update(**REPRESENTATIVE_FIELDS)
        for label, path, fields in _resident_text():
            model = _model(label)
            if model is not None:
                model.objects.filter(**{f"{path}__in": resident_ids}).update(**fields)
        _delete_history(Resident, resident_ids)
        SavedView.objects.filter(pk__in=views).delete()
        transaction.on_commit(lambda: _delete_files(files))
    logger.info("Retention schedule anonymised %s cases and %s residents", len(case_ids), len(resident_ids))
    return report


def _saved_views_naming(residents):
    """The ids of the saved views that name any of these residents: once the resident is anonymised such a view
    finds nobody, and it still holds what identified them (decision 0016)."""
    from casework.models import Case
    from casework.saved_view_subjects import views_naming

    residents = list(residents.select_related("home"))
    references = {}
    for resident_id, reference in Case.objects.filter(resident__in=residents).values_list("resident_id", "reference"):
        references.setdefault(resident_id, []).append(reference)
    return sorted({view.pk for found in views_naming(residents, references).values() for view in found})


def _delete_history(base, ids):
    """Delete the history rows (django-simple-history) of these objects, for the model and those extending it."""
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and issubclass(instance_type, base):
            model.objects.filter(id__in=ids).delete()


def _delete_files(names):
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete attachment file %s", name)
