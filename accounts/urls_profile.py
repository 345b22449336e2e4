"""Page routes; included from accounts/urls.py."""

from django.urls import path

from accounts import views_profile

urlpatterns: list = [
    path("profile/", views_profile.profile, name="profile"),
    path("profile/picture/", views_profile.avatar_upload, name="profile-avatar"),
    path("profile/picture/remove/", views_profile.avatar_remove, name="profile-avatar-remove"),
    path("people/<int:user_id>/picture/<str:size>/", views_profile.avatar_image, name="profile-avatar-image"),
    path("directory/", views_profile.directory, name="directory"),
    path("directory/<int:user_id>/", views_profile.member, name="directory-member"),
    path("directory/<int:user_id>/verify/", views_profile.member_verify, name="directory-member-verify"),
]
