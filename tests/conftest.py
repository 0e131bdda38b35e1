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


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached figures are keyed by a version each test's rolled-back database starts again from:
    # one test's cache must not answer the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Browser tests (tests/browser/) ---------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by playwright. Missing Chromium fails the test: never a skip."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: the browser tests need it. Install it "
            "with `apt-get install chromium` (scripts/dev.py test does so where it can)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """A fresh browser tab on the live server, with downloads allowed."""
    context = chromium.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


# --- Data and users shared by the page, filter and dashboard tests --------------------------


@pytest.fixture
def demo(db):
    """A small partnership in the report's shape (tests.factories.demo_data)."""
    from tests import factories

    return factories.demo_data()


@pytest.fixture
def analyst(db):
    from programmes.scoping import Role
    from tests import factories

    return factories.user(Role.ANALYST)


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client
