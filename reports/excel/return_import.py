"""Reading a filled-in quarterly return workbook: checks, then a preview of what would change.

Nothing here writes. The file is checked as a zip before any XML is parsed (size, members,
compression ratio), then parsed by openpyxl, which uses defusedxml when it is installed (the
reports app's system check makes sure it is), so entity and DTD tricks are refused.
Every problem names its sheet, row and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from metrics.calculations import format_value
from metrics.models import Metric, Result, Unit
from programmes import scoping
from programmes.locks import closed_message
from programmes.models import Activity, OutcomeStatement, Partner, Period, Return
from reports.excel.return_template import (
    FIGURE_COLUMNS,
    FIGURES,
    INSTRUCTIONS,
    NARRATIVE_COLUMNS,
    NARRATIVES,
    PARTNER_LABEL,
    QUALIFIER_WORDS,
    QUARTER_LABEL,
    column_index,
)
from reports.selectors import parse_quarter, quarter_label

FILE = "(the file)"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Limits on the unpacked workbook, checked before any XML is read. A real return of a few
# hundred rows unpacks to well under a megabyte at compression ratios below 20.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBER_RATIO = 100
MAX_MEMBERS = 500
# Decimal(18, 4) in the database.
MAX_VALUE = Decimal(10) ** 14
MAX_PLACES = 4


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class FigureChange:
    row: int
    metric: Metric
    old: Result | None
    value: Decimal
    qualifier: str
    note: str

    @property
    def old_text(self) -> str:
        if self.old is None:
            return "—"
        return _figure_text(self.metric, self.old.value, self.old.qualifier)

    @property
    def new_text(self) -> str:
        return _figure_text(self.metric, self.value, self.qualifier)

    @property
    def note_changed(self) -> bool:
        return (self.old.note if self.old else "") != self.note

    def __str__(self) -> str:
        text = f"{FIGURES} row {self.row}: {self.metric.name}: {self.old_text} → {self.new_text}"
        if self.note_changed:
            text += f" (note: {self.note or 'removed'})"
        return text


@dataclass
class NarrativeChange:
    row: int
    activity: Activity
    old: OutcomeStatement | None
    text: str
    note: str

    @property
    def old_text(self) -> str:
        return self.old.text if self.old else "—"

    def __str__(self) -> str:
        return f"{NARRATIVES} row {self.row}: {self.activity.title}: {self.old_text} → {self.text}"


@dataclass
class ImportPreview:
    """What an upload would change, and every reason it cannot be applied."""

    partner: Partner | None = None
    start_year: int | None = None
    quarter: int | None = None
    figures: list[FigureChange] = field(default_factory=list)
    narratives: list[NarrativeChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    # The return is submitted or approved: nothing in the file is wrong, nothing can go in.
    return_closed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def quarter_label(self) -> str:
        if self.start_year is None:
            return ""
        return quarter_label(self.start_year, self.quarter)

    @property
    def changes(self) -> list:
        return [*self.figures, *self.narratives]

    def problem(self, sheet, row, column, reason) -> None:
        self.problems.append(Problem(sheet, row, column, reason))


def _figure_text(metric: Metric, value: Decimal, qualifier: str) -> str:
    return format_value(
        value,
        metric.unit,
        places=metric.decimal_places,
        qualifier=qualifier,
        unit_label=metric.unit_label,
        unit_label_singular=metric.unit_label_singular,
    )


def too_large(size: int, limit: int) -> str:
    """The refusal of a file over the limit, in the unit the upload page states the limit in."""
    # filesizeformat joins number and unit with a no-break space; the command line prints these.
    said, allowed = (filesizeformat(n).replace("\xa0", " ") for n in (size, limit))
    if said == allowed:
        # Just over the limit: the rounded sizes would read alike.
        said, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"The file is {said}; the limit is {allowed}."


def max_upload_bytes() -> int:
    return getattr(settings, "RETURN_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_container(data: bytes, preview: ImportPreview) -> bool:
    """Refuse what is not a sane xlsx before any XML parser sees it."""
    limit = max_upload_bytes()
    if len(data) > limit:
        preview.problem(FILE, None, None, too_large(len(data), limit))
        return False
    not_xlsx = "This is not an Excel workbook (.xlsx). Save it as 'Excel 2007-365 (.xlsx)'."
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        preview.problem(FILE, None, None, not_xlsx)
        return False
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            preview.problem(FILE, None, None, not_xlsx)
            return False
        total = sum(m.file_size for m in members)
        worst = max(
            (m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 1024),
            default=0,
        )
        if len(members) > MAX_MEMBERS or total > MAX_UNPACKED_BYTES or worst > MAX_MEMBER_RATIO:
            preview.problem(
                FILE,
                None,
                None,
                "The file unpacks to far more than any return workbook could hold "
                f"({total:,} bytes, compression up to {worst:,.0f} to 1): refused as a "
                "possible zip bomb.",
            )
            return False
        for member in members:
            if _declares_entities(archive, member):
                preview.problem(FILE, None, None, XML_BOMB)
                return False
    return True


XML_BOMB = (
    "The workbook contains XML entity or document type declarations, which no spreadsheet "
    "program writes: refused as a possible XML bomb."
)


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """A DTD can only sit in the prolog, before the root element, so the start suffices.

    openpyxl leaves entities unexpanded (lxml) or refuses them (defusedxml) depending on the
    part it reads; refusing them here gives one clear answer for every part.
    """
    if not member.filename.endswith((".xml", ".rels", ".vml")):
        return False
    with archive.open(member) as handle:
        head = handle.read(8192)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode()
    head = head.upper()
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


class _Cell:
    __slots__ = ("data_type", "row", "value")

    def __init__(self, value, row: int):
        self.value = value
        self.row = row
        # In the formulas view a formula reads as its text, "=SUM(...)".
        self.data_type = "f" if isinstance(value, str) and value.startswith("=") else "n"


class _Sheet:
    """A sheet read once, top to bottom, held as rows of values for random access."""

    def __init__(self, title: str, rows: list[tuple]):
        self.title = title
        self._rows = rows
        self.max_row = len(rows)

    def cell(self, row: int, column: int) -> _Cell:
        try:
            value = self._rows[row - 1][column - 1]
        except IndexError:
            value = None
        return _Cell(value, row)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int = 1):
        last = self.max_row if max_row is None else min(max_row, self.max_row)
        for row in range(min_row, last + 1):
            yield [self.cell(row, column) for column in range(1, max_col + 1)]


class _Book:
    def __init__(self, sheets: dict[str, _Sheet]):
        self._sheets = sheets
        self.sheetnames = list(sheets)

    def __getitem__(self, name: str) -> _Sheet:
        return self._sheets[name]


def _read_book(data: bytes, *, data_only: bool) -> _Book:
    """Both views of the workbook through openpyxl's read-only mode: used for a workbook with
    formulas or error cells, whose formula text and error codes only openpyxl gives."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        return _Book(
            {ws.title: _Sheet(ws.title, list(ws.iter_rows(values_only=True))) for ws in workbook}
        )
    finally:
        workbook.close()


