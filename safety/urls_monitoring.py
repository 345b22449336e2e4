"""Safety pages: monitoring."""

urlpatterns = []
