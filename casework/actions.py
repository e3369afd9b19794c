"""Pages made from a workflow: the action page of every transition of every kind of case.

A transition's input is one form (an `ActionForm`), written once: the page renders it, and the API's serializer
is made from it (`casework.api.actions`). Field errors and the transition's input rules are shown together, in
one round, and a refusal (the case's state, or who is asking) replaces the form with its reason."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from casework.errors import NON_FIELD, InvalidInput, NotAllowed


@dataclass(frozen=True)
class Rows:
    """Repeated rows of an action's input (the points of a response, the findings of a determination)."""

    form: type
    item: str  # "Point": each row's legend is "Point 1", "Point 2", ...
    heading: str = ""
    extra: int = 3
    max: int = 20
    min: int = 0  # rows the API requires; on the page, a rule of the transition says what is missing
    form_kwargs: object = None  # form_kwargs(case) -> keyword arguments for each row's form on the page
    hint: str = "Fill in as many as you need; empty rows are ignored."


class ActionForm(forms.Form):
    """The input of one transition.

    `rows`: {name: Rows} for repeated rows; `page_only`: fields the page asks for and the API does not (a
    confirmation tick box); `one_of`: groups of fields of which one must be given, so none of them is marked
    optional on the page."""

    rows: dict[str, Any] = {}
    page_only = ()
    one_of = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in self.one_of:
            for name in group:
                self.fields[name].hide_optional = True

    def for_case(self, case):
        """Adapt the page's form to the case (leave out a field its procedure does not use); the API keeps every
        field, and the transition's rules say when one is needed."""


class RowForm(forms.Form):
    """One repeated row. An empty row is ignored; once any field is filled, `required_when_filled` apply (the
    API sends only real rows and requires those fields outright)."""

    required_when_filled: dict[str, str] = {}  # {field: message}
    always_set = ()  # fields that always have a value (an "order or recommendation" choice): they fill no row

    def _filled(self, data):
        return any(value not in (None, "", [], False) for name, value in data.items() if name not in self.always_set)

    def clean(self):
        data = super().clean()
        if self._filled(data):
            for name, message in self.required_when_filled.items():
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
        return data

    @property
    def is_filled(self):
        return self._filled(getattr(self, "cleaned_data", None) or {})

    def has_changed(self):
        # A row with only its always-set choice is an empty row: the formset leaves it unvalidated.
        return bool(set(self.changed_data) - set(self.always_set))


RowFormSetBase = forms.BaseFormSet


def _rowsets(form_class, data, files, case):
    rowsets = {}
    for name, rows in form_class.rows.items():
        formset_class = forms.formset_factory(rows.form, extra=rows.extra, max_num=rows.max, validate_max=True)
        kwargs = rows.form_kwargs(case) if rows.form_kwargs and case is not None else {}
        rowsets[name] = formset_class(data, files, prefix=name, form_kwargs=kwargs)
        rowsets[name].rows = rows
    return rowsets


def build_forms(transition, data=None, files=None, initial=None, case=None):
    form_class = transition.form or ActionForm
    form = form_class(data, files, initial=initial)
    if case is not None:
        form.for_case(case)
    return form, _rowsets(form_class, data, files, case)


def _cleaned(form, rowsets):
    """What was valid of the input: the form's valid fields, and each row set's filled, valid rows."""
    data = dict(getattr(form, "cleaned_data", None) or {})
    for name in form.page_only:
        data.pop(name, None)
    for name, rowset in rowsets.items():
        # The rows handed on, in order, so a rule's problem with "points.2.decision" finds its row again.
        rowset.filled_forms = [row for row in rowset.forms if row.is_valid() and row.is_filled]
        data[name] = [row.cleaned_data for row in rowset.filled_forms]
    return data


def _row_field(rowsets, name):
    """The row form and field a problem such as "remedies.0.amount_pence" is about, or (None, None)."""
    parts = name.split(".")
    if len(parts) != 3 or parts[0] not in rowsets or not parts[1].isdigit():
        return None, None
    rows = getattr(rowsets[parts[0]], "filled_forms", rowsets[parts[0]].forms)
    index = int(parts[1])
    if index >= len(rows) or parts[2] not in rows[index].fields:
        return None, None
    return rows[index], parts[2]


