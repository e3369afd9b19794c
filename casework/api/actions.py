"""API actions made from a workflow: each transition is `POST .../<reference>/<action>/`, its request body
described by a serializer made from the transition's form, so the page and the API take the same input.

Answers: 200 with the case; 400 with a message per field (bad input); 403 when the rule is about who is asking;
409 when the case's state does not allow it now, including a lost race (two officers acknowledging at once)."""

from collections.abc import Mapping
from typing import Any

from django import forms
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.fields import SkipField

from casework.actions import ActionForm

_cache: dict[Any, Any] = {}


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


class _OptionalChoice(serializers.ChoiceField):
    """A choice that may be left empty, given as the page's empty value whether it was left out or sent blank."""

    def __init__(self, *, empty, **kwargs):
        self.empty = empty
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return self.empty if data == "" else super().to_internal_value(data)


def _choices(field):
    return [(value, label) for value, label in field.choices if value not in ("", None)]


def _api_field(form_field):
    """The DRF field that takes what `form_field` takes (money as pence, an officer by id)."""
    from casework.forms import MoneyField

    common = {"required": form_field.required, "help_text": str(form_field.help_text or "") or None}
    label = str(form_field.label or "") or None
    if label:
        common["label"] = label
    if not form_field.required:
        common.update(allow_null=True, default=None)
    elif form_field.initial is not None and not callable(form_field.initial):
        # A choice the page preselects ("order", not "recommendation") is the API's default too.
        common.update(required=False, default=form_field.initial)
    if isinstance(form_field, MoneyField):
        return serializers.IntegerField(min_value=0, **{**common, "help_text": "In pence."})
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        common.pop("allow_null", None)
        common.pop("default", None)
        return serializers.PrimaryKeyRelatedField(
            queryset=form_field.queryset, many=True, **({"required": False} if not form_field.required else {})
        )
    if isinstance(form_field, forms.ModelChoiceField):
        if form_field.to_field_name:  # chosen by a key of its own (a property by its UPRN), as on the page
            return serializers.SlugRelatedField(
                slug_field=form_field.to_field_name, queryset=form_field.queryset, **common
            )
        return serializers.PrimaryKeyRelatedField(queryset=form_field.queryset, **common)
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(required=False, default=False, **({"label": label} if label else {}))
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(min_value=form_field.min_value, max_value=form_field.max_value, **common)
    if isinstance(form_field, forms.MultipleChoiceField):
        common.pop("allow_null", None)
        common.pop("default", None)
        return serializers.MultipleChoiceField(
            choices=_choices(form_field), **({"required": False} if not form_field.required else {})
        )
    if isinstance(form_field, forms.TypedChoiceField) and not form_field.required:
        # Left out, it is what the page makes of an empty choice (None for "no finding"), not "".
        common.update(allow_blank=True, allow_null=True, default=form_field.empty_value)
        return _OptionalChoice(choices=_choices(form_field), empty=form_field.empty_value, **common)
    if isinstance(form_field, forms.ChoiceField):
        if not form_field.required:
            common.update(allow_blank=True, default="")
            common.pop("allow_null", None)
        return serializers.ChoiceField(choices=_choices(form_field), **common)
    if isinstance(form_field, forms.CharField):
        if not form_field.required:
            common.update(allow_blank=True, default="")
            common.pop("allow_null", None)
        return serializers.CharField(max_length=form_field.max_length, trim_whitespace=True, **common)
    raise TypeError(f"No API field for {type(form_field).__name__}")


def _required_ticks(form_class):
    """A required tick box ("the resident agreed") must be ticked in the API too, with the page's message."""
    return {
        name: field.error_messages.get("required", "This must be true.")
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.BooleanField) and field.required and name not in form_class.page_only
    }


