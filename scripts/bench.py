#!/usr/bin/env python3
"""Benchmarks: how fast the pages, the full export and the import are, against baselines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ws_bench \\
        python scripts/bench.py [--scale 1] [--runs 5] [--output bench-results/latest.md]

Runs in-process with Django's test client, DEBUG off, logged in as an analyst, against the
database in DATABASE_URL (SQLite's db.sqlite3 if unset). It migrates that database and
generates the synthetic data at --scale if it is missing or at another scale. Section 5
compares with the same data at a quarter of the scale, in a second database named like the
first with "_quarter" added (created and filled if need be), measured in a child process.

Every time is the median of --runs runs; the thing measured and its baseline run alternately,
in one process, so that a ratio holds on a busy machine. Not part of the test suite's pass or
fail: it prints a table, writes it as markdown to --output, and exits 0 whether or not the
goals are met (the table says which are).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PREFIX = "syn-bench-"
IMPORT_ROWS = 5000
PAGE_ROWS = 50
TIMES = "\N{MULTIPLICATION SIGN}"


# --- setting up ---------------------------------------------------------------------------


def configure_django() -> None:
    """DEBUG off as in production, but plain HTTP: the test client speaks no TLS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wirralsafe.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "k" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        os.environ[name] = "False"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise's warning that collectstatic has not run: static files are not measured here.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic here: static URLs come unhashed, as with DEBUG on (the manifest lookup
    # that production does instead is a dictionary lookup, and the same for page and baseline).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The baseline views below are the benchmark's own, mounted beside the app's URLs.
    settings.ROOT_URLCONF = "bench_urls"
    sys.modules["bench_urls"] = _baseline_urls()


def quarter_url(url: str) -> str:
    """The URL of the database for the quarter-scale data, next to the main one."""
    if not url:
        return f"sqlite:///{ROOT / 'db_quarter.sqlite3'}"
    base, _, query = url.partition("?")
    stem, dot, ext = base.rpartition(".")
    if base.startswith("sqlite") and dot and "/" not in ext:
        base = f"{stem}_quarter.{ext}"
    else:
        base += "_quarter"
    return base + (f"?{query}" if query else "")


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database in `url` if it does not exist (SQLite needs nothing)."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()


def prepare_data(scale: float, say) -> None:
    """Migrate, and generate the synthetic data unless it is already there at this scale."""
    from django.core.management import call_command

    from metrics import synthetic
    from programmes.models import Partner

    call_command("migrate", verbosity=0, interactive=False)
    wanted = synthetic._scaled(40, scale, 3)
    have = Partner.objects.filter(slug__startswith=synthetic.PREFIX).exclude(
        slug__startswith=BENCH_PREFIX
    )
    if not (synthetic.synthetic_exists() and have.count() == wanted):
        say(f"Generating the synthetic data at scale {scale:g} (takes a while once)...")
        synthetic.generate(scale=scale, clear_first=True)
    # Planner statistics, whether or not autovacuum has caught up with the last load.
    synthetic.refresh_statistics()


