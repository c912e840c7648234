"""The diploma's приложение printed onto its blanks: header fields, the module table, «лист N».

The rows are those of the plain-paper приложение, from the same context (every module of the
curriculum with its hours and the result of its ведомость, then the total of hours, the final
attestation and the topic of the final work), so the two can never disagree.

The table is a grid of lines at a fixed pitch, as a ruled blank has them: a row whose text does not fit
its column is first set smaller (down to the floor of «Таблица приложения»), then wrapped onto the next
lines. Rows are never split between sheets. A sheet that the table does not end on closes with
«продолжение на листе N» and the table goes on on the next sheet, laid out as «следующий лист»; every
sheet carries its own header fields (registration number, the learner, «лист N») so a loose sheet still
names its diploma.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from pipeline.blanks.fit import Fitted, fit, printable
from pipeline.blanks.layout import LAYOUT_FILE, TABLE_SHEET, Blank, Printer, Table
from pipeline.blanks.pdf import check_underlay, draw_aligned, draw_fields, font_name
from pipeline.core.errors import UchetError

TOTAL = "Всего по модулям программы"


@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[str, str], ...]  # (column key, text)
    what: str  # how a message names the row


@dataclass(frozen=True)
class Placed:
    row: Row
    cells: tuple[tuple[str, Fitted], ...]
    lines: int


@dataclass(frozen=True)
class Sheet:
    blank: Blank
    rows: tuple[Placed, ...]
    continued: Placed | None  # the closing «продолжение на листе N» of a sheet the table does not end on


def supplement_rows(context: dict[str, Any]) -> list[Row]:
    """The table's rows, in the order of the plain-paper приложение."""
    rows = [Row((("n", m["n"]), ("name", m["name"]), ("hours", m["hours"]), ("result", m["result"])), m["name"])
            for m in context["modules"]]
    rows.append(Row((("name", TOTAL), ("hours", str(sum(int(m["hours"]) for m in context["modules"])))), TOTAL))
    final = context["final"]
    attestation = f"Итоговая аттестация ({final['form']})" if final["form"] else "Итоговая аттестация"
    rows.append(Row((("name", attestation), ("result", final["result"] or "—")), attestation))
    if final["topic"]:
        # In the name column like every other text: a ruled blank has the column lines printed across.
        rows.append(Row((("name", f"Тема итоговой работы: «{final['topic']}»"),), "Тема итоговой работы"))
    return rows


def place(row: Row, table: Table) -> Placed:
    """The row's cells fitted to this sheet's columns, and the lines the row takes."""
    cells = tuple((key, fit(text, font_name(), table.columns[key].width_mm * mm, table.size_pt, table.min_size_pt))
                  for key, text in row.cells)
    return Placed(row, cells, max([1, *(len(f.lines) for _k, f in cells)]))


def _continued(table: Table, next_sheet: int) -> Placed:
    return place(Row((("name", f"продолжение на листе {next_sheet}"),), "продолжение"), table)


def paginate(rows: list[Row], first: Blank, following: Blank) -> list[Sheet]:
    """Sheets of the приложение: as many rows on each as its lines hold, one line kept for the note
    «продолжение на листе N» on a sheet that does not end the table; no row is split or repeated."""
    sheets: list[Sheet] = []
    rest = list(rows)
    while True:
        blank = following if sheets else first
        table = blank.table
        assert table is not None  # read_layout gives both приложение blanks their tables
        placed = [place(row, table) for row in rest]
        if sum(p.lines for p in placed) <= table.lines:
            sheets.append(Sheet(blank, tuple(placed), None))
            return sheets
        note = _continued(table, len(sheets) + 2)
        room, taken = table.lines - note.lines, []
        for p in placed:
            if sum(t.lines for t in taken) + p.lines > room:
                break
            taken.append(p)
        if not taken:
            raise UchetError(
                f"Строка приложения «{placed[0].row.what}» занимает {placed[0].lines} строк(и) таблицы, а на "
                f"листе «{blank.kind}» под строки остается {room} (одна — для «продолжение на листе …»). "
                f"Увеличьте «Строк на листе» или ширину графы на листе «{TABLE_SHEET}» книги {LAYOUT_FILE}.")
        sheets.append(Sheet(blank, tuple(taken), note))
        rest = rest[len(taken):]


def _draw_cell(c: canvas.Canvas, table: Table, key: str, fitted: Fitted, first_line: int, height_mm: float,
               printer: Printer) -> None:
    column = table.columns[key]
    x, width = (column.x_mm + printer.dx_mm) * mm, column.width_mm * mm
    c.setFont(font_name(), fitted.size_pt)
    for i, line in enumerate(fitted.lines):
        y = (height_mm - table.first_y_mm - (first_line + i) * table.pitch_mm - printer.dy_mm) * mm
        draw_aligned(c, printable(line), x, width, y, column.align)


def _draw_sheet(c: canvas.Canvas, sheet: Sheet, context: dict[str, Any], printer: Printer, proof: bool) -> None:
    blank, table = sheet.blank, sheet.blank.table
    assert table is not None
    c.setPageSize((blank.width_mm * mm, blank.height_mm * mm))
    draw_fields(c, blank, context, printer, proof=proof, table_top_mm=table.first_y_mm)
    line = 0
    for placed in (*sheet.rows, *([sheet.continued] if sheet.continued else [])):
        for key, fitted in placed.cells:
            _draw_cell(c, table, key, fitted, line, blank.height_mm, printer)
        line += placed.lines


def write_supplements(path: Path, first: Blank, following: Blank, contexts: Iterable[dict[str, Any]],
                      printer: Printer, *, proof: bool, title: str) -> tuple[int, list[int]]:
    """Write every diploma's приложение, sheet after sheet; give the pages and which of them (from 1)
    are to be printed on the «следующий лист» blank."""
    if proof:
        check_underlay(first)
        check_underlay(following)
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), invariant=1)  # invariant: the same data gives the same bytes
    c.setTitle(title)
    c.setAuthor("uchet")
    pages, following_pages = 0, []
    for context in contexts:
        sheets = paginate(supplement_rows(context), first, following)
        for n, sheet in enumerate(sheets, 1):
            label = f"лист {n}" if len(sheets) > 1 else ""
            _draw_sheet(c, sheet, {**context, "sheet": {"label": label}}, printer, proof)
            c.showPage()
            pages += 1
            if n > 1:
                following_pages.append(pages)
    c.save()
    return pages, following_pages

