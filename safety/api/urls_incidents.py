"""Safety API: incidents."""

urlpatterns = []
