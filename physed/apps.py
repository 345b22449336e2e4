from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhysedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "physed"
    verbose_name = _("Physical education")

    def ready(self):
        from physed.privacy import register_physed

        register_physed()
