"""Safety pages: equipment. Every path starts with ``equipment/``."""

from django.urls import path

from safety import views_equipment as views

urlpatterns = [
    path("equipment/", views.equipment_list, name="safety-equipment-list"),
    path("equipment/new/", views.equipment_create, name="safety-equipment-create"),
    path("equipment/<int:pk>/", views.equipment_detail, name="safety-equipment-detail"),
    path("equipment/<int:pk>/edit/", views.equipment_edit, name="safety-equipment-edit"),
    path("equipment/<int:pk>/inspect/", views.equipment_inspect, name="safety-equipment-inspect"),
    path("equipment/<int:pk>/quick-check/", views.equipment_quick_check, name="safety-equipment-quick-check"),
    path("equipment/<int:pk>/maintenance/", views.equipment_maintenance, name="safety-equipment-maintenance"),
    path("equipment/<int:pk>/retire/", views.equipment_retire, name="safety-equipment-retire"),
]