def serializer_for(form_class, name, *, row=False):
    """The API serializer of a transition's (or a row's) form, made once per form class."""
    key = (form_class, name)
    if key in _cache:
        return _cache[key]
    attrs = {}
    required_when_filled = getattr(form_class, "required_when_filled", {}) if row else {}
    for field_name, form_field in form_class.base_fields.items():
        # Files go to a case through its attachments endpoint, not inside an action's JSON.
        if field_name in getattr(form_class, "page_only", ()) or isinstance(form_field, forms.FileField):
            continue
        api_field = _api_field(form_field)
        if field_name in required_when_filled:
            api_field = _api_field(_as_required(form_field))
        attrs[field_name] = api_field
    for rows_name, rows in getattr(form_class, "rows", {}).items():
        row_serializer = serializer_for(rows.form, f"{name}{rows_name.title()}Row", row=True)
        attrs[rows_name] = row_serializer(
            many=True, max_length=rows.max, **({"allow_empty": False} if rows.min else {"required": False})
        )
        if not rows.min:
            attrs[rows_name].default = list
    ticks = _required_ticks(form_class)
    if ticks:

        def validate(self, data, ticks=ticks):
            problems = {name: [message] for name, message in ticks.items() if data.get(name) is not True}
            if problems:
                raise serializers.ValidationError(problems)
            return data

        attrs["validate"] = validate
    serializer = type(f"{name}Serializer", (serializers.Serializer,), attrs)
    _cache[key] = serializer
    return serializer


def _as_required(form_field):
    import copy

    required = copy.deepcopy(form_field)
    required.required = True
    return required


def nest(problems):
    """{"orders.0.amount_pence": [...]} as DRF nests a list's errors: {"orders": {"0": {"amount_pence": [...]}}}."""
    nested = {}
    for name, messages in problems.items():
        key = "non_field_errors" if name == "__all__" else name
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            rows = nested.setdefault(parts[0], {})
            if isinstance(rows, dict):
                rows.setdefault(parts[1], {}).setdefault(parts[2], []).extend(messages)
                continue
        if isinstance(nested.get(key), list):
            nested[key].extend(messages)
        else:
            nested[key] = list(messages)
    return nested


def _all_problems(workflow, case, name, payload, request):
    """The serializer's errors and, for the fields that were valid, the transition's input rules: every
    problem in one answer, as on the page."""
    errors = dict(payload.errors)
    if not isinstance(request.data, Mapping):
        return errors  # not a JSON object (a list, a number): the serializer has said so, there are no fields
    partial = {}
    for field_name, field in payload.fields.items():
        if field_name in errors:
            continue
        try:
            partial[field_name] = field.run_validation(field.get_value(request.data))
        except (serializers.ValidationError, SkipField):
            continue
    for key, value in nest(workflow.check(case, name, partial, request.user).by_field).items():
        top = key.split(".")[0]
        if top in errors and not isinstance(errors[top], dict):
            continue
        if isinstance(value, dict) and isinstance(errors.get(key), dict):
            for index, fields in value.items():
                errors[key].setdefault(index, {})
                for field_name, messages in fields.items():
                    errors[key][index].setdefault(field_name, messages)
        else:
            errors.setdefault(key, value)
    return errors


def _camel(name):
    return "".join(part.title() for part in name.split("_"))


def add_actions(viewset, workflow, *, prefix, response_serializer, respond=None, skip=()):
    """Give `viewset` one POST action per transition of `workflow` (except `skip`). `respond(view, case,
    result)` makes the answer (default: the case read again with `response_serializer`)."""
    for transition in workflow.transitions.values():
        if transition.name in skip:
            continue
        form_class = transition.form or ActionForm
        request_serializer = serializer_for(form_class, f"{prefix}{_camel(transition.name)}")

        def handler(self, request, _transition=transition, _serializer=request_serializer, **kwargs):
            case = self.get_object()
            # The state first: an action the case does not allow now is a conflict whatever was sent.
            refusal = workflow.refusal(case, _transition.name, request.user)
            if refusal is not None:
                raise refusal
            payload = _serializer(data=request.data, context={"request": request})
            if not payload.is_valid():
                raise serializers.ValidationError(_all_problems(workflow, case, _transition.name, payload, request))
            result = workflow.run(case, _transition.name, actor=request.user, **dict(payload.validated_data))
            if respond is not None:
                return respond(self, case, result)
            return self.case_response(case)

        handler.__name__ = transition.name
        handler.__doc__ = f"{transition.label}."
        handler = extend_schema(
            summary=transition.label,
            request=request_serializer,
            responses={
                200: response_serializer,
                400: OpenApiResponse(description="Invalid input: a message per field."),
                403: OpenApiResponse(RefusalSerializer, description="Not allowed for you (for example barred)."),
                404: OpenApiResponse(description="No such case, or not one you can see."),
                409: OpenApiResponse(RefusalSerializer, description="Not allowed in the case's state now."),
            },
        )(handler)
        handler = drf_action(detail=True, methods=["post"], url_path=transition.path, url_name=transition.path)(handler)
        setattr(viewset, transition.name, handler)
    return viewset
