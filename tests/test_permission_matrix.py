"""Every URL of the project, for every role and for own and other partners' objects, in one table.

MATRIX declares what each role gets from a GET of each URL. A line reads:

    <url>   <target>   administrator approver analyst commissioner editor anonymous

- <url> is the URL's name, such as `admin:metrics_result_change` or `reports:dashboard`. A
  pattern with no name is matched by a shell-style glob of its route (`admin/*/*/<path:...>/`).
- <target> says what the URL is asked about:
  `-`                   no arguments;
  `result.own`          an object from tests/admin_world.py, passed by primary key. Cases: `own`
                        (the editor's partner's), `frozen` (the editor's partner's, in a
                        submitted return: frozen for the editor, open to the administrator),
                        `other` (another partner's, in a draft return), `approved` (another
                        partner's, approved), `any` (reference data and users);
  `programme.own/slug`  the object's attributes as arguments, in order (`ct` is its content type,
                        `=x` the literal x);
  `result.own@v`        the object's primary key and its latest history version;
  `=programmes`         a literal argument; `=/admin/x/` a literal path (for unnamed patterns);
  `?metrics.result.metric`  an autocomplete query: the app, model and field being filled.
- The statuses are what each role must get, in the column order above. The editor edits for the
  `own` partner; `anonymous` is not logged in.

A new URL fails test_every_url_pattern_is_in_the_matrix until it has a line here: add one line
per object case it can be asked about (own, frozen, other, approved), with the status each
role gets.
test_another_partners_canary_never_reaches_an_editor then also checks its pages for leaks.
"""

from __future__ import annotations

import fnmatch

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse

from tests.admin_world import CANARY, build_world

pytestmark = pytest.mark.django_db

ROLES = ["administrator", "approver", "analyst", "commissioner", "editor", "anonymous"]

