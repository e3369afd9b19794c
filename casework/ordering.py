"""The order the case queues list cases in, written so one index answers it at any depth.

"Urgent first, then soonest deadline (none last), then oldest received, then by reference" is written as keys
that all ascend: urgency as 0 (urgent) or 1, and a missing deadline as the last possible day. An index on
exactly these keys (`case_queue_order_idx`) lets PostgreSQL read a page of the queue straight off the index,
and lets the API's keyset pagination find "the rows after this one" with one row comparison,
`(k1, k2, k3, reference) > (...)`, which is an index condition; mixed directions or NULLs would need an OR of
comparisons, which no index answers. The last key is the reference, not the id: Django reads a complaint's id
from the complaint's own table, and a row comparison is an index condition only when every key is a column of
the table the index is on.
"""

import datetime

from django.db.models import BooleanField, Expression, F, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce

# A deadline no case has: a missing one sorts after every real deadline.
NO_DEADLINE = datetime.date(9999, 12, 31)


def urgent_first():
    return CaseWhen(When(is_urgent=True, then=Value(0)), default=Value(1))


def due_soonest():
    return Coalesce("next_due_on", Value(NO_DEADLINE))


def queue_order():
    """The queues' order_by (complaints, members' enquiries), each key ascending."""
    return [urgent_first().asc(), due_soonest().asc(), F("received_on").asc(), F("reference").asc()]


def queue_order_index_expressions():
    """The same keys for the index (casework.Case.Meta.indexes)."""
    return [urgent_first(), due_soonest(), F("received_on"), F("reference")]


class RowComparison(Expression):
    """`(a, b, c) > (x, y, z)`: SQL's row comparison (PostgreSQL and SQLite 3.15+), which compares left to
    right like a sort does, and which PostgreSQL answers from an index whose columns are a, b, c."""

    conditional = True

    def __init__(self, lhs, operator, rhs):
        super().__init__(output_field=BooleanField())
        if operator not in ("<", ">", "="):
            raise ValueError(operator)
        self.lhs, self.operator, self.rhs = list(lhs), operator, list(rhs)

    def get_source_expressions(self):
        return [*self.lhs, *self.rhs]

    def set_source_expressions(self, exprs):
        size = len(self.lhs)
        self.lhs, self.rhs = list(exprs[:size]), list(exprs[size:])

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(expression) for expression in [*self.lhs, *self.rhs]]
        size = len(self.lhs)
        left = ", ".join(sql for sql, _ in compiled[:size])
        right = ", ".join(sql for sql, _ in compiled[size:])
        params = [param for _, params in compiled for param in params]
        if size == 1:
            return f"{left} {self.operator} {right}", params
        return f"({left}) {self.operator} ({right})", params
