"""gunicorn settings shared by `make serve` and the benchmark stack (bench/stack.py).

Sync workers: a worker waits while PostgreSQL or Redis answers, so one per core leaves the cores
idle during those waits; gunicorn's documented starting point is (2 × cores) + 1. WEB_CONCURRENCY
overrides it (README).
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
