from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_shipped_data(sender, **kwargs):
    """After every ``migrate``: bring the shipped fitness tests and standard sets up to date with
    ``assessments/data`` (idempotent). The test settings turn it off like physed's."""
    from django.conf import settings

    if not getattr(settings, "PHYSED_LOAD_SHIPPED_ON_MIGRATE", True):
        return
    from assessments.services.fitness_data import load_shipped

    load_shipped()


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from assessments import notifications_feedback, notifications_reports
        from assessments.privacy import register_assessments
        from assessments.providers import register_providers

        register_assessments()
        register_providers()
        notifications_feedback.register_events()
        notifications_reports.register_events()
        post_migrate.connect(load_shipped_data, sender=self, dispatch_uid="assessments.load_shipped_data")
