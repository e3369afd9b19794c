"""A paginator for the officers' queues, whose count stops at a cap.

A queue page shows 50 cases, but an exact count of "every open complaint matching this search" among a
million cases reads every matching row, which can cost far more than the page. Beyond `cap` matches nobody
pages through the list (they narrow it), so the count stops there: "More than 10,000 complaints", and pages
up to the cap's last. Below the cap the count is exact.

The admin's lists use `casework.admin_paging.EstimatedCountPaginator` instead: unfiltered, they show the
planner's estimate of the table's rows. A queue is never unfiltered (the cases the officer may see, open by
default), so the estimate would never apply here.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from casework.search import AmongIds

QUEUE_COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    cap = QUEUE_COUNT_CAP

    def __init__(self, object_list, per_page, *args, cap=None, **kwargs):
        """`cap`, if given, stops the count sooner: a broad search (`casework.search.any_of`), whose cases are
        tested one by one. Such a list is counted in its own order, as its page is read: the database then tests
        each case as it walks the order's index, where unordered it would first find every match."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.in_order = cap is not None
        if cap is not None:
            self.cap = cap

    #: Read a page as its ids first, then its rows (see `page`). The admin's paginator turns it off: Django's
    #: changelist expects a page of its own queryset.
    rows_by_id = True

    def page(self, number):
        """The page's ids are read first, in the list's order, from the case table alone; then the rows of those
        ids with what the page shows of them. Read in one query, PostgreSQL joined every match to its resident,
        officer and service area before sorting to keep fifty: among 1,000,000 complaints the 2,700 whose
        acknowledgement is overdue took 68 ms that way, 30 ms this way; the overdue cases 81 ms, 24 ms."""
        page = super().page(number)
        queryset = self.object_list
        if not page.end_index():
            return page
        if self._walked is not None:
            # Counted in order, the list's ids up to the cap are known: the page is theirs, not walked again (the
            # admin's surname search among 1,000,000 complaints: 19 ms of 50 of its SQL).
            ids = self._walked[page.start_index() - 1 : page.end_index()]
        elif self.rows_by_id and hasattr(queryset, "values_list") and queryset.ordered:
            ids = list(queryset.values_list("pk", flat=True)[page.start_index() - 1 : page.end_index()])
        else:
            return page
        if self.rows_by_id:
            rows = {row.pk: row for row in _rows_of(queryset, ids)} if ids else {}
            page.object_list = [rows[pk] for pk in ids if pk in rows]
        else:
            page.object_list = queryset.filter(AmongIds("pk", ids))
        return page

    @cached_property
    def _walked(self):
        """The ids of a list counted in its order (a broad search, tested case by case), up to cap + 1, in that
        order; None for a list counted otherwise."""
        queryset = self.object_list
        if self.in_order and hasattr(queryset, "values_list") and queryset.ordered:
            return list(queryset.values_list("pk", flat=True)[: self.cap + 1])
        return None

    @cached_property
    def _found(self):
        """How many rows there are, counting no further than cap + 1: the database stops reading there. A list
        counted in its order is counted by the ids it walks (`_walked`), which its pages then use."""
        queryset = self.object_list
        if not hasattr(queryset, "values"):
            return len(queryset)
        if self._walked is not None:
            return len(self._walked)
        if not self.in_order:
            queryset = queryset.order_by()
        return queryset.values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        """The exact count up to `cap`; `cap` itself when there are more (and `capped` is then true)."""
        return min(self._found, self.cap)

    @property
    def capped(self):
        return self._found > self.cap

    @property
    def shown_count(self):
        """The count as a queue shows it: "12", "9,999" or "More than 10,000"."""
        figure = f"{self.count:,}"
        return f"More than {figure}" if self.capped else figure


def _rows_of(queryset, ids):
    """The rows of `ids`, with what `queryset` selects and prefetches. The ids were found by its filters, which
    are not asked again: a search's thousands of ids (`search.AmongIds`) cost the page's rows 10-20 ms more when
    sent once more. Annotations may depend on those filters, so an annotated list asks them again."""
    if queryset.query.annotations:
        return queryset.order_by().filter(pk__in=ids)
    rows = queryset.model._base_manager.using(queryset.db).filter(pk__in=ids)
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading  # the columns of `showing`
    return rows.prefetch_related(*queryset._prefetch_related_lookups)


def showing(queryset, fields):
    """A queue's list reading only the columns its page's rows show, `fields` named as `.only()` names them
    ("reference", "resident__last_name"), joined to the relations those name and no others. Among 1,000,000
    complaints the fifty rows of a page cost 11.1 ms of CPU read whole (four joined tables), 6.7 ms this way:
    most of a row's columns (descriptions, addresses, passwords, timestamps) were read and parsed to be thrown
    away. A field a row shows but `fields` lacks costs a query per row (the queues' tests count them)."""
    related = sorted({name.rsplit("__", 1)[0] for name in fields if "__" in name})
    return queryset.select_related(None).select_related(*related).only(*fields)