MATRIX = """
# url                                            target                   adm apr ana com edi anon
login                                            -                        200 200 200 200 200 200
logout                                           -                        405 405 405 405 405 302
favicon                                          -                        302 302 302 302 302 302
reports:dashboard                                -                        200 200 200 200 200 302
reports:report_index                             -                        200 200 200 200 200 302
reports:return_template_download                 -                        200 403 403 403 200 302
reports:return_upload                            -                        200 403 403 403 200 302
programmes:programme_list                        -                        200 200 200 200 200 302
metrics:metric_list                              -                        200 200 200 200 200 302
programmes:programme_detail                      programme.own/slug       200 200 200 200 200 302
programmes:programme_detail                      programme.other/slug     200 200 200 200 200 302
metrics:metric_detail                            metric.own/slug          200 200 200 200 200 302
metrics:metric_detail                            metric.other/slug        200 200 200 200 200 302
admin:index                                      -                        200 200 200 200 200 302
admin:login                                      -                        302 302 302 302 302 200
admin:logout                                     -                        405 405 405 405 405 302
admin:password_change                            -                        200 200 200 200 200 302
admin:password_change_done                       -                        200 200 200 200 200 302
admin:jsi18n                                     -                        200 200 200 200 200 302
admin:view_on_site                               programme.own/ct,pk      302 302 302 302 302 302
admin:app_list                                   =programmes              200 200 200 200 200 302
admin:app_list                                   =auth                    200 404 404 404 404 302
admin:autocomplete                               ?metrics.result.metric   200 200 200 200 200 302
admin:autocomplete                               ?metrics.result.period   200 200 200 200 200 302
admin:autocomplete                               ?metrics.metric.programme 200 200 200 200 200 302
admin:autocomplete ?programmes.outcomestatement.activity 200 200 200 200 200 302
admin:autocomplete ?programmes.programme.lead_partner 200 200 200 200 200 302
admin:autocomplete ?programmes.partner.members 200 403 403 403 403 302
admin/(?P<url>.*)$                               =/admin/no-such-page/    404 404 404 404 404 302
admin/*/*/<path:object_id>/                      =/admin/metrics/result/1/ 302 302 302 302 302 302
admin:metrics_result_changelist                  -                        200 200 200 200 200 302
admin:metrics_result_add                         -                        200 403 403 403 200 302
admin:metrics_result_change                      result.own               200 200 200 404 200 302
admin:metrics_result_change                      result.other             200 200 200 404 404 302
admin:metrics_result_change                      result.approved          200 200 200 200 200 302
admin:metrics_result_change                      result.frozen            200 200 200 404 200 302
admin:metrics_result_history                     result.own               200 200 200 404 200 302
admin:metrics_result_history                     result.other             200 200 200 404 404 302
admin:metrics_result_history                     result.approved          200 200 200 200 200 302
admin:metrics_result_history                     result.frozen            200 200 200 404 200 302
admin:metrics_result_simple_history              result.own@v             200 200 200 404 200 302
admin:metrics_result_simple_history              result.other@v           200 200 200 404 404 302
admin:metrics_result_simple_history              result.approved@v        200 200 200 200 200 302
admin:metrics_result_simple_history              result.frozen@v          200 200 200 404 200 302
admin:metrics_result_delete                      result.own               200 403 403 404 403 302
admin:metrics_result_delete                      result.other             200 403 403 404 404 302
admin:metrics_result_delete                      result.approved          403 403 403 403 403 302
admin:metrics_result_delete                      result.frozen            200 403 403 404 403 302
admin:programmes_outcomestatement_changelist     -                        200 200 200 200 200 302
admin:programmes_outcomestatement_add            -                        200 403 403 403 200 302
admin:programmes_outcomestatement_change         outcomestatement.own     200 200 200 404 200 302
admin:programmes_outcomestatement_change         outcomestatement.other   200 200 200 404 404 302
admin:programmes_outcomestatement_change         outcomestatement.approved 200 200 200 200 200 302
admin:programmes_outcomestatement_change         outcomestatement.frozen  200 200 200 404 200 302
admin:programmes_outcomestatement_history        outcomestatement.own     200 200 200 404 200 302
admin:programmes_outcomestatement_history        outcomestatement.other   200 200 200 404 404 302
admin:programmes_outcomestatement_history        outcomestatement.approved 200 200 200 200 200 302
admin:programmes_outcomestatement_history        outcomestatement.frozen  200 200 200 404 200 302
admin:programmes_outcomestatement_simple_history outcomestatement.own@v   200 200 200 404 200 302
admin:programmes_outcomestatement_simple_history outcomestatement.other@v 200 200 200 404 404 302
admin:programmes_outcomestatement_simple_history outcomestatement.approved@v 200 200 200 200 200 302
admin:programmes_outcomestatement_simple_history outcomestatement.frozen@v 200 200 200 404 200 302
admin:programmes_outcomestatement_delete         outcomestatement.own     200 403 403 404 403 302
admin:programmes_outcomestatement_delete         outcomestatement.other   200 403 403 404 404 302
admin:programmes_outcomestatement_delete         outcomestatement.approved 403 403 403 403 403 302
admin:programmes_outcomestatement_delete         outcomestatement.frozen  200 403 403 404 403 302
admin:programmes_programme_changelist            -                        200 200 200 200 200 302
admin:programmes_programme_add                   -                        200 403 403 403 403 302
admin:programmes_programme_change                programme.own            200 200 200 200 200 302
admin:programmes_programme_change                programme.other          200 200 200 200 404 302
admin:programmes_programme_history               programme.own            200 200 200 200 200 302
admin:programmes_programme_history               programme.other          200 200 200 200 404 302
admin:programmes_programme_simple_history        programme.own@v          200 200 200 200 200 302
admin:programmes_programme_simple_history        programme.other@v        200 200 200 200 404 302
admin:programmes_programme_delete                programme.own            200 403 403 403 403 302
admin:programmes_programme_delete                programme.other          200 403 403 403 404 302
admin:programmes_activity_changelist             -                        200 200 200 200 200 302
admin:programmes_activity_add                    -                        200 403 403 403 403 302
admin:programmes_activity_change                 activity.own             200 200 200 200 200 302
admin:programmes_activity_change                 activity.other           200 200 200 200 404 302
admin:programmes_activity_history                activity.own             200 200 200 200 200 302
admin:programmes_activity_history                activity.other           200 200 200 200 404 302
admin:programmes_activity_simple_history         activity.own@v           200 200 200 200 200 302
admin:programmes_activity_simple_history         activity.other@v         200 200 200 200 404 302
admin:programmes_activity_delete                 activity.own             200 403 403 403 403 302
admin:programmes_activity_delete                 activity.other           200 403 403 403 404 302
admin:programmes_expectedoutcome_changelist      -                        200 200 200 200 200 302
admin:programmes_expectedoutcome_add             -                        200 403 403 403 403 302
admin:programmes_expectedoutcome_change          expectedoutcome.own      200 200 200 200 200 302
admin:programmes_expectedoutcome_change          expectedoutcome.other    200 200 200 200 404 302
admin:programmes_expectedoutcome_history         expectedoutcome.own      200 200 200 200 200 302
admin:programmes_expectedoutcome_history         expectedoutcome.other    200 200 200 200 404 302
admin:programmes_expectedoutcome_simple_history  expectedoutcome.own@v    200 200 200 200 200 302
admin:programmes_expectedoutcome_simple_history  expectedoutcome.other@v  200 200 200 200 404 302
admin:programmes_expectedoutcome_delete          expectedoutcome.own      200 403 403 403 403 302
admin:programmes_expectedoutcome_delete          expectedoutcome.other    200 403 403 403 404 302
admin:programmes_allocation_changelist           -                        200 200 200 200 200 302
admin:programmes_allocation_add                  -                        200 403 403 403 403 302
admin:programmes_allocation_change               allocation.own           200 200 200 200 200 302
admin:programmes_allocation_change               allocation.other         200 200 200 200 404 302
admin:programmes_allocation_history              allocation.own           200 200 200 200 200 302
admin:programmes_allocation_history              allocation.other         200 200 200 200 404 302
admin:programmes_allocation_simple_history       allocation.own@v         200 200 200 200 200 302
admin:programmes_allocation_simple_history       allocation.other@v       200 200 200 200 404 302
admin:programmes_allocation_delete               allocation.own           200 403 403 403 403 302
admin:programmes_allocation_delete               allocation.other         200 403 403 403 404 302
admin:metrics_metric_changelist                  -                        200 200 200 200 200 302
admin:metrics_metric_add                         -                        200 403 403 403 403 302
admin:metrics_metric_change                      metric.own               200 200 200 200 200 302
admin:metrics_metric_change                      metric.other             200 200 200 200 404 302
admin:metrics_metric_history                     metric.own               200 200 200 200 200 302
admin:metrics_metric_history                     metric.other             200 200 200 200 404 302
admin:metrics_metric_simple_history              metric.own@v             200 200 200 200 200 302
admin:metrics_metric_simple_history              metric.other@v           200 200 200 200 404 302
admin:metrics_metric_delete                      metric.own               200 403 403 403 403 302
admin:metrics_metric_delete                      metric.other             200 403 403 403 404 302
admin:metrics_target_changelist                  -                        200 200 200 200 200 302
admin:metrics_target_add                         -                        200 403 403 403 403 302
admin:metrics_target_change                      target.own               200 200 200 200 200 302
admin:metrics_target_change                      target.other             200 200 200 200 404 302
admin:metrics_target_history                     target.own               200 200 200 200 200 302
admin:metrics_target_history                     target.other             200 200 200 200 404 302
admin:metrics_target_simple_history              target.own@v             200 200 200 200 200 302
admin:metrics_target_simple_history              target.other@v           200 200 200 200 404 302
admin:metrics_target_delete                      target.own               200 403 403 403 403 302
admin:metrics_target_delete                      target.other             200 403 403 403 404 302
admin:metrics_comparator_changelist              -                        200 200 200 200 200 302
admin:metrics_comparator_add                     -                        200 403 403 403 403 302
admin:metrics_comparator_change                  comparator.own           200 200 200 200 200 302
admin:metrics_comparator_change                  comparator.other         200 200 200 200 404 302
admin:metrics_comparator_history                 comparator.own           200 200 200 200 200 302
admin:metrics_comparator_history                 comparator.other         200 200 200 200 404 302
admin:metrics_comparator_simple_history          comparator.own@v         200 200 200 200 200 302
admin:metrics_comparator_simple_history          comparator.other@v       200 200 200 200 404 302
admin:metrics_comparator_delete                  comparator.own           200 403 403 403 403 302
admin:metrics_comparator_delete                  comparator.other         200 403 403 403 404 302
admin:programmes_return_changelist              -                        200 200 200 200 200 302
admin:programmes_return_add                      -                        200 403 403 403 403 302
admin:programmes_return_change                   return.own               200 200 200 404 200 302
admin:programmes_return_change                   return.other             200 200 200 404 404 302
admin:programmes_return_change                   return.approved          200 200 200 200 200 302
admin:programmes_return_change                   return.frozen            200 200 200 404 200 302
admin:programmes_return_history                  return.own               200 200 200 404 200 302
admin:programmes_return_history                  return.other             200 200 200 404 404 302
admin:programmes_return_history                  return.approved          200 200 200 200 200 302
admin:programmes_return_history                  return.frozen            200 200 200 404 200 302
admin:programmes_return_simple_history           return.own@v             200 200 200 404 200 302
admin:programmes_return_simple_history           return.other@v           200 200 200 404 404 302
admin:programmes_return_simple_history           return.approved@v        200 200 200 200 200 302
admin:programmes_return_simple_history           return.frozen@v          200 200 200 404 200 302
admin:programmes_return_delete                   return.own               200 403 403 404 403 302
admin:programmes_return_delete                   return.other             200 403 403 404 404 302
admin:programmes_return_delete                   return.approved          403 403 403 403 403 302
admin:programmes_return_delete                   return.frozen            200 403 403 404 403 302
admin:programmes_return_transition               return.own/pk,=submit    200 403 403 404 200 302
admin:programmes_return_transition               return.other/pk,=submit  200 403 403 404 404 302
admin:programmes_return_transition               return.approved/pk,=reopen 403 200 403 403 403 302
admin:programmes_return_transition               return.frozen/pk,=approve 403 200 403 404 403 302
admin:programmes_return_transition               return.frozen/pk,=submit 403 403 403 404 403 302
returns:grid                                     -                        200 200 200 403 200 302
returns:detail                                   return.own               200 200 200 403 200 302
returns:detail                                   return.other             200 200 200 403 404 302
returns:detail                                   return.approved          200 200 200 403 404 302
returns:detail                                   return.frozen            200 200 200 403 200 302
returns:start                                    -                        405 405 405 405 405 302
returns:transition                               return.own/pk,=submit    405 405 405 405 405 302
returns:transition                               return.approved/pk,=reopen 405 405 405 405 405 302
returns:transition                               return.frozen/pk,=submit 405 405 405 405 405 302
admin:programmes_partner_changelist              -                        200 200 200 200 200 302
admin:programmes_partner_add                     -                        200 403 403 403 403 302
admin:programmes_partner_change                  partner.any              200 200 200 200 200 302
admin:programmes_partner_history                 partner.any              200 200 200 200 200 302
admin:programmes_partner_delete                  partner.any              200 403 403 403 403 302
admin:programmes_theme_changelist                -                        200 200 200 200 200 302
admin:programmes_theme_add                       -                        200 403 403 403 403 302
admin:programmes_theme_change                    theme.any                200 200 200 200 200 302
admin:programmes_theme_history                   theme.any                200 200 200 200 200 302
admin:programmes_theme_delete                    theme.any                200 403 403 403 403 302
admin:programmes_fundingstream_changelist        -                        200 200 200 200 200 302
admin:programmes_fundingstream_add               -                        200 403 403 403 403 302
admin:programmes_fundingstream_change            fundingstream.any        200 200 200 200 200 302
admin:programmes_fundingstream_history           fundingstream.any        200 200 200 200 200 302
admin:programmes_fundingstream_delete            fundingstream.any        200 403 403 403 403 302
admin:programmes_financialyear_changelist        -                        200 200 200 200 200 302
admin:programmes_financialyear_add               -                        200 403 403 403 403 302
admin:programmes_financialyear_change            financialyear.any        200 200 200 200 200 302
admin:programmes_financialyear_history           financialyear.any        200 200 200 200 200 302
admin:programmes_financialyear_delete            financialyear.any        200 403 403 403 403 302
admin:programmes_period_changelist               -                        200 200 200 200 200 302
admin:programmes_period_add                      -                        200 403 403 403 403 302
admin:programmes_period_change                   period.any               200 200 200 200 200 302
admin:programmes_period_history                  period.any               200 200 200 200 200 302
admin:programmes_period_delete                   period.any               200 403 403 403 403 302
admin:metrics_comparatorarea_changelist          -                        200 200 200 200 200 302
admin:metrics_comparatorarea_add                 -                        200 403 403 403 403 302
admin:metrics_comparatorarea_change              comparatorarea.any       200 200 200 200 200 302
admin:metrics_comparatorarea_history             comparatorarea.any       200 200 200 200 200 302
admin:metrics_comparatorarea_delete              comparatorarea.any       200 403 403 403 403 302
admin:auth_user_changelist                       -                        200 403 403 403 403 302
admin:auth_user_add                              -                        200 403 403 403 403 302
admin:auth_user_change                           user.any                 200 403 403 403 403 302
admin:auth_user_history                          user.any                 200 403 403 403 403 302
admin:auth_user_delete                           user.any                 200 403 403 403 403 302
admin:auth_group_changelist                      -                        200 403 403 403 403 302
admin:auth_group_add                             -                        200 403 403 403 403 302
admin:auth_group_change                          group.any                200 403 403 403 403 302
admin:auth_group_history                         group.any                200 403 403 403 403 302
admin:auth_group_delete                          group.any                200 403 403 403 403 302
admin:auth_user_password_change                  user.any                 200 403 403 403 403 302
"""


