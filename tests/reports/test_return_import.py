"""Importing a filled-in quarterly return workbook: all of it, or nothing with clear reasons."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from metrics.models import Qualifier, Result
from programmes.models import OutcomeStatement, Period, Return
from programmes.scoping import Role
from reports.services import apply_return_workbook
from tests import factories as f
from tests.reports.workbooks import filled, row_of, template_workbook, to_bytes

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import could touch, to compare before and after a refusal."""
    return (
        sorted(Result.objects.values_list("metric_id", "period_id", "value", "qualifier", "note")),
        sorted(OutcomeStatement.objects.values_list("activity_id", "text", "note")),
        sorted(Return.objects.values_list("partner_id", "period_id", "status")),
        Period.objects.count(),
    )


def good(data):
    return filled(
        data.partner,
        data.editor,
        figures={"champions": (62, "over", "Two courses"), "referred-week": (23.5, None, None)},
        narratives={data.activity.pk: ("62 champions trained across Wirral.", "")},
    )


def refuse(data, wb_or_bytes, *, user=None):
    before = snapshot()
    payload = wb_or_bytes if isinstance(wb_or_bytes, bytes) else to_bytes(wb_or_bytes)
    preview = apply_return_workbook(file=payload, user=user or data.editor, dry_run=False)
    assert not preview.applied
    assert preview.problems
    assert snapshot() == before
    return [str(p) for p in preview.problems]


def test_a_good_workbook_applies_every_change_in_one_go(return_data):
    preview = apply_return_workbook(
        file=to_bytes(good(return_data)), user=return_data.editor, dry_run=False
    )
    assert preview.problems == []
    assert preview.applied
    period = Period.objects.get(kind="quarter", financial_year__start_year=2019, quarter=1)
    ret = Return.objects.get(partner=return_data.partner, period=period)
    assert ret.status == Return.Status.DRAFT
    champions = Result.objects.get(metric=return_data.count, period=period)
    assert (champions.value, champions.qualifier, champions.note) == (
        Decimal(62),
        Qualifier.OVER,
        "Two courses",
    )
    assert champions.report_return == ret
    assert Result.objects.get(metric=return_data.percentage, period=period).value == Decimal("23.5")
    statement = OutcomeStatement.objects.get(activity=return_data.activity, report_return=ret)
    assert statement.text == "62 champions trained across Wirral."


def test_the_preview_lists_each_change_old_to_new(return_data):
    apply_return_workbook(file=to_bytes(good(return_data)), user=return_data.editor)
    wb = filled(return_data.partner, return_data.editor, figures={"champions": (70, "exact", "")})
    preview = apply_return_workbook(file=to_bytes(wb), user=return_data.editor, dry_run=True)
    assert preview.ok
    assert [str(c) for c in preview.figures] == [
        f"Figures row {row_of(wb['Figures'], 'champions')}: Champions trained: "
        "over 62 champions → 70 champions (note: removed)"
    ]
    # The template was pre-filled with what is held, so unchanged rows are not listed.
    assert preview.narratives == []


def test_a_dry_run_changes_nothing(return_data):
    before = snapshot()
    preview = apply_return_workbook(
        file=to_bytes(good(return_data)), user=return_data.editor, dry_run=True
    )
    assert preview.ok and len(preview.changes) == 3
    assert not preview.applied
    assert snapshot() == before


def test_it_refuses_a_file_that_is_not_an_xlsx(return_data):
    problems = refuse(return_data, b"Metric,Value\nchampions,62\n")
    assert problems == [
        "(the file): This is not an Excel workbook (.xlsx). Save it as 'Excel 2007-365 (.xlsx)'."
    ]


def test_it_refuses_a_renamed_sheet(return_data):
    wb = good(return_data)
    wb["Figures"].title = "My figures"
    (problem,) = refuse(return_data, wb)
    assert problem.startswith("Figures: the sheet 'Figures' is missing (renamed or deleted?)")
    assert "My figures" in problem


def test_it_refuses_a_missing_sheet(return_data):
    wb = good(return_data)
    del wb["Narratives"]
    (problem,) = refuse(return_data, wb)
    assert problem.startswith("Narratives: the sheet 'Narratives' is missing")


