"""The partner's pre-filled quarterly return workbook."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reports import selectors
from reports.excel.return_template import FIGURE_COLUMNS, NARRATIVE_COLUMNS
from tests.reports.workbooks import reload, row_of, template_workbook, to_bytes

pytestmark = pytest.mark.django_db


def test_it_lists_only_the_partners_metrics_with_last_quarter_last_year_and_target(return_data):
    wb = reload(to_bytes(template_workbook(return_data.partner, return_data.editor)))
    ws = wb["Figures"]
    slugs = {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)}
    assert slugs == {"champions", "referred-week"}
    row = row_of(ws, "champions")
    assert [ws.cell(row=1, column=c).value for c in range(1, 11)] == [t for t, _ in FIGURE_COLUMNS]
    assert ws.cell(row=row, column=5).value == 40  # 2018/19 Q4
    assert ws.cell(row=row, column=6).value == 35  # 2018/19 Q1
    assert ws.cell(row=row, column=7).value == 50  # target
    assert ws.cell(row=row, column=8).value is None


def test_only_input_cells_are_unlocked_and_the_sheet_is_protected(return_data):
    ws = reload(to_bytes(template_workbook(return_data.partner, return_data.editor)))["Figures"]
    row = row_of(ws, "champions")
    assert ws.protection.sheet is True
    unlocked = {c for c in range(1, 11) if not ws.cell(row=row, column=c).protection.locked}
    assert unlocked == {8, 9, 10}
    assert ws.column_dimensions["A"].hidden is True


def test_inputs_carry_data_validation_by_unit(return_data):
    ws = reload(to_bytes(template_workbook(return_data.partner, return_data.editor)))["Figures"]
    count_cell = f"H{row_of(ws, 'champions')}"
    pct_cell = f"H{row_of(ws, 'referred-week')}"
    rules = {
        (dv.type, dv.operator, dv.formula1, dv.formula2): str(dv.sqref)
        for dv in ws.data_validations.dataValidation
    }
    assert count_cell in rules[("decimal", "greaterThanOrEqual", "0", None)]
    assert pct_cell in rules[("decimal", "between", "0", "100")]
    qualifier_rule = next(k for k in rules if k[0] == "list")
    assert "over" in qualifier_rule[2] and "at least" in qualifier_rule[2]


def test_narratives_has_one_row_per_activity_the_partner_leads_that_year(return_data):
    ws = reload(to_bytes(template_workbook(return_data.partner, return_data.editor)))["Narratives"]
    assert [ws.cell(row=1, column=c).value for c in range(1, 7)] == [
        t for t, _ in NARRATIVE_COLUMNS
    ]
    assert ws.max_row == 2
    assert ws.cell(row=2, column=1).value == return_data.activity.pk
    assert "Community Domestic Abuse Champions" in ws.cell(row=2, column=3).value
    assert ws.cell(row=2, column=5).protection.locked is False


def test_instructions_name_the_partner_and_quarter(return_data):
    ws = reload(to_bytes(template_workbook(return_data.partner, return_data.editor)))[
        "Instructions"
    ]
    pairs = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 30)}
    assert pairs["Partner code"] == "fsu"
    assert pairs["Quarter"] == "2019/20 Q1"


def test_parse_quarter_refuses_nonsense():
    assert selectors.parse_quarter("2019/20 Q3") == (2019, 3)
    for bad in ("2019 Q1", "2019/21 Q1", "2019/20 Q5", "Q1"):
        with pytest.raises(ValueError, match=r"quarter|financial year"):
            selectors.parse_quarter(bad)


def test_the_command_writes_the_workbook(return_data, tmp_path):
    out = tmp_path / "fsu.xlsx"
    call_command("return_template", partner="fsu", quarter="2019/20 Q1", output=str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Figures", "Narratives"]
    assert wb["Figures"].cell(row=row_of(wb["Figures"], "champions"), column=5).value == Decimal(40)


def instructions(partner, user, quarter="2019/20 Q1") -> dict:
    ws = reload(to_bytes(template_workbook(partner, user, quarter)))["Instructions"]
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 30)}


def test_instructions_say_not_started_when_the_partner_has_no_return_for_the_quarter(
    return_data,
):
    assert instructions(return_data.partner, return_data.editor, "2019/20 Q3")["Return status"] == (
        "not started"
    )


def test_instructions_give_the_status_of_a_started_return(return_data):
    from programmes.services import start_return

    start_return(partner=return_data.partner, start_year=2019, quarter=3, user=return_data.editor)
    pairs = instructions(return_data.partner, return_data.editor, "2019/20 Q3")
    assert pairs["Return status"] == "draft"


def test_instructions_tell_the_editor_to_upload_it_on_the_upload_page(return_data):
    text = instructions(return_data.partner, return_data.editor)["Uploading"]
    assert "'Upload a filled workbook' page" in text
    assert "partner's editor" in text
    # Analysts cannot upload, so the sheet must not send the file to them.
    assert "analyst" not in text.lower()
