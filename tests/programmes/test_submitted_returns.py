"""A submitted return is frozen for its partner's editors on every write path, until sent back.

The rule (programmes.scoping.can_edit_return): a partner editor adds, changes or deletes figures
and narratives only in a draft return of their own partner; nobody in an approved one; an
administrator in any return not approved.
"""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from metrics.models import Result
from programmes.models import OutcomeStatement, Return
from programmes.scoping import Role, can_edit_return, may_change, open_returns_for
from programmes.services import send_back_return
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Return.Status


@pytest.fixture
def fsu():
    """Family Safety Unit with a 2019/20 Q1 return submitted by its editor, and a Q2 draft."""
    partner = f.partner(name="Family Safety Unit", slug="fsu")
    editor = f.user(Role.PARTNER_EDITOR, partners=(partner,), username="fsu-editor", is_staff=True)
    metric = f.metric(partner=partner, name="Champions trained")
    activity = f.activity(programme=f.programme(lead_partner=partner), financial_year=f.year(2019))
    q1, q2 = f.quarter_period(2019, 1), f.quarter_period(2019, 2)
    submitted = f.report_return(partner=partner, period=q1)
    result = f.result(metric=metric, period=q1, report_return=submitted, value=40)
    statement = f.outcome_statement(activity=activity, report_return=submitted, text="Forty.")
    f.submit(submitted, by=editor)
    submitted.refresh_from_db()
    draft = f.report_return(partner=partner, period=q2)
    return {
        "partner": partner,
        "editor": editor,
        "metric": metric,
        "activity": activity,
        "submitted": submitted,
        "result": result,
        "statement": statement,
        "draft": draft,
        "q1": q1,
        "q2": q2,
    }


def administrator():
    return f.user(Role.ADMINISTRATOR, is_staff=True, username="admin")


def expected_note(ret: Return) -> str:
    return (
        f"The 2019/20 Q1 return of Family Safety Unit was submitted on "
        f"{timezone.localtime(ret.submitted_at):%-d %B %Y} by fsu-editor and is waiting for "
        "approval; ask the CSP manager to send it back if a figure must change."
    )


def unchanged(fsu) -> bool:
    result = Result.objects.get(pk=fsu["result"].pk)
    statement = OutcomeStatement.objects.get(pk=fsu["statement"].pk)
    return (
        result.value == Decimal(40)
        and result.version == fsu["result"].version
        and statement.text == "Forty."
        and Result.objects.count() == 1
        and OutcomeStatement.objects.count() == 1
        and Return.objects.get(pk=fsu["submitted"].pk).status == Status.SUBMITTED
    )


# --- The rule ---------------------------------------------------------------------------


def test_the_rule_by_status_and_role(fsu):
    approved = f.report_return(partner=fsu["partner"], period=f.quarter_period(2019, 3))
    f.approve(approved)
    outsider = f.user(Role.PARTNER_EDITOR, partners=(f.partner(),))
    approver_editor = f.user(Role.APPROVER, Role.PARTNER_EDITOR, partners=(fsu["partner"],))
    cases = {
        "editor": fsu["editor"],
        "outsider": outsider,
        "approver who edits": approver_editor,
        "approver": f.user(Role.APPROVER),
        "analyst": f.user(Role.ANALYST),
        "administrator": administrator(),
    }
    returns = {"draft": fsu["draft"], "submitted": fsu["submitted"], "approved": approved}
    got = {
        (who, status): can_edit_return(user, ret)
        for who, user in cases.items()
        for status, ret in returns.items()
    }
    allowed = {k for k, v in got.items() if v}
    assert allowed == {
        ("editor", "draft"),
        ("approver who edits", "draft"),
        ("administrator", "draft"),
        ("administrator", "submitted"),
    }
    # The queryset form of the rule says the same for every user and return.
    for who, user in cases.items():
        as_query = set(open_returns_for(user, Return.objects.filter(partner=fsu["partner"])))
        assert as_query == {ret for status, ret in returns.items() if got[(who, status)]}, who


def test_a_sent_back_return_is_a_draft_its_editor_may_change_again(fsu):
    assert not may_change(fsu["editor"], fsu["result"])
    send_back_return(
        report_return=fsu["submitted"], user=f.user(Role.APPROVER), note="Check the count."
    )
    fsu["result"].report_return.refresh_from_db()
    assert may_change(fsu["editor"], fsu["result"])


# --- The admin --------------------------------------------------------------------------