def _rows() -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    for line in MATRIX.strip().splitlines():
        if line.startswith("#"):
            continue
        url, target, *statuses = line.split()
        assert len(statuses) == len(ROLES), line
        rows.append((url, target, dict(zip(ROLES, map(int, statuses), strict=True))))
    return rows


ROWS = _rows()


def _patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every URL pattern, names qualified by their namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, prefix + str(pattern.pattern)


def _covers(key: str, name: str | None, route: str) -> bool:
    if name is not None:
        return key == name
    return ":" not in key.split("/")[0] and fnmatch.fnmatchcase(route, key)


def test_every_url_pattern_is_in_the_matrix():
    keys = {url for url, _, _ in ROWS}
    missing = [
        name or route
        for name, route in _patterns()
        if not any(_covers(key, name, route) for key in keys)
    ]
    assert not missing, "Add a MATRIX line for: " + ", ".join(missing)


def test_every_matrix_line_names_a_url_that_exists():
    patterns = list(_patterns())
    stale = {
        url for url, _, _ in ROWS if not any(_covers(url, name, route) for name, route in patterns)
    }
    assert not stale


def _args(world, target: str) -> tuple[str | None, list, dict]:
    """(literal path or None, reverse args, GET query) for a target column."""
    if target == "-":
        return None, [], {}
    if target.startswith("=/"):
        return target[1:], [], {}
    if target.startswith("="):
        return None, [target[1:]], {}
    if target.startswith("?"):
        app_label, model_name, field_name = target[1:].split(".")
        query = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
        return None, [], {**query, "term": ""}
    key, _, attrs = target.partition("/")
    key, versioned, _ = key.partition("@")
    obj = world.obj(key)
    if versioned:
        return None, [obj.pk, obj.history.latest().history_id], {}
    args = []
    for attr in (attrs or "pk").split(","):
        if attr == "ct":
            args.append(ContentType.objects.get_for_model(obj).pk)
        elif attr.startswith("="):
            args.append(attr[1:])
        else:
            args.append(getattr(obj, attr))
    return None, args, {}


