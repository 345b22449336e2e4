"""Safety pages: protocols and emergency procedures (under /safety/)."""

from django.urls import path

from safety import views_protocols as views

urlpatterns = [
    path("protocols/", views.protocol_list, name="safety-protocol-list"),
    path("protocols/new/", views.protocol_create, name="safety-protocol-create"),
    path("protocols/<int:pk>/", views.protocol_detail, name="safety-protocol-detail"),
    path("protocols/<int:pk>/edit/", views.protocol_edit, name="safety-protocol-edit"),
    path("protocols/<int:pk>/delete/", views.protocol_delete, name="safety-protocol-delete"),
    path("protocols/<int:pk>/sign-off/", views.protocol_sign_off, name="safety-protocol-sign-off"),
    path("procedures/", views.procedure_list, name="safety-procedure-list"),
    path("procedures/new/", views.procedure_create, name="safety-procedure-create"),
    path("procedures/<int:pk>/", views.procedure_detail, name="safety-procedure-detail"),
    path("procedures/<int:pk>/edit/", views.procedure_edit, name="safety-procedure-edit"),
    path("procedures/<int:pk>/delete/", views.procedure_delete, name="safety-procedure-delete"),
    path("procedures/<int:pk>/drills/new/", views.drill_create, name="safety-drill-create"),
]
