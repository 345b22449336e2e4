"""Liveness and readiness probes."""

import pytest
from django.db import OperationalError

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_is_200_and_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_when_dependencies_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checked": ["database", "cache"]}


def test_readyz_names_the_database_when_it_is_down(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert response.json()["error"]["message"] == "Not ready: database unavailable."
    assert client.get("/healthz").status_code == 200


def test_readyz_names_the_cache_when_redis_is_down(client, settings):
    # a real Redis client against a port where nothing listens
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
    assert client.get("/healthz").status_code == 200


def test_readyz_checks_the_broker_when_configured(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert list(health.readiness_checks()) == ["database", "cache", "broker"]

    def down():
        raise ConnectionRefusedError

    monkeypatch.setattr(health, "check_broker", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]
