"""Assistant pages under /assistant/ (URL names prefixed "assistant-"): one URL module per area."""

urlpatterns: list = []
