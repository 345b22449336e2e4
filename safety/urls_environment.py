"""Safety pages: environment."""

urlpatterns = []
