from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare_json),
    path("bench/open-memberships/", views.OpenMembershipList.as_view()),
    path("", include("config.urls")),
]
