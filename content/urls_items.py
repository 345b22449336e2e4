"""Content pages: items, attachments, lesson scheduling."""

from django.urls import path

from content import views_items as views
from content import views_items_files as files

urlpatterns = [
    path("items/new/", views.item_create, name="content-item-create"),
    path("items/<int:pk>/", views.item_detail, name="content-item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="content-item-edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="content-item-delete"),
    path("items/<int:pk>/attachments/", files.attachment_add, name="content-attachment-add"),
    path("attachments/<int:pk>/download/", files.attachment_download, name="content-attachment-download"),
    path("attachments/<int:pk>/delete/", files.attachment_delete, name="content-attachment-delete"),
    path("items/<int:pk>/schedule/", files.item_schedule, name="content-item-schedule"),
    path("schedules/<int:pk>/delete/", files.schedule_delete, name="content-schedule-delete"),
]
