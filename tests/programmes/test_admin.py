"""The admin: every page renders, the index is grouped and titled, and lists stay cheap."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from programmes.admin_base import ScopedModelAdmin
from programmes.scoping import Role
from tests import factories as f
from tests.admin_world import build_world

pytestmark = pytest.mark.django_db

# Every model in the admin, including those other work registers later.
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def superuser_client(client):
    client.force_login(
        get_user_model().objects.create_superuser("root", "root@example.org", "pw-Root-9-x")
    )
    return client


def _url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _an_object(world, model):
    name = model._meta.model_name
    return world.objects.get(f"{name}.own") or world.objects[f"{name}.any"]


@pytest.mark.parametrize("model", [m for m, _ in REGISTERED], ids=lambda m: m._meta.label)
def test_a_superuser_gets_the_changelist_add_and_change_pages_of_every_model(
    world, superuser_client, model
):
    obj = _an_object(world, model)
    for url in (_url(model, "changelist"), _url(model, "add"), _url(model, "change", obj.pk)):
        response = superuser_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", [m for m, _ in REGISTERED], ids=lambda m: m._meta.label)
def test_every_changelist_search_renders(world, superuser_client, model):
    response = superuser_client.get(_url(model, "changelist"), {"q": "of own"})
    assert response.status_code == 200


# Models with no admin page of their own, and where they are seen instead.
SHOWN_ELSEWHERE = {
    "programmes.ReturnEvent": "read-only, inside its return's page",
    "programmes.ReminderLog": "only stops a reminder going twice a day; the email is the record",
    "metrics.FiguresVersion": "a counter the app raises itself; nothing for a person to enter",
}


def test_every_wirralsafe_model_is_in_the_admin_on_the_scoped_base():
    from django.apps import apps

    for app_label in ("programmes", "metrics"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # shown on each object's history page
            if model._meta.label in SHOWN_ELSEWHERE:
                continue
            assert model in admin.site._registry, model
            assert isinstance(admin.site._registry[model], ScopedModelAdmin), model


def test_the_index_is_titled_for_the_product_and_grouped_as_users_think(superuser_client):
    response = superuser_client.get(reverse("admin:index"))
    content = response.content.decode()
    assert "Django administration" not in content
    assert "wirralsafe — Wirral Community Safety Partnership" in content
    sections = [app["name"] for app in response.context["app_list"]]
    assert sections[:4] == ["Programmes", "Metrics and results", "Reference data", "Users"]
    by_section = {
        app["name"]: [m["object_name"] for m in app["models"]]
        for app in response.context["app_list"]
    }
    assert by_section["Programmes"] == [
        "Programme",
        "Activity",
        "ExpectedOutcome",
        "OutcomeStatement",
        "Allocation",
    ]
    assert {"Metric", "Result", "Target", "Comparator"} <= set(by_section["Metrics and results"])
    assert "Partner" in by_section["Reference data"]
    assert by_section["Users"] == ["User", "Group"]
    links = {app["name"]: app["app_url"] for app in response.context["app_list"]}
    assert links["Reference data"] == reverse("admin:programmes_partner_changelist")


def test_an_app_page_keeps_its_own_model_list(superuser_client):
    response = superuser_client.get(reverse("admin:app_list", args=["metrics"]))
    assert [app["app_label"] for app in response.context["app_list"]] == ["metrics"]


def test_programme_page_has_activities_and_allocations_inline(world, superuser_client):
    programme = world.obj("programme.own")
    response = superuser_client.get(_url(type(programme), "change", programme.pk))
    content = response.content.decode()
    assert "Activity of own" in content
    assert "allocations-TOTAL_FORMS" in content


def test_activity_page_has_expected_outcomes_and_narratives_inline(world, superuser_client):
    activity = world.obj("activity.own")
    response = superuser_client.get(_url(type(activity), "change", activity.pk))
    content = response.content.decode()
    assert "Expected outcome of own" in content
    assert "Own partner&#x27;s narrative" in content


@pytest.mark.parametrize(
    ("url_name", "build"),
    [
        ("admin:metrics_result_changelist", lambda: f.result()),
        ("admin:metrics_metric_changelist", lambda: f.metric(programme=f.programme())),
        ("admin:metrics_comparator_changelist", lambda: f.comparator()),
        ("admin:programmes_outcomestatement_changelist", lambda: f.outcome_statement()),
        ("admin:programmes_activity_changelist", lambda: f.activity()),
        ("admin:programmes_programme_changelist", lambda: f.programme()),
    ],
)
def test_a_changelist_runs_the_same_number_of_queries_however_many_rows(
    client, django_assert_max_num_queries, url_name, build
):
    # An editor too, so that the scoping filters are part of what is counted.
    editor = f.user(Role.PARTNER_EDITOR, partners=(f.partner(),), is_staff=True)
    admin_user = get_user_model().objects.create_superuser("root", "r@example.org", "pw-9-Root")
    for user in (editor, admin_user):
        client.force_login(user)
        build()
        with django_assert_max_num_queries(30) as few:
            client.get(reverse(url_name))
        for _ in range(12):
            build()
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse(url_name))
        assert response.status_code == 200