def _read_values(data: bytes) -> _Book:
    """Every sheet's values through calamine, fifteen times faster than openpyxl here.

    calamine reads an empty cell as "" and every number as a float (see _as_openpyxl), and an
    error cell as "" too: hence workbooks with error cells are read by openpyxl instead (see
    _needs_openpyxl). Rows are
    read from A1 (skip_empty_area=False) so that row numbers in messages are the sheet's own.
    """
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheets = {}
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets[name] = _Sheet(name, [tuple(map(_as_openpyxl, row)) for row in rows])
        return _Book(sheets)
    finally:
        workbook.close()


def _as_openpyxl(value):
    """A calamine value as openpyxl gives it: None for empty, and a whole number as an int
    (a spreadsheet stores 3 as "3", which openpyxl reads as 3 and calamine as 3.0), so that
    messages quote a figure as it was typed."""
    if value == "":
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# A cell formula in a sheet's XML, with or without a namespace prefix: <f>, <f t="shared" .../>,
# <x:f>. Data validations' <formula1> and <formula2> do not match.
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
# An error cell (#DIV/0!, #N/A...), typed or computed: <c r="H2" t="e">.
_ERROR_CELL = re.compile(rb"""\st\s*=\s*["']e["']""")


def _needs_openpyxl(data: bytes) -> bool:
    """Whether any worksheet holds a formula or an error cell (a byte search of its XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                with archive.open(member) as handle:
                    xml = handle.read()
                if _FORMULA_ELEMENT.search(xml) or _ERROR_CELL.search(xml):
                    return True
    return False


def _open(data: bytes, preview: ImportPreview):
    """Two views of the workbook: cached values, and formulas (to find uncalculated ones).

    A workbook as the template comes, with figures typed in, has no formula and no error cell:
    calamine reads it once and that one view answers both (no cell reads as a formula). Any
    other is read twice by openpyxl, which gives formula text and error codes.
    """
    try:
        if _needs_openpyxl(data):
            values = _read_book(data, data_only=True)
            formulas = _read_book(data, data_only=False)
        else:
            values = formulas = _read_values(data)
    except Exception as exc:
        # defusedxml's refusals (entities, DTDs) and any malformed XML land here.
        name = type(exc).__name__
        if "Forbidden" in name or "Entities" in name or "DTD" in name:
            reason = XML_BOMB
        else:
            reason = f"The workbook could not be read ({name}). Save it again as .xlsx."
        preview.problem(FILE, None, None, reason)
        return None, None
    return values, formulas


def _check_headers(ws, columns, preview: ImportPreview) -> bool:
    ok = True
    found = [ws.cell(row=1, column=i).value for i in range(1, len(columns) + 2)]
    for index, (title, _) in enumerate(columns, start=1):
        got = found[index - 1]
        if (str(got).strip() if got is not None else "") != title:
            preview.problem(
                ws.title,
                1,
                get_column_letter(index),
                f"expected the heading '{title}' but found '{got or ''}'. Columns must not be "
                "moved, added, renamed or removed; download a fresh workbook.",
            )
            ok = False
    extra = found[len(columns)]
    if ok and extra not in (None, ""):
        preview.problem(
            ws.title,
            1,
            get_column_letter(len(columns) + 1),
            f"an extra column '{extra}' was added; columns must not be added.",
        )
        ok = False
    return ok


def _instruction(ws, label: str):
    for row in ws.iter_rows(min_row=1, max_row=60, max_col=2):
        if row[0].value is not None and str(row[0].value).strip() == label:
            return row[0].row, row[1].value
    return None, None


def _cell_value(values_ws, formulas_ws, row: int, col: int, preview: ImportPreview):
    """The cell's value; a formula counts only by its cached result."""
    value = values_ws.cell(row=row, column=col).value
    raw = formulas_ws.cell(row=row, column=col)
    if raw.data_type == "f" and value is None:
        preview.problem(
            values_ws.title,
            row,
            get_column_letter(col),
            "a formula with no calculated value: type the figure itself, or open and save "
            "the file in Excel or LibreOffice so the result is stored.",
        )
        return _FAILED
    return value


