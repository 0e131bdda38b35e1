"""How an upload is read and written: both readers agree, every write has its history, and a
write the database refuses keeps nothing."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from metrics import freshness
from metrics.models import Result
from programmes.locks import LockedQuerySet
from programmes.models import OutcomeStatement
from reports import services
from reports.excel import return_import
from reports.services import apply_return_workbook
from tests.reports.test_return_import import good, refuse
from tests.reports.workbooks import filled, row_of, to_bytes

pytestmark = pytest.mark.django_db


def apply(data, wb):
    preview = apply_return_workbook(file=to_bytes(wb), user=data.editor, dry_run=False)
    assert preview.problems == []
    assert preview.applied
    return preview


def champions(data) -> Result:
    return Result.objects.get(
        metric=data.count, period__quarter=1, period__financial_year__start_year=2019
    )


def test_an_upload_writes_each_rows_history_in_the_uploaders_name(return_data):
    apply(return_data, good(return_data))
    (created,) = champions(return_data).history.all()
    assert (created.history_type, created.history_user) == ("+", return_data.editor)
    assert (created.value, created.qualifier, created.note) == (Decimal(62), "over", "Two courses")
    statement = OutcomeStatement.objects.get(activity=return_data.activity)
    (narrative,) = statement.history.all()
    assert narrative.text == "62 champions trained across Wirral."
    assert narrative.history_user == return_data.editor


def test_an_upload_over_held_figures_changes_them_as_a_new_version(return_data):
    apply(return_data, good(return_data))
    first = champions(return_data)
    apply(
        return_data,
        filled(return_data.partner, return_data.editor, figures={"champions": (70, "exact", "")}),
    )
    result = champions(return_data)
    assert result.pk == first.pk
    assert (result.value, result.qualifier, result.note) == (Decimal(70), "exact", "")
    assert result.version == first.version + 1
    assert result.updated_by == return_data.editor
    history = list(result.history.order_by("history_date", "history_id"))
    assert [(h.history_type, h.value, h.version) for h in history] == [
        ("+", Decimal(62), first.version),
        ("~", Decimal(70), first.version + 1),
    ]


def test_a_figure_changed_after_the_check_refuses_the_whole_upload(return_data, monkeypatch):
    apply(return_data, good(return_data))
    read = services.read_return_workbook

    def read_then_someone_else_saves(data, *, user):
        preview = read(data, user=user)
        held = champions(return_data)
        held.note = "Changed by a colleague meanwhile"
        held.save()
        return preview

    monkeypatch.setattr(services, "read_return_workbook", read_then_someone_else_saves)
    wb = filled(return_data.partner, return_data.editor, figures={"champions": (70, "exact", "")})
    preview = apply_return_workbook(file=to_bytes(wb), user=return_data.editor, dry_run=False)
    assert not preview.applied
    (problem,) = [str(p) for p in preview.problems]
    assert "was changed by" in problem and "after you opened it" in problem
    assert champions(return_data).value == Decimal(62)


def test_a_write_the_database_refuses_keeps_nothing_of_the_upload(return_data, monkeypatch):
    original = LockedQuerySet.bulk_create

    def refuse_narratives(self, objs, *args, **kwargs):
        if self.model is OutcomeStatement:
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(self, objs, *args, **kwargs)

    monkeypatch.setattr(LockedQuerySet, "bulk_create", refuse_narratives)
    (problem,) = refuse(return_data, good(return_data))
    assert "another change to this return was saved while the upload was being applied" in problem
    assert not Result.objects.filter(metric=return_data.count, value=62).exists()


def test_an_error_cell_is_refused_not_read_as_an_empty_value(return_data):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    cell = wb["Figures"].cell(row=row, column=8)
    cell.value, cell.data_type = "#N/A", "e"
    (problem,) = refuse(return_data, wb)
    assert problem.startswith(f"Figures, row {row}, column H: '#N/A' is not a number.")


def test_the_fast_reader_and_openpyxl_give_the_same_preview(return_data, monkeypatch):
    payload = to_bytes(good(return_data))

    def preview_of(use_openpyxl: bool):
        monkeypatch.setattr(return_import, "_needs_openpyxl", lambda data: use_openpyxl)
        preview = apply_return_workbook(file=payload, user=return_data.editor, dry_run=True)
        assert preview.ok
        return [str(change) for change in preview.changes]

    fast, full = preview_of(False), preview_of(True)
    assert len(fast) == 3
    assert "over 62 champions" in fast[0]
    assert fast == full


def test_an_upload_raises_the_figures_version_once(return_data):
    before = int(freshness.current().split("-")[0])
    apply(return_data, good(return_data))
    assert int(freshness.current().split("-")[0]) == before + 1


def test_the_preview_prints_a_figure_of_one_in_the_singular(return_data):
    return_data.count.unit_label_singular = "champion"
    return_data.count.save()
    wb = filled(return_data.partner, return_data.editor, figures={"champions": (1, "exact", "")})
    preview = apply_return_workbook(file=to_bytes(wb), user=return_data.editor, dry_run=True)
    assert [change.new_text for change in preview.figures] == ["1 champion"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12", Decimal(12)), ("1,200", Decimal(1200)), (" 40 ", Decimal(40))],
)
def test_a_number_typed_as_text_is_read_as_that_number(return_data, typed, stored):
    """Excel keeps digits typed into a text-formatted cell as text: still plainly a number."""
    wb = good(return_data)
    wb["Figures"].cell(row=row_of(wb["Figures"], "champions"), column=8, value=typed)
    apply(return_data, wb)
    assert champions(return_data).value == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("45%", "'45%' is not a number: enter 45 without the % sign"),
        ("£1,200", "'£1,200' is not a number: enter 1,200 without the £ sign."),
        ("1,20", "'1,20' is not a number. Enter the figure in digits"),
        ("12 people", "'12 people' is not a number. Enter the figure in digits"),
    ],
)
def test_text_that_is_not_plainly_a_number_is_refused_saying_what_to_type(
    return_data, typed, reason
):
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value=typed)
    (problem,) = refuse(return_data, wb)
    assert problem.startswith(f"Figures, row {row}, column H: {reason}")


def test_a_file_over_the_limit_is_told_in_the_unit_the_limit_is_given_in():
    assert return_import.too_large(6 * 1024 * 1024, 5 * 1024 * 1024) == (
        "The file is 6.0 MB; the limit is 5.0 MB."
    )
    # Just over: rounded sizes would read alike, so the bytes are given.
    assert return_import.too_large(5 * 1024 * 1024 + 1, 5 * 1024 * 1024) == (
        "The file is 5,242,881 bytes; the limit is 5,242,880 bytes."
    )


def test_a_sheet_with_nothing_to_fill_says_why_and_still_imports(return_data):
    """A partner leading no programme that year gets a Narratives sheet that says so."""
    from tests.reports.workbooks import template_workbook

    wb = template_workbook(return_data.partner, return_data.editor, quarter="2020/21 Q1")
    sheet = wb["Narratives"]
    assert sheet.cell(row=2, column=1).value is None
    assert sheet.cell(row=2, column=2).value == (
        "No activities are recorded for the programmes Family Safety Unit leads in 2020/21, so "
        "there is no outcome to write here. If there should be, ask the CSP administrator to "
        "add this year's activities, then download the workbook again."
    )
    wb["Figures"].cell(row=row_of(wb["Figures"], "champions"), column=8, value=3)
    preview = apply_return_workbook(file=to_bytes(wb), user=return_data.editor, dry_run=True)
    assert preview.problems == []
    assert [change.new_text for change in preview.figures] == ["3 champions"]
    assert preview.narratives == []


def test_an_upload_over_a_figure_typed_on_screen_forgets_the_places_it_was_typed_with(
    return_data,
):
    """A workbook cell holds 70 and 70.0 alike, so an uploaded figure is printed to the
    metric's places, not to those of the figure it replaced ('62.5' typed on screen)."""
    apply(return_data, good(return_data))
    typed = champions(return_data)
    typed.value = Decimal("62.5")
    typed.save()
    assert champions(return_data).places == 1
    apply(
        return_data,
        filled(return_data.partner, return_data.editor, figures={"champions": (70, "exact", "")}),
    )
    assert champions(return_data).places is None
