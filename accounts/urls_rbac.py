"""Page routes for people, roles and permissions; included from accounts/urls.py."""

from django.urls import path

from accounts import views_rbac

urlpatterns = [
    path("school/people/", views_rbac.people, name="people"),
    path("school/people/<int:pk>/", views_rbac.membership_edit, name="membership-edit"),
    path("school/people/<int:pk>/remove/", views_rbac.membership_remove, name="membership-remove"),
    path("school/roles/", views_rbac.roles, name="roles"),
    path("school/roles/<int:pk>/", views_rbac.role_edit, name="role-edit"),
    path("school/roles/<int:pk>/delete/", views_rbac.role_delete, name="role-delete"),
    path("school/permissions/", views_rbac.permission_matrix, name="permission-matrix"),
]
