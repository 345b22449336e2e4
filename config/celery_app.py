"""Celery application. Without a broker (embedded mode, tests) tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("pe_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