def test_it_refuses_moved_columns(return_data):
    wb = good(return_data)
    ws = wb["Figures"]
    ws.move_range("J1:J20", cols=1)  # Note moves from J to K
    problems = refuse(return_data, wb)
    assert any(
        p.startswith("Figures, row 1, column J: expected the heading 'Note' but found ''")
        for p in problems
    )


def test_it_refuses_a_missing_column(return_data):
    wb = good(return_data)
    wb["Narratives"].delete_cols(4)
    problems = refuse(return_data, wb)
    assert problems[0] == (
        "Narratives, row 1, column D: expected the heading 'Expected outcomes' but found "
        "'Outcome'. Columns must not be moved, added, renamed or removed; download a fresh "
        "workbook."
    )


def test_it_refuses_text_in_a_number_cell(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value="about 60")
    (problem,) = refuse(return_data, wb)
    assert problem.startswith(f"Figures, row {row}, column H: 'about 60' is not a number.")


def test_it_refuses_a_negative_count(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value=-3)
    (problem,) = refuse(return_data, wb)
    assert problem == f"Figures, row {row}, column H: Champions trained cannot be negative (-3)."


def test_it_refuses_a_fraction_of_a_count(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value=2.5)
    (problem,) = refuse(return_data, wb)
    assert problem.startswith(f"Figures, row {row}, column H: Champions trained is a count of")
    assert problem.endswith("2.5 is not a whole number.")


def test_it_refuses_a_qualifier_without_a_value(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8).value = None  # cell(value=None) would keep the old one
    wb["Figures"].cell(row=row, column=9, value="loads")
    (problem,) = refuse(return_data, wb)
    assert problem == (
        f"Figures, row {row}, column I: a qualifier without a value; enter the value too, "
        "or clear the qualifier."
    )


def test_it_refuses_a_percentage_over_100(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "referred-week")
    wb["Figures"].cell(row=row, column=8, value=112.5)
    (problem,) = refuse(return_data, wb)
    assert problem == (
        f"Figures, row {row}, column H: Victims referred within a week is a percentage and "
        "cannot be more than 100 (112.5)."
    )


def test_it_refuses_a_metric_row_twice(return_data):
    wb = good(return_data)
    ws = wb["Figures"]
    ws.cell(row=ws.max_row + 1, column=1, value="champions")
    ws.cell(row=ws.max_row, column=8, value=5)
    problems = refuse(return_data, wb)
    assert any("the metric 'champions' appears more than once" in p for p in problems)


def test_it_refuses_a_metric_of_another_partner(return_data):
    wb = good(return_data)
    ws = wb["Figures"]
    new_row = ws.max_row + 1
    ws.cell(row=new_row, column=1, value="fire-checks")
    ws.cell(row=new_row, column=8, value=5)
    (problem,) = refuse(return_data, wb)
    assert problem == (
        f"Figures, row {new_row}, column A: Home fire safety checks is reported by Fire and "
        "Rescue, not Family Safety Unit."
    )


def test_it_refuses_an_approved_quarter_as_a_problem_of_the_file_not_of_a_cell(return_data):
    ret = Return.objects.create(partner=return_data.partner, period=f.quarter_period(2019, 1))
    f.approve(ret, by=f.user(Role.APPROVER, username="csp-manager"))
    (problem,) = refuse(return_data, good(return_data))
    ret.refresh_from_db()
    assert problem == (
        "(the file): The 2019/20 Q1 return of Family Safety Unit was approved on "
        f"{timezone.localtime(ret.approved_at):%-d %B %Y} by csp-manager and is locked; ask the "
        "CSP manager to reopen it if a figure must change. Until then nothing can be uploaded "
        "to it."
    )


def submitted_quarter(return_data):
    """The FSU's 2019/20 Q1 return with a figure in it, submitted by its editor."""
    ret = Return.objects.create(partner=return_data.partner, period=f.quarter_period(2019, 1))
    f.result(metric=return_data.count, period=ret.period, report_return=ret, value=40)
    f.submit(ret, by=return_data.editor)
    ret.refresh_from_db()
    return ret


def test_it_refuses_a_submitted_quarter_saying_who_submitted_it_and_what_to_do(return_data):
    ret = submitted_quarter(return_data)
    (problem,) = refuse(return_data, good(return_data))
    assert problem == (
        "(the file): The 2019/20 Q1 return of Family Safety Unit was submitted on "
        f"{timezone.localtime(ret.submitted_at):%-d %B %Y} by fsu-editor and is waiting for "
        "approval; ask the CSP manager to send it back if a figure must change. Until then "
        "nothing can be uploaded to it."
    )
    assert Result.objects.get(metric=return_data.count, period=ret.period).value == 40
    assert Return.objects.get(pk=ret.pk).status == Return.Status.SUBMITTED


