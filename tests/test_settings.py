"""Production settings: refuse to start without secrets; hardened when they are given."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUMMY = {
    "DJANGO_SECRET_KEY": "check-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "DJANGO_ALLOWED_HOSTS": "pe.example.org",
    "DATABASE_URL": "sqlite:////tmp/pe-settings-check.sqlite3",
}


def _run(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_production_refuses_without_secret_key():
    env = {**DUMMY}
    del env["DJANGO_SECRET_KEY"]
    result = _run("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_without_allowed_hosts():
    env = {**DUMMY}
    del env["DJANGO_ALLOWED_HOSTS"]
    result = _run("import django; django.setup()", **env)
    assert "DJANGO_ALLOWED_HOSTS must be set in production" in result.stderr


def test_production_is_hardened():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.LOGGING['handlers']['console']['formatter'], s.ALLOWED_HOSTS)"
    )
    result = _run(code, **DUMMY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "json",
        "['pe.example.org']",
    ]


def test_s3_media_storage_is_private_with_signed_urls():
    code = (
        "import django; django.setup(); from django.conf import settings as s; o = s.STORAGES['default']; "
        "print(o['BACKEND'], o['OPTIONS']['bucket_name'], o['OPTIONS']['default_acl'], "
        "o['OPTIONS']['querystring_auth'])"
    )
    result = _run(code, **DUMMY, MEDIA_STORAGE="s3", S3_BUCKET="pe-media")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "pe-media", "private", "True"]


def test_json_logs_carry_request_context_and_no_secrets():
    code = (
        "import django, logging; django.setup();"
        "from config.logging import request_id_var, user_id_var, school_id_var;"
        "request_id_var.set('req-1'); user_id_var.set('42'); school_id_var.set('7');"
        "logging.getLogger('pe').warning('signed in')"
    )
    result = _run(code, **DUMMY)
    import json

    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "signed in"
    assert (line["request_id"], line["user_id"], line["school_id"]) == ("req-1", "42", "7")
    assert line["level"] == "WARNING"
