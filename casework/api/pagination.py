from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        """A page of cases read over the API is logged case by case (bulk reads are reads too)."""
        page = super().paginate_queryset(queryset, request, view)
        from casework.access import note_cases_read
        from casework.models import Case

        model = getattr(queryset, "model", None)
        if page is not None and model is not None and issubclass(model, Case):
            note_cases_read(request, [item.pk for item in page])
        return page
