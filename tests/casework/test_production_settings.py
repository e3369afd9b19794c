"""The settings module refuses to start a production process that is not configured safely."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-a-long-random-production-secret-key-0123456789"


def start_django(**environment):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ENV"}}
    env.update(environment)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_debug_on():
    result = start_django(DJANGO_ENV="production", DEBUG="true", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="x.gov.uk")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_the_default_secret_key():
    result = start_django(DJANGO_ENV="production", ALLOWED_HOSTS="casework.council.gov.uk")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_missing_allowed_hosts():
    result = start_django(DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_when_configured_safely():
    result = start_django(DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="casework.council.gov.uk")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_development_starts_with_defaults():
    result = start_django()
    assert result.returncode == 0, result.stderr