_FAILED = object()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# A number typed into a cell formatted as text, or pasted with thousands separators: 12, 1,200,
# 23.5, -3. Read as the number it plainly is; anything else is refused with its reason.
_NUMBER_TEXT = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


def _not_a_number(value) -> str:
    text = str(value).strip()
    if text.endswith("%") and _NUMBER_TEXT.match(text[:-1].strip()):
        return (
            f"'{text}' is not a number: enter {text[:-1].strip()} without the % sign (the "
            "metric's unit already says it is a percentage)."
        )
    if text[:1] in "£$€" and _NUMBER_TEXT.match(text[1:].strip()):
        return f"'{text}' is not a number: enter {text[1:].strip()} without the {text[0]} sign."
    return (
        f"'{text}' is not a number. Enter the figure in digits; put 'over', 'at least' or "
        "'approximately' in the Qualifier column."
    )


def _number(value, metric: Metric, sheet: str, row: int, column: str, preview) -> Decimal | None:
    if isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
        value = Decimal(value.strip().replace(",", ""))
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        preview.problem(sheet, row, column, _not_a_number(value))
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        preview.problem(sheet, row, column, f"'{value}' is not a number.")
        return None
    if not number.is_finite():
        preview.problem(sheet, row, column, f"'{value}' is not a number.")
        return None
    if number < 0:
        preview.problem(sheet, row, column, f"{metric.name} cannot be negative ({value}).")
        return None
    if metric.unit == Unit.COUNT and metric.decimal_places == 0 and number != number.to_integral():
        # Refused rather than rounded: a figure goes in as it came, or not at all.
        preview.problem(
            sheet,
            row,
            column,
            f"{metric.name} is a count of whole {metric.unit_label or 'items'}; {value} is not "
            "a whole number.",
        )
        return None
    if metric.unit == Unit.PERCENTAGE and number > 100:
        preview.problem(
            sheet,
            row,
            column,
            f"{metric.name} is a percentage and cannot be more than 100 ({value}).",
        )
        return None
    if number >= MAX_VALUE:
        preview.problem(sheet, row, column, f"{value} is too large for any figure.")
        return None
    if -number.normalize().as_tuple().exponent > MAX_PLACES:
        preview.problem(sheet, row, column, f"{value} has more than {MAX_PLACES} decimal places.")
        return None
    return number


