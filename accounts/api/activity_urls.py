"""API routes; included from accounts/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts.api import activity_views as views

router = SimpleRouter()
router.register("me/activity", views.MyActivityViewSet, basename="my-activity")

urlpatterns: list = [
    path("me/activity/export/", views.MyActivityExportView.as_view(), name="my-activity-export"),
    path("me/activity/settings/", views.ActivitySettingsView.as_view(), name="my-activity-settings"),
    path("me/satisfaction/prompt/", views.SatisfactionPromptView.as_view(), name="satisfaction-prompt"),
    path("me/satisfaction/csat/", views.CsatAnswerView.as_view(), name="satisfaction-csat"),
    path("me/satisfaction/nps/", views.NpsAnswerView.as_view(), name="satisfaction-nps"),
    path("me/satisfaction/dismiss/", views.SatisfactionDismissView.as_view(), name="satisfaction-dismiss"),
    path("analytics/", views.AnalyticsReportView.as_view(), name="analytics-report"),
    path("analytics/satisfaction/", views.SatisfactionResultsView.as_view(), name="analytics-satisfaction"),
    path("analytics/risk/", views.RiskReportView.as_view(), name="analytics-risk"),
    path("analytics/risk/fit/", views.RiskFitView.as_view(), name="analytics-risk-fit"),
    path("analytics/policy/", views.SchoolPolicyView.as_view(), name="analytics-policy"),
    *router.urls,
]
