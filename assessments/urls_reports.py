"""Assessments pages: progress reports (issue 7 §5), mounted under /assessments/."""

from django.urls import path

from assessments import views_reports as views

urlpatterns = [
    path("classes/<int:pk>/reports/", views.class_reports, name="assessments-class-reports"),
    path("classes/<int:pk>/reports/generate/", views.class_generate_all, name="assessments-class-reports-generate"),
    path(
        "classes/<int:pk>/reports/generate/<int:student_pk>/",
        views.class_generate_one,
        name="assessments-class-report-generate-one",
    ),
    path("report-batches/<uuid:pk>/progress/", views.batch_progress, name="assessments-report-batch-progress"),
    path("reports/<int:pk>/", views.report_detail, name="assessments-report-detail"),
    path("reports/<int:pk>/regenerate/", views.report_regenerate, name="assessments-report-regenerate"),
    path("reports/<int:pk>/publish/", views.report_publish, name="assessments-report-publish"),
    path("reports/<int:pk>/unpublish/", views.report_unpublish, name="assessments-report-unpublish"),
    path("reports/<int:pk>/print/", views.report_print, name="assessments-report-print"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="assessments-report-pdf"),
    path("my-reports/", views.my_reports, name="assessments-my-reports"),
    path("my-reports/<int:pk>/", views.my_report, name="assessments-my-report"),
]
