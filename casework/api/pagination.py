"""The API's pagination.

Case lists (complaints, members' enquiries, ombudsman cases) are paged by keyset (`?cursor=`): each page
is "the next `page_size` cases after the last one of the page before", found through the index of the list's
order, so page 2,000 costs what page 1 does and no page asks for a count of the whole list. Every other list (a
case's timeline, its correspondence, officers) is short and keeps page numbers (`?page=`). docs/api.md says
how a client pages; docs/decisions/0012-search-and-keyset-pagination.md why it is hand-written.
"""

import base64
import binascii
import hashlib
import json

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import DateField, F, OrderBy, Q, Value
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from casework.ordering import NO_DEADLINE, RowComparison

UNIQUE_KEYS = {"id", "pk", "reference"}
BAD_CURSOR = "This cursor is not one this list gave out (or the list's ordering has changed): start again without it."


class PageSizeMixin:
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to max_page_size is refused (400), not ignored."""
        if self.page_size_query_param in request.query_params:
            values = request.query_params.getlist(self.page_size_query_param)
            try:
                sizes = {int(value) for value in values}
            except ValueError:
                sizes = set()
            if len(sizes) != 1 or not 1 <= next(iter(sizes)) <= self.max_page_size:
                raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
            return sizes.pop()
        return self.page_size

    def _page_size_parameter(self):
        return {
            "name": self.page_size_query_param,
            "required": False,
            "in": "query",
            "description": f"How many results a page holds (1 to {self.max_page_size}, {self.page_size} if not given).",
            "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
        }


def _note_reads(request, queryset, page):
    """A page of cases read over the API is logged case by case (bulk reads are reads too)."""
    from casework.access import note_cases_read
    from casework.models import Case

    model = getattr(queryset, "model", None)
    if page is not None and model is not None and issubclass(model, Case):
        note_cases_read(request, [item.pk for item in page])


class StandardPagination(PageSizeMixin, PageNumberPagination):
    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        _note_reads(request, queryset, page)
        return page


def sort_keys(queryset):
    """The queryset's ordering as (expression, descending) keys that are never NULL and end with a unique key.

    A nullable date sorts as if missing meant the last possible day (PostgreSQL's own order for NULLs: last
    ascending, first descending), so that a row comparison never meets a NULL. A list ordered by anything else
    that can be NULL is a mistake in the view, not in the request."""
    model = queryset.model
    keys = []
    for item in queryset.query.order_by or model._meta.ordering or ["pk"]:
        if isinstance(item, str):
            descending, name = item.startswith("-"), item.removeprefix("-")
            expression = F(name)
        elif isinstance(item, OrderBy):
            descending, expression = item.descending, item.expression
        elif isinstance(item, F):
            descending, expression = False, item
        else:
            raise ImproperlyConfigured(f"Keyset pagination cannot order by {item!r}")
        if isinstance(expression, F):
            name = "id" if expression.name == "pk" else expression.name
            field = model._meta.get_field(name) if "__" not in name else None
            if field is None or (field.null and not isinstance(field, DateField)):
                raise ImproperlyConfigured(f"Keyset pagination needs a key that is never empty, not {name!r}")
            if field.null:
                expression = Coalesce(F(name), Value(NO_DEADLINE))
            else:
                expression = F(name)
        keys.append((expression, descending))
    if not any(isinstance(e, F) and e.name in UNIQUE_KEYS for e, _ in keys):
        # A case's reference rather than its id: a column of the case table, as the rest of the keys (see
        # casework.ordering), so a key and its tiebreaker can be one index's columns.
        tiebreaker = "reference" if any(f.name == "reference" and f.unique for f in model._meta.fields) else "id"
        keys.append((F(tiebreaker), keys[-1][1] if keys else False))
    return keys


def beyond(names, descending, values, *, backwards=False):
    """Rows after (or, backwards, before) the row whose keys are `values`, in the order the keys give.

    Keys that run the same way are compared as one row, `(a, b) > (x, y)`, an index condition when the index
    has those columns; a change of direction needs an OR of such comparisons."""
    runs = []
    for name, down, value in zip(names, descending, values, strict=True):
        if runs and runs[-1][0] == down:
            runs[-1][1].append(name)
            runs[-1][2].append(value)
        else:
            runs.append((down, [name], [value]))
    condition = None
    equal_so_far = Q()
    for down, run_names, run_values in runs:
        operator = "<" if down != backwards else ">"
        lhs = [F(name) for name in run_names]
        strictly = Q(RowComparison(lhs, operator, run_values))
        part = equal_so_far & strictly
        condition = part if condition is None else condition | part
        equal_so_far &= Q(RowComparison([F(name) for name in run_names], "=", list(run_values)))
    return condition


class KeysetPagination(PageSizeMixin, BasePagination):
    """`next` and `previous` links that carry an opaque `cursor`: the keys of the page's last (or first) row,
    the list's ordering they belong to, and the way to go."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        keys = sort_keys(queryset)
        names = [f"keyset_{index}" for index in range(len(keys))]
        descending = [down for _, down in keys]
        rows = queryset.annotate(**{name: expression for name, (expression, _) in zip(names, keys, strict=True)})
        fields = [rows.query.annotations[name].output_field for name in names]
        self.signature = hashlib.sha256(repr([(str(e), d) for e, d in keys]).encode()).hexdigest()[:12]
        cursor = self._decode(request, fields)
        backwards = bool(cursor and cursor["backwards"])
        if cursor:
            values = [Value(v, output_field=f) for v, f in zip(cursor["values"], fields, strict=True)]
            rows = rows.filter(beyond(names, descending, values, backwards=backwards))
        order = [
            F(name).desc() if down != backwards else F(name).asc() for name, down in zip(names, descending, strict=True)
        ]
        # First the page's ids and keys alone, then its rows. With the list's joins (the resident, the officer...)
        # in the same query, PostgreSQL, which estimates a row comparison by its first key only ("urgent > 1":
        # hardly any rows), sorted every row after the cursor instead of reading the first few off the index.
        found = list(rows.order_by(*order).values_list("pk", *names)[: size + 1])
        more = len(found) > size
        found = found[:size]
        if backwards:
            found.reverse()
        by_pk = {row.pk: row for row in queryset.order_by().filter(pk__in=[pk for pk, *_ in found])}
        page = [by_pk[pk] for pk, *_ in found if pk in by_pk]
        positions = [list(keys) for _, *keys in found]
        self.next_position = self.previous_position = None
        self.first_page_link = False
        if page:
            if more if not backwards else True:
                self.next_position = positions[-1]
            if more if backwards else cursor is not None:
                self.previous_position = positions[0]
        elif backwards:
            self.first_page_link = True  # before the first row: the list starts again
        _note_reads(request, queryset, page)
        return page

    def _decode(self, request, fields):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            if not isinstance(data, dict) or data.get("o") != self.signature:
                raise ValueError("another ordering")
            raw_values, backwards = data["v"], data["b"]
            if not isinstance(raw_values, list) or len(raw_values) != len(fields) or backwards not in (0, 1):
                raise ValueError("wrong shape")
            values = []
            for field, value in zip(fields, raw_values, strict=True):
                if value is None or isinstance(value, (dict, list)):
                    raise ValueError("not a key")
                values.append(field.to_python(value))
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, DjangoValidationError):
            raise ValidationError({self.cursor_query_param: [BAD_CURSOR]}) from None
        return {"values": values, "backwards": bool(backwards)}

    def _link(self, position, backwards):
        url = self.request.build_absolute_uri()
        data = {"o": self.signature, "v": position, "b": int(backwards)}
        token = base64.urlsafe_b64encode(json.dumps(data, cls=DjangoJSONEncoder).encode()).decode().rstrip("=")
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        if self.first_page_link:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(self.next_position, False) if self.next_position is not None else None

    def get_previous_link(self):
        return self._link(self.previous_position, True) if self.previous_position is not None else None

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from the `next` or `previous` link, never build it.",
                "schema": {"type": "string"},
            },
            self._page_size_parameter(),
        ]
