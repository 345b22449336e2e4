"""Pages: adaptation and recommendations. Every path starts with ``adaptation/`` so no other
area's URLs can shadow them."""

from django.urls import path

from physed import views_adaptation as views

urlpatterns = [
    path("adaptation/students/<int:pk>/", views.profile_edit, name="adaptation-profile"),
    path("adaptation/sessions/<int:pk>/", views.session_adaptations, name="adaptation-session"),
    path("adaptation/sessions/<int:pk>/decide/", views.decide, name="adaptation-decide"),
    path(
        "adaptation/classes/<int:pk>/recommendations/", views.class_recommendations, name="adaptation-recommendations"
    ),
    path(
        "adaptation/classes/<int:pk>/recommendations/feedback/",
        views.recommendation_feedback,
        name="adaptation-recommendation-feedback",
    ),
]
