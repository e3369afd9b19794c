from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
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

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters

    def paginate_queryset(self, queryset, request, view=None):
        """A page of cases read over the API is logged case by case (bulk reads are reads too)."""
        page = super().paginate_queryset(queryset, request, view)
        from casework.access import note_cases_read
        from casework.models import Case

        model = getattr(queryset, "model", None)
        if page is not None and model is not None and issubclass(model, Case):
            note_cases_read(request, [item.pk for item in page])
        return page
