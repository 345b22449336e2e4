"""Safety pages: the live panel of a session, alerts, the session risk score and the risk model.
Paths are under /safety/ (mounted by ``safety.urls``)."""

from django.urls import path

from safety import views_monitoring as views

urlpatterns = [
    path("sessions/<int:pk>/live/", views.live_panel, name="safety-live-panel"),
    path("sessions/<int:pk>/live/fragment/", views.live_fragment, name="safety-live-panel-fragment"),
    path("sessions/<int:pk>/risk/", views.session_risk, name="safety-session-risk"),
    path("alerts/", views.alert_list, name="safety-alerts"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="safety-alert-acknowledge"),
    path("risk-model/", views.risk_model, name="safety-risk-model"),
    path("risk-model/refit/", views.risk_model_refit, name="safety-risk-model-refit"),
]
