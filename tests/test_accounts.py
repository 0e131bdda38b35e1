"""Login throttling and production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def member(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return f.user(username="j.smith", password="pw-Correct-Horse-9")


def attempt(client, password, **headers):
    return client.post(
        reverse("login"),
        {"username": "j.smith", "password": password},
        REMOTE_ADDR="203.0.113.7",
        **headers,
    )


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(client, member):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    response = attempt(client, "pw-Correct-Horse-9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_forged_x_forwarded_for_does_not_give_a_fresh_start(client, member):
    for n in range(5):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = attempt(client, "pw-Correct-Horse-9", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_the_lock_lifts_after_the_cool_off(client, member):
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, "pw-Correct-Horse-9").status_code == 429
    # Age the failures past the cool-off instead of waiting for it.
    import datetime

    from django.conf import settings
    from django.utils import timezone

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    response = attempt(client, "pw-Correct-Horse-9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_right_password_before_the_limit_logs_in(client, member):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "pw-Correct-Horse-9").status_code == 302


def test_a_trusted_proxy_count_uses_the_address_the_proxy_added(settings, rf):
    from wirralsafe.throttling import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "k" * 20 + "-Q7v9!xZr3@pL0sWm2#Tn8^bY5&cH1*dF6",
        "ALLOWED_HOSTS": "wirralsafe.example.org",
        "DJANGO_SETTINGS_MODULE": "wirralsafe.settings",
    }
    env.pop("DATABASE_URL", None)
    # Set by tests/conftest.py for the browser tests; a deployment never sets it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_fails_with_debug_on():
    """The check above can fail: with development settings it reports warnings."""
    env = {**os.environ, "DEBUG": "True", "DJANGO_SETTINGS_MODULE": "wirralsafe.settings"}
    env.pop("SECRET_KEY", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "security.W018" in done.stderr + done.stdout
