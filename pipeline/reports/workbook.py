"""The report workbooks' tables: a header row and data rows, in memory or streamed, printed landscape.

Cells, styles, widths and saving come from `pipeline.core.xlsx_writer`, as for every workbook the program writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core import xlsx_writer as xw
from pipeline.core.xlsx_safe import looks_like_formula

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT_FORMAT = "0.0"
GRADE_FORMAT = "0.00"
LONG_TEXT = 40
"""Characters from which a value wraps inside its cell."""
TICK = 256
LINE_PT = 15
"""The height of one line of text in a cell (11 pt), in points."""
BOLD_CHAR = 1.15
"""Column-width units one bold letter takes (the unit is the width of «0» in the plain font)."""
PLAIN_CHAR = 1.05
"""Column-width units one plain letter takes, Cyrillic being a little wider than «0»."""
DEFAULT_WIDTH = 8.43
"""Excel's width of a column nobody set."""
"""Rows between two calls of a table's `advance` (a progress bar redrawn per row would cost more than the row)."""


def lines_of(text: str, width: float, char: float = PLAIN_CHAR) -> int:
    """The lines `text` wraps into in a column `width` wide, breaking between words as Excel does."""
    per_line, count, used = max(1.0, (width - 1) / char), 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > per_line:
            count, used = count + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return count


def header_layout(headers: Sequence[str], widths: Sequence[float] | None) -> tuple[list[float], float]:
    """Give the column widths, each wide enough for the longest word of its header, and the height of the
    header row for the header that wraps into the most lines.

    A row keeps the height the file gives it (LibreOffice and Excel do not grow it when printing), so a
    header that wraps gets the lines it needs: neither a word cut in two («Сформирован / о носителей»)
    nor a second line printed over the first data row.
    """
    fitted, lines = [], 1
    for c, title in enumerate(headers):
        given = widths[c] if widths and c < len(widths) and widths[c] else DEFAULT_WIDTH
        width = max(given, max((len(w) for w in str(title).split()), default=0) * BOLD_CHAR + 1)
        fitted.append(width)
        lines = max(lines, lines_of(title, width, BOLD_CHAR))
    return fitted, lines * LINE_PT


def _row_height(values: Sequence[Any], widths: Sequence[float]) -> float | None:
    """The height a data row needs for its long texts (which wrap), or None for one line."""
    lines = max((lines_of(v, widths[c]) for c, v in enumerate(values)
                 if isinstance(v, str) and len(v) > LONG_TEXT and c < len(widths)), default=1)
    return lines * LINE_PT if lines > 1 else None


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
    formats = formats or {}
    widths, height = header_layout(headers, widths)
    for c, title in enumerate(headers, start=1):
        xw.style_header(xw.put(ws, first_row, c, title))
    ws.row_dimensions[first_row].height = height
    r = first_row
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values, start=1):
            cell = xw.put(ws, r, c, value, formats.get(c - 1))
            if isinstance(value, str) and len(value) > LONG_TEXT:
                cell.alignment = xw.wrap()
        if (needed := _row_height(values, widths)) is not None:
            ws.row_dimensions[r].height = needed
    if first_row == 1:
        xw.freeze_header(ws)
        if r > 1:
            xw.auto_filter(ws, len(headers), r)
    xw.set_widths(ws, widths or [])
    return r


def stream_table(
    ws,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
    title: str | None = None,
    fills: dict[int, dict[Any, str]] | None = None,
    advance: Callable[[int], None] | None = None,
) -> int:
    """As `table`, into a sheet of a write-only workbook (`new_workbook(write_only=True)`); give the last row.

    openpyxl then writes each row as it comes instead of keeping a cell object per value: the 11,200
    rows of learners.xlsx at 10,000 learners are written in half the time. With `title`, the title
    takes the first row and the table starts on the third, as `table(first_row=3)` lays it out.
    `fills` colours a cell by its value: {0-based column: {value: hex RGB}}. `advance(n)` is told the rows
    written, every TICK rows and at the end (the report stage's progress bar).
    """
    formats = formats or {}
    fills = {c: {value: xw.fill(color) for value, color in by_value.items()} for c, by_value in (fills or {}).items()}
    wrap = xw.wrap()
    xw.print_setup(ws)  # the sheet's header is written with its first row
    widths, height = header_layout(headers, widths)
    xw.set_widths(ws, widths)
    first_row = 3 if title is not None else 1
    ws.row_dimensions[first_row].height = height  # a write-only sheet takes row heights before the rows
    xw.freeze_header(ws, first_row)

    def cell(value: Any, number_format: str | None = None, colour=None) -> Any:
        long_text = isinstance(value, str) and len(value) > LONG_TEXT
        if not (looks_like_formula(value) or long_text or colour is not None
                or (number_format and isinstance(value, int | float))):
            return value  # a plain value needs no cell object
        out = xw.dress(xw.stream_cell(ws, value), value, number_format)
        if long_text:
            out.alignment = wrap
        if colour is not None:
            out.fill = colour
        return out

    if title is not None:
        ws.append([title])  # our own text, never taken for a formula; not wrapped, as `put` leaves it
        ws.append([])
    ws.append([xw.style_header(xw.dress(xw.stream_cell(ws, text), text)) for text in headers])
    last = first_row
    for values in rows:
        if (needed := _row_height(values, widths)) is not None:
            ws.row_dimensions[last + 1].height = needed
        ws.append([cell(value, formats.get(c), fills[c].get(value) if c in fills else None)
                   for c, value in enumerate(values)])
        last += 1
        if advance is not None and (last - first_row) % TICK == 0:
            advance(TICK)
    if advance is not None:
        advance((last - first_row) % TICK)
    if title is None and last > 1:
        xw.auto_filter(ws, len(headers), last)
    return last


def rounded(value: float | None, digits: int = 1) -> float | None:
    """Round for display and for the workbook; None stays an empty cell."""
    return None if value is None else round(value, digits)


def save(wb: Workbook, path: Path) -> None:
    """Save atomically, every sheet printed landscape, one page wide, so a printout (or a PDF) keeps tables
    and charts whole."""
    for ws in wb.worksheets:
        xw.print_setup(ws)
    xw.save(wb, path)
