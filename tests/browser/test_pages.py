"""The pages in a real browser: an analyst filters, sorts, opens, reads a chart, downloads.

Every page is checked with axe-core: no serious or critical accessibility violation.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from programmes.scoping import Role
from tests import factories as f
from tests.screen import as_screen, csv_rows

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-Correct-Horse-9"


@pytest.fixture
def demo():
    return f.demo_data()


def log_in(page, username):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screen_rows(page, table="#results-table"):
    return page.eval_on_selector_all(
        f"{table} tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))",
    )


def test_an_analyst_filters_sorts_opens_reads_a_chart_and_downloads(browser_page, demo):
    page = browser_page
    f.user(Role.ANALYST, username="ana")
    log_in(page, "ana")

    page.get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_label("Funding stream").select_option(label="PCC Funded Programmes")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**funding_stream=*")
    assert [r[0] for r in screen_rows(page)] == [
        "Challenging racism and hate crime",
        "Target Hardening",
    ]
    page.get_by_role("link", name="Allocated (£)").click()
    page.wait_for_url("**sort=funding*")
    page.get_by_role("link", name="Allocated (£)").click()
    page.wait_for_url("**sort=-funding*")
    rows = screen_rows(page)
    assert [(r[0], r[4]) for r in rows] == [
        ("Target Hardening", "£20,000"),
        ("Challenging racism and hate crime", "£12,500.50"),
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    exported = csv_rows(Path(path).read_bytes())
    assert as_screen(exported)[1] == rows

    page.get_by_role("link", name="Target Hardening").click()
    page.wait_for_function("document.querySelector('#chart-homes-made-safer .main-svg')")
    traces = page.evaluate(
        "Array.from(document.getElementById('chart-homes-made-safer').data)"
        ".map(t => ({name: t.name, x: t.x, y: t.y}))"
    )
    year = next(t for t in traces if t["name"] == "Year")
    assert year["x"] == ["2017/18", "2018/19"]
    assert year["y"] == [380, 412]
    target = next(t for t in traces if t["name"] == "Target")
    assert target["y"] == [400]
    # Plotly drew the points: one marker per value in the year trace.
    assert (
        page.locator("#chart-homes-made-safer .scatterlayer .trace").first.locator(".point").count()
        == 2
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/programmes/",
        "/programmes/target-hardening/",
        "/metrics/",
        "/metrics/crime-rate/",
        "/metrics/?status=red&include_pending=on",
    ],
)
def test_every_page_has_no_serious_accessibility_violation(browser_page, demo, url):
    page = browser_page
    f.user(Role.ANALYST, username="ana")
    log_in(page, "ana")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


def test_the_login_page_has_no_serious_accessibility_violation(browser_page):
    browser_page.goto("/login/")
    assert serious_violations(browser_page) == []


def test_the_layout_fits_a_phone_screen(browser_page, demo):
    page = browser_page
    f.user(Role.ANALYST, username="ana")
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, "ana")
    page.goto("/metrics/")
    # The menu collapses behind a button and the page does not scroll sideways.
    assert page.get_by_role("button", name="Show or hide the menu").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert serious_violations(page) == []


# Every text plotly drew, with how far it reaches outside its chart's drawing (0 when inside).
OVERFLOWING_CHART_TEXT = """
Array.from(document.querySelectorAll('[data-chart] .main-svg')).flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    const out = Math.max(box.left - r.left, r.right - box.right, box.top - r.top,
                         r.bottom - box.bottom, 0);
    return [t.textContent, Math.round(out)];
  }).filter(([, out]) => out > 1);
})
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_metric_name_is_never_cut_off_beside_its_chart(browser_page, demo, width):
    name = "Children and young people receiving Youth Justice Service interventions per quarter"
    # Another partner's metric: the demo's returns are approved and locked.
    metric = f.metric(
        name=name, slug="long-name", programme=demo["programmes"][0], partner=f.partner()
    )
    f.approve(f.result(metric=metric, period=f.year_period(2018), value=351).report_return)
    page = browser_page
    f.user(Role.ANALYST, username="ana")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ana")
    page.goto("/programmes/target-hardening/")
    page.wait_for_function("document.querySelector('#chart-long-name .main-svg')")
    # The name is the heading beside the chart, where it wraps like any text.
    assert page.get_by_role("heading", name=name).is_visible()
    assert page.evaluate(OVERFLOWING_CHART_TEXT) == []
