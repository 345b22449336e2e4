"""Safety home page."""

urlpatterns = []
