"""Pages: library."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request):  # TEMPORARY until the library pages land
    return HttpResponse("")


urlpatterns: list = [path("library/activities/", _placeholder, name="activity-list")]
