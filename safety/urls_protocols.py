"""Safety pages: protocols."""

urlpatterns = []
