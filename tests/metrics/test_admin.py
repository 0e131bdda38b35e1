"""Entering results, targets and comparators in the admin: units, refusals and scoping."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from metrics.models import Qualifier, Result, Unit
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

ADD_RESULT = reverse("admin:metrics_result_add")


@pytest.fixture
def superuser_client(client):
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.org", "pw-Root-9-x")
    )
    return client


def _result_form(metric, period, report_return, value, **extra):
    return {
        "metric": metric.pk,
        "period": period.pk,
        "report_return": report_return.pk,
        "value": str(value),
        "qualifier": Qualifier.EXACT,
        "source": "",
        "note": "",
        **extra,
    }


def _refusal(client, data) -> str:
    response = client.post(ADD_RESULT, data)
    assert response.status_code == 200  # the form again, not a redirect to the list
    return str(response.context["adminform"].form.errors)


def test_a_percentage_over_100_is_refused_with_its_message(superuser_client):
    metric = f.metric(unit=Unit.PERCENTAGE, name="Victims satisfied")
    period = f.quarter_period(2019, 1)
    rtn = f.report_return(partner=metric.partner, period=period)
    errors = _refusal(superuser_client, _result_form(metric, period, rtn, 120))
    assert "Victims satisfied is a percentage and cannot be more than 100." in errors
    assert not Result.objects.exists()


def test_a_negative_count_is_refused_with_its_message(superuser_client):
    metric = f.metric(unit=Unit.COUNT, name="Referrals")
    period = f.quarter_period(2019, 1)
    rtn = f.report_return(partner=metric.partner, period=period)
    errors = _refusal(superuser_client, _result_form(metric, period, rtn, -3))
    assert "Referrals cannot be negative." in errors
    assert not Result.objects.exists()


def test_a_second_result_for_the_same_metric_and_period_is_refused(superuser_client):
    existing = f.result(value=5)
    data = _result_form(existing.metric, existing.period, existing.report_return, 7)
    errors = _refusal(superuser_client, data)
    assert "already has a result for this period" in errors
    assert Result.objects.get().value == Decimal(5)


def test_a_good_result_is_saved_with_its_qualifier(superuser_client):
    metric = f.metric()
    period = f.quarter_period(2019, 1)
    rtn = f.report_return(partner=metric.partner, period=period)
    data = _result_form(metric, period, rtn, 400, qualifier=Qualifier.OVER)
    response = superuser_client.post(ADD_RESULT, data)
    assert response.status_code == 302
    saved = Result.objects.get()
    assert (saved.value, saved.qualifier) == (Decimal(400), Qualifier.OVER)


def test_the_value_field_names_the_metrics_unit(superuser_client):
    res = f.result(metric=f.metric(unit=Unit.PERCENTAGE), value=23.5)
    response = superuser_client.get(reverse("admin:metrics_result_change", args=[res.pk]))
    assert "Value (a percentage, 0 to 100)" in response.content.decode()


def test_the_list_shows_each_value_with_its_qualifier_and_unit(superuser_client):
    metric = f.metric(unit=Unit.COUNT, unit_label="young people")
    f.result(metric=metric, value=400, qualifier=Qualifier.OVER)
    f.target(metric=f.metric(unit=Unit.PERCENTAGE), value=75)
    results = superuser_client.get(reverse("admin:metrics_result_changelist"))
    targets = superuser_client.get(reverse("admin:metrics_target_changelist"))
    assert "over 400 young people" in results.content.decode()
    assert "75%" in targets.content.decode()


def test_a_comparator_list_shows_the_rank_in_words(superuser_client):
    f.comparator(rank=4, rank_order="lowest", group_size=15, value=None)
    response = superuser_client.get(reverse("admin:metrics_comparator_changelist"))
    assert "4th lowest of 15" in response.content.decode()


@pytest.fixture
def editor_setup():
    mine, theirs = f.partner(name="Mine"), f.partner(name="Theirs")
    q1, q2 = f.quarter_period(2019, 1), f.quarter_period(2019, 2)
    open_return = f.report_return(partner=mine, period=q1)
    f.approve(f.report_return(partner=mine, period=q2))
    their_return = f.report_return(partner=theirs, period=q1)
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,), is_staff=True)
    return {
        "editor": editor,
        "my_metric": f.metric(partner=mine, name="My metric"),
        "their_metric": f.metric(partner=theirs, name="Their metric"),
        "open_return": open_return,
        "their_return": their_return,
        "q1": q1,
    }


def test_an_editor_may_put_a_result_only_in_an_open_return_of_their_own(client, editor_setup):
    client.force_login(editor_setup["editor"])
    response = client.get(ADD_RESULT)
    choices = response.context["adminform"].form.fields["report_return"].queryset
    assert list(choices) == [editor_setup["open_return"]]


def test_an_editor_adds_a_result_for_their_own_partner(client, editor_setup):
    client.force_login(editor_setup["editor"])
    data = _result_form(
        editor_setup["my_metric"], editor_setup["q1"], editor_setup["open_return"], 12
    )
    assert client.post(ADD_RESULT, data).status_code == 302
    assert Result.objects.get().metric == editor_setup["my_metric"]


def test_an_editor_cannot_add_a_result_to_another_partners_return(client, editor_setup):
    client.force_login(editor_setup["editor"])
    data = _result_form(
        editor_setup["their_metric"], editor_setup["q1"], editor_setup["their_return"], 12
    )
    errors = _refusal(client, data)
    assert "Select a valid choice" in errors
    assert not Result.objects.exists()


def _autocomplete(client, app_label, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {item["text"] for item in json.loads(response.content)["results"]}


def test_an_editors_autocomplete_offers_only_their_own_metrics(client, editor_setup):
    client.force_login(editor_setup["editor"])
    assert _autocomplete(client, "metrics", "result", "metric", "metric") == {"My metric"}


def test_an_analysts_autocomplete_offers_every_metric(client, editor_setup):
    client.force_login(f.user(Role.ANALYST, is_staff=True))
    assert _autocomplete(client, "metrics", "result", "metric", "metric") == {
        "My metric",
        "Their metric",
    }


def test_an_editors_autocomplete_offers_only_activities_of_their_programmes(client):
    mine, theirs = f.partner(), f.partner()
    f.activity(programme=f.programme(lead_partner=mine), title="Ours")
    f.activity(programme=f.programme(lead_partner=theirs), title="Not ours")
    delivered = f.programme(lead_partner=theirs)
    delivered.delivery_partners.add(mine)
    f.activity(programme=delivered, title="Delivered by us")
    client.force_login(f.user(Role.PARTNER_EDITOR, partners=(mine,), is_staff=True))
    offered = _autocomplete(client, "programmes", "outcomestatement", "activity")
    assert {text.split(" (")[0] for text in offered} == {"Ours", "Delivered by us"}


def test_a_filter_never_offers_what_only_another_partners_draft_holds(client, editor_setup):
    hidden_period = f.quarter_period(2020, 3)
    f.result(metric=editor_setup["their_metric"], period=hidden_period)
    f.result(metric=editor_setup["my_metric"], period=editor_setup["q1"])
    url = reverse("admin:metrics_result_changelist")

    def period_choices(user):
        client.force_login(user)
        content = client.get(url).content.decode()
        return str(hidden_period) in content

    assert period_choices(f.user(Role.ANALYST, is_staff=True))
    assert not period_choices(editor_setup["editor"])


def test_a_result_in_an_approved_return_keeps_its_return_on_the_form(superuser_client):
    period = f.quarter_period(2019, 1)
    metric = f.metric()
    approved = f.report_return(partner=metric.partner, period=period)
    res = f.result(metric=metric, period=period, report_return=approved)
    f.approve(approved)
    response = superuser_client.get(reverse("admin:metrics_result_change", args=[res.pk]))
    field = response.context["adminform"].form.fields["report_return"]
    assert list(field.queryset) == [approved]
    assert f'<option value="{approved.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [ADD_RESULT, reverse("admin:programmes_outcomestatement_add")],
    ids=["result", "narrative"],
)
def test_every_field_a_partner_fills_in_has_help_text(client, editor_setup, url):
    client.force_login(editor_setup["editor"])
    form = client.get(url).context["adminform"].form
    assert form.fields
    assert {name for name, field in form.fields.items() if not field.help_text} == set()


def test_an_approved_figure_opens_read_only_and_says_why(client, editor_setup):
    ret = editor_setup["open_return"]
    res = f.result(metric=editor_setup["my_metric"], period=editor_setup["q1"], report_return=ret)
    f.approve(ret)
    client.force_login(editor_setup["editor"])
    response = client.get(reverse("admin:metrics_result_change", args=[res.pk]))
    assert response.status_code == 200
    assert "was approved on" in response.content.decode()
    assert "ask the approver to reopen it" in response.content.decode()


def test_an_administrator_gives_the_singular_beside_what_is_counted(superuser_client):
    metric = f.metric(unit=Unit.COUNT, unit_label="young people")
    page = superuser_client.get(reverse("admin:metrics_metric_change", args=[metric.pk]))
    form = page.context["adminform"].form
    assert list(form.fields).index("unit_label_singular") == (
        list(form.fields).index("unit_label") + 1
    )
    assert "'young person' for 'young people'" in form.fields["unit_label_singular"].help_text
