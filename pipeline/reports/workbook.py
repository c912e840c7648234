"""The report workbooks' tables: a header row and data rows, in memory or streamed, printed landscape.

Cells, styles, widths and saving come from `pipeline.core.xlsx_writer` (summary.xlsx: openpyxl, for its
charts) and `pipeline.core.xlsx_stream` (the large tables of status.xlsx and learners.xlsx, written as text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core import xlsx_stream as xs
from pipeline.core import xlsx_writer as xw
from pipeline.core.fsutil import atomic_write_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

PERCENT_FORMAT = "0.0"
GRADE_FORMAT = "0.00"
LONG_TEXT = 40
"""Characters from which a value wraps inside its cell."""
LINE_PT = 15
"""The height of one line of text in a cell (11 pt), in points."""
BOLD_CHAR = 1.15
"""Column-width units one bold letter takes (the unit is the width of «0» in the plain font)."""
PLAIN_CHAR = 1.05
"""Column-width units one plain letter takes, Cyrillic being a little wider than «0»."""
DEFAULT_WIDTH = 8.43
"""Excel's width of a column nobody set."""


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
        needed = _row_height(values, widths)
        for c, value in enumerate(values, start=1):
            cell = xw.put(ws, r, c, value, formats.get(c - 1))
            if isinstance(value, str) and len(value) > LONG_TEXT:
                cell.alignment = xw.wrap()
            elif needed is not None:  # beside a wrapped text, read as one line: at the top of the row
                cell.alignment = xw.top()
        if needed is not None:
            ws.row_dimensions[r].height = needed
    if first_row == 1:
        xw.freeze_header(ws)
        if r > 1:
            xw.auto_filter(ws, len(headers), r)
    xw.set_widths(ws, widths or [])
    return r


def stream_sheet(
    name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
    title: str | None = None,
    fills: dict[int, dict[Any, str]] | None = None,
    advance: Callable[[int], None] | None = None,
) -> xs.Sheet:
    """As `table`, for a large sheet written row by row as text (`write_sheets`, pipeline.core.xlsx_stream).

    With `title`, the title takes the first row and the table starts on the third, as `table(first_row=3)`
    lays it out. `formats` maps a 0-based column to a number format, `fills` colours a cell by its value:
    {0-based column: {value: hex RGB}}. `advance(n)` is told the rows written (the report stage's progress bar).
    """
    fitted, height = header_layout(headers, widths)
    formats, fills = formats or {}, fills or {}
    columns = [xs.Column(text, fitted[c], formats.get(c), fills.get(c, {})) for c, text in enumerate(headers)]
    return xs.Sheet(name, columns, rows, title=title, filtered=title is None, wrap_from=LONG_TEXT, header_height=height,
                    row_height=partial(_row_height, widths=fitted), advance=advance)


def write_sheets(path: Path, sheets: Sequence[xs.Sheet], *, title: str) -> None:
    """Write the workbook of `sheets` atomically (a reader never sees half of it)."""
    atomic_write_bytes(path, xs.workbook_bytes(sheets, title=title))


def rounded(value: float | None, digits: int = 1) -> float | None:
    """Round for display and for the workbook; None stays an empty cell."""
    return None if value is None else round(value, digits)


def save(wb: Workbook, path: Path) -> None:
    """Save atomically, every sheet printed landscape, one page wide, so a printout (or a PDF) keeps tables
    and charts whole."""
    for ws in wb.worksheets:
        xw.print_setup(ws)
    xw.save(wb, path)
