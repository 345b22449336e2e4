"""Safety API: equipment."""

urlpatterns = []
