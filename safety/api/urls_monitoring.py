"""Safety API: monitoring."""

urlpatterns = []