def analyst():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from programmes.scoping import ROLE_GROUPS, Role

    user, _ = get_user_model().objects.get_or_create(username=f"{BENCH_PREFIX}analyst")
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.ANALYST])[0])
    return user


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- measuring ----------------------------------------------------------------------------


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def side_by_side(runs: int, **funcs) -> dict[str, float]:
    """Median seconds of each function, run alternately (the order turning each round)."""
    names = list(funcs)
    for name in names:  # a warm-up each: caches, compiled templates, connections
        funcs[name]()
    times = {name: [] for name in names}
    for i in range(runs):
        order = names if i % 2 == 0 else list(reversed(names))
        for name in order:
            times[name].append(timed(funcs[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def get_ok(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    elif hasattr(response, "file_to_stream"):
        b"".join(response)
    return response


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        get_ok(client, url)
    return len(queries)


# --- section 1: list pages against hand-written baselines ----------------------------------

BASELINE_TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1 class="h2">{{ title }}</h1>
<p>{{ count }} rows.</p>
<table class="table table-sm">
<thead><tr>{% for h in header %}<th scope="col">{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr><td><a href="{{ row.name_url }}">{{ row.name }}</a></td>
{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endblock %}
"""


def _text(row: dict, name: str) -> str:
    text = row.get(f"{name}_text")
    if text is None:
        value = row.get(name)
        text = "" if value is None else str(value)
    return text


def _baseline(request, *, filterset_class, queryset, rows_of, columns, title):
    """The same filter, the same selector and sort, the first page of rows, no framework."""
    from django.http import HttpResponse
    from django.template import engines

    filterset = filterset_class(
        request.GET or None, queryset=queryset(request.user), request=request
    )
    rows = rows_of(
        request.user,
        filterset.qs,
        filterset.figures_year,
        include_pending=filterset.pending_included,
    )
    rows.sort(key=lambda r: r["name_sort"])
    page = [
        {
            "name": r["name"],
            "name_url": r.get("name_url"),
            "cells": [_text(r, c) for c in columns],
        }
        for r in rows[:PAGE_ROWS]
    ]
    template = engines["django"].from_string(BASELINE_TEMPLATE)
    context = {"title": title, "count": len(rows), "rows": page, "header": ["Name", *columns]}
    return HttpResponse(template.render(context, request))


def baseline_programmes(request):
    from programmes.filtersets import ProgrammeFilterSet
    from programmes.listing import programme_rows, programmes_queryset

    return _baseline(
        request,
        filterset_class=ProgrammeFilterSet,
        queryset=programmes_queryset,
        rows_of=programme_rows,
        columns=["theme", "lead_partner", "streams", "funding", "metrics", "status"],
        title="Programmes",
    )


def baseline_metrics(request):
    from metrics.filtersets import MetricFilterSet
    from metrics.selectors import metric_rows, metrics_queryset
    from metrics.tables import MetricTable

    columns = [c for c in MetricTable.base_columns if c != "name"]
    return _baseline(
        request,
        filterset_class=MetricFilterSet,
        queryset=metrics_queryset,
        rows_of=metric_rows,
        columns=columns,
        title="Metrics",
    )


def _baseline_urls():
    import types

    from django.urls import include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench/baseline/programmes/", baseline_programmes),
        path("bench/baseline/metrics/", baseline_metrics),
        path("", include("wirralsafe.urls")),
    ]
    return module


def list_filter() -> str:
    """A filtered query that gives a page of rows or more: the latest complete year with figures."""
    from metrics.selectors import default_year

    year = default_year(analyst())
    # The year as people write it in links (2018/19), as the pages' own forms send it.
    return f"?year={quote(year.label)}&per_page={PAGE_ROWS}" if year else f"?per_page={PAGE_ROWS}"


def section_pages(client, runs: int) -> list[dict]:
    query = list_filter()
    rows = []
    for title, page, baseline in (
        ("Programmes list, 50 rows, filtered", "/programmes/", "/bench/baseline/programmes/"),
        ("Metrics list, 50 rows, filtered", "/metrics/", "/bench/baseline/metrics/"),
    ):
        medians = side_by_side(
            runs,
            page=lambda page=page: get_ok(client, page + query),
            baseline=lambda baseline=baseline: get_ok(client, baseline + query),
        )
        ratio = medians["page"] / medians["baseline"]
        rows.append(
            {
                "what": title,
                "measured": f"{ms(medians['page'])} vs {ms(medians['baseline'])} baseline",
                "figure": f"{ratio:.2f}{TIMES}",
                "goal": f"≤ 2{TIMES}",
                "met": ratio <= 2,
            }
        )
    return rows


# --- section 2: the dashboard -------------------------------------------------------------


def section_dashboard(client, runs: int) -> list[dict]:
    """The dashboard as users meet it (its figures cached), and the first view after a change,
    which assesses all 4,000 metrics again (once per process, per year and per scope)."""
    from metrics import freshness

    def after_a_change():
        freshness.raise_version()
        get_ok(client, "/")

    freshness.raise_version()
    queries_after_change = count_queries(client, "/")
    queries = count_queries(client, "/")
    times = side_by_side(runs, dashboard=lambda: get_ok(client, "/"))
    median = times["dashboard"]
    first = side_by_side(runs, after_a_change=after_a_change)["after_a_change"]
    return [
        {
            "what": "Dashboard, time",
            "measured": ms(median),
            "figure": ms(median),
            "goal": "≤ 50 ms",
            "met": median <= 0.050,
        },
        {
            "what": "Dashboard, queries",
            "measured": str(queries),
            "figure": str(queries),
            "goal": "≤ 15",
            "met": queries <= 15,
        },
        {
            "what": "Dashboard, first view after a change to any figure",
            "measured": f"{ms(first)}, {queries_after_change} queries",
            "figure": ms(first),
            "goal": "(no time goal: once per change); ≤ 15 queries",
            "met": None if queries_after_change <= 15 else False,
        },
    ]


# --- section 3: the full export -----------------------------------------------------------


def export_rows(limit: int | None = None):
    from reports.selectors import result_export_rows

    rows = result_export_rows(analyst())
    return rows if limit is None else itertools.islice(rows, limit)


def write_app(destination, limit: int | None = None) -> int:
    from reports.excel.results_export import write_results

    return write_results(export_rows(limit), destination)


def write_xlsxwriter(destination) -> int:
    """The baseline: the same rows from the same selector, written by xlsxwriter."""
    import xlsxwriter

    from reports.selectors import RESULT_EXPORT_HEADER

    workbook = xlsxwriter.Workbook(
        destination, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    )
    sheet = workbook.add_worksheet("Results")
    sheet.write_row(0, 0, RESULT_EXPORT_HEADER)
    count = 0
    for count, row in enumerate(export_rows(), start=1):
        sheet.write_row(count, 0, row)
    workbook.close()
    return count


def peak_memory_child(limit: int) -> int:
    """Run in a child process: write `limit` rows, print the peak resident memory in KiB."""
    with tempfile.TemporaryDirectory() as directory:
        written = write_app(Path(directory) / "results.xlsx", limit)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": written, "peak_kib": peak}))
    return 0


def child(args: list[str], database_url: str | None = None) -> dict:
    env = dict(os.environ)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    out = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def section_export(runs: int) -> list[dict]:
    from reports.selectors import result_export_count

    total = result_export_count(analyst())
    with tempfile.TemporaryDirectory() as directory:
        a, b = Path(directory) / "app.xlsx", Path(directory) / "xlsxwriter.xlsx"
        medians = side_by_side(
            runs, app=lambda: write_app(a), xlsxwriter=lambda: write_xlsxwriter(b)
        )
        check_same_cells(a, b, total)
    ratio = medians["app"] / medians["xlsxwriter"]
    rows = [
        {
            "what": f"Full export, {total:,} results",
            "measured": f"{sec(medians['app'])} vs {sec(medians['xlsxwriter'])} xlsxwriter",
            "figure": f"{ratio:.2f}{TIMES}",
            "goal": f"≤ 1.5{TIMES}",
            "met": ratio <= 1.5,
        }
    ]
    peaks = []
    for fraction in (0.25, 0.5, 1.0):
        limit = max(1, round(total * fraction))
        peaks.append((fraction, child(["--peak-memory-child", str(limit)])))
    growth = peaks[-1][1]["peak_kib"] / peaks[0][1]["peak_kib"]
    rows.append(
        {
            "what": f"Full export, peak memory at ¼, ½, 1{TIMES} the rows",
            "measured": ", ".join(f"{p['peak_kib'] / 1024:.0f} MiB" for _, p in peaks),
            "figure": f"1{TIMES} / ¼ = {growth:.2f}",
            "goal": "flat (≤ 1.10)",
            "met": growth <= 1.10,
        }
    )
    return rows


def check_same_cells(app_file: Path, baseline_file: Path, total: int) -> None:
    """Both files hold the header and every row, and their first rows read back the same."""
    from openpyxl import load_workbook

    heads = []
    for path in (app_file, baseline_file):
        workbook = load_workbook(path, read_only=True)
        count, head = 0, []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            count += 1
            if count <= 100:
                head.append(row)
        workbook.close()
        if count != total + 1:
            raise RuntimeError(f"{path.name} has {count} rows, expected {total + 1}")
        heads.append(head)
    if heads[0] != heads[1]:
        raise RuntimeError("the export and its baseline wrote different cells")


# --- section 4: importing a return workbook -----------------------------------------------


def import_fixture(rows: int):
    """A partner with `rows` metrics, its editor, and its filled-in quarterly workbook."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from metrics.models import Direction, Metric, Unit
    from programmes.models import FinancialYear, Partner, Period, Programme, Theme
    from programmes.scoping import ROLE_GROUPS, Role
    from reports.excel.return_template import FIGURE_COLUMNS, FIGURES, write_return_workbook
    from reports.selectors import return_template

    partner, _ = Partner.objects.get_or_create(
        slug=f"{BENCH_PREFIX}import-partner", defaults={"name": "Benchmark import partner"}
    )
    theme = Theme.objects.order_by("pk").first()
    programme, _ = Programme.objects.get_or_create(
        slug=f"{BENCH_PREFIX}import-programme",
        defaults={
            "name": "Benchmark import programme",
            "theme": theme,
            "lead_partner": partner,
            "description": "Many metrics, for the import benchmark.",
        },
    )
    have = Metric.objects.filter(partner=partner).count()
    if have > rows:
        extra = Metric.objects.filter(partner=partner).order_by("slug")[rows:]
        Metric.objects.filter(pk__in=list(extra.values_list("pk", flat=True))).delete()
    elif have < rows:
        Metric.objects.bulk_create(
            Metric(
                name=f"Benchmark metric {i:05d}",
                slug=f"{BENCH_PREFIX}metric-{i:05d}",
                description="For the import benchmark.",
                unit=Unit.COUNT,
                unit_label="people",
                direction=Direction.HIGHER_IS_BETTER,
                partner=partner,
                programme=programme,
            )
            for i in range(have + 1, rows + 1)
        )
    editor, _ = get_user_model().objects.get_or_create(username=f"{BENCH_PREFIX}editor")
    editor.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role.PARTNER_EDITOR])[0])
    partner.members.add(editor)
    latest = (
        Period.objects.filter(kind=Period.Kind.QUARTER)
        .select_related("financial_year")
        .order_by("-start_date")
        .first()
    )
    if latest is None:
        fy = FinancialYear.objects.order_by("-start_year").first()
        start_year, quarter = fy.start_year, 1
    else:
        start_year, quarter = latest.financial_year.start_year, latest.quarter
    template = return_template(user=editor, partner=partner, start_year=start_year, quarter=quarter)
    buffer = io.BytesIO()
    write_return_workbook(template, buffer, generated_by=editor.username)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook[FIGURES]
    value_col = [title for title, _ in FIGURE_COLUMNS].index("Value") + 1
    for row in range(2, len(template.metrics) + 2):
        sheet.cell(row=row, column=value_col, value=(row * 7) % 500)
    out = io.BytesIO()
    workbook.save(out)
    return editor, out.getvalue(), len(template.metrics)


def read_only_pass(data: bytes) -> int:
    """The baseline: openpyxl in read-only mode reading every cell of every sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    return cells


def import_once(editor, data: bytes, *, dry_run: bool) -> None:
    """One import; a real one is rolled back afterwards so every run starts alike."""
    from django.db import transaction

    from reports.services import apply_return_workbook

    with transaction.atomic():
        preview = apply_return_workbook(file=data, user=editor, dry_run=dry_run)
        if not preview.ok:
            raise RuntimeError(f"the benchmark workbook was refused: {preview.problems[:3]}")
        if not dry_run and not preview.applied:
            raise RuntimeError("the benchmark workbook was not applied")
        transaction.set_rollback(True)


def section_import(runs: int, rows: int) -> list[dict]:
    editor, data, count = import_fixture(rows)
    medians = side_by_side(
        runs,
        dry_run=lambda: import_once(editor, data, dry_run=True),
        real=lambda: import_once(editor, data, dry_run=False),
        read_only=lambda: read_only_pass(data),
    )
    rows = []
    for key, label in (("dry_run", "dry run"), ("real", "applied")):
        ratio = medians[key] / medians["read_only"]
        rows.append(
            {
                "what": f"Import of a {count:,}-row return, {label}",
                "measured": f"{sec(medians[key])} vs {sec(medians['read_only'])} read-only read",
                "figure": f"{ratio:.2f}{TIMES}",
                "goal": f"≤ 2{TIMES}",
                "met": ratio <= 2,
            }
        )
    return rows


# --- section 5: queries per page as the data grows ----------------------------------------


def page_urls() -> dict[str, str]:
    from metrics.models import Metric
    from programmes.models import Programme

    programme = Programme.objects.filter(slug__startswith="syn-programme-").order_by("slug")
    metric = Metric.objects.filter(slug__startswith="syn-metric-").order_by("slug")
    return {
        "dashboard": "/",
        "programmes list": "/programmes/",
        "metrics list": "/metrics/",
        "a programme page": programme.first().get_absolute_url(),
        "a metric page": metric.first().get_absolute_url(),
        "returns grid": "/returns/",
    }


def query_counts() -> dict[str, int]:
    client = client_for(analyst())
    return {name: count_queries(client, url) for name, url in page_urls().items()}


def query_counts_child(scale: float) -> int:
    prepare_data(scale, lambda text: print(text, file=sys.stderr))
    print(json.dumps(query_counts()))
    return 0


def section_queries(scale: float, main_url: str) -> list[dict]:
    at_full = query_counts()
    small_scale = scale / 4
    small_url = quarter_url(main_url)
    ensure_postgres_database(small_url)
    at_quarter = child(["--query-counts-child", str(small_scale)], database_url=small_url)
    return [
        {
            "what": f"Queries: {name}",
            "measured": f"{at_quarter[name]} at scale {small_scale:g}, "
            f"{at_full[name]} at {scale:g}",
            "figure": str(at_full[name]),
            "goal": "equal",
            "met": at_quarter[name] == at_full[name],
        }
        for name in at_full
    ]


# --- output -------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def sec(seconds: float) -> str:
    return f"{seconds:.2f} s"


def machine() -> dict[str, str]:
    import django
    from django.db import connection

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def met_text(met: bool | None) -> str:
    return "—" if met is None else "yes" if met else "**no**"


def markdown(sections: list[tuple[str, list[dict]]], info: dict, args) -> str:
    lines = [
        f"Scale {args.scale:g}, median of {args.runs} runs each, {info['date']}.",
        f"Machine: {info['cores']} cores, {info['cpu']}, {info['ram']} RAM; Python "
        f"{info['python']}, Django {info['django']}, {info['database']}.",
        "",
    ]
    for title, rows in sections:
        lines += [f"### {title}", "", "| what | measured | figure | goal | met |"]
        lines.append("| --- | --- | --- | --- | --- |")
        for row in rows:
            lines.append(
                f"| {row['what']} | {row['measured']} | {row['figure']} | {row['goal']} | "
                f"{met_text(row['met'])} |"
            )
        lines.append("")
    return "\n".join(lines)


SECTIONS = (
    "1. List pages against a hand-written baseline",
    "2. Dashboard",
    "3. Full export of every result",
    "4. Importing a return workbook",
    "5. Queries per page as the data grows",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--output", default="bench-results/latest.md")
    parser.add_argument(
        "--import-rows",
        type=int,
        default=IMPORT_ROWS,
        help=f"rows in the imported return workbook (default {IMPORT_ROWS:,})",
    )
    parser.add_argument("--peak-memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--query-counts-child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    main_url = os.environ.get("DATABASE_URL", "")
    configure_django()
    if args.peak_memory_child is not None:
        return peak_memory_child(args.peak_memory_child)
    if args.query_counts_child is not None:
        return query_counts_child(args.query_counts_child)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    prepare_data(args.scale, say)
    client = client_for(analyst())
    steps = (
        lambda: section_pages(client, args.runs),
        lambda: section_dashboard(client, args.runs),
        lambda: section_export(args.runs),
        lambda: section_import(args.runs, args.import_rows),
        lambda: section_queries(args.scale, main_url),
    )
    sections = []
    for title, step in zip(SECTIONS, steps, strict=True):
        say(f"{title}...")
        sections.append((title, step()))
    text = markdown(sections, machine(), args)
    print(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n")
    say(f"Wrote {output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
