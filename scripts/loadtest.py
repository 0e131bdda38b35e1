#!/usr/bin/env python3
"""Load and fault test: gunicorn over PostgreSQL, under load, with its connections cut.

    python scripts/loadtest.py [--seconds 20] [--users 8]

It needs a PostgreSQL server it may create databases on (LOADTEST_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres) and never stops or reconfigures that server.
Everything happens on a scratch database (ws_loadtest_<pid>, dropped at the end) and on
127.0.0.1 only:

1. create the scratch database, migrate, load the 2018/19 report and a little synthetic data,
   create analysts and partner editors with known passwords, collectstatic;
2. start gunicorn with 2 workers on a free port of 127.0.0.1, DEBUG off;
3. steady load: --users threads, logged in as analysts or editors, request a mix of pages and
   downloads and check what comes back (a programme's name, the figure "6,029", an .xlsx that
   openpyxl opens), not only the status;
4. connections cut: while the load runs, every backend of the scratch database is terminated
   (pg_terminate_backend); only requests in flight at that moment may fail, and the time until
   pages are served again is measured;
5. database refusing: the scratch database stops accepting connections (ALTER DATABASE ...
   ALLOW_CONNECTIONS false, and its backends terminated): every page must be the plain 503
   page with Retry-After, never a traceback; then it accepts them again and the time until
   pages are served again is measured.

Prints a summary table and exits 1 if any requirement is violated. gunicorn is stopped and the
scratch database dropped on the way out, whatever happened.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import http.cookiejar
import io
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 20
RECOVERY_LIMIT = 10.0  # seconds within which pages must be served again
MAX_REQUESTS = 50_000  # a hard bound on the whole run, whatever --seconds says
TRACEBACK_MARKERS = ("Traceback", "OperationalError", "InterfaceError", 'File "/')


# --- PostgreSQL administration of the scratch database (never the server) ----------------


def admin_connection(admin_url: str):
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(admin_url)
    connection = psycopg2.connect(
        dbname=config["NAME"] or "postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    return connection


def database_url(admin_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def admin(admin_url: str, sql: str, params=()) -> list[tuple]:
    connection = admin_connection(admin_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        connection.close()


def quoted(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"unsafe database name {name!r}")
    return f'"{name}"'


def terminate_backends(admin_url: str, name: str) -> int:
    """Terminate every connection to the scratch database except this one; how many."""
    rows = admin(
        admin_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    )
    return sum(1 for (done,) in rows if done)


def allow_connections(admin_url: str, name: str, allowed: bool) -> None:
    admin(admin_url, f"ALTER DATABASE {quoted(name)} ALLOW_CONNECTIONS {str(allowed).lower()}")


def drop_database(admin_url: str, name: str) -> None:
    with contextlib.suppress(Exception):
        allow_connections(admin_url, name, True)
    for _ in range(5):
        try:
            terminate_backends(admin_url, name)
            admin(admin_url, f"DROP DATABASE IF EXISTS {quoted(name)}")
            return
        except Exception:  # a backend still closing: try again
            time.sleep(1)
    admin(admin_url, f"DROP DATABASE IF EXISTS {quoted(name)}")


# --- the app under test --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def app_env(db_url: str, static_root: Path, upload_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        # Plain HTTP on the loopback interface: no TLS to redirect to.
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
        RETURN_UPLOAD_DIR=str(upload_dir),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="wirralsafe.settings",
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


SETUP_CODE = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from metrics.models import Result
from metrics import synthetic
from programmes.scoping import ROLE_GROUPS, Role

spec = json.loads(sys.argv[1])
User = get_user_model()
known = Result.objects.filter(value=6029).select_related("metric__programme", "metric__partner")
known = known.filter(metric__programme__isnull=False).order_by("pk").first()
partner = known.metric.partner
def make(name, role):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password(spec["password"])
    user.is_active = True
    user.save()
    user.groups.set([Group.objects.get_or_create(name=ROLE_GROUPS[role])[0]])
    return user
for i in range(spec["analysts"]):
    make(f"load-analyst-{i}", Role.ANALYST)
for i in range(spec["editors"]):
    partner.members.add(make(f"load-editor-{i}", Role.PARTNER_EDITOR))
synthetic.refresh_statistics()
print(json.dumps({
    "programme_slug": known.metric.programme.slug,
    "programme_name": known.metric.programme.name,
    "metric_slug": known.metric.slug,
    "metric_name": known.metric.name,
    "partner_name": partner.name,
}))
"""


