"""Audit rows for tests and the API walkers (registered as AuditEvent's scoped factory)."""

import factory
from django.utils import timezone

from accounts.models import AuditEvent
from tests.registry import register_scoped_factory


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    occurred_at = factory.LazyFunction(timezone.now)
    action = "test.event"
    target_type = "accounts.school"
    target_id = factory.Sequence(str)
    target_label = factory.Sequence(lambda n: f"target {n}")
    ip_address = "192.0.2.0"
    user_agent = "pytest"
    request_id = factory.Sequence(lambda n: f"req-{n:08d}")


register_scoped_factory(AuditEvent, lambda school: AuditEventFactory(school=school))
