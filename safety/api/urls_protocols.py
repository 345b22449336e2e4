"""Safety API: protocols."""

urlpatterns = []