def _read_header(values, preview: ImportPreview, user) -> Return | bool | None:
    """The partner and quarter from the Instructions sheet; False when unusable."""
    ws = values[INSTRUCTIONS]
    row, code = _instruction(ws, PARTNER_LABEL)
    if row is None or not code:
        preview.problem(INSTRUCTIONS, row, "B", f"the '{PARTNER_LABEL}' is missing.")
        return False
    partner = Partner.objects.filter(slug=str(code).strip()).first()
    if partner is None:
        preview.problem(INSTRUCTIONS, row, "B", f"there is no partner with code '{code}'.")
        return False
    if partner.pk not in scoping.editable_partner_ids(user):
        preview.problem(
            INSTRUCTIONS,
            row,
            "B",
            f"you may not enter figures for {partner.name}; only its own members can.",
        )
        return False
    preview.partner = partner
    q_row, q_text = _instruction(ws, QUARTER_LABEL)
    try:
        preview.start_year, preview.quarter = parse_quarter(str(q_text or ""))
    except ValueError as exc:
        preview.problem(INSTRUCTIONS, q_row, "B", str(exc))
        return False
    existing = (
        Return.objects.filter(
            partner=partner,
            period__kind=Period.Kind.QUARTER,
            period__financial_year__start_year=preview.start_year,
            period__quarter=preview.quarter,
        )
        .select_related("period__financial_year", "partner", "submitted_by", "approved_by")
        .first()
    )
    if existing is not None and not scoping.can_edit_return(user, existing):
        # The return's state, not the file, is what stops the upload: nothing in the workbook
        # is to be fixed, so no cell is blamed.
        preview.problem(FILE, None, None, closed_upload_message(existing))
        preview.return_closed = True
        return False
    return existing


def closed_upload_message(report_return: Return) -> str:
    """Why nothing can be uploaded to a submitted or approved return, and what to do."""
    return f"{closed_message(report_return)} Until then nothing can be uploaded to it."


def _read_figures(values, formulas, preview: ImportPreview, existing: Return | None) -> None:
    ws, fws = values[FIGURES], formulas[FIGURES]
    code_col = column_index(FIGURE_COLUMNS, "Metric code")
    value_col = column_index(FIGURE_COLUMNS, "Value")
    qualifier_col = column_index(FIGURE_COLUMNS, "Qualifier")
    note_col = column_index(FIGURE_COLUMNS, "Note")
    codes = {}
    for row in range(2, ws.max_row + 1):
        code = _text(ws.cell(row=row, column=code_col).value)
        raw_value = _cell_value(ws, fws, row, value_col, preview)
        raw_qualifier = _cell_value(ws, fws, row, qualifier_col, preview)
        raw_note = _cell_value(ws, fws, row, note_col, preview)
        if _FAILED in (raw_value, raw_qualifier, raw_note):
            continue
        if not code:
            if raw_value is not None:
                preview.problem(
                    FIGURES,
                    row,
                    "A",
                    "a value without a metric code; add rows only from a fresh workbook.",
                )
            continue
        codes.setdefault(code, []).append(row)
    metrics = {m.slug: m for m in Metric.objects.filter(slug__in=codes).select_related("partner")}
    held = {}
    if existing is not None:
        held = {
            r.metric_id: r
            for r in Result.objects.filter(
                period=existing.period, metric__in=list(metrics.values())
            )
        }
    for code, rows in codes.items():
        if len(rows) > 1:
            preview.problem(
                FIGURES,
                rows[1],
                "A",
                f"the metric '{code}' appears more than once (rows "
                f"{', '.join(map(str, rows))}); keep one row per metric.",
            )
            continue
        row = rows[0]
        metric = metrics.get(code)
        if metric is None:
            preview.problem(FIGURES, row, "A", f"there is no metric with code '{code}'.")
            continue
        if metric.partner_id != preview.partner.pk:
            preview.problem(
                FIGURES,
                row,
                "A",
                f"{metric.name} is reported by {metric.partner.name}, not {preview.partner.name}.",
            )
            continue
        raw_value = ws.cell(row=row, column=value_col).value
        if raw_value is None:
            # An empty value leaves what is held unchanged; a qualifier alone is a slip.
            if _text(ws.cell(row=row, column=qualifier_col).value):
                preview.problem(
                    FIGURES,
                    row,
                    get_column_letter(qualifier_col),
                    "a qualifier without a value; enter the value too, or clear the qualifier.",
                )
            continue
        value = _number(raw_value, metric, FIGURES, row, get_column_letter(value_col), preview)
        word = _text(ws.cell(row=row, column=qualifier_col).value).lower()
        qualifier = QUALIFIER_WORDS.get(word or "exact")
        if qualifier is None:
            preview.problem(
                FIGURES,
                row,
                get_column_letter(qualifier_col),
                f"'{word}' is not a qualifier; choose {', '.join(QUALIFIER_WORDS)}.",
            )
        if value is None or qualifier is None:
            continue
        note = _text(ws.cell(row=row, column=note_col).value)
        old = held.get(metric.pk)
        if old is not None and (old.value, old.qualifier, old.note) == (value, qualifier, note):
            continue
        preview.figures.append(
            FigureChange(
                row=row, metric=metric, old=old, value=value, qualifier=qualifier, note=note
            )
        )


