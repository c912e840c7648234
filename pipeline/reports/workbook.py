"""Small openpyxl helpers shared by the report workbooks: safe cells, plain tables, atomic saving.

openpyxl is imported by the functions that write, not by this module: a build whose reports did not
change never writes one, and importing openpyxl was a twentieth of the time of such a build.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.fsutil import atomic_write

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_FORMULA_START = ("=", "+", "-", "@")
HEADER_FILL_COLOR = "DDEBF7"
PERCENT_FORMAT = "0.0"
GRADE_FORMAT = "0.00"


def put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell; a string that Excel would take for a formula stays text."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    return _dress(cell, value, number_format)


def _dress(cell, value: Any, number_format: str | None = None):
    """Give the cell holding `value`, kept as text when it looks like a formula, with its number format."""
    if _formula_like(value):
        # A name or topic beginning with «=» or «-» must never be run as a formula (CSV/formula injection).
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format and isinstance(value, int | float):
        cell.number_format = number_format
    return cell


def _formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
    first_row: int = 1,
) -> int:
    """Write a header row and data rows from `first_row`; give the last row written.

    `formats` maps a 0-based column index to a number format (percent and grade columns).
    """
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    for c, title in enumerate(headers, start=1):
        cell = put(ws, first_row, c, title)
        cell.font, cell.fill = header_font(), PatternFill("solid", fgColor=HEADER_FILL_COLOR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    r = first_row
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value, formats.get(c - 1))
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if first_row == 1:
        ws.freeze_panes = ws.cell(row=2, column=1)
        if r > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{r}"
    for c, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    return r


def stream_table(
    ws,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
    title: str | None = None,
) -> int:
    """As `table`, into a sheet of a write-only workbook (`new_workbook(write_only=True)`); give the last row.

    openpyxl then writes each row as it comes instead of keeping a cell object per value: the 11,200
    rows of learners.xlsx at 10,000 learners are written in half the time. With `title`, the title
    takes the first row and the table starts on the third, as `table(first_row=3)` lays it out.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    wrap = Alignment(wrap_text=True, vertical="top")
    print_setup(ws)  # the sheet's header is written with its first row
    for c, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    first_row = 3 if title is not None else 1
    ws.freeze_panes = f"A{first_row + 1}"

    def cell(value: Any, number_format: str | None = None) -> Any:
        long_text = isinstance(value, str) and len(value) > 40
        if not (_formula_like(value) or long_text or (number_format and isinstance(value, int | float))):
            return value  # a plain value needs no cell object
        out = _dress(WriteOnlyCell(ws, value=value), value, number_format)
        if long_text:
            out.alignment = wrap
        return out

    if title is not None:
        ws.append([title])  # our own text, never taken for a formula; not wrapped, as `put` leaves it
        ws.append([])
    heads = []
    for title_text in headers:
        head = _dress(WriteOnlyCell(ws, value=title_text), title_text)
        head.font, head.fill, head.alignment = header_font(), PatternFill("solid", fgColor=HEADER_FILL_COLOR), wrap
        heads.append(head)
    ws.append(heads)
    last = first_row
    for values in rows:
        ws.append([cell(value, formats.get(c)) for c, value in enumerate(values)])
        last += 1
    if title is None and last > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    return last


def rounded(value: float | None, digits: int = 1) -> float | None:
    """Round for display and for the workbook; None stays an empty cell."""
    return None if value is None else round(value, digits)


def header_font():
    from openpyxl.styles import Font

    return Font(bold=True)


def new_workbook(*, write_only: bool = False) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook(write_only=write_only)
    if not write_only:  # a write-only workbook starts with no sheet
        wb.remove(wb.active)
    return wb


def save(wb: Workbook, path: Path) -> None:
    """Save atomically: a reader never sees half a workbook, and a locked file gives a Russian message.

    Every sheet prints landscape, one page wide, so a printout (or a PDF) keeps tables and charts whole.
    """
    for ws in wb.worksheets:
        print_setup(ws)
    atomic_write(path, lambda tmp: wb.save(tmp))


def print_setup(ws) -> None:
    """Landscape A4, one page wide (a write-only sheet needs it before its first row: see stream_table)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # Worksheet.PAPERSIZE_A4, which a write-only sheet does not have
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
