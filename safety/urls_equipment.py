"""Safety pages: equipment."""

urlpatterns = []
