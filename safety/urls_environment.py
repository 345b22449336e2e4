"""Safety pages: environment. Every path starts with ``environment/``."""

from django.urls import path

from safety import views_environment as views

urlpatterns = [
    path("environment/", views.status, name="safety-environment"),
    path("environment/readings/", views.readings, name="safety-environment-readings"),
    path("environment/settings/", views.settings_page, name="safety-environment-settings"),
    path("environment/rule-sets/", views.rule_sets, name="safety-environment-rule-sets"),
    path("environment/rule-sets/<int:pk>/", views.rule_set_detail, name="safety-environment-rule-set"),
    path("environment/rule-sets/<int:pk>/copy/", views.rule_set_copy, name="safety-environment-rule-set-copy"),
    path("environment/rule-sets/<int:pk>/edit/", views.rule_set_edit, name="safety-environment-rule-set-edit"),
    path("environment/rule-sets/<int:pk>/delete/", views.rule_set_delete, name="safety-environment-rule-set-delete"),
    path("environment/rule-sets/<int:pk>/choose/", views.rule_set_choose, name="safety-environment-rule-set-choose"),
]
