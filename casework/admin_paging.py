"""A paginator for the admin's lists over case-sized tables.

An exact COUNT(*) over a million rows is a full scan on PostgreSQL. When the list is unfiltered (no search,
no filter, no restriction in the admin's queryset) the count shown is the planner's estimate of the table's
rows (pg_class.reltuples, kept up to date by autovacuum's ANALYZE); any filter gets the exact count, which
the filter's index keeps cheap. Small tables, tables never analysed and other databases are counted exactly.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class EstimatedCountPaginator(Paginator):
    #: Below this estimate the exact count is cheap, and exact.
    estimate_from = 100_000

    @cached_property
    def count(self):
        estimate = self._estimate()
        if estimate is not None and estimate >= self.estimate_from:
            return estimate
        return super().count

    def _estimate(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or query.distinct or query.combinator or query.low_mark or query.high_mark:
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                [connection.ops.quote_name(queryset.model._meta.db_table)],
            )
            row = cursor.fetchone()
        if row is None or row[0] is None or row[0] < 0:
            return None  # never analysed (-1)
        return int(row[0])