def result_post(result, **changes):
    return {
        "metric": result.metric_id,
        "period": result.period_id,
        "report_return": result.report_return_id,
        "value": str(result.value),
        "qualifier": result.qualifier,
        "note": result.note,
        "source": result.source,
        "seen_version": result.version,
        **changes,
    }


def test_the_admin_change_form_is_refused_to_the_editor_and_says_why(fsu, client):
    client.force_login(fsu["editor"])
    url = reverse("admin:metrics_result_change", args=[fsu["result"].pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert expected_note(fsu["submitted"]) in html.replace("&#x27;", "'")
    assert 'name="_save"' not in html
    assert client.post(url, result_post(fsu["result"], value="99")).status_code == 403
    url = reverse("admin:programmes_outcomestatement_change", args=[fsu["statement"].pk])
    data = {
        "activity": fsu["activity"].pk,
        "report_return": fsu["submitted"].pk,
        "text": "Changed.",
        "note": "",
        "seen_version": fsu["statement"].version,
    }
    assert client.post(url, data).status_code == 403
    assert unchanged(fsu)


def test_the_admin_offers_the_editor_no_submitted_return_to_add_to(fsu, client):
    client.force_login(fsu["editor"])
    for url in (
        reverse("admin:metrics_result_add"),
        reverse("admin:programmes_outcomestatement_add"),
    ):
        field = client.get(url).context["adminform"].form.fields["report_return"]
        assert list(field.queryset) == [fsu["draft"]], url
    response = client.post(
        reverse("admin:metrics_result_add"),
        result_post(fsu["result"], period=f.year_period(2018).pk, value="7"),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors)
    assert unchanged(fsu)


def test_the_administrator_still_corrects_and_adds_to_a_submitted_return(fsu, client):
    client.force_login(administrator())
    field = (
        client.get(reverse("admin:metrics_result_add"))
        .context["adminform"]
        .form.fields["report_return"]
    )
    assert fsu["submitted"] in field.queryset
    url = reverse("admin:metrics_result_change", args=[fsu["result"].pk])
    assert client.post(url, result_post(fsu["result"], value="41")).status_code == 302
    assert Result.objects.get(pk=fsu["result"].pk).value == Decimal(41)
    response = client.post(
        reverse("admin:metrics_result_add"),
        result_post(fsu["result"], period=f.year_period(2018).pk, value="7"),
    )
    assert response.status_code == 302
    assert Return.objects.get(pk=fsu["submitted"].pk).status == Status.SUBMITTED


def test_the_row_form_refuses_the_editor_whatever_admin_page_it_is_on(fsu):
    """List editing and inlines end in the same form: it asks the rule for its user."""
    from django.forms import modelform_factory

    from metrics.admin import ResultForm

    fields = ["metric", "period", "report_return", "value", "qualifier", "note", "source"]
    form_class = modelform_factory(Result, form=ResultForm, fields=fields)
    form = form_class(result_post(fsu["result"], value="99"), instance=fsu["result"])
    form.user = fsu["editor"]
    assert not form.is_valid()
    assert form.non_field_errors() == [expected_note(fsu["submitted"])]
    assert unchanged(fsu)


@pytest.mark.urls("tests.programmes.lock_admin_urls")
def test_admin_list_editing_refuses_the_editor_a_submitted_figure(fsu, client):
    from django.contrib.auth.models import Permission

    fsu["editor"].user_permissions.add(Permission.objects.get(codename="view_result"))
    client.force_login(fsu["editor"])
    response = client.post(
        "/admin/metrics/result/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(fsu["result"].pk),
            "form-0-value": "99",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "is waiting for approval" in response.content.decode()
    assert unchanged(fsu)


def _inline_formset(user, metric, data):
    from django.contrib import admin

    from metrics.admin import ResultInline

    request = RequestFactory().post("/")
    request.user = user
    inline = ResultInline(type(metric), admin.site)
    formset_class = inline.get_formset(request, metric)
    return formset_class(data, instance=metric, prefix="results")


def _inline_data(result, **changes):
    row = {
        "id": result.pk,
        "metric": result.metric_id,
        "period": result.period_id,
        "value": str(result.value),
        "qualifier": result.qualifier,
        "report_return": result.report_return_id,
        "source": result.source,
        "note": result.note,
        "seen_version": result.version,
        **changes,
    }
    data = {
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "1",
        "results-MIN_NUM_FORMS": "0",
        "results-MAX_NUM_FORMS": "1000",
    }
    data.update({f"results-0-{key}": value for key, value in row.items()})
    return data


def test_an_inline_refuses_the_editor_a_change_or_a_deletion_in_a_submitted_return(fsu):
    from django.contrib.auth.models import Permission

    # Editors hold no delete permission; given one, the inline must still refuse the deletion
    # (Django ignores the errors of a form marked for deletion).
    fsu["editor"].user_permissions.add(Permission.objects.get(codename="delete_result"))
    changed = _inline_formset(fsu["editor"], fsu["metric"], _inline_data(fsu["result"], value="99"))
    assert not changed.is_valid()
    assert expected_note(fsu["submitted"]) in str(changed.errors)
    deleted = _inline_formset(
        fsu["editor"], fsu["metric"], _inline_data(fsu["result"], DELETE="on")
    )
    assert not deleted.is_valid(), deleted.errors
    assert expected_note(fsu["submitted"]) in str(deleted.non_form_errors())
    # The administrator's inline takes the same change.
    assert _inline_formset(
        administrator(), fsu["metric"], _inline_data(fsu["result"], value="41")
    ).is_valid()
    assert unchanged(fsu)


# --- The return's page ------------------------------------------------------------------


def page(client, user, ret) -> str:
    client.force_login(user)
    response = client.get(reverse("returns:detail", args=[ret.pk]))
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def test_a_draft_page_tells_its_editor_to_enter_the_figures_then_submit(fsu, client):
    html = page(client, fsu["editor"], fsu["draft"])
    assert "Enter the figures" in html
    assert "then submit the return for approval" in html
    assert "Upload a filled workbook" in html
    assert reverse("returns:transition", args=[fsu["draft"].pk, "submit"]) in html
    assert "I have checked these figures and narratives" in html
    assert "waiting for approval" not in html


def test_a_submitted_page_tells_its_editor_it_waits_and_who_may_send_it_back(fsu, client):
    html = page(client, fsu["editor"], fsu["submitted"])
    assert expected_note(fsu["submitted"]) in html
    assert "Enter the figures" not in html
    assert "then submit" not in html
    assert "Upload a filled workbook" not in html
    assert reverse("reports:return_upload") not in html
    assert reverse("admin:metrics_result_add") not in html
    assert reverse("returns:transition", args=[fsu["submitted"].pk, "submit"]) not in html


def test_an_approver_who_submitted_it_is_told_why_there_is_no_approve_button(fsu, client):
    both = f.user(Role.APPROVER, Role.PARTNER_EDITOR, partners=(fsu["partner"],))
    ret = f.report_return(partner=fsu["partner"], period=f.quarter_period(2019, 3))
    f.submit(ret, by=both)
    html = page(client, both, ret)
    assert reverse("returns:transition", args=[ret.pk, "approve"]) not in html
    assert "You submitted this return; another approver must approve it." in html
    assert reverse("returns:transition", args=[ret.pk, "send_back"]) in html
    other = page(client, f.user(Role.APPROVER), ret)
    assert reverse("returns:transition", args=[ret.pk, "approve"]) in other
    assert "another approver must approve it" not in other


def test_the_administrators_submitted_page_offers_corrections_not_submission(fsu, client):
    html = page(client, administrator(), fsu["submitted"])
    assert "Correct the figures" in html
    assert "it stays submitted" in html
    assert "Upload a filled workbook" in html
    assert "then submit" not in html


def test_an_approved_page_tells_its_editor_who_may_reopen_it(fsu, client):
    from programmes.services import approve_return

    approve_return(report_return=fsu["submitted"], user=f.user(Role.APPROVER, username="boss"))
    html = page(client, fsu["editor"], fsu["submitted"])
    assert "was approved on" in html
    assert "ask the CSP manager to reopen it" in html
    assert "Upload a filled workbook" not in html


def test_submit_needs_the_tick_box_and_says_so(fsu, client):
    client.force_login(fsu["editor"])
    url = reverse("returns:transition", args=[fsu["draft"].pk, "submit"])
    response = client.post(url, follow=True)
    html = response.content.decode().replace("&#x27;", "'")
    assert "Tick 'I have checked these figures and narratives'" in html
    assert Return.objects.get(pk=fsu["draft"].pk).status == Status.DRAFT
    client.post(url, {"checked": "yes"})
    assert Return.objects.get(pk=fsu["draft"].pk).status == Status.SUBMITTED
