"""What the kernel needs from the case apps, registered by each app (in its AppConfig.ready), so that
`casework` never imports them: the kernel names no tenant.

- `workflow(kind, workflow)`: the workflow of a kind of case, for pages and API endpoints that serve every kind.
- `actor_guard(guard)`: a rule about who may act on any case (`guard(case, actor) -> reason or None`), checked
  by every workflow before every action: e.g. an officer barred from a resident's cases.
- `reference_data(loader)`: `loader() -> int` creates missing reference data (procedures, categories, ...).
- `demo(loader, order)`: `loader(stdout)` loads demo content, lowest order first; `demo_logins(provider)` adds
  logins (or a note) to print.
- `personal_data(...)`: free text the retention schedule removes and the subject access export reads, and files
  kept about a case outside its attachments (`related_files`), which the retention schedule deletes.
- `subject_access(sheets)`: `sheets(resident, case_ids) -> [(title, headers, rows)]` for the subject access export;
  `resident_facts(provider)`: `provider(resident) -> [(field, value)]` for its resident sheet; and
  `cases_about(provider)`: `provider(resident) -> Q` for cases about a resident recorded without them.
- `job(name, runner)`: `runner(day, force) -> result` for `manage.py run_sweep <name>`; `schedule(...)`: a Celery
  beat entry installed after migrate (casework.schedules).
- `generator(runner)`: `runner(**options) -> summary` for `manage.py generate_cases`.
- `decisions(provider)`: `provider(user) -> [{"reference", "url", "what", "asked_on"}]`, what waits for this
  person's decision (an extension beyond the limit waiting for its manager), listed in "My work".
- `sent_emails(provider)`: `provider(message_ids) -> {message_id: case_id}` for emails the council sent about a case,
  so a reply whose In-Reply-To or References names one is threaded onto that case (incoming.services).
- `edit_hook(model_label, hook)`: `hook(instance)` after an edit outside a workflow (the admin), so derived data
  (the reports' facts) is refreshed where the write happens; `edited(instance)` runs them.
- `queue(Queue(...))`: a work queue the officers' tools serve (bulk reassignment, exports, saved views), by key.
- `resident_safeguards(provider)`: `provider(resident) -> [(what, detail)]`, what officers must know before they
  contact or act for a resident (officers kept away, contact restrictions), shown on the resident's page."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_workflows: dict[str, Any] = {}
_actor_guards: list[Any] = []
_reference_data: list[Any] = []
_demo: list[Any] = []
_demo_logins: list[Any] = []
_subject_access: list[Any] = []
_jobs: dict[str, Any] = {}
_generators: list[Any] = []
_edit_hooks: dict[str, list[Any]] = {}
_decisions: list[Any] = []


def workflow(kind, value):
    _workflows[kind] = value
    return value


def workflow_for(kind):
    return _workflows.get(kind)


def actor_guard(guard):
    if guard not in _actor_guards:
        _actor_guards.append(guard)
    return guard


def actor_guards():
    return tuple(_actor_guards)


def reference_data(loader):
    if loader not in _reference_data:
        _reference_data.append(loader)
    return loader


def reference_data_loaders():
    return tuple(_reference_data)


def demo(loader, order=50):
    if all(existing is not loader for _, existing in _demo):
        _demo.append((order, loader))
        _demo.sort(key=lambda item: item[0])
    return loader


def demo_loaders():
    return tuple(loader for _, loader in _demo)


def demo_logins(provider):
    """`provider() -> [(username, label)]` printed beside the demo staff logins; or `-> str`, a note after them."""
    if provider not in _demo_logins:
        _demo_logins.append(provider)
    return provider


def demo_login_providers():
    return tuple(_demo_logins)


@dataclass
class PersonalData:
    """Free text an app keeps about a case or a resident (see casework.retention)."""

    case_text: dict = field(default_factory=dict)  # {model label: {field: replacement}}
    related_text: list = field(default_factory=list)  # [(model label, path to the case id, {field: replacement})]
    resident_text: list = field(default_factory=list)  # [(model label, path to the resident id, {field: value})]
    related_files: list = field(default_factory=list)  # [(model label, path to the case id, [file field])]


PERSONAL_DATA = PersonalData()


def personal_data(*, case_text=None, related_text=(), resident_text=(), related_files=()):
    PERSONAL_DATA.case_text.update(case_text or {})
    for entry in related_files:
        if entry not in PERSONAL_DATA.related_files:
            PERSONAL_DATA.related_files.append(entry)
    for entry in related_text:
        if entry not in PERSONAL_DATA.related_text:
            PERSONAL_DATA.related_text.append(entry)
    for entry in resident_text:
        if entry not in PERSONAL_DATA.resident_text:
            PERSONAL_DATA.resident_text.append(entry)


def subject_access(sheet, order=50):
    if all(existing is not sheet for _, existing in _subject_access):
        _subject_access.append((order, sheet))
        _subject_access.sort(key=lambda item: item[0])
    return sheet


def subject_access_sheets():
    return tuple(sheet for _, sheet in _subject_access)


_resident_facts: list[Any] = []
_cases_about: list[Any] = []


def resident_facts(provider):
    if provider not in _resident_facts:
        _resident_facts.append(provider)
    return provider


def resident_fact_providers():
    return tuple(_resident_facts)


def cases_about(provider):
    if provider not in _cases_about:
        _cases_about.append(provider)
    return provider


def cases_about_providers():
    return tuple(_cases_about)


def job(name, runner):
    _jobs[name] = runner
    return runner


def jobs():
    return dict(_jobs)


def generator(runner):
    if runner not in _generators:
        _generators.append(runner)
    return runner


def generators():
    return tuple(_generators)


def edit_hook(model_label, hook):
    hooks = _edit_hooks.setdefault(model_label.lower(), [])
    if hook not in hooks:
        hooks.append(hook)
    return hook


def edited(instance):
    """Run the hooks registered for the instance's model (and the models it extends)."""
    for model in (type(instance), *type(instance)._meta.get_parent_list()):
        for hook in _edit_hooks.get(model._meta.label_lower, ()):
            hook(instance)


