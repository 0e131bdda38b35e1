"""Fixtures shared by the whole suite."""

import os

# Browser tests drive Chromium from pytest-playwright's sync API inside Django's live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing a password properly takes a good part of a second; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