def prepare(env: dict, *, analysts: int, editors: int, password: str) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_wirral_2018_19")
    manage(env, "generate_synthetic", "--scale", "0.02", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    spec = json.dumps({"analysts": analysts, "editors": editors, "password": password})
    done = subprocess.run(
        [PYTHON, "-c", SETUP_CODE, spec],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"creating the users failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "wirralsafe.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            # Else gunicorn listens on a control socket in the home directory, which a second
            # load test (or the download test) running at the same time would collide with.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_gunicorn(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_until_up(base: str, process: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited while starting; see its log")
        try:
            with urllib.request.urlopen(base + "/login/", timeout=5) as response:  # noqa: S310 (http://127.0.0.1 only)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {limit:.0f} s")


# --- the client ----------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Outcome:
    task: str
    user: str
    started: float
    ended: float
    status: int
    ok: bool
    problem: str = ""


class Session:
    """One logged-in user: a cookie jar, a CSRF-checked login, and checked requests."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.username = username
        self.password = password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http://127.0.0.1 only)
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), error.read()

    def login(self) -> bool:
        status, _, page = self.fetch("/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            return False
        status, headers, _ = self.fetch(
            "/login/",
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": self.username,
                "password": self.password,
            },
        )
        return status == 302 and "/login/" not in headers.get("Location", "/login/")


def contains(*texts: str):
    def check(body: bytes, headers: dict) -> str:
        page = body.decode("utf-8", "replace")
        missing = [t for t in texts if t not in page]
        return f"missing {missing!r}" if missing else ""

    return check


def opens_as_xlsx(first_cell: str):
    def check(body: bytes, headers: dict) -> str:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(body), read_only=True)
            sheet = workbook.worksheets[0]
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True))[0]
            rows = sum(1 for _ in sheet.iter_rows(values_only=True))
            workbook.close()
        except Exception as exc:  # any failure to open is the finding
            return f"not an .xlsx openpyxl can open: {type(exc).__name__}"
        if first != first_cell:
            return f"first cell {first!r}, expected {first_cell!r}"
        return "" if rows > 1 else "no rows"

    return check


def tasks_for(role: str, known: dict) -> list[tuple[str, str, object]]:
    name = html.escape(known["programme_name"])
    metric = html.escape(known["metric_name"])
    words = urllib.parse.quote(known["programme_name"].split()[0])
    if role == "editor":
        return [
            ("returns page", "/returns/", contains(html.escape(known["partner_name"]))),
            ("dashboard", "/", contains("Dashboard", "RAG status", 'id="rag-summary"')),
            ("programme page", f"/programmes/{known['programme_slug']}/", contains(name)),
        ]
    return [
        ("dashboard", "/", contains("Dashboard", "RAG status", 'id="rag-summary"')),
        ("programmes list, filtered", f"/programmes/?q={words}&per_page=50", contains(name)),
        ("programme page", f"/programmes/{known['programme_slug']}/", contains(name, "6,029")),
        ("metrics list", "/metrics/?per_page=50", contains("Metrics", "rows")),
        ("metric page", f"/metrics/{known['metric_slug']}/", contains(metric, "6,029")),
        ("programmes .csv", "/programmes/?export=csv", contains(known["programme_name"])),
        ("metrics .xlsx", "/metrics/?export=xlsx", opens_as_xlsx("Metric")),
    ]


def checked(session: Session, task: tuple[str, str, object]) -> Outcome:
    label, path, check = task
    started = time.monotonic()
    try:
        status, headers, body = session.fetch(path)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        return Outcome(label, session.username, started, time.monotonic(), 0, False, repr(exc))
    ended = time.monotonic()
    if status != 200:
        return Outcome(label, session.username, started, ended, status, False, f"status {status}")
    problem = check(body, headers)
    return Outcome(label, session.username, started, ended, status, not problem, problem)


@dataclass
class Load:
    """Users requesting tasks in a loop until told to stop; every outcome kept."""

    sessions: list[tuple[Session, list]]
    outcomes: list[Outcome] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run_user(self, session: Session, tasks: list, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 (a repeatable mix of pages, not a secret)
        while not self.stop.is_set():
            outcome = checked(session, rng.choice(tasks))
            with self.lock:
                self.outcomes.append(outcome)
                if len(self.outcomes) >= MAX_REQUESTS:
                    self.stop.set()

    def start(self) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.run_user, args=(s, t, i), daemon=True)
            for i, (s, t) in enumerate(self.sessions)
        ]
        for thread in threads:
            thread.start()
        return threads

    def finish(self, threads: list[threading.Thread]) -> None:
        self.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    def between(self, start: float, end: float) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if start <= o.started < end]


# --- phases ----------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    outcomes: list[Outcome]
    violations: list[str]
    note: str = ""

    def row(self) -> list[str]:
        times = [o.ended - o.started for o in self.outcomes if o.status]
        p50 = f"{statistics.median(times) * 1000:.0f}" if times else "-"
        p95 = f"{statistics.quantiles(times, n=20)[-1] * 1000:.0f}" if len(times) >= 20 else "-"
        return [
            self.name,
            str(len(self.outcomes)),
            str(sum(o.ok for o in self.outcomes)),
            str(sum(500 <= o.status < 600 for o in self.outcomes)),
            str(sum(o.status == 200 and not o.ok for o in self.outcomes)),
            p50,
            p95,
            self.note,
            "ok" if not self.violations else "VIOLATED",
        ]


def recovery_after(load: Load, moment: float) -> float | None:
    """Seconds from `moment` until the end of the first good request that began after it."""
    good = [o.ended for o in load.between(moment, float("inf")) if o.ok]
    return min(good) - moment if good else None


def describe(outcomes: list[Outcome], limit: int = 5) -> str:
    return "; ".join(f"{o.task} as {o.user}: {o.problem}" for o in outcomes[:limit])


def steady_phase(load: Load, seconds: float) -> Phase:
    start = time.monotonic()
    time.sleep(seconds)
    outcomes = load.between(start, time.monotonic())
    bad = [o for o in outcomes if not o.ok]
    violations = []
    if not outcomes:
        violations.append("no requests completed")
    if bad:
        violations.append(f"{len(bad)} failed requests: {describe(bad)}")
    return Phase("steady load", outcomes, violations)


def cut_phase(load: Load, admin_url: str, name: str, seconds: float) -> Phase:
    start = time.monotonic()
    time.sleep(seconds / 2)
    with load.lock:
        finished_before = {id(o) for o in load.outcomes}
    cut = time.monotonic()
    killed = terminate_backends(admin_url, name)
    time.sleep(seconds / 2)
    outcomes = load.between(start, time.monotonic())
    # A request that failed is excused only if it was in flight when the connections were cut:
    # begun before the cut and not finished before it.
    after = [o for o in outcomes if not o.ok and o.started >= cut]
    before = [o for o in outcomes if not o.ok and o.started < cut and id(o) in finished_before]
    excused = [o for o in outcomes if not o.ok and o.started < cut and id(o) not in finished_before]
    violations = []
    if after:
        violations.append(f"{len(after)} requests begun after the cut failed: {describe(after)}")
    if before:
        violations.append(f"{len(before)} requests finished before the cut failed")
    tracebacks = [o for o in outcomes if "Traceback" in o.problem]
    if tracebacks:
        violations.append("a traceback was shown")
    recovered = recovery_after(load, cut)
    if recovered is None or recovered > RECOVERY_LIMIT:
        violations.append(f"not serving pages within {RECOVERY_LIMIT:.0f} s of the cut")
    note = f"{killed} connections cut; {len(excused)} in-flight failures; served again after " + (
        f"{recovered:.2f} s" if recovered is not None else "never"
    )
    return Phase("connections terminated", outcomes, violations, note)


def refusing_phase(load: Load, admin_url: str, name: str, probe: Session, seconds: float) -> Phase:
    """The scratch database refuses connections: 503 pages, then recovery once it accepts."""
    allow_connections(admin_url, name, False)
    terminate_backends(admin_url, name)
    start = time.monotonic()
    time.sleep(seconds)
    down_end = time.monotonic()
    allow_connections(admin_url, name, True)
    back = time.monotonic()
    time.sleep(min(seconds, RECOVERY_LIMIT))
    outcomes = load.between(start, time.monotonic())
    down = [o for o in outcomes if o.ended <= down_end]
    violations = []
    not_503 = [o for o in down if o.status != 503]
    if not down:
        violations.append("no requests answered while the database refused connections")
    if not_503:
        violations.append(f"{len(not_503)} answers other than 503 while down: {describe(not_503)}")
    # Look at the page itself once more, with headers: plain, no traceback, Retry-After.
    allow_connections(admin_url, name, False)
    terminate_backends(admin_url, name)
    status, headers, body = probe.fetch("/")
    allow_connections(admin_url, name, True)
    text = body.decode("utf-8", "replace")
    if status != 503 or "Service unavailable" not in text:
        violations.append(f"the down page answered {status}, not the 503 page")
    if any(marker in text for marker in TRACEBACK_MARKERS):
        violations.append("the 503 page shows a traceback")
    if "Retry-After" not in headers:
        violations.append("the 503 page has no Retry-After header")
    recovered = recovery_after(load, back)
    if recovered is None or recovered > RECOVERY_LIMIT:
        violations.append(f"not serving pages within {RECOVERY_LIMIT:.0f} s of the database")
    note = f"{len(down)} answers while refusing, all 503: {not not_503}; served again after " + (
        f"{recovered:.2f} s" if recovered is not None else "never"
    )
    return Phase("database refusing", outcomes, violations, note)


def table(phases: list[Phase]) -> str:
    header = [
        "phase",
        "requests",
        "ok",
        "5xx",
        "failed checks",
        "p50 ms",
        "p95 ms",
        "notes",
        "result",
    ]
    rows = [header] + [p.row() for p in phases]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the steady phase")
    parser.add_argument("--users", type=int, default=8, help="concurrent users (threads)")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("LOADTEST_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="a PostgreSQL URL allowed to create and drop databases",
    )
    parser.add_argument("--db-prefix", default="ws_loadtest", help="scratch database name")
    args = parser.parse_args(argv)
    if args.users < 2 or args.seconds <= 0:
        parser.error("--users must be at least 2 and --seconds positive")

    name = f"{args.db_prefix}_{os.getpid()}"
    password = secrets.token_urlsafe(16)
    gunicorn = None
    phases: list[Phase] = []
    work = Path(tempfile.mkdtemp(prefix="wirralsafe-load-"))
    log = work / "gunicorn.log"

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        print(f"Scratch database {name}; preparing data...", flush=True)
        admin(args.admin_url, f"CREATE DATABASE {quoted(name)}")
        env = app_env(database_url(args.admin_url, name), work / "static", work / "uploads")
        editors = max(1, args.users // 4)
        analysts = args.users - editors
        known = prepare(env, analysts=analysts, editors=editors, password=password)
        port = free_port()
        base = f"http://{HOST}:{port}"
        gunicorn = start_gunicorn(env, port, log)
        wait_until_up(base, gunicorn)
        print(f"gunicorn (2 workers) on {base}; {args.users} users.", flush=True)
        sessions = []
        for i in range(analysts):
            sessions.append((Session(base, f"load-analyst-{i}", password), "analyst"))
        for i in range(editors):
            sessions.append((Session(base, f"load-editor-{i}", password), "editor"))
        for session, _ in sessions:
            if not session.login():
                raise RuntimeError(f"{session.username} could not log in")
        load = Load([(s, tasks_for(role, known)) for s, role in sessions])
        # A logged-in user of its own, to look at the 503 page's headers.
        probe = Session(base, "load-analyst-0", password)
        if not probe.login():
            raise RuntimeError("load-analyst-0 could not log in a second time")
        threads = load.start()
        try:
            phases.append(steady_phase(load, args.seconds))
            print("steady phase done; cutting the database connections...", flush=True)
            phases.append(cut_phase(load, args.admin_url, name, max(6.0, args.seconds / 2)))
            print("making the database refuse connections...", flush=True)
            phases.append(
                refusing_phase(load, args.admin_url, name, probe, max(3.0, args.seconds / 4))
            )
            print("database back; a last steady phase...", flush=True)
            after = steady_phase(load, max(3.0, args.seconds / 4))
            after.name = "steady again"
            phases.append(after)
        finally:
            load.finish(threads)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        phases.append(Phase("interrupted", [], ["interrupted"]))
    except Exception as exc:  # reported, then cleaned up
        print(f"Load test could not run: {exc}", file=sys.stderr)
        phases.append(Phase("setup", [], [str(exc)]))
    finally:
        stop_gunicorn(gunicorn)
        drop_database(args.admin_url, name)
    print()
    print(table([p for p in phases if p.outcomes or p.violations]))
    violations = [f"{p.name}: {v}" for p in phases for v in p.violations]
    if violations:
        print("\nRequirements violated:")
        for line in violations:
            print(f"  - {line}")
        if log.exists():
            print(f"\ngunicorn's log ({log}), last lines:")
            print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
        return 1
    print("\nAll requirements held; scratch database dropped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
