from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "content"
    verbose_name = _("Content library")

    def ready(self):
        from content.privacy import register_content
        from content.providers import register_providers

        register_content()
        register_providers()
