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
"""Rows between two calls of a table's `advance` (a progress bar redrawn per row would cost more than the row)."""


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
    for c, title in enumerate(headers, start=1):
        xw.style_header(xw.put(ws, first_row, c, title))
    r = first_row
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values, start=1):
            cell = xw.put(ws, r, c, value, formats.get(c - 1))
            if isinstance(value, str) and len(value) > LONG_TEXT:
                cell.alignment = xw.wrap()
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
    xw.set_widths(ws, widths or [])
    first_row = 3 if title is not None else 1
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
