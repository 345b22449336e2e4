"""Page-number pagination with strict parameters: ``page`` and ``page_size`` must be positive
integers (else 400 saying which), ``page_size`` is capped at 100, a page past the end is 404."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def _positive_int(self, request, name):
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        if raw == "last" and name == self.page_query_param:
            return raw
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ValidationError({name: [_("Must be a positive integer, got %(value)r.") % {"value": raw}]})
        return value

    def paginate_queryset(self, queryset, request, view=None):
        self._positive_int(request, self.page_query_param)
        self._positive_int(request, self.page_size_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] in (self.page_query_param, self.page_size_query_param):
                param["schema"]["minimum"] = 1
        return params