def test_the_preview_refuses_a_submitted_quarter_too(return_data):
    submitted_quarter(return_data)
    preview = apply_return_workbook(
        file=to_bytes(good(return_data)), user=return_data.editor, dry_run=True
    )
    assert preview.return_closed
    assert [(p.sheet, p.row, p.column) for p in preview.problems] == [("(the file)", None, None)]
    assert preview.changes == []


def test_a_quarter_submitted_after_the_check_is_refused_under_the_row_lock(
    return_data, monkeypatch
):
    """The editor previews a draft; it is submitted before the upload is confirmed."""
    from reports import services

    ret = Return.objects.create(partner=return_data.partner, period=f.quarter_period(2019, 1))
    original = services.read_return_workbook

    def read_then_submit(data, *, user):
        preview = original(data, user=user)
        f.submit(ret, by=return_data.editor)
        return preview

    monkeypatch.setattr(services, "read_return_workbook", read_then_submit)
    before = snapshot()
    preview = apply_return_workbook(
        file=to_bytes(good(return_data)), user=return_data.editor, dry_run=False
    )
    assert not preview.applied
    assert preview.return_closed
    (problem,) = [str(p) for p in preview.problems]
    assert "was submitted" in problem and "is waiting for approval" in problem
    after = snapshot()
    # Only the status moved (the submission itself); no figure or narrative was written.
    assert after[:2] == before[:2]
    assert not Result.objects.filter(report_return=ret).exists()


def test_an_administrator_may_still_correct_a_submitted_quarter(return_data):
    ret = submitted_quarter(return_data)
    admin = f.user(Role.ADMINISTRATOR, username="admin")
    preview = apply_return_workbook(file=to_bytes(good(return_data)), user=admin, dry_run=False)
    assert preview.problems == []
    assert preview.applied
    assert Result.objects.get(metric=return_data.count, period=ret.period).value == 62
    assert Return.objects.get(pk=ret.pk).status == Return.Status.SUBMITTED


def test_a_sent_back_quarter_takes_an_upload_again(return_data):
    from programmes.services import send_back_return

    ret = submitted_quarter(return_data)
    send_back_return(report_return=ret, user=f.user(Role.APPROVER), note="Check champions.")
    preview = apply_return_workbook(
        file=to_bytes(good(return_data)), user=return_data.editor, dry_run=False
    )
    assert preview.applied, preview.problems
    assert Result.objects.get(metric=return_data.count, period=ret.period).value == 62


def test_it_refuses_a_partner_the_user_does_not_edit(return_data):
    (problem,) = refuse(return_data, good(return_data), user=return_data.outsider)
    assert "you may not enter figures for Family Safety Unit" in problem


def test_it_refuses_a_file_over_the_size_limit(return_data, settings):
    payload = to_bytes(good(return_data))
    settings.RETURN_UPLOAD_MAX_BYTES = len(payload) - 1
    (problem,) = refuse(return_data, payload)
    assert problem == (
        f"(the file): The file is {len(payload):,} bytes; the limit is {len(payload) - 1:,} bytes."
    )


def test_it_refuses_a_formula_with_no_cached_value(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value="=40+22")
    (problem,) = refuse(return_data, wb)
    assert problem.startswith(f"Figures, row {row}, column H: a formula with no calculated value")


