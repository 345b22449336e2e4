from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistant"
    verbose_name = _("Assistant")

    def ready(self):
        from assistant import privacy_assistant, tools

        privacy_assistant.register()
        tools.load()
