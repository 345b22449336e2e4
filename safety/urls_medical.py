"""Safety pages: medical."""

urlpatterns = []
