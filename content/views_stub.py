"""A placeholder for page URLs whose area has not landed yet (each area replaces its URL module)."""

from django.http import Http404


def placeholder(request, **kwargs):
    raise Http404("not built yet")
