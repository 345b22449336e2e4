"""Memory API under /api/v1/memory/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from memory.api import views

router = SimpleRouter()
router.register("memories", views.MemoryViewSet, basename="memory")

urlpatterns = [path("memory/", include(router.urls))]