def _rezip(payload: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some parts replaced, and any new parts added."""
    replace = dict(replace)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(payload)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, replace.pop(item.filename, src.read(item.filename)))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


def test_it_refuses_a_zip_bomb_before_parsing(return_data):
    payload = _rezip(
        to_bytes(good(return_data)), {"xl/media/padding.bin": b"\0" * (60 * 1024 * 1024)}
    )
    assert len(payload) < 5 * 1024 * 1024
    (problem,) = refuse(return_data, payload)
    assert "refused as a possible zip bomb" in problem


def test_it_refuses_an_xml_entity_bomb(return_data):
    payload = to_bytes(good(return_data))
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        workbook_xml = z.read("xl/workbook.xml").decode()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    body = workbook_xml.split("?>", 1)[1] if workbook_xml.startswith("<?xml") else workbook_xml
    bomb = laughs + body
    (problem,) = refuse(return_data, _rezip(payload, {"xl/workbook.xml": bomb.encode()}))
    assert "refused as a possible XML bomb" in problem


def test_a_refused_save_rolls_back_every_earlier_write(return_data, monkeypatch):
    """If the model refuses one row (the approval lock, say), nothing of the file is kept."""
    from django.core.exceptions import ValidationError

    original = OutcomeStatement.full_clean

    def refuse_statement(self, *args, **kwargs):
        raise ValidationError("This return is approved and locked.")

    monkeypatch.setattr(OutcomeStatement, "full_clean", refuse_statement)
    problems = refuse(return_data, good(return_data))
    monkeypatch.setattr(OutcomeStatement, "full_clean", original)
    assert problems == ["Narratives, row 2, column E: This return is approved and locked."]
    assert not Return.objects.filter(
        partner=return_data.partner, period__financial_year__start_year=2019
    ).exists()


def test_the_command_prints_changes_and_saves(return_data, tmp_path, capsys):
    path = tmp_path / "fsu.xlsx"
    good(return_data).save(path)
    call_command("import_return", str(path), user="fsu-editor")
    out = capsys.readouterr().out
    assert "Family Safety Unit, 2019/20 Q1" in out
    assert "Champions trained: — → over 62 champions" in out
    assert "Saved 3 change(s)." in out
    assert Result.objects.filter(metric=return_data.count, value=62).exists()


def test_the_command_fails_with_every_problem_listed(return_data, tmp_path, capsys):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value=-1)
    wb["Figures"].cell(row=row_of(wb["Figures"], "referred-week"), column=8, value=101)
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = snapshot()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_return", str(path), user="fsu-editor")
    err = capsys.readouterr().err
    assert f"Figures, row {row}, column H: Champions trained cannot be negative" in err
    assert "cannot be more than 100" in err
    assert snapshot() == before


def test_the_template_round_trips_without_changes(return_data):
    apply_return_workbook(file=to_bytes(good(return_data)), user=return_data.editor)
    again = template_workbook(return_data.partner, return_data.editor)
    preview = apply_return_workbook(file=to_bytes(again), user=return_data.editor, dry_run=True)
    assert preview.ok
    assert preview.changes == []


def test_it_refuses_an_xml_bomb_in_a_worksheet(return_data):
    payload = to_bytes(good(return_data))
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>' + body
    (problem,) = refuse(return_data, _rezip(payload, {"xl/worksheets/sheet2.xml": bomb.encode()}))
    assert "refused as a possible XML bomb" in problem


def test_the_system_check_fails_without_defusedxml(monkeypatch):
    import importlib.util

    from reports.checks import defusedxml_installed

    assert defusedxml_installed(None) == []
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "defusedxml" else real(name, *a),
    )
    (error,) = defusedxml_installed(None)
    assert error.id == "reports.E001"


def test_it_refuses_an_implausible_quarter(return_data):
    wb = good(return_data)
    ws = wb["Instructions"]
    quarter_row = next(r for r in range(1, 30) if ws.cell(row=r, column=1).value == "Quarter")
    ws.cell(row=quarter_row, column=2, value="1850/51 Q1")
    (problem,) = refuse(return_data, wb)
    assert problem == (
        f"Instructions, row {quarter_row}, column B: '1850/51' is not a financial year "
        "between 1990/91 and 2100/01."
    )


def test_a_quarter_not_yet_held_is_created_with_its_year(return_data):
    from programmes.models import FinancialYear

    assert not FinancialYear.objects.filter(start_year=2020).exists()
    wb = filled(
        return_data.partner,
        return_data.editor,
        figures={"champions": (12, None, None)},
        quarter="2020/21 Q2",
    )
    preview = apply_return_workbook(file=to_bytes(wb), user=return_data.editor)
    assert preview.applied
    period = Period.objects.get(kind="quarter", financial_year__start_year=2020, quarter=2)
    assert (str(period.start_date), str(period.end_date)) == ("2020-07-01", "2020-09-30")
    result = Result.objects.get(metric=return_data.count, period=period)
    assert result.value == 12
    assert result.report_return.partner == return_data.partner
