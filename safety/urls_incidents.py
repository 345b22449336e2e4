"""Safety pages: incidents."""

urlpatterns = []
