"""A paginator for the admin's lists over case-sized tables.

An exact COUNT(*) over a million rows is a full scan on PostgreSQL. When the list is unfiltered (no search,
no filter, no restriction in the admin's queryset) the count shown is the planner's estimate of the table's
rows (pg_class.reltuples, kept up to date by autovacuum's ANALYZE). A filtered or searched list is counted as a
queue is (casework.paging), up to a lower cap: exactly up to 1,000, then "More than 1,000". A surname matches
thousands of complaints among a million, and counting them all cost up to a second where the page of 100 cost
50 ms; nobody pages through more than ten pages of the admin, they narrow the search. Small tables, tables
never analysed and other databases are counted that way too.
"""

from django.db import connections
from django.utils.functional import cached_property

from casework.paging import CappedCountPaginator


class EstimatedCountPaginator(CappedCountPaginator):
    cap = 1_000
    rows_by_id = False
    #: Below this estimate the exact count is cheap, and exact.
    estimate_from = 100_000

    @cached_property
    def _estimated(self):
        estimate = self._estimate()
        return estimate if estimate is not None and estimate >= self.estimate_from else None

    @cached_property
    def count(self):
        return self._estimated if self._estimated is not None else super().count

    @property
    def capped(self):
        return self._estimated is None and super().capped

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