def decisions(provider):
    if provider not in _decisions:
        _decisions.append(provider)
    return provider


def decisions_for(user):
    return [item for provider in _decisions for item in provider(user)]


_schedules: list[Any] = []


def schedule(name, task, minute, hour, day_of_week, day_of_month, description):
    entry = (name, task, minute, hour, day_of_week, day_of_month, description)
    if entry not in _schedules:
        _schedules.append(entry)
    return entry


def schedules():
    return list(_schedules)


_sent_emails: list[Any] = []


def sent_emails(provider):
    if provider not in _sent_emails:
        _sent_emails.append(provider)
    return provider


def sent_email_providers():
    return tuple(_sent_emails)


@dataclass(frozen=True)
class Queue:
    """A work queue, as the officers' tools need it: how to filter it (the page's own filter set, so a selection,
    an export and a saved view mean what the page shows) and what its export's columns are."""

    key: str  # in the tools' addresses and in saved views: "complaints"
    title: str  # "Complaints"
    url_name: str  # the queue page: "complaints:queue"
    kind: str  # the case kind, whose workflow's "assign" the bulk reassignment runs
    noun: str  # "complaint"
    plural: str  # "complaints"
    filterset: Callable[[Any, Any], Any]  # filterset(user, params) -> FilterSet over what the user may see
    cases: Callable[[Any], Any]  # cases(user) -> every case of the queue the user may see
    # ((header, value(row)), ...): the queue's columns plus its due dates. A value reads only what the queue's
    # queryset joins and `row.open_due` ({clock kind: due date}, casework.selectors.attach_open_clock_dues), so
    # that no column asks the database again for each row.
    export_columns: tuple = ()
    # The cells of a row of the queue's page after its tick box (casework.queue_rows): (cell(case, time left), ...).
    row_cells: tuple = ()


_queues: dict[str, Queue] = {}


def queue(value):
    _queues[value.key] = value
    return value


def queue_for(key):
    return _queues.get(key)


_resident_safeguards: list[Any] = []


def resident_safeguards(provider):
    if provider not in _resident_safeguards:
        _resident_safeguards.append(provider)
    return provider


def resident_safeguard_providers():
    return tuple(_resident_safeguards)
