"""Assistant pages under /assistant/ (URL names prefixed "assistant-"): one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("assistant/", include("assistant.urls_conversations")),
    path("assistant/", include("assistant.urls_personas")),
]
