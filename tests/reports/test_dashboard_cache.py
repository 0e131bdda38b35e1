"""The dashboard's figures are cached, and never served after a change beneath them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics import freshness
from metrics.models import Result, Target
from programmes.models import Return
from programmes.scoping import Role
from tests import factories as f
from tests.reports.test_views import make_pending, tiles

pytestmark = pytest.mark.django_db

HOME = reverse("reports:dashboard")


def asb_return(demo) -> Return:
    return Return.objects.get(period=f.year_period(2018), partner=demo["partners"][1])


def result_queries(client, *args) -> tuple[int, bytes]:
    """How many times the page fetched result rows (not merely asked whether a year has any)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME, *args)
    assert response.status_code == 200
    fetches = [q for q in queries.captured_queries if 'FROM "metrics_result"' in q["sql"]]
    return sum(q["sql"].startswith('SELECT "metrics_result"."id"') for q in fetches), response


def test_a_second_visit_reads_no_results_and_shows_the_same_page(analyst_client, demo):
    first_reads, first = result_queries(analyst_client)
    again_reads, again = result_queries(analyst_client)
    assert first_reads > 0
    assert again_reads == 0
    assert tiles(again) == tiles(first)
    assert "6,860 reports" in tiles(again)["ASB reports"]


def test_users_of_another_role_share_the_cached_figures_but_not_the_returns_panel(
    client, analyst_client, demo
):
    result_queries(analyst_client)
    client.force_login(f.user(Role.COMMISSIONER))
    reads, response = result_queries(client)
    assert reads == 0
    assert "6,860 reports" in tiles(response)["ASB reports"]
    # The returns panel is the user's own: a commissioner is not told a return's status.
    assert b"Not yet approved" in response.content


def test_reopening_and_approving_a_return_show_at_once(analyst_client, demo):
    assert "6,860 reports" in tiles(analyst_client.get(HOME))["ASB reports"]
    make_pending(asb_return(demo))
    assert "No figure for 2018/19" in tiles(analyst_client.get(HOME))["ASB reports"]
    f.approve(asb_return(demo))
    assert "6,860 reports" in tiles(analyst_client.get(HOME))["ASB reports"]


def test_a_changed_target_changes_the_status_at_once(analyst_client, demo):
    assert "✖ Red" in tiles(analyst_client.get(HOME))["Crime rate"]
    target = Target.objects.get(metric__slug="crime-rate", period=f.year_period(2018))
    target.value = 10_000
    target.save()
    assert "✔ Green" in tiles(analyst_client.get(HOME))["Crime rate"]


def test_a_metric_taken_off_the_headlines_leaves_them_at_once(analyst_client, demo):
    assert "Crime rate" in tiles(analyst_client.get(HOME))
    metric = demo["metrics"][2]
    metric.is_headline = False
    metric.save()
    assert "Crime rate" not in tiles(analyst_client.get(HOME))


def test_a_bulk_update_of_a_pending_figure_shows_at_once(analyst_client, demo):
    make_pending(asb_return(demo))
    pending = {"include_pending": "on", "year": demo["years"][1].pk}
    assert "6,860 reports" in tiles(analyst_client.get(HOME, pending))["ASB reports"]
    # QuerySet.update sends no save signal; the locked-row queryset raises the version itself.
    Result.objects.filter(report_return=asb_return(demo), period=f.year_period(2018)).update(
        value=7000
    )
    assert "7,000 reports" in tiles(analyst_client.get(HOME, pending))["ASB reports"]


def test_a_version_raised_in_rolled_back_work_is_never_reused():
    before = freshness.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        freshness.raise_version()
        inside = freshness.current()
        raise RuntimeError("roll back")
    assert freshness.current() == before
    freshness.raise_version()
    after = freshness.current()
    # Same number as the rolled-back raise, but a fresh stamp: nothing cached inside is reused.
    assert after.split("-")[0] == inside.split("-")[0]
    assert after != inside


def test_writes_inside_raised_once_raise_the_version_once_on_leaving(demo):
    before = freshness.current()
    with freshness.raised_once():
        for target in Target.objects.all():
            target.save()
        assert freshness.current() == before
    assert int(freshness.current().split("-")[0]) == int(before.split("-")[0]) + 1


def form_values(html: bytes, form_id: str) -> dict[str, list[str]]:
    """What a browser would post from a form as the page gives it."""
    import lxml.html

    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = field.get("name"), (field.get("type") or "").lower()
        if field.tag == "select":
            values = [o.get("value") for o in field.xpath(".//option[@selected]")]
        elif field.tag == "textarea":
            values = [field.text or ""]
        elif kind in ("checkbox", "radio"):
            values = [field.get("value", "on")] if field.get("checked") is not None else []
        elif kind in ("submit", "button", "file"):
            continue
        else:
            values = [field.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


def test_an_admin_form_raises_the_version_once_after_its_transaction(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    programme = demo["programmes"][0]
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_values(client.get(url).content, "programme_form")
    data["delivery_partners"] = [str(demo["partners"][1].pk)]
    data["name"] = ["Target Hardening (renamed)"]
    before = int(freshness.current().split("-")[0])
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    programme.refresh_from_db()
    assert programme.name == "Target Hardening (renamed)"
    assert list(programme.delivery_partners.all()) == [demo["partners"][1]]
    # The programme and its partners are two writes; cached figures are marked out of date
    # once, for the whole form.
    assert int(freshness.current().split("-")[0]) == before + 1


def number() -> int:
    return int(freshness.current().split("-")[0])


def test_saving_a_figure_in_a_draft_leaves_cached_figures_alone(demo):
    """Nobody counts a draft's figures: editors at work must not empty everyone's cache."""
    metric = demo["metrics"][0]
    draft = f.report_return(partner=metric.partner, period=f.quarter_period(2019, 3))
    result = f.result(metric=metric, period=draft.period, report_return=draft, value=5)
    before = number()
    result.value += 1
    result.save()
    assert number() == before


def test_saving_a_figure_in_a_submitted_return_marks_cached_figures_out_of_date(demo):
    submitted = Return.objects.filter(status=Return.Status.SUBMITTED).first()
    result = Result.objects.filter(report_return=submitted).first()
    before = number()
    result.value += 1
    result.save()
    assert number() == before + 1


def test_moving_a_figure_out_of_a_submitted_return_marks_cached_figures_out_of_date(demo):
    submitted = Return.objects.filter(status=Return.Status.SUBMITTED).first()
    result = Result.objects.filter(report_return=submitted).first()
    draft = f.report_return(partner=submitted.partner, period=f.quarter_period(2019, 3))
    before = number()
    result.report_return = draft
    result.period = draft.period
    result.save()
    assert number() == before + 1
