from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_data(sender, **kwargs):
    """After every ``migrate``: bring the shipped environment rule sets and default risk bands up
    to date with ``safety/data`` (idempotent). The test settings turn it off like physed's."""
    from django.conf import settings

    if not getattr(settings, "PHYSED_LOAD_SHIPPED_ON_MIGRATE", True):
        return
    from safety.services.environment_data import load_shipped_rule_sets
    from safety.services.risk_data import load_default_bands

    load_shipped_rule_sets()
    load_default_bands()


class SafetyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safety"
    verbose_name = _("Safety and risk")

    def ready(self):
        from safety.notifications import register_events
        from safety.privacy import register_safety
        from safety.providers import register_providers

        register_events()
        register_safety()
        register_providers()
        post_migrate.connect(load_shipped_data, sender=self, dispatch_uid="safety.load_shipped_data")
