"""Settings come from the environment: SQLite by default, PostgreSQL through DATABASE_URL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="wirralsafe.settings")
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean_env, capture_output=True, text=True
    )


def test_with_no_database_url_the_app_uses_a_sqlite_file():
    out = settings_in_subprocess({}, "settings.DATABASES['default']['ENGINE']")
    assert out.stdout.strip() == "django.db.backends.sqlite3", out.stderr


def test_database_url_selects_postgresql_with_persistent_checked_connections():
    out = settings_in_subprocess(
        {"DATABASE_URL": "postgres://u:p@db.example:5432/ws", "CONN_MAX_AGE": "300"},
        "[settings.DATABASES['default'][k] for k in "
        "('ENGINE', 'HOST', 'NAME', 'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')]",
    )
    assert out.stdout.strip() == (
        "['django.db.backends.postgresql', 'db.example', 'ws', 300, True]"
    ), out.stderr


def test_with_debug_off_the_app_refuses_to_start_without_a_secret_key():
    out = settings_in_subprocess({"DEBUG": "False", "ALLOWED_HOSTS": "x"}, "settings.DEBUG")
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr


def test_with_debug_off_the_development_key_is_refused():
    out = settings_in_subprocess(
        {
            "DEBUG": "False",
            "SECRET_KEY": "dev-only-insecure-key-never-used-when-debug-is-off",
            "ALLOWED_HOSTS": "x",
        },
        "settings.DEBUG",
    )
    assert out.returncode != 0
    assert "development key" in out.stderr


def test_an_empty_variable_counts_as_unset():
    # `NAME=` lines copied from .env.example must fall back to the defaults.
    out = settings_in_subprocess(
        {"DATABASE_URL": "", "STATIC_ROOT": "", "CONN_MAX_AGE": "", "RETURN_DUE_DAYS": ""},
        "settings.DATABASES['default']['ENGINE'], settings.STATIC_ROOT.name, "
        "settings.RETURN_DUE_DAYS",
    )
    assert out.stdout.strip() == "django.db.backends.sqlite3 staticfiles 30", out.stderr
