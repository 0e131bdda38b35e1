#!/usr/bin/env python3
"""Take the README's screenshots of a running wirralsafe with headless Chromium.

It starts nothing: point it at a server that holds the data you want shown, with a user who
may see it, and run it again whenever the pages or the data change:

  python scripts/screenshots.py --base-url http://127.0.0.1:8000 --username analyst \
      --password '...' [--programme target-hardening] [--metric crime-rate]

Writes docs/screenshots/dashboard.png, programmes.png, programme.png and metric.png. Without
--programme or --metric it opens the first programme and the first headline metric listed.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    # Charts are drawn after load; wait until each chart container holds its SVG.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('[data-chart]'))"
        ".every(el => el.querySelector('.main-svg'))"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--programme", help="slug of the programme to show")
    parser.add_argument("--metric", help="slug of the metric to show")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"Chromium not found at {args.chromium}; install it first.", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = args.base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        page.goto(f"{base}/login/")
        page.get_by_label("Username").fill(args.username)
        page.get_by_label("Password").fill(args.password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")
        if page.url.rstrip("/").endswith("/login"):
            print("Could not log in with those credentials.", file=sys.stderr)
            return 1

        page.goto(f"{base}/")
        settle(page)
        page.screenshot(path=out / "dashboard.png", full_page=True)

        page.goto(f"{base}/programmes/")
        settle(page)
        page.screenshot(path=out / "programmes.png", full_page=True)
        programme = args.programme
        if programme:
            page.goto(f"{base}/programmes/{programme}/")
        else:
            page.locator("#results-table tbody tr td a").first.click()
        settle(page)
        page.screenshot(path=out / "programme.png", full_page=True)

        if args.metric:
            page.goto(f"{base}/metrics/{args.metric}/")
        else:
            page.goto(f"{base}/metrics/?headline=on")
            page.locator("#results-table tbody tr td a").first.click()
        settle(page)
        page.screenshot(path=out / "metric.png", full_page=True)
        browser.close()
    for name in ("dashboard", "programmes", "programme", "metric"):
        print(out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
