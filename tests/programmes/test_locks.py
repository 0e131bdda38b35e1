"""Approval locks a return's results and narratives on every write path; stale edits are refused."""

from decimal import Decimal

import pytest
from django import forms
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics.models import Result
from programmes.forms import ReturnRowFormMixin
from programmes.locks import LockedError, StaleEditError
from programmes.models import OutcomeStatement
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


class ResultForm(ReturnRowFormMixin, forms.ModelForm):
    class Meta:
        model = Result
        fields = ["metric", "period", "report_return", "value", "qualifier", "note"]


class StatementForm(ReturnRowFormMixin, forms.ModelForm):
    class Meta:
        model = OutcomeStatement
        fields = ["activity", "report_return", "text", "note"]


@pytest.fixture
def locked():
    """A result and a narrative in an approved 2019/20 Q1 return, approved by j.smith."""
    fsu = f.partner(name="Family Safety Unit")
    period = f.quarter_period(2019, 1)
    ret = f.report_return(partner=fsu, period=period)
    result = f.result(metric=f.metric(partner=fsu), period=period, report_return=ret, value=42)
    statement = f.outcome_statement(
        activity=f.activity(programme=f.programme(lead_partner=fsu)),
        report_return=ret,
        text="Original narrative.",
    )
    f.approve(ret, by=f.user(Role.APPROVER, username="j.smith"))
    ret.refresh_from_db()
    return {"return": ret, "result": result, "statement": statement, "partner": fsu}


def assert_unchanged(locked):
    result = Result.objects.get(pk=locked["result"].pk)
    assert (result.value, result.note, result.report_return_id, result.version) == (
        Decimal(42),
        "",
        locked["return"].pk,
        locked["result"].version,
    )
    statement = OutcomeStatement.objects.get(pk=locked["statement"].pk)
    assert (statement.text, statement.report_return_id) == (
        "Original narrative.",
        locked["return"].pk,
    )


def expected_reason(ret) -> str:
    day = timezone.localtime(ret.approved_at)
    return f"2019/20 Q1 was approved on {day:%-d %B %Y} by j.smith"


def test_saving_a_locked_result_or_narrative_is_refused_with_who_and_when(locked):
    result, statement = locked["result"], locked["statement"]
    result.value = Decimal(99)
    with pytest.raises(LockedError) as refused:
        result.save()
    assert expected_reason(locked["return"]) in refused.value.messages[0]
    assert "reopen" in refused.value.messages[0]
    statement.text = "Rewritten."
    with pytest.raises(LockedError, match="approved"):
        statement.save()
    assert_unchanged(locked)


def test_deleting_a_locked_row_is_refused(locked):
    with pytest.raises(LockedError):
        Result.objects.get(pk=locked["result"].pk).delete()
    with pytest.raises(LockedError):
        OutcomeStatement.objects.get(pk=locked["statement"].pk).delete()
    assert_unchanged(locked)


def test_queryset_update_and_delete_are_refused(locked):
    with pytest.raises(LockedError):
        Result.objects.filter(pk=locked["result"].pk).update(value=Decimal(1))
    with pytest.raises(LockedError):
        Result.objects.all().delete()
    with pytest.raises(LockedError):
        OutcomeStatement.objects.all().update(text="Bulk rewrite.")
    with pytest.raises(LockedError):
        locked["return"].outcome_statements.all().delete()
    assert_unchanged(locked)


def test_bulk_update_is_refused(locked):
    result = Result.objects.get(pk=locked["result"].pk)
    result.value = Decimal(7)
    with pytest.raises(LockedError):
        Result.objects.bulk_update([result], ["value"])
    assert_unchanged(locked)


def test_the_queryset_check_takes_one_query(locked):
    with CaptureQueriesContext(connection) as queries, pytest.raises(LockedError):
        Result.objects.filter(pk__in=[locked["result"].pk, 0, -1]).update(value=Decimal(1))
    # Savepoint statements aside, one SELECT decides for every row.
    reads = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(reads) == 1
    assert reads[0].upper().startswith("SELECT")


def test_adding_or_moving_a_row_into_an_approved_return_is_refused(locked):
    ret = locked["return"]
    with pytest.raises(LockedError):
        f.result(metric=f.metric(partner=locked["partner"]), period=ret.period, report_return=ret)
    with pytest.raises(LockedError):
        Result.objects.bulk_create(
            [
                Result(
                    metric=f.metric(partner=locked["partner"]),
                    period=ret.period,
                    report_return=ret,
                    value=Decimal(1),
                    unit="count",
                )
            ]
        )
    draft_row = f.result(
        metric=f.metric(partner=locked["partner"]),
        period=f.quarter_period(2019, 2),
        report_return=f.report_return(partner=locked["partner"], period=f.quarter_period(2019, 2)),
    )
    draft_row.report_return = ret
    with pytest.raises(LockedError):
        draft_row.save()
    with pytest.raises(LockedError):
        Result.objects.filter(pk=draft_row.pk).update(report_return=ret)
    assert Result.objects.filter(report_return=ret).count() == 1
    assert_unchanged(locked)


