"""Assistant API under /api/v1/assistant/: conversations (with their messages and attachments),
attachments, proposed actions, feedback on replies, personas and your persona choice."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from assistant.api import conversations_views, items_views, personas_views

router = SimpleRouter()
router.register("conversations", conversations_views.ConversationViewSet, basename="assistant-api-conversation")
router.register("attachments", items_views.AttachmentViewSet, basename="assistant-api-attachment")
router.register("actions", items_views.ActionViewSet, basename="assistant-api-action")
router.register("messages", items_views.MessageViewSet, basename="assistant-api-message")
router.register("personas", personas_views.PersonaViewSet, basename="assistant-api-persona")

urlpatterns = [
    path("assistant/me/persona/", personas_views.MyPersonaView.as_view(), name="assistant-api-my-persona"),
    path("assistant/", include(router.urls)),
]
