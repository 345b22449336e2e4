"""Assistant pages: conversations, the chat, and what can be done with a reply."""

from django.urls import path

from assistant import views_conversations as views
from assistant import views_replies as replies

urlpatterns = [
    path("", views.home, name="assistant-home"),
    path("new/", views.conversation_new, name="assistant-conversation-new"),
    path("<int:pk>/", views.conversation_detail, name="assistant-conversation"),
    path("<int:pk>/send/", views.conversation_send, name="assistant-send"),
    path("<int:pk>/rename/", views.conversation_rename, name="assistant-conversation-rename"),
    path("<int:pk>/archive/", views.conversation_archive, name="assistant-conversation-archive"),
    path("<int:pk>/delete/", views.conversation_delete, name="assistant-conversation-delete"),
    path("<int:pk>/persona/", views.conversation_persona, name="assistant-conversation-persona"),
    path("actions/<int:pk>/confirm/", replies.action_confirm, name="assistant-action-confirm"),
    path("actions/<int:pk>/reject/", replies.action_reject, name="assistant-action-reject"),
    path("messages/<int:pk>/feedback/", replies.feedback, name="assistant-feedback"),
    path("attachments/<int:pk>/download/", replies.attachment_download, name="assistant-attachment-download"),
]
