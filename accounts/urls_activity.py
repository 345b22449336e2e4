"""Page routes; included from accounts/urls.py."""

from django.urls import path

from accounts import views_activity as views

urlpatterns: list = [
    path("activity/", views.my_activity, name="my-activity"),
    path("activity/export.csv", views.my_activity_export, name="my-activity-csv"),
    path("activity/tracking/", views.my_activity_tracking, name="my-activity-tracking"),
    path("feedback/", views.satisfaction_answer, name="feedback-answer"),
    path("analytics/", views.analytics, name="analytics"),
    path("analytics/risk/fit/", views.analytics_fit, name="analytics-fit"),
    path("analytics/policy/", views.analytics_policy, name="analytics-policy-page"),
]
