"""The pieces of scripts/loadtest.py that decide pass or fail (the run itself is CI's job)."""

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    # Registered first: its dataclasses look their module up while being built.
    sys.modules["loadtest"] = module
    spec.loader.exec_module(module)
    return module


loadtest = _load()


def _outcome(started, ended, *, ok=True, status=200, problem=""):
    return loadtest.Outcome("page", "someone", started, ended, status, ok, problem)


def test_scratch_database_names_are_refused_unless_plain():
    assert loadtest.quoted("ws_bench2_load_123") == '"ws_bench2_load_123"'
    for unsafe in ('x"; DROP DATABASE postgres; --', "Upper", "with space", ""):
        with pytest.raises(ValueError):
            loadtest.quoted(unsafe)


def test_database_url_swaps_only_the_database_name():
    url = loadtest.database_url("postgres://me:pw@127.0.0.1:5432/postgres", "ws_x")
    assert url == "postgres://me:pw@127.0.0.1:5432/ws_x"


def test_content_check_names_what_is_missing():
    check = loadtest.contains("6,029", "Anti-social")
    assert check(b"<p>6,029 incidents, Anti-social behaviour</p>", {}) == ""
    assert "6,029" in check(b"<p>6029 incidents, Anti-social behaviour</p>", {})


def test_xlsx_check_opens_the_workbook_and_reads_its_first_cell():
    workbook = Workbook()
    workbook.active.append(["Metric", "Figure"])
    workbook.active.append(["ASB incidents", 6029])
    data = io.BytesIO()
    workbook.save(data)
    assert loadtest.opens_as_xlsx("Metric")(data.getvalue(), {}) == ""
    assert "first cell" in loadtest.opens_as_xlsx("Programme")(data.getvalue(), {})
    assert loadtest.opens_as_xlsx("Metric")(b"<html>500</html>", {}).startswith("not an .xlsx")


def test_recovery_is_timed_to_the_first_good_request_begun_after_the_fault():
    load = loadtest.Load(sessions=[])
    load.outcomes = [
        _outcome(9.0, 10.5, ok=False, status=503),  # in flight at the fault (t=10)
        _outcome(10.2, 10.4, ok=False, status=503),
        _outcome(10.6, 11.25),
        _outcome(10.9, 11.1),
    ]
    assert loadtest.recovery_after(load, 10.0) == pytest.approx(1.1)
    assert loadtest.recovery_after(load, 12.0) is None


def test_a_failed_request_in_the_steady_phase_is_a_violation(monkeypatch):
    load = loadtest.Load(sessions=[])
    monkeypatch.setattr(loadtest.time, "sleep", lambda seconds: None)
    now = loadtest.time.monotonic()
    load.outcomes = [_outcome(now, now + 0.1), _outcome(now, now + 0.2, ok=False, problem="x")]
    clock = iter([now - 0.5, now + 1])  # the phase's start, then its end
    monkeypatch.setattr(loadtest.time, "monotonic", lambda: next(clock))
    phase = loadtest.steady_phase(load, 1)
    assert phase.violations and "1 failed requests" in phase.violations[0]
    assert phase.row()[-1] == "VIOLATED"
    assert "VIOLATED" in loadtest.table([phase])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_every_content_check_passes_on_the_pages_as_they_are(client, role):
    """The load test's checks read page text: they must follow the templates, or CI's load
    test reports failures that are the check's, not the app's."""
    from django.core.management import call_command

    from metrics.models import Result
    from programmes.scoping import Role
    from tests import factories as f

    call_command("load_wirral_2018_19", stdout=io.StringIO())
    known_result = (
        Result.objects.filter(value=6029, metric__programme__isnull=False)
        .select_related("metric__programme", "metric__partner")
        .order_by("pk")
        .first()
    )
    partner = known_result.metric.partner
    known = {
        "programme_slug": known_result.metric.programme.slug,
        "programme_name": known_result.metric.programme.name,
        "metric_slug": known_result.metric.slug,
        "metric_name": known_result.metric.name,
        "partner_name": partner.name,
    }
    if role == "editor":
        client.force_login(f.user(Role.PARTNER_EDITOR, partners=(partner,)))
    else:
        client.force_login(f.user(Role.ANALYST))
    tasks = loadtest.tasks_for(role, known)
    assert len(tasks) >= 3
    for label, path, check in tasks:
        response = client.get(path)
        assert response.status_code == 200, label
        body = (
            b"".join(response.streaming_content)
            if getattr(response, "streaming", False)
            else response.content
        )
        assert check(body, dict(response.headers)) == "", label
