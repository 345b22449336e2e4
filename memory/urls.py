"""Memory pages under /memory/ (URL names prefixed "memory-"): one URL module per area."""

urlpatterns: list = []
