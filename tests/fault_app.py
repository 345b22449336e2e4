"""Celery app for tests/test_faults.py: the project's app plus test-only hooks in the exporter.

Started as ``celery -A tests.fault_app worker``. The hooks pick the export's subject by email, so
one worker serves every scenario:

- ``fault-slow…`` subjects: each progress step sleeps, so the whole export takes about
  ``FAULT_EXPORT_SECONDS`` (the test has time to SIGKILL the worker mid-export);
- ``fault-fail…`` subjects: the exporter raises a (transient) OperationalError on every attempt.
"""

import os
import time

from celery.signals import worker_process_init

from config.celery_app import app

__all__ = ["app"]


@worker_process_init.connect
def _install_hooks(**kwargs):
    from django.db import OperationalError

    from accounts.privacy import exporter, registry

    original = exporter.build_archive

    def build_archive(subject, *, progress=None):
        if subject.email.startswith("fault-fail"):
            raise OperationalError("injected by tests/fault_app.py")
        if subject.email.startswith("fault-slow") and progress is not None:
            step = float(os.environ.get("FAULT_EXPORT_SECONDS", "6")) / max(len(registry.entries()), 1)

            def slow(value, report=progress):
                report(value)
                time.sleep(step)

            return original(subject, progress=slow)
        return original(subject, progress=progress)

    exporter.build_archive = build_archive