def _responses(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    for url, target, statuses in ROWS:
        path, args, query = _args(world, target)
        path = path or reverse(url, args=args)
        yield f"{url} {target}", statuses[role], client.get(path, query)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_status_from_every_url(client, role):
    world = build_world()
    wrong = [
        f"{row}: expected {expected}, got {response.status_code}"
        for row, expected, response in _responses(client, world, role)
        if response.status_code != expected
    ]
    assert not wrong, "\n".join(wrong)


def test_another_partners_canary_never_reaches_an_editor(client):
    world = build_world()
    leaks = [
        row
        for row, _, response in _responses(client, world, "editor")
        if CANARY.encode() in b"".join(getattr(response, "streaming_content", None) or [])
        or CANARY.encode() in getattr(response, "content", b"")
    ]
    assert not leaks, "The other partner's draft narrative reached the editor at: " + str(leaks)


def test_the_canary_is_there_to_be_found_by_those_who_may_see_it(client):
    world = build_world()
    client.force_login(world.users["analyst"])
    statement = world.obj("outcomestatement.other")
    response = client.get(reverse("admin:programmes_outcomestatement_change", args=[statement.pk]))
    assert CANARY in response.content.decode()


# Writes: what a POST gets, and that a refused one changes nothing. `change` posts the object's
# fields with its value or text altered; `delete` confirms the deletion; `add` posts a new
# result or narrative for the own partner, into the return of the object named (so `.frozen`
# tries to put one into the submitted return, which the editor's form refuses with a 200 and its
# error). A `-` is not asserted: on an approved figure the administrator's save is for the
# returns lock to answer.
WRITES = """
# url                                            target                   adm apr ana com edi anon
admin:metrics_result_change                      result.own               302 403 403 404 302 302
admin:metrics_result_change                      result.other             302 403 403 404 404 302
admin:metrics_result_change                      result.approved          -   403 403 403 403 302
admin:programmes_outcomestatement_change         outcomestatement.own     302 403 403 404 302 302
admin:programmes_outcomestatement_change         outcomestatement.other   302 403 403 404 404 302
admin:programmes_outcomestatement_change         outcomestatement.approved -  403 403 403 403 302
admin:metrics_result_change                      result.frozen            302 403 403 404 403 302
admin:programmes_outcomestatement_change         outcomestatement.frozen  302 403 403 404 403 302
admin:metrics_target_change                      target.own               302 403 403 403 403 302
admin:metrics_target_change                      target.other             302 403 403 403 404 302
admin:metrics_result_add                         result.own               302 403 403 403 302 302
admin:programmes_outcomestatement_add            outcomestatement.own     302 403 403 403 302 302
admin:metrics_result_add                         result.frozen            302 403 403 403 200 302
admin:programmes_outcomestatement_add            outcomestatement.frozen  302 403 403 403 200 302
admin:metrics_result_delete                      result.other             302 403 403 404 404 302
admin:metrics_result_delete                      result.own               302 403 403 404 403 302
admin:programmes_outcomestatement_delete         outcomestatement.own     302 403 403 404 403 302
admin:metrics_result_delete                      result.frozen            302 403 403 404 403 302
admin:metrics_target_delete                      target.own               302 403 403 403 403 302
"""


def _write_rows():
    rows = []
    for line in WRITES.strip().splitlines():
        if line.startswith("#"):
            continue
        url, target, *statuses = line.split()
        rows.append((url, target, dict(zip(ROLES, statuses, strict=True))))
    return rows


def _altered(obj) -> dict:
    from django.forms.models import model_to_dict

    data = {key: "" if value is None else value for key, value in model_to_dict(obj).items()}
    data.pop("id", None)
    data.pop("unit", None)
    if "value" in data:
        data["value"] = str(obj.value + 1)
    if "text" in data:
        data["text"] = obj.text + " (changed)"
    return data


def _snapshot(obj):
    from django.forms.models import model_to_dict

    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    return None if fresh is None else model_to_dict(fresh)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_answer_to_every_write_and_a_refusal_changes_nothing(
    client, role
):
    from tests.admin_world import earlier_period

    world = build_world()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    wrong = []
    for url, target, statuses in _write_rows():
        expected = statuses[role]
        obj = world.obj(target)
        model = type(obj)
        before, count_before = _snapshot(obj), model.objects.count()
        if url.endswith("_add"):
            data = _altered(obj)
            if "period" in data:
                data["period"] = earlier_period(target.split(".")[1]).pk
            else:
                data["activity"] = world.obj("activity.own-spare").pk
            response = client.post(reverse(url), data)
        elif url.endswith("_delete"):
            response = client.post(reverse(url, args=[obj.pk]), {"post": "yes"})
        else:
            response = client.post(reverse(url, args=[obj.pk]), _altered(obj))
        if expected != "-" and response.status_code != int(expected):
            wrong.append(f"POST {url} {target}: expected {expected}, got {response.status_code}")
        refused = response.status_code != 302 or role == "anonymous"
        if refused and (_snapshot(obj) != before or model.objects.count() != count_before):
            wrong.append(f"POST {url} {target}: refused, but the data changed")
    assert not wrong, "\n".join(wrong)
