"""Writing workbooks: one house style, text cells that never become formulas, column widths, a frozen
header row, print setup, and saving atomically or as byte-stable bytes.

Every small .xlsx the program writes goes through here: errors.xlsx, the staff workbooks (`workbooks`),
summary.xlsx, the ФИС ФРДО upload, the disposal register and blanks.xlsx. The large tables (status.xlsx,
learners.xlsx, the archive index) are written as text by `xlsx_stream`, in the same house style. The
formula rule itself (what Excel would run) lives in `xlsx_safe`, shared with the CSV files.

openpyxl is imported by the functions that write, not by this module:
it costs about a second on a busy machine, and a clean validation, a build whose reports did not change
or one that files nothing writes no workbook. So every module can import this one at its top.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.fsutil import atomic_write
from pipeline.core.stable import FIXED_TIME, stable_zip, write_if_changed
from pipeline.core.xlsx_safe import looks_like_formula

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

HEADER_FILL_COLOR = "DDEBF7"
TEXT_FORMAT = "@"
DATE_FORMAT = "DD.MM.YYYY"
CREATOR = "uchet"


def header_font() -> Font:
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.styles import Font

    return Font(bold=True)


def fill(color: str) -> PatternFill:
    """A solid background of `color` (hex RGB, «DDEBF7»)."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=color)


def header_fill() -> PatternFill:
    return fill(HEADER_FILL_COLOR)


def wrap(vertical: str = "top") -> Alignment:
    """Text that wraps inside its cell, aligned to the top (or `vertical`)."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical=vertical)


def top() -> Alignment:
    """A cell aligned to the top of its row (beside a wrapped text that made the row taller)."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.styles import Alignment

    return Alignment(vertical="top")


def link_font() -> Font:
    """Excel's own look of a hyperlink."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.styles import Font

    return Font(color="FF0563C1", underline="single")


def printable(value: Any, replacement: str = "\ufffd") -> str:
    """Give the value as text openpyxl can store: control characters that XML forbids become `replacement`."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(replacement, "" if value is None else str(value))


def column_letter(index: int) -> str:
    """«A» for 1, «AA» for 27 (without openpyxl: the streamed workbooks and the loader's messages need no more)."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def text_cell(cell, value: str, *, quote: bool = True, number_format: str | None = None):
    """Give cell holding value as a string cell; a formula-like value also gets Excel's «'» prefix.

    openpyxl stores any string that begins with «=» as a formula, and Excel would run it when the file is
    opened (formula injection: «=HYPERLINK(…)», «=cmd|…»), so the type is set after the value.
    quote=False for a cell formatted as text («@»), where Excel keeps the value as typed anyway.
    """
    cell.value = value
    cell.data_type = "s"
    if quote and looks_like_formula(value):
        cell.quotePrefix = True  # Excel shows it as typed text, also after editing the cell
    if number_format:
        cell.number_format = number_format
    return cell


def put(ws, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell; a string that Excel would take for a formula stays text."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    return dress(cell, value, number_format)


def stream_cell(ws, value: Any = None):
    """A cell of a write-only sheet, for a value that needs a style or a type (plain values go as they are)."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(ws, value)


def dress(cell, value: Any, number_format: str | None = None):
    """Give the cell holding `value`, kept as text when it looks like a formula, with its number format."""
    if looks_like_formula(value):
        # A name or topic beginning with «=» or «-» must never be run as a formula (CSV/formula injection).
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format and isinstance(value, int | float):
        cell.number_format = number_format
    return cell


def style_header(cell, *, filled: bool = True, wrap_text: bool = True, vertical: str = "top"):
    """Give the cell dressed as a column header: bold, on the header colour, wrapping."""
    cell.font = header_font()
    if filled:
        cell.fill = header_fill()
    if wrap_text:
        cell.alignment = wrap(vertical)
    return cell


def set_widths(ws, widths: Sequence[float] | dict[str, float], *, first: int = 1) -> None:
    """Set column widths: a sequence from column `first` on, or {letter: width}."""
    items = widths.items() if isinstance(widths, dict) else (
        (column_letter(c), w) for c, w in enumerate(widths, start=first))
    for letter, width in items:
        ws.column_dimensions[letter].width = width


def freeze_header(ws, row: int = 1, *, columns: int = 0) -> None:
    """Keep the rows down to `row` (and `columns` columns) in view while scrolling."""
    ws.freeze_panes = f"{column_letter(columns + 1)}{row + 1}"


def auto_filter(ws, columns: int, last_row: int, *, first_row: int = 1) -> None:
    """Filter buttons on the header row over `columns` columns down to `last_row`."""
    ws.auto_filter.ref = f"A{first_row}:{column_letter(columns)}{last_row}"


def text_table(ws, columns: Sequence[tuple[str, float]], rows: Iterable[Sequence[Any]], *,
               filled_header: bool = False, wrap_text: bool = False, number_format: str | None = TEXT_FORMAT) -> int:
    """Write a sheet whose every value is text: bold header (title, width) from row 1, rows below, the header
    frozen and filtered; give the number of data rows.

    For lists kept as records (the archive index, the disposal register, errors.xlsx): a value like «=1+1»,
    «+7…» or «-05» stays exactly as written, never a formula or a number.
    """
    for col, (title, width) in enumerate(columns, 1):
        style_header(ws.cell(1, col, title), filled=filled_header, wrap_text=False)
        if width:
            ws.column_dimensions[column_letter(col)].width = width
    alignment = wrap() if wrap_text else None
    count = 0
    for r, values in enumerate(rows, 2):
        count += 1
        for col, value in enumerate(values, 1):
            cell = ws.cell(r, col)
            if alignment is not None:
                cell.alignment = alignment
            text = printable(value)
            if text or number_format:
                # a cell formatted as text keeps «=…» as typed; a general one needs Excel's «'» prefix
                text_cell(cell, text, quote=not number_format, number_format=number_format)
    freeze_header(ws)
    auto_filter(ws, len(columns), max(1, count + 1))
    print_setup(ws)  # printed, the list keeps its columns on one page width
    return count


def print_setup(ws) -> None:
    """Landscape A4, one page wide (a write-only sheet needs it before its first row)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # Worksheet.PAPERSIZE_A4, which a write-only sheet does not have
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def new_workbook(*, write_only: bool = False, keep_first_sheet: bool = False) -> Workbook:
    """An empty workbook; without keep_first_sheet it has no sheet until one is created."""
    # lazy: start-up — openpyxl (0.3 s), only when a workbook is written (module docstring)
    from openpyxl import Workbook

    wb = Workbook(write_only=write_only)
    if not write_only and not keep_first_sheet:  # a write-only workbook starts with no sheet
        wb.remove(wb.active)
    return wb


def save(wb: Workbook, path: Path) -> None:
    """Save atomically: a reader never sees half a workbook, and a locked file gives a Russian message."""
    atomic_write(path, wb.save)


def stable_bytes(wb: Workbook, *, stamp: dt.datetime = FIXED_TIME) -> bytes:
    """Give the workbook's .xlsx bytes, the same for the same content: no clock in the zip or the properties."""
    wb.properties.creator = CREATOR
    wb.properties.created = wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    return stable_zip(out.getvalue(), stamp=stamp)


def save_stable(wb: Workbook, path: Path, *, stamp: dt.datetime = FIXED_TIME) -> bool:
    """Write the workbook's stable bytes unless the file already holds them; give whether it wrote."""
    return write_if_changed(path, stable_bytes(wb, stamp=stamp))
