from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "memory"
    verbose_name = _("Memory")

    def ready(self):
        from memory import privacy_memory

        privacy_memory.register()
