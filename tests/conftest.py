"""Fixtures shared by the whole suite."""

import os

# Browser tests drive Chromium from pytest-playwright's sync API inside Django's live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Builders create many users; the production hasher's deliberate slowness is not under
    # test here, and would make the suite minutes longer.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
