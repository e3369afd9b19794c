"""Urgent cases (imminent eviction, domestic abuse, safeguarding, homeless tonight): flagged at intake or later,
with a reason from a list, and told at once to whoever hears of urgent cases (casework.services.urgent_recipients).
The two transitions here are part of every case kind's workflow."""

from django import forms
from django.utils import timezone

from casework.actions import ActionForm
from casework.models import UrgentReason
from casework.services import notify_urgent
from casework.workflow import Done, Transition, require_input
from casework.workflow import name_of as _name


class UrgentForm(ActionForm):
    reason = forms.ChoiceField(
        label="Why it is urgent",
        choices=[("", "Choose"), *UrgentReason.choices],
        error_messages={"required": "Choose why it is urgent."},
    )
    details = forms.CharField(
        label="Details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the senior manager needs to know now.",
    )


class ClearUrgentForm(ActionForm):
    reason = forms.CharField(
        label="Why it is no longer urgent",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why it is no longer urgent."},
    )


def _not_urgent_yet(case, actor):
    return "It is already flagged urgent." if case.is_urgent else None


def _urgent_already(case, actor):
    return None if case.is_urgent else "It is not flagged urgent."


def _check_flag(case, data, actor, problems):
    if data.get("reason") not in UrgentReason.values:
        problems.add("reason", "Choose why it is urgent.")


def flag(case, *, actor, reason, details=""):
    case.is_urgent = True
    case.urgent_reason = reason
    case.urgent_since = timezone.now()
    case.save(update_fields=["is_urgent", "urgent_reason", "urgent_since", "updated_at"])
    if hasattr(case, "urgent_reasons") and reason not in case.urgent_reasons:  # an enquiry keeps every reason
        case.urgent_reasons = [*case.urgent_reasons, reason]
        case.save(update_fields=["urgent_reasons"])
    why = UrgentReason(reason).label + (f": {details.strip()}" if details.strip() else "")
    told = notify_urgent(case, reasons=why)
    names = ", ".join(sorted({_name(n.recipient) for n in told})) or "nobody (no manager could be found)"
    return Done(f"Flagged urgent: {why}. Told at once: {names}.", data={"reason": reason})


def _check_clear(case, data, actor, problems):
    require_input(data, "reason", "Say why it is no longer urgent.", problems)


def clear(case, *, actor, reason):
    case.is_urgent = False
    case.urgent_reason = ""
    case.save(update_fields=["is_urgent", "urgent_reason", "updated_at"])
    return Done(f"No longer urgent: {reason.strip()}")


def transitions(open_statuses):
    """The two urgent transitions, for a kind whose open statuses are `open_statuses`."""
    return [
        Transition(
            "flag_urgent", "Flag as urgent", "flagged urgent", frozenset(open_statuses), flag, form=UrgentForm,
            check=_check_flag, guards=(_not_urgent_yet,), warning=True, done="Flagged urgent: managers told.",
        ),
        Transition(
            "clear_urgent", "No longer urgent", "cleared of its urgent flag", frozenset(open_statuses), clear,
            form=ClearUrgentForm, check=_check_clear, guards=(_urgent_already,), done="No longer flagged urgent.",
        ),
    ]  # fmt: skip