def test_a_cascade_from_deleting_the_metric_or_activity_is_refused(locked):
    # Django deletes a cascade inside its own transaction; the savepoint here keeps the test's
    # transaction usable after the refusal, as a request's would be.
    with pytest.raises(LockedError), transaction.atomic():
        locked["result"].metric.delete()
    with pytest.raises(LockedError), transaction.atomic():
        locked["statement"].activity.delete()
    assert_unchanged(locked)


def test_the_form_refuses_a_locked_row_as_a_form_error(locked):
    result = Result.objects.get(pk=locked["result"].pk)
    data = {
        "metric": result.metric_id,
        "period": result.period_id,
        "report_return": result.report_return_id,
        "value": "99",
        "qualifier": "exact",
        "note": "changed",
        "seen_version": result.version,
    }
    form = ResultForm(data, instance=result)
    assert not form.is_valid()
    assert expected_reason(locked["return"]) in " ".join(form.non_field_errors())
    statement = OutcomeStatement.objects.get(pk=locked["statement"].pk)
    form = StatementForm(
        {
            "activity": statement.activity_id,
            "report_return": statement.report_return_id,
            "text": "Rewritten.",
            "note": "",
            "seen_version": statement.version,
        },
        instance=statement,
    )
    assert not form.is_valid()
    assert "approved" in " ".join(form.non_field_errors())
    assert_unchanged(locked)


def test_the_form_refuses_choosing_an_approved_return_for_a_new_row(locked):
    ret = locked["return"]
    form = ResultForm(
        {
            "metric": f.metric(partner=locked["partner"]).pk,
            "period": ret.period_id,
            "report_return": ret.pk,
            "value": "5",
            "qualifier": "exact",
            "note": "",
        }
    )
    assert not form.is_valid()
    assert "approved" in " ".join(form.non_field_errors())
    assert Result.objects.filter(report_return=ret).count() == 1


def test_raw_sql_is_refused_by_the_trigger_on_postgresql(locked):
    """On PostgreSQL a trigger refuses raw SQL; on SQLite there is no trigger, and the lock
    rests on the model and queryset checks, which this test then asserts instead."""
    pk, return_pk = locked["result"].pk, locked["return"].pk
    if connection.vendor == "postgresql":
        statements = [
            ("UPDATE metrics_result SET value = 1 WHERE id = %s", [pk]),
            ("DELETE FROM metrics_result WHERE id = %s", [pk]),
            (
                "UPDATE programmes_outcomestatement SET text = 'raw' WHERE id = %s",
                [locked["statement"].pk],
            ),
            (
                "INSERT INTO metrics_result (metric_id, period_id, report_return_id, value, "
                "qualifier, unit, note, source, version, updated_at) "
                "VALUES (%s, %s, %s, 1, 'exact', 'count', '', '', 1, now())",
                [f.metric(partner=locked["partner"]).pk, f.quarter_period(2019, 3).pk, return_pk],
            ),
        ]
        for sql, params in statements:
            with (
                pytest.raises(DatabaseError, match="was approved on") as refused,
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, params)
            assert expected_reason(locked["return"]) in str(refused.value)
    else:
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE '%refuse_locked'"
            )
            assert cursor.fetchone()[0] == 0
        with pytest.raises(LockedError):
            Result.objects.filter(pk=pk).update(value=Decimal(1))
        with pytest.raises(LockedError):
            Result.objects.filter(pk=pk).delete()
    assert_unchanged(locked)


def test_raw_sql_on_a_draft_row_still_works(locked):
    """The trigger refuses only approved rows: drafts stay editable by any path."""
    row = f.result(
        metric=f.metric(partner=locked["partner"]),
        period=f.quarter_period(2019, 2),
        report_return=f.report_return(partner=locked["partner"], period=f.quarter_period(2019, 2)),
    )
    with connection.cursor() as cursor:
        cursor.execute("UPDATE metrics_result SET value = 3 WHERE id = %s", [row.pk])
    row.refresh_from_db()
    assert row.value == Decimal(3)


def test_reopening_unlocks_the_rows(locked):
    from programmes.services import reopen_return

    reopen_return(
        report_return=locked["return"],
        user=f.user(Role.APPROVER),
        reason="Police revised the figure.",
    )
    result = Result.objects.get(pk=locked["result"].pk)
    result.value = Decimal(43)
    result.save()
    assert Result.objects.get(pk=result.pk).value == Decimal(43)


# Stale edits ---------------------------------------------------------------------------------


@pytest.fixture
def draft_result():
    fsu = f.partner()
    return f.result(metric=f.metric(partner=fsu), value=10)


def test_the_second_of_two_saves_from_the_same_version_is_refused(draft_result):
    first = Result.objects.get(pk=draft_result.pk)
    second = Result.objects.get(pk=draft_result.pk)
    first.value = Decimal(11)
    first.updated_by = f.user(username="a.jones")
    first.save()
    second.value = Decimal(12)
    with pytest.raises(StaleEditError) as refused:
        second.save()
    saved = Result.objects.get(pk=draft_result.pk)
    assert saved.value == Decimal(11)
    message = refused.value.messages[0]
    assert "changed by a.jones at " + timezone.localtime(saved.updated_at).strftime("%H:%M") in (
        message
    )
    assert "reload" in message


