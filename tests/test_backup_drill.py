"""The backup drill: pg_dump -Fc, restore into a new database, prove the copy identical.

It always runs against the PostgreSQL server on 127.0.0.1, whichever database the rest of the
suite uses, in scratch databases of its own (ws_bench_drill_src in the bench checkout); with no
server there, it fails.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def _scratch_prefix() -> str:
    # Named after the suite's own PostgreSQL database (test runs in parallel each set their
    # own), or, on SQLite, after the checkout, and after the pytest-xdist worker, so that
    # parallel runs never share a scratch one.
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if parts.scheme in ("postgres", "postgresql") and parts.path.strip("/"):
        return parts.path.strip("/") + worker
    return "ws_" + re.sub(r"[^a-z0-9]+", "_", ROOT.name.lower()).strip("_") + worker


SOURCE = f"{_scratch_prefix()}_drill_src"[:50]
OTHER = f"{_scratch_prefix()}_drill_other"[:50]


def url(name: str) -> str:
    return f"postgres://{SERVER['user']}@{SERVER['host']}:{SERVER['port']}/{name}"


def admin(sql: str, params=None) -> list[tuple]:
    conn = psycopg2.connect(dbname="postgres", **SERVER)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def query(name: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(dbname=name, **SERVER)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


def drop(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(name: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = url(name)
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def drill(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = url(SOURCE)
    return subprocess.run(
        [sys.executable, "scripts/backup_drill.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def leftover_drill_databases() -> list[str]:
    rows = admin("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{SOURCE}_drill%"])
    return [row[0] for row in rows]


@pytest.fixture(scope="module")
def source_database():
    """The app's real schema, filled with a little synthetic data, in a scratch database."""
    for name in (SOURCE, OTHER, *leftover_drill_databases()):
        drop(name)
    admin(f'CREATE DATABASE "{SOURCE}"')
    manage(SOURCE, "migrate", "-v0")
    manage(SOURCE, "generate_synthetic", "--scale", "0.01", "-v0")
    yield SOURCE
    for name in (SOURCE, OTHER, *leftover_drill_databases()):
        drop(name)


def line_for(output: str, name: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(name + " "))


def test_the_drill_restores_an_identical_copy_and_then_drops_it(source_database, tmp_path):
    dump = tmp_path / "wirralsafe.dump"
    done = drill("--dump-file", str(dump))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Backup drill PASSED" in done.stdout
    (results,) = query(source_database, "SELECT count(*) FROM metrics_result")[0]
    assert results > 0
    assert line_for(done.stdout, "table metrics_result")[2:] == [
        str(results),
        str(results),
        "same",
    ]
    tables = query(source_database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[
        0
    ][0]
    assert done.stdout.count("\ntable ") == tables
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert leftover_drill_databases() == []


def test_the_drill_reports_every_table_that_differs(source_database):
    admin(f'CREATE DATABASE "{OTHER}" TEMPLATE "{source_database}"')
    query(
        OTHER,
        # A result of an open return: the lock trigger refuses changes beneath approved ones.
        "UPDATE metrics_result SET note = 'changed' WHERE id = (SELECT min(r.id) "
        "FROM metrics_result r JOIN programmes_return t ON t.id = r.report_return_id "
        "WHERE t.status <> 'approved')",
    )
    query(OTHER, "DELETE FROM metrics_target WHERE id = (SELECT min(id) FROM metrics_target)")
    done = drill("--against", url(OTHER))
    assert done.returncode == 1, done.stdout + done.stderr
    assert line_for(done.stdout, "table metrics_result")[-2:] == ["CHECKSUM", "DIFFERS"]
    assert line_for(done.stdout, "table metrics_target")[-3:] == ["ROW", "COUNT", "DIFFERS"]
    assert line_for(done.stdout, "table metrics_metric")[-1] == "same"
    assert "DIFFERENT" in done.stdout
