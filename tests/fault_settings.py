"""Settings for the fault tests' gunicorn and Celery worker: the benchmark's production settings
(bench.settings), with plain static files storage so pages render without a collectstatic run
(the manifest storage refuses to render a page whose static files were never collected)."""

from bench.settings import *  # noqa: F403
from bench.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
