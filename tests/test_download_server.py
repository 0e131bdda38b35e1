"""Under gunicorn, over real HTTP: a download's headers arrive before its workbook is built.

The app runs in gunicorn (tests/gated_wsgi.py) on its own SQLite file with the 2018/19 report
loaded. The funding report's writer waits at a gate (a named pipe) that only this test opens,
so the headers this test reads can only have come before the workbook was finished: no timing
is assumed anywhere.
"""

from __future__ import annotations

import errno
import http.client
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DOWNLOAD = "/reports/?download=1&year=2018%2F19"
FILENAME = "funding-report-2018-19.xlsx"
# Only a bound on how long a broken server may keep the test waiting, never a measurement.
PATIENCE_SECONDS = 60

SETUP = r"""
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from programmes.scoping import ROLE_GROUPS, Role

call_command("migrate", verbosity=0, interactive=False)
call_command("load_wirral_2018_19")
user = get_user_model().objects.create_user(username="download-analyst")
user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.ANALYST])[0])
client = Client()
client.force_login(user)
name = settings.SESSION_COOKIE_NAME
print(f"{name}={client.cookies[name].value}")
"""


@dataclass
class Served:
    port: int
    cookie: str
    gate: Path
    log_path: Path
    process: subprocess.Popen

    def get(self, path: str) -> http.client.HTTPResponse:
        """Send a GET and return as soon as the status line and headers have been read."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=PATIENCE_SECONDS)
        connection.request("GET", path, headers={"Cookie": self.cookie})
        return connection.getresponse()

    def release(self, word: str) -> None:
        """Open the gate the writer waits at, with "go" or "fail"."""
        deadline = time.monotonic() + PATIENCE_SECONDS
        while True:
            try:
                # Without a reader (the writer not at the gate yet) this fails at once.
                fd = os.open(self.gate, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO or self.process.poll() is not None:
                    raise
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"The writer never reached the gate.\n{self.log()}"
                    ) from exc
                time.sleep(0.01)
        try:
            os.write(fd, word.encode())
        finally:
            os.close(fd)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    directory = tmp_path_factory.mktemp("download-server")
    gate = directory / "gate"
    os.mkfifo(gate)
    (directory / "static").mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        # Plain HTTP on the loopback interface: no TLS to redirect to.
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(directory / "static"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "wirralsafe.settings",
        "WIRRALSAFE_TEST_GATE": str(gate),
    }
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    cookie = setup.stdout.strip().splitlines()[-1]
    # The test makes the listening socket and hands it to gunicorn: no port to guess, and a
    # request sent before gunicorn is ready waits in the queue instead of being refused.
    listener = socket.create_server((HOST, 0))
    port = listener.getsockname()[1]
    log_path = directory / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.gated_wsgi:application",
                "--workers",
                "1",
                "--bind",
                f"fd://{listener.fileno()}",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
                # Else each gunicorn listens on one control socket in the home directory, and
                # two test runs at once would take it from each other.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
        )
    listener.close()
    try:
        yield Served(port, cookie, gate, log_path, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def test_the_headers_arrive_while_the_workbook_is_still_being_built(served):
    response = served.get(DOWNLOAD)
    # The writer is held at the gate, which is still shut: the workbook cannot exist yet.
    assert response.status == 200, served.log()
    assert response.getheader("Content-Disposition") == f'attachment; filename="{FILENAME}"'
    assert response.getheader("Content-Type").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    served.release("go")
    workbook = load_workbook(io.BytesIO(response.read()), read_only=True)
    figures = {row[0]: row[11] for row in workbook["Metrics"].iter_rows(values_only=True)}
    assert figures["Anti-social behaviour incidents"] == 6029


def test_a_workbook_that_fails_after_the_headers_is_a_broken_download(served):
    response = served.get(DOWNLOAD)
    assert response.status == 200, served.log()
    served.release("fail")
    # The server drops the connection before the chunked body's end: the client (a browser
    # as well as http.client) knows the file is incomplete and does not keep it as finished.
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    log = served.log()
    assert f"Building {FILENAME} failed after its download began" in log
    assert "failed on purpose by the test" in log