def test_a_form_opened_before_someone_elses_save_is_refused_and_keeps_the_input(draft_result):
    opened = Result.objects.get(pk=draft_result.pk)
    seen = opened.version
    other = Result.objects.get(pk=draft_result.pk)
    other.value = Decimal(20)
    other.updated_by = f.user(username="b.brown")
    other.save()
    form = ResultForm(
        {
            "metric": opened.metric_id,
            "period": opened.period_id,
            "report_return": opened.report_return_id,
            "value": "30",
            "qualifier": "exact",
            "note": "",
            "seen_version": seen,
        },
        instance=Result.objects.get(pk=draft_result.pk),
    )
    assert not form.is_valid()
    errors = " ".join(form.non_field_errors())
    assert "changed by b.brown" in errors
    assert "reload" in errors
    assert form["value"].value() == "30"
    assert Result.objects.get(pk=draft_result.pk).value == Decimal(20)


def test_a_form_with_the_current_version_saves_and_records_the_editor(draft_result):
    result = Result.objects.get(pk=draft_result.pk)
    editor = f.user(
        Role.PARTNER_EDITOR, partners=(result.report_return.partner,), username="c.cole"
    )
    form = ResultForm(
        {
            "metric": result.metric_id,
            "period": result.period_id,
            "report_return": result.report_return_id,
            "value": "31",
            "qualifier": "exact",
            "note": "",
            "seen_version": result.version,
        },
        instance=result,
    )
    form.user = editor
    assert form.is_valid(), form.errors
    form.save()
    saved = Result.objects.get(pk=draft_result.pk)
    assert (saved.value, saved.version, saved.updated_by) == (Decimal(31), 2, editor)


def test_a_bulk_update_bumps_the_version_so_older_copies_are_refused(draft_result):
    copy = Result.objects.get(pk=draft_result.pk)
    Result.objects.filter(pk=draft_result.pk).update(note="bulk")
    copy.value = Decimal(99)
    with pytest.raises(StaleEditError):
        copy.save()
    assert Result.objects.get(pk=draft_result.pk).value == Decimal(10)


# Through the admin -----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(f.user(is_staff=True, is_superuser=True))
    return client


def result_post(result, **changes):
    data = {
        "metric": result.metric_id,
        "period": result.period_id,
        "report_return": result.report_return_id,
        "value": str(result.value),
        "qualifier": result.qualifier,
        "note": result.note,
        "source": result.source,
        "seen_version": result.version,
    }
    return {**data, **changes}


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_the_admin_change_form_refuses_a_locked_result_with_the_reason(locked, admin_client):
    result = locked["result"]
    url = f"/admin/metrics/result/{result.pk}/change/"
    response = admin_client.post(url, result_post(result, value="99"))
    assert response.status_code == 200
    assert expected_reason(locked["return"]) in response.content.decode()
    assert_unchanged(locked)


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_admin_list_editing_refuses_a_locked_result(locked, admin_client):
    result = locked["result"]
    response = admin_client.post(
        "/admin/metrics/result/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(result.pk),
            "form-0-value": "99",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "approved on" in response.content.decode()
    assert_unchanged(locked)


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_the_admin_delete_action_refuses_locked_rows(locked, admin_client):
    for url, pk in [
        ("/admin/metrics/result/", locked["result"].pk),
        ("/admin/programmes/outcomestatement/", locked["statement"].pk),
    ]:
        response = admin_client.post(
            url, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        )
        assert response.status_code == 403
    assert_unchanged(locked)


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_the_admin_hides_delete_for_a_locked_row(locked, admin_client):
    url = f"/admin/metrics/result/{locked['result'].pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert_unchanged(locked)


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_the_admin_refuses_a_stale_edit_and_records_the_editor_of_a_fresh_one(admin_client):
    result = f.result(metric=f.metric(partner=f.partner()), value=10)
    url = f"/admin/metrics/result/{result.pk}/change/"
    opened = result_post(result, value="12")
    response = admin_client.post(url, result_post(result, value="11"))
    assert response.status_code == 302
    saved = Result.objects.get(pk=result.pk)
    assert saved.updated_by is not None and saved.updated_by.is_superuser
    response = admin_client.post(url, opened)
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Result.objects.get(pk=result.pk).value == Decimal(11)


def test_a_stale_narrative_save_is_refused_too():
    statement = f.outcome_statement(text="First words.")
    first = OutcomeStatement.objects.get(pk=statement.pk)
    second = OutcomeStatement.objects.get(pk=statement.pk)
    first.text = "Editor one."
    first.save()
    second.text = "Editor two."
    with pytest.raises(StaleEditError, match="This outcome was changed by someone else"):
        second.save()
    assert OutcomeStatement.objects.get(pk=statement.pk).text == "Editor one."
