"""Safety pages: risk assessments and risk bands (under /safety/)."""

from django.urls import path

from safety import views_risk as views

urlpatterns = [
    path("risk-assessments/", views.assessment_list, name="safety-assessment-list"),
    path("risk-assessments/new/", views.assessment_create, name="safety-assessment-create"),
    path("risk-assessments/<int:pk>/", views.assessment_detail, name="safety-assessment-detail"),
    path("risk-assessments/<int:pk>/edit/", views.assessment_edit, name="safety-assessment-edit"),
    path("risk-assessments/<int:pk>/print/", views.assessment_print, name="safety-assessment-print"),
    path("risk-assessments/<int:pk>/delete/", views.assessment_delete, name="safety-assessment-delete"),
    path(
        "risk-assessments/<int:pk>/<slug:step>/",
        views.assessment_step,
        name="safety-assessment-step",
    ),
    path("risk-bands/", views.risk_bands, name="safety-risk-bands"),
    path("risk-bands/restore/", views.risk_bands_restore, name="safety-risk-bands-restore"),
]
