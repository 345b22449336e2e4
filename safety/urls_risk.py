"""Safety pages: risk."""

urlpatterns = []
