from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_data(sender, **kwargs):
    """After every ``migrate``: bring the shipped library (activities, exercises, equipment,
    muscles, SHAPE standards) and the metric registry up to date with ``physed/data``. Idempotent,
    and run with the current code and schema — unlike a data migration, it never meets an older
    schema. The test settings turn it off; tests load what they need through fixtures."""
    from django.conf import settings

    if not getattr(settings, "PHYSED_LOAD_SHIPPED_ON_MIGRATE", True):
        return
    from physed.services.library_data import load_library
    from physed.services.metrics_data import load_shipped_metrics

    load_library()
    load_shipped_metrics()


class PhysedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "physed"
    verbose_name = _("Physical education")

    def ready(self):
        from physed.privacy import register_physed

        register_physed()
        post_migrate.connect(load_shipped_data, sender=self, dispatch_uid="physed.load_shipped_data")
