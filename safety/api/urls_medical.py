"""Safety API: medical."""

urlpatterns = []
