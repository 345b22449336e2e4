"""Pages: roster."""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request):  # TEMPORARY until the roster pages land
    return HttpResponse("")


urlpatterns: list = [
    path("classes/", _placeholder, name="class-list"),
    path("students/", _placeholder, name="student-list"),
]
