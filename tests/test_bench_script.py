"""scripts/bench.py still runs end to end: a tiny scale, one run, its own SQLite files.

Timings are not asserted (the benchmark is not part of the suite's pass or fail); what must
hold is that every section is measured and reported, so that the script cannot rot.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SECTIONS = (
    "1. List pages against a hand-written baseline",
    "2. Dashboard",
    "3. Full export of every result",
    "4. Importing a return workbook",
    "5. Queries per page as the data grows",
)


def test_bench_script_reports_all_five_sections(tmp_path):
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    output = tmp_path / "latest.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--scale",
            "0.01",
            "--runs",
            "1",
            "--import-rows",
            "20",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    written = output.read_text()
    for title in SECTIONS:
        assert f"### {title}" in done.stdout
        assert f"### {title}" in written
    # Every page whose queries are compared, and the machine the figures came from.
    for page in (
        "dashboard",
        "programmes list",
        "metrics list",
        "a programme page",
        "a metric page",
        "returns grid",
    ):
        assert f"| Queries: {page} |" in written
    assert "Machine:" in written and "Django" in written
    # The quarter-scale data went to its own database beside the first, not into it.
    assert (tmp_path / "bench_quarter.sqlite3").exists()
