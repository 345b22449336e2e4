"""Safety API: risk."""

urlpatterns = []
