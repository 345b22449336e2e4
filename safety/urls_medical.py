"""Safety pages: medical profiles and class needs. Paths start with ``medical/`` or name a
class's ``needs/`` so no other area's URLs can shadow them."""

from django.urls import path

from safety import views_medical as views

urlpatterns = [
    path("medical/", views.profile_list, name="safety-medical-list"),
    path("medical/students/<int:pk>/", views.profile_detail, name="safety-medical-detail"),
    path("medical/students/<int:pk>/edit/", views.profile_edit, name="safety-medical-edit"),
    path("medical/students/<int:pk>/action-plan/", views.action_plan, name="safety-medical-action-plan"),
    path(
        "medical/students/<int:pk>/action-plan/remove/",
        views.action_plan_delete,
        name="safety-medical-action-plan-delete",
    ),
    path("classes/<int:pk>/needs/", views.class_needs, name="safety-class-needs"),
]
