"""Fixtures shared by the whole suite."""

import os

# Browser tests drive Chromium from pytest-playwright's sync API inside Django's live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
