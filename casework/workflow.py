"""The workflow kernel: each case kind's actions as data, all run the same way.

A kind (complaints, enquiries, ombudsman cases, learning plans) declares its `Transition`s once: name, label,
past tense, the statuses it may start from, its guards (rules about the case's state and about who is asking),
its input (one form, from which the page and the API's serializer are both made), its input rules, and the
function that performs it. A `Workflow` then answers, for every page, the API and the services alike:

- `why_not(case, name, actor)`: why the action is not allowed now, or None;
- `allowed(case, actor)`: the actions allowed now;
- `run(case, name, actor=..., **input)`: in one transaction, lock the case, check again on the locked row
  (so a lost race answers like a repeat), check the input, perform, write the history entry, and run the
  after-change hooks once (the reports' facts are refreshed by one of them).

The kernel knows no case kind: apps build their workflows from it and register what it needs from them in
`casework.registry`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from casework.errors import Forbidden, InvalidInput, NotAllowed, Problems


@dataclass
class Done:
    """What a transition did: the history entry to write (None: it wrote its own) and what to hand back."""

    summary: str | None
    result: Any = None
    data: dict = field(default_factory=dict)
    visible_to_member: bool = False
    event: str = ""  # the history entry's kind; the transition's name when empty


Guard = Callable[[Any, Any], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    past: str  # "acknowledged", for "A complaint that is 'closed' cannot be acknowledged."
    allowed_from: frozenset
    perform: Callable[..., Done]
    form: type | None = None  # the input, defined once (casework.actions makes the page and API from it)
    check: Callable | None = None  # check(case, data, actor, problems): input rules, every problem at once
    guards: tuple = ()  # guard(case, actor) -> reason or None: rules about the case's state (409)
    who: Guard | None = None  # who(case, actor) -> reason or None: rules about who is asking (403)
    done: str = ""  # the page's confirmation, e.g. "Complaint acknowledged."
    warning: bool = False  # the page's button warns (withdraw, refuse)
    api_path: str = ""  # the API action's path; the name with hyphens when empty
    page_template: str = ""  # a page of its own instead of the generic action page
    page_context: Callable | None = None  # page_context(case, request) -> extra context for that page
    on_page: bool = True  # listed among "What you can do now"

    @property
    def path(self):
        return self.api_path or self.name.replace("_", "-")


class Workflow:
    def __init__(self, *, noun, transitions, lock, record, status_label, guards=(), who=None, status_of=None):
        self.noun = noun
        # What `allowed_from` is compared with: a case's status, or a state derived from an item's dates.
        self._status_of = status_of or (lambda obj: obj.status)
        self.transitions = {t.name: t for t in transitions}
        self._lock = lock
        self._record = record
        self._status_label = status_label
        self._guards = tuple(guards)
        self._who = who
        self._hooks = []

    def __getitem__(self, name):
        return self.transitions[name]

    def __contains__(self, name):
        return name in self.transitions

    @property
    def names(self):
        return list(self.transitions)

    def after_change(self, hook):
        """Register `hook(case, what)`, run once after every transition (what: its name) and after any other
        change a service reports with `changed()` (intake, an edit)."""
        self._hooks.append(hook)
        return hook

    # --- asking ---------------------------------------------------------------------------------------

    def refusal(self, case, name, actor=None):
        """The NotAllowed that `run` would raise now, or None. With no actor, rules about who is asking are
        left out (a list of what the case allows, for anyone)."""
        transition = self.transitions[name]
        if self._status_of(case) not in transition.allowed_from:
            article = "An" if self.noun[0] in "aeiou" else "A"
            return NotAllowed(
                f"{article} {self.noun} that is '{self._status_label(case)}' cannot be {transition.past}."
            )
        if actor is not None:
            from casework import registry

            for who in (*registry.actor_guards(), self._who, transition.who):
                reason = who(case, actor) if who else None
                if reason:
                    return Forbidden(reason)
        for guard in (*self._guards, *transition.guards):
            reason = guard(case, actor)
            if reason:
                return NotAllowed(reason)
        return None

    def why_not(self, case, name, actor=None):
        refusal = self.refusal(case, name, actor)
        return refusal.message if refusal else None

    def allowed(self, case, actor=None):
        return [t for t in self.transitions.values() if self.refusal(case, t.name, actor) is None]

    def allowed_names(self, case, actor=None):
        return [t.name for t in self.allowed(case, actor)]

    def check(self, case, name, data, actor=None):
        """Every input problem of `data` for the action, collected (fields missing from `data` are skipped
        by the rules that need them, so a page can show field and rule errors in one round)."""
        problems = Problems()
        transition = self.transitions[name]
        if transition.check is not None:
            transition.check(case, data, actor, problems)
        return problems

    # --- doing ----------------------------------------------------------------------------------------

    def run(self, case, name, *, actor, **data):
        transition = self.transitions[name]
        with transaction.atomic():
            locked = self._lock(case)
            refusal = self.refusal(locked, name, actor)
            if refusal is not None:
                raise refusal
            self.check(locked, name, data, actor).raise_if_any()
            done = transition.perform(locked, actor=actor, **data)
            if done.summary:
                self._record(
                    locked,
                    done.event or name,
                    done.summary,
                    actor=actor,
                    data=done.data,
                    visible_to_member=done.visible_to_member,
                )
            self._run_hooks(locked, name)
        return done.result if done.result is not None else locked

    def changed(self, case, what):
        """A service changed the case outside a transition (intake, an edit): run the hooks once."""
        self._run_hooks(case, what)

    def _run_hooks(self, case, what):
        for hook in self._hooks:
            hook(case, what)


def say_day(day):
    """A date as officers read it in messages and history: "Thu 17 Apr 2025"."""
    return day.strftime("%a %-d %b %Y")


def name_of(user):
    return user.get_full_name() or user.get_username()


def date_rule(problems, data, name, *, what, not_before=None, not_after=None, required=True, after_what=""):
    """The usual rules for a date in an action's input: given (unless optional), not in the future, not before
    the day it depends on (`after_what` names that day in the message), not after `not_after`."""
    from django.utils import timezone

    day = data.get(name)
    if day is None:
        if required:
            problems.add(name, f"Enter the {what} date.")
        return None
    if day > timezone.localdate():
        problems.add(name, f"The {what} date cannot be in the future.")
    elif not_before is not None and day < not_before:
        problems.add(name, f"The {what} date cannot be before {after_what or say_day(not_before)}.")
    elif not_after is not None and day > not_after:
        problems.add(name, f"The {what} date cannot be after {say_day(not_after)}.")
    return day


def require_input(data, name, message, problems):
    """A rule's helper: note `message` against `name` when the input has it empty."""
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(name, message)
        return False
    return True


__all__ = [
    "Done",
    "InvalidInput",
    "NotAllowed",
    "Problems",
    "Transition",
    "Workflow",
    "date_rule",
    "name_of",
    "require_input",
    "say_day",
]
