"""Content API: items, attachments, lesson schedules (under /api/v1/content/)."""

from rest_framework.routers import SimpleRouter

from content.api import items_views as views

router = SimpleRouter()
router.register("items", views.ItemViewSet, basename="content-item")
router.register("attachments", views.AttachmentViewSet, basename="content-attachment")
router.register("schedules", views.ScheduleViewSet, basename="content-schedule")

urlpatterns = router.urls
