"""The workbooks open in LibreOffice, and a workbook saved by LibreOffice imports correctly.

LibreOffice must be installed (CI installs libreoffice-calc-nogui): without it these tests fail,
they never skip, because "opens without repair" is part of what the workbooks promise.
"""

import csv
import io
import shutil
import subprocess
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metrics.models import Qualifier, Result
from programmes.models import OutcomeStatement
from reports import selectors
from reports.excel.funding_report import write_funding_report
from reports.services import apply_return_workbook
from tests.reports.workbooks import filled

pytestmark = pytest.mark.django_db


def soffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is not installed; install libreoffice-calc-nogui"
    # A profile of its own, so parallel runs and a running LibreOffice do not collide.
    profile = Path(tempfile.gettempdir()) / f"lo-{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        completed = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    extension = target_format.split(":")[0]
    converted = outdir / f"{source.stem}.{extension}"
    assert converted.exists(), (completed.stdout, completed.stderr)
    return converted


def test_libreoffice_reads_the_funding_report(report_data, commissioner, tmp_path):
    source = tmp_path / "report.xlsx"
    report = selectors.funding_report(user=commissioner, year_label="2018/19")
    write_funding_report(report, source, generated_by=commissioner.username)

    # The first sheet as CSV: LibreOffice's own reading of the Summary.
    summary_csv = soffice_convert(source, "csv", tmp_path / "csv")
    rows = list(csv.reader(io.StringIO(summary_csv.read_text(encoding="utf-8", errors="replace"))))
    text = "\n".join(",".join(r) for r in rows)
    assert "Funding report 2018/19" in text
    assert "Anti-social behaviour incidents fell by 30%, from 8,617 to 6,029." in text

    # The whole workbook re-saved by LibreOffice: every sheet and number survives.
    resaved = soffice_convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx")
    wb = load_workbook(resaved)
    assert wb.sheetnames[0] == "Summary"
    assert {"PCC Funded Programmes", "Metrics", "Notes"} <= set(wb.sheetnames)
    metrics = {row[0]: row for row in wb["Metrics"].iter_rows(values_only=True)}
    assert metrics["Young people reached"][11] == 460
    assert metrics["Young people reached"][13] == "over 460 young people"
    assert metrics["Hate crimes solved"][11] == 23.5
    solved_year = next(
        r[11] for r in wb["Metrics"].iter_rows() if r[0].value == "Hate crimes solved"
    )
    # LibreOffice writes the literal sign as 0.0\\%: still 23.5 shown as 23.5%, not 2350%.
    assert solved_year.number_format.replace("\\", "").replace('"', "") == "0.0%"


def test_a_workbook_saved_by_libreoffice_imports_correctly(return_data, tmp_path):
    act = return_data.activity
    wb = filled(
        return_data.partner,
        return_data.editor,
        figures={"champions": (62, "over", "Two courses"), "referred-week": (23.5, None, "")},
        narratives={act.pk: ("62 champions trained across Wirral.", "Second cohort in May")},
    )
    source = tmp_path / "filled.xlsx"
    wb.save(source)
    by_libreoffice = soffice_convert(source, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    data = by_libreoffice.read_bytes()
    assert _app_name(by_libreoffice)  # written by LibreOffice, not openpyxl

    preview = apply_return_workbook(file=data, user=return_data.editor, dry_run=False)

    assert preview.problems == []
    assert preview.applied
    champions = Result.objects.get(
        metric=return_data.count, period__quarter=1, period__financial_year__start_year=2019
    )
    assert (champions.value, champions.qualifier, champions.note) == (
        Decimal(62),
        Qualifier.OVER,
        "Two courses",
    )
    assert Result.objects.get(
        metric=return_data.percentage, period__financial_year__start_year=2019
    ).value == Decimal("23.5")
    statement = OutcomeStatement.objects.get(activity=act)
    assert (statement.text, statement.note) == (
        "62 champions trained across Wirral.",
        "Second cohort in May",
    )


def _app_name(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "LibreOffice" in z.read("docProps/app.xml").decode()
