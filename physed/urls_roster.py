"""Pages: roster (classes, students, guardians, My PE, promotion, imports)."""

from django.urls import path

from physed import views_roster, views_roster_import, views_roster_students

urlpatterns = [
    path("classes/", views_roster.class_list, name="class-list"),
    path("classes/new/", views_roster.class_create, name="class-create"),
    path("classes/<int:pk>/", views_roster.class_detail, name="class-detail"),
    path("classes/<int:pk>/edit/", views_roster.class_edit, name="class-edit"),
    path("classes/<int:pk>/enroll/", views_roster.class_enroll, name="class-enroll"),
    path("enrollments/<int:pk>/withdraw/", views_roster.enrollment_withdraw, name="enrollment-withdraw"),
    path("students/", views_roster_students.student_list, name="student-list"),
    path("students/new/", views_roster_students.student_create, name="student-create"),
    path("students/promote/", views_roster_students.promote, name="student-promote"),
    path("students/<int:pk>/", views_roster_students.student_detail, name="student-detail"),
    path("students/<int:pk>/edit/", views_roster_students.student_edit, name="student-edit"),
    path("students/<int:pk>/guardians/add/", views_roster_students.guardian_add, name="guardian-add"),
    path("guardianships/<int:pk>/remove/", views_roster_students.guardian_remove, name="guardian-remove"),
    path("my-pe/", views_roster_students.my_pe, name="my-pe"),
    path("roster/import/", views_roster_import.import_start, name="roster-import"),
    path("roster/import/<int:pk>/", views_roster_import.import_review, name="roster-import-review"),
    path("roster/import/<int:pk>/discard/", views_roster_import.import_discard, name="roster-import-discard"),
]