def _attach(form, rowsets, problems):
    """Show `problems` ({field: [messages]}) on the page: beside the field (or a row's field, "points.0.decision"),
    on the row set, or on the form."""
    for name, messages_ in problems.items():
        row, field = _row_field(rowsets, name)
        for message in messages_:
            if row is not None:
                if field not in row.errors:
                    row.add_error(field, message)
            elif name in rowsets:
                rowset = rowsets[name]
                rowset.non_form_errors()  # computes the list before adding to it
                rowset._non_form_errors.append(message)
            elif name in form.fields and name not in getattr(form, "page_only", ()):
                if name not in form.errors:  # a field error already says what is wrong with it
                    form.add_error(name, message)
            else:
                form.add_error(None, message)


def show_refusal(form, error):
    """Put a refusal from a service on a form that is not a transition's (intake, safeguards): each input
    problem beside its field, anything else above the form."""
    if isinstance(error, InvalidInput):
        _attach(form, {}, error.problems)
    elif hasattr(error, "message_dict"):  # a Django ValidationError with fields
        _attach(form, {}, error.message_dict)
    else:
        form.add_error(
            None, getattr(error, "message", None) or (error.messages[0] if hasattr(error, "messages") else str(error))
        )


def action_page(request, *, workflow, case, name, subject=None, intro="", title="", extra_context=None):
    """The page of one action on one case (or on one item of a case: `subject` is then the case the page is
    about): GET shows its form (or why it cannot be done now), POST runs it."""
    if name not in workflow or not workflow[name].on_page:
        raise Http404("No such action")
    transition = workflow[name]
    post = request.POST if request.method == "POST" else None
    refusal = workflow.refusal(case, name, request.user)
    form, rowsets = build_forms(transition, post, request.FILES if post is not None else None, case=case)
    subject = subject or case
    status = 200
    if refusal is not None and post is not None:
        # Asking for the page answers with the reason; trying to do it anyway is refused.
        status = 403 if refusal.about_actor else 409
    elif post is not None:
        # Every form and row set is validated (no short cut), so each shows its errors in this one round.
        valid = [form.is_valid(), *(rowset.is_valid() for rowset in rowsets.values())]
        fields_valid = all(valid)
        data = _cleaned(form, rowsets)
        rule_problems = workflow.check(case, name, data, request.user).by_field
        _attach(form, rowsets, rule_problems)
        status = 400
        if fields_valid and not rule_problems:
            try:
                result = workflow.run(case, name, actor=request.user, **data)
            except NotAllowed as error:
                refusal, status = error, 403 if error.about_actor else 409
            except InvalidInput as error:
                _attach(form, rowsets, error.problems)
            else:
                if transition.done:
                    messages.success(request, transition.done)
                return redirect(_destination(subject, result))
    context = {
        "case": subject,
        "item": case,
        "subject": subject,
        "intro": intro,
        "form": form,
        "rowsets": list(rowsets.values()),
        "name": name,
        "transition": transition,
        "title": title or transition.label,
        "refusal": refusal.message if refusal is not None else None,
        "back_url": subject.get_absolute_url(),
    }
    if transition.page_context is not None:
        context.update(transition.page_context(case, request))
    context.update(extra_context or {})
    return render(request, transition.page_template or "casework/action.html", context, status=status)


def _destination(case, result):
    from casework.models import Case

    if isinstance(result, Case) or (isinstance(result, type(case)) and hasattr(result, "get_absolute_url")):
        return result.get_absolute_url()
    return case.get_absolute_url()


def action_links(workflow, case, actor, url_for):
    """(name, label, url) of each action allowed now, for "What you can do now"."""
    return [(t.name, t.label, url_for(t.name)) for t in workflow.allowed(case, actor) if t.on_page]


__all__ = ["NON_FIELD", "ActionForm", "RowForm", "Rows", "action_links", "action_page", "build_forms", "show_refusal"]