def _read_narratives(values, formulas, preview: ImportPreview, existing: Return | None) -> None:
    ws, fws = values[NARRATIVES], formulas[NARRATIVES]
    id_col = column_index(NARRATIVE_COLUMNS, "Activity id")
    text_col = column_index(NARRATIVE_COLUMNS, "Outcome")
    note_col = column_index(NARRATIVE_COLUMNS, "Note")
    ids: dict[int, list[int]] = {}
    for row in range(2, ws.max_row + 1):
        raw_id = ws.cell(row=row, column=id_col).value
        text = _cell_value(ws, fws, row, text_col, preview)
        note = _cell_value(ws, fws, row, note_col, preview)
        if _FAILED in (text, note) or (raw_id is None and text is None):
            continue
        try:
            activity_id = int(_text(raw_id))
        except ValueError:
            preview.problem(
                NARRATIVES, row, "A", f"'{raw_id}' is not an activity id from this workbook."
            )
            continue
        ids.setdefault(activity_id, []).append(row)
    activities = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=ids).select_related("programme", "financial_year")
    }
    held = {}
    if existing is not None:
        held = {s.activity_id: s for s in OutcomeStatement.objects.filter(report_return=existing)}
    for activity_id, rows in ids.items():
        if len(rows) > 1:
            preview.problem(
                NARRATIVES,
                rows[1],
                "A",
                f"activity {activity_id} appears more than once (rows "
                f"{', '.join(map(str, rows))}); keep one row per activity.",
            )
            continue
        row = rows[0]
        act = activities.get(activity_id)
        if (
            act is None
            or act.programme.lead_partner_id != preview.partner.pk
            or act.financial_year.start_year != preview.start_year
        ):
            preview.problem(
                NARRATIVES,
                row,
                "A",
                f"activity {activity_id} is not one of {preview.partner.name}'s activities "
                f"for {preview.quarter_label[:7]}.",
            )
            continue
        text = _text(ws.cell(row=row, column=text_col).value)
        note = _text(ws.cell(row=row, column=note_col).value)
        if not text:
            continue
        old = held.get(act.pk)
        if old is not None and (old.text, old.note) == (text, note):
            continue
        preview.narratives.append(
            NarrativeChange(row=row, activity=act, old=old, text=text, note=note)
        )


def read_return_workbook(data: bytes, *, user) -> ImportPreview:
    """Check a filled-in workbook and list what it would change. Writes nothing."""
    preview = ImportPreview()
    if not check_container(data, preview):
        return preview
    values, formulas = _open(data, preview)
    if values is None:
        return preview
    present = values.sheetnames
    for name in (INSTRUCTIONS, FIGURES, NARRATIVES):
        if name not in present:
            preview.problem(
                name,
                None,
                None,
                f"the sheet '{name}' is missing (renamed or deleted?). The workbook has: "
                f"{', '.join(present)}.",
            )
    if preview.problems:
        return preview
    headers_ok = _check_headers(values[FIGURES], FIGURE_COLUMNS, preview)
    headers_ok = _check_headers(values[NARRATIVES], NARRATIVE_COLUMNS, preview) and headers_ok
    existing = _read_header(values, preview, user)
    if existing is False or not headers_ok:
        return preview
    _read_figures(values, formulas, preview, existing)
    _read_narratives(values, formulas, preview, existing)
    return preview
