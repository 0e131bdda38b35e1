"""Direction of travel on the quarter before, beside the change on a year before."""

import pytest
from django.urls import reverse

from metrics.models import Direction
from metrics.selectors import assess_year, metric_history
from programmes.models import Return
from programmes.scoping import Role
from tests import factories as f
from tests.screen import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters():
    """Referrals, lower is better: 40 in 2018/19 Q4, then 50 and 45 in 2019/20 Q1 and Q2."""
    metric = f.metric(
        name="Repeat referrals", slug="repeat-referrals", direction=Direction.LOWER_IS_BETTER
    )
    for (year, quarter), value in {(2018, 4): 40, (2019, 1): 50, (2019, 2): 45}.items():
        period = f.quarter_period(year, quarter)
        ret = Return.objects.create(partner=metric.partner, period=period)
        f.result(metric=metric, period=period, report_return=ret, value=value)
        f.approve(ret)
    return metric


def test_each_quarter_of_a_metrics_history_says_how_it_moved_on_the_one_before(quarters):
    analyst = f.user(Role.ANALYST)
    rows = {
        row.period.label: row.assessed for row in metric_history(analyst, [quarters])[quarters.pk]
    }
    assert rows["2018/19 Q4"].quarter_change is None
    # Q1 is compared with the previous year's Q4.
    assert rows["2019/20 Q1"].quarter_change_words == "up 25%, worse (against 2018/19 Q4)"
    assert rows["2019/20 Q1"].quarter_change_arrow == "↑"
    assert rows["2019/20 Q2"].quarter_change_words == "down 10%, better (against 2019/20 Q1)"


def test_a_year_under_way_shows_its_latest_quarter_against_the_one_before(quarters):
    analyst = f.user(Role.ANALYST)
    assessed = assess_year(analyst, [quarters], f.year(2019))[quarters.pk]
    assert assessed.figure.period.label == "2019/20 Q2"
    assert assessed.quarter_change_text == "↓ down 10%, better (against 2019/20 Q1)"


def test_a_year_figure_has_no_quarter_change(quarters):
    f.approve(f.result(metric=quarters, period=f.year_period(2017), value=100).report_return)
    analyst = f.user(Role.ANALYST)
    rows = {
        row.period.label: row.assessed for row in metric_history(analyst, [quarters])[quarters.pk]
    }
    assert rows["2017/18"].quarter_change is None


def test_the_metric_page_and_list_print_it(client, quarters):
    client.force_login(f.user(Role.ANALYST))
    page = client.get(reverse("metrics:metric_detail", args=[quarters.slug]))
    history = {row[0]: row for row in table_rows(page.content, "metric-history")}
    assert "↓ down 10%, better (against 2019/20 Q1)" in history["2019/20 Q2"]
    listing = client.get(reverse("metrics:metric_list"), {"year": f.year(2019).pk})
    (row,) = [r for r in table_rows(listing.content) if r[0] == "Repeat referrals"]
    assert "↓ down 10%, better (against 2019/20 Q1)" in row
