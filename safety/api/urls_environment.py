"""Safety API: environment."""

urlpatterns = []
