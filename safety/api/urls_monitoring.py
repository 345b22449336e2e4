"""Safety API: live panel and risk score of a session, alerts, risk models (under /api/v1/safety/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safety.api import monitoring_views as views

router = SimpleRouter()
router.register("sessions", views.SessionMonitoringViewSet, basename="safety-session-monitoring")
router.register("alerts", views.SafetyAlertViewSet, basename="safety-alert")
router.register("risk-models", views.RiskModelHistoryViewSet, basename="safety-riskmodel")

urlpatterns = [
    path("risk-model/", views.RiskModelViewSet.as_view({"get": "latest"}), name="safety-riskmodel-latest"),
    path("risk-model/refit/", views.RiskModelViewSet.as_view({"post": "refit"}), name="safety-riskmodel-refit"),
    *router.urls,
]
