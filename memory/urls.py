"""Memory pages under /memory/ (URL names prefixed "memory-"): one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("memory/", include("memory.urls_memories")),
]
