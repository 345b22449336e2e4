from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_data(sender, **kwargs):
    """After every ``migrate``: the shipped badges from ``progress/data/achievements.json``
    (idempotent). The test settings turn it off like physed's."""
    from django.conf import settings

    if not getattr(settings, "PHYSED_LOAD_SHIPPED_ON_MIGRATE", True):
        return
    from progress.services.achievements_data import load_shipped

    load_shipped()


class ProgressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "progress"
    verbose_name = _("Progress")

    def ready(self):
        from progress.privacy import register_progress
        from progress.providers import register_providers

        register_progress()
        register_providers()
        post_migrate.connect(load_shipped_data, sender=self, dispatch_uid="progress.load_shipped_data")
