"""Safety pages: incidents. Every path starts with ``incidents/`` (or ``my/``)."""

from django.urls import path

from safety import views_incidents as views
from safety import views_incidents_more as more

urlpatterns = [
    path("incidents/", views.incident_list, name="safety-incidents"),
    path("incidents/report/", views.incident_report, name="safety-incident-report"),
    path("incidents/near-miss/", views.near_miss_report, name="safety-incident-near-miss"),
    path("incidents/analytics/", more.incident_analytics, name="safety-incident-analytics"),
    path("incidents/<int:pk>/", views.incident_detail, name="safety-incident-detail"),
    path("incidents/<int:pk>/amend/", views.incident_amend, name="safety-incident-amend"),
    path("incidents/<int:pk>/transition/", views.incident_transition, name="safety-incident-transition"),
    path("incidents/<int:pk>/actions/", views.action_add, name="safety-incident-action-add"),
    path("incidents/actions/<int:pk>/complete/", views.action_complete, name="safety-incident-action-complete"),
    path("incidents/<int:pk>/notices/", more.notices_generate, name="safety-incident-notices-generate"),
    path("incidents/notices/<int:pk>/", more.notice_detail, name="safety-guardian-notice"),
    path("incidents/notices/<int:pk>/edit/", more.notice_edit, name="safety-guardian-notice-edit"),
    path("incidents/notices/<int:pk>/send/", more.notice_send, name="safety-guardian-notice-send"),
    path("my/incident-notices/", more.my_notices, name="safety-my-incident-notices"),
]
