"""Pages: sessions (planning, the live page, attendance, results) and their analytics. Every
path starts with ``sessions/`` so no other area's URLs can shadow them."""

from django.urls import path

from physed import views_sessions, views_sessions_analytics, views_sessions_run

urlpatterns = [
    path("sessions/class/<int:class_pk>/", views_sessions.class_sessions, name="class-sessions"),
    path("sessions/class/<int:class_pk>/new/", views_sessions.session_create, name="session-create"),
    path("sessions/class/<int:class_pk>/generate/", views_sessions.session_generate, name="session-generate"),
    path(
        "sessions/class/<int:class_pk>/attendance/",
        views_sessions_analytics.class_attendance,
        name="class-attendance-analytics",
    ),
    path(
        "sessions/class/<int:class_pk>/performance/",
        views_sessions_analytics.class_performance,
        name="class-performance-analytics",
    ),
    path(
        "sessions/student/<int:student_pk>/attendance/",
        views_sessions_analytics.student_attendance,
        name="student-attendance-analytics",
    ),
    path(
        "sessions/student/<int:student_pk>/performance/",
        views_sessions_analytics.student_performance,
        name="student-performance-analytics",
    ),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/edit/", views_sessions.session_edit, name="session-edit"),
    path("sessions/<int:pk>/plan/", views_sessions.session_plan, name="session-plan"),
    path("sessions/<int:pk>/blocks/<int:block_pk>/", views_sessions.session_block, name="session-block"),
    path("sessions/<int:pk>/copy/", views_sessions.session_copy, name="session-copy"),
    path("sessions/<int:pk>/status/", views_sessions.session_status, name="session-status"),
    path("sessions/<int:pk>/delete/", views_sessions.session_delete, name="session-delete"),
    path("sessions/<int:pk>/attendance/", views_sessions_run.session_attendance, name="session-attendance"),
    path("sessions/<int:pk>/results/", views_sessions_run.session_results, name="session-results"),
]
