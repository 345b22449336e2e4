"""Page routes of preferences and notifications; included from accounts/urls.py."""

from django.urls import path

from accounts import views_preferences as views

urlpatterns = [
    path("accounts/settings/", views.settings_page, name="settings"),
    path("accounts/settings/language/", views.set_language, name="preferences-language"),
    path("school/settings-defaults/", views.school_defaults_page, name="school-preference-defaults"),
    path("accounts/notifications/", views.notifications_page, name="notifications"),
    path("accounts/notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("accounts/notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
]
