"""With the database down or a connection dropped, users get a 503 page and the app recovers."""

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import psycopg2
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import Client

from programmes.scoping import Role
from tests import factories
from wirralsafe import middleware

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def analyst_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(factories.user(Role.ANALYST))
    return client


def assert_unavailable_page(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "Service unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body


@contextlib.contextmanager
def cursors_fail(times: int):
    """The next `times` cursors fail as a dropped or refused connection does, then all is well."""
    real = connection.create_cursor
    left = {"n": times}

    def create_cursor(name=None):
        if left["n"] > 0:
            left["n"] -= 1
            raise connection.Database.OperationalError("server closed the connection unexpectedly")
        return real(name)

    with mock.patch.object(connection, "create_cursor", create_cursor):
        yield left


def test_a_view_that_loses_the_database_gets_the_503_page(analyst_client, caplog):
    with (
        caplog.at_level(logging.ERROR, logger="wirralsafe.middleware"),
        mock.patch("reports.views.render", side_effect=OperationalError("connection refused")),
    ):
        response = analyst_client.get("/")
    assert_unavailable_page(response)
    assert "connection refused" in caplog.text


@pytest.mark.parametrize("debug", [False, True])
def test_an_outage_met_by_the_session_middleware_gets_the_503_page(analyst_client, settings, debug):
    settings.DEBUG = debug
    with mock.patch.object(SessionStore, "load", side_effect=OperationalError("server is down")):
        response = analyst_client.get("/")
    assert_unavailable_page(response)


def test_other_errors_still_get_the_ordinary_server_error(analyst_client):
    with mock.patch("reports.views.render", side_effect=ValueError("a bug")):
        response = analyst_client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_requests_during_an_outage_get_503_and_the_app_recovers_after_it():
    client = Client(raise_request_exception=False)
    client.force_login(factories.user(Role.ANALYST))
    assert client.get("/").status_code == 200
    with cursors_fail(times=1000) as left:
        during = [client.get("/") for _ in range(3)]
        assert left["n"] < 1000  # the outage really was met
    for response in during:
        assert_unavailable_page(response)
    assert client.get("/").status_code == 200


def terminate_backend_of(conn) -> None:
    """Kill the test's own PostgreSQL connection from a second one, as an operator would."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = conn.settings_dict
    admin = psycopg2.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
            for _ in range(50):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.1)
    finally:
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_terminated_connection_is_replaced_by_the_next_request():
    client = Client(raise_request_exception=False)
    client.force_login(factories.user(Role.ANALYST))
    assert client.get("/").status_code == 200
    if connection.vendor == "postgresql":
        terminate_backend_of(connection)
        in_flight = client.get("/")
    else:
        # SQLite has no server to drop the connection; fail the connection's next use instead.
        with cursors_fail(times=1):
            in_flight = client.get("/")
    # The request that meets the dead connection may fail, but only with the 503 page.
    assert in_flight.status_code in (200, 503)
    if in_flight.status_code == 503:
        assert_unavailable_page(in_flight)
    assert client.get("/").status_code == 200


def test_with_postgresql_unreachable_every_page_is_the_503_page():
    """A real outage: the app in a fresh process, pointed at a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "client.cookies['sessionid'] = 'a-session-the-database-must-be-asked-about'\n"
        "for path in ('/', '/programmes/anything/'):\n"
        "    r = client.get(path)\n"
        "    print(r.status_code, r.get('Retry-After'), 'Service unavailable' in r.text,\n"
        "          'Traceback' in r.text)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="wirralsafe.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/wirralsafe",
        ALLOWED_HOSTS="testserver",
        DEBUG="True",  # even with the debug pages on, no traceback reaches the user
        LOG_LEVEL="CRITICAL",
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split("\n")[:2]
    assert lines == [f"503 {middleware.RETRY_AFTER_SECONDS} True False"] * 2, done.stdout
