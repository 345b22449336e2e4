"""Page routes; included from accounts/urls.py."""

urlpatterns: list = []
