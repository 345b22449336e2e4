"""Page routes; included from accounts/urls.py."""

from django.urls import path

from accounts import views_privacy

urlpatterns = [
    path("me/data/", views_privacy.my_data, name="my-data"),
    path("me/data/export/", views_privacy.my_data_export, name="my-data-export"),
    path("me/data/erasure/", views_privacy.my_data_erasure, name="my-data-erasure"),
    path("me/data/download/<str:token>/", views_privacy.my_data_download, name="my-data-download"),
    path("school/data/", views_privacy.data_management, name="data-management"),
    path("school/data/import/", views_privacy.import_people, name="data-import"),
    path("school/data/erasure/<int:pk>/approve/", views_privacy.erasure_approve, name="data-erasure-approve"),
    path("school/data/erasure/<int:pk>/refuse/", views_privacy.erasure_refuse, name="data-erasure-refuse"),
    path("school/data/retention/", views_privacy.retention_set, name="data-retention"),
    path("school/data/export/", views_privacy.member_export, name="data-member-export"),
]
