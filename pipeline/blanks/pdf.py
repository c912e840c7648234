"""Print the variable fields of qualification documents onto pre-printed blanks, as PDF (reportlab).

PDF rather than .docx: a PDF places each string at an exact point of the sheet and every viewer and
printer driver keeps it there at «фактический размер», while Word and LibreOffice reflow anchored
frames by their own font metrics and margins. reportlab is the long-maintained PDF toolkit for Python.

Coordinates: X is the left edge of the field's box, Y the baseline of its first line (the line the
text stands on, as staff measure it on the blank), both in millimetres from the sheet's top-left
corner; the printer's calibration offset is added to every field. Longer text wraps inside the width
(pipeline.blanks.fit).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matplotlib import font_manager
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.blanks.fit import printable, wrap
from pipeline.blanks.layout import Blank, Field, Printer
from pipeline.core.errors import UchetError
from pipeline.core.ru import plural

FONT = "uchet-serif"
LINE_SPACING = 1.15  # distance between wrapped lines, in font sizes
# Times New Roman where it is installed (Windows), its metric twin Liberation Serif on Linux, and the
# DejaVu Serif that matplotlib ships as the last resort: all three have Cyrillic.
FONT_FAMILIES = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]


@functools.cache
def serif_font_path() -> str:
    """The file of the first of FONT_FAMILIES on this machine (its regular face).

    The system's font folders are looked at directly, not through matplotlib's findfont:
    - matplotlib keeps its list of the system's fonts in a per-user cache made on first use: a font
      installed later (fonts-liberation after the first `make`) is not in it, and findfont would quietly
      give DejaVu Serif, whose wider letters set every blank differently;
    - one family can be installed twice (fonts-liberation's 1.x in truetype/liberation/ and
      fonts-liberation2's 2.x, which LibreOffice brings, in truetype/liberation2/), and findfont chose
      between the two differently from one run to the next, so the blanks' metrics changed with it. Of
      a family's files the first path in sorted order is taken: the same file on every run.
    """
    preferred = FONT_FAMILIES[:-1]
    regular: dict[str, list[str]] = {}
    for candidate in font_manager.findSystemFonts(fontext="ttf"):
        try:
            face = font_manager.get_font(candidate)
        except (OSError, RuntimeError):  # a broken font file in a system folder is not ours to mend
            continue
        if face.family_name in preferred and face.style_name == "Regular":
            regular.setdefault(face.family_name, []).append(candidate)
    found = next((min(regular[family]) for family in preferred if family in regular), None)
    return found or font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILIES), fallback_to_default=True)


@functools.cache
def font_name() -> str:
    """Register the serif font once and give its name."""
    pdfmetrics.registerFont(TTFont(FONT, serif_font_path()))
    return FONT


def value_of(context: dict[str, Any], name: str) -> str:
    """The text of a dotted field name in a document's context («signers.0.name»); empty when absent."""
    value: Any = context
    for part in name.split("."):
        if isinstance(value, list):
            value = value[int(part)] if part.isdigit() and int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            value = None
        if value is None:
            return ""
    return str(value)


FLOOR_PT = 7.0  # the smallest size a wrapped field is set at to stay within its room (still legible)


def room_below_mm(field: Field, fields: Iterable[Field]) -> float | None:
    """Millimetres from the field's line down to the line of the nearest field below it that shares
    some of its width; None when nothing is printed below it."""
    below = [f.y_mm for f in fields if f is not field and f.y_mm > field.y_mm
             and f.x_mm < field.x_mm + field.width_mm and field.x_mm < f.x_mm + f.width_mm]
    return min(below) - field.y_mm if below else None


def field_lines(field: Field, text: str, room_mm: float | None) -> tuple[float, list[str]]:
    """The size and lines of a field's text: wrapped within its width and, when it wraps, set smaller
    (down to FLOOR_PT) until its lines end above the next field's line. Text that cannot fit even then
    is refused: printed over the next field, it would spoil a numbered blank."""
    font, width = font_name(), field.width_mm * mm
    size = field.size_pt
    while True:
        lines = wrap(text, font, size, width)
        if len(lines) <= 1 or room_mm is None or len(lines) * LINE_SPACING * size <= room_mm * mm:
            return size, lines
        if size <= min(FLOOR_PT, field.size_pt):
            raise UchetError(
                f"Текст поля «{field.name}» бланка «{field.kind}» не помещается над следующим полем даже "
                f"шрифтом {ru_number(size)} пт ({len(lines)} {plural(len(lines), 'строка', 'строки', 'строк')}): на листе «Макет бланка» (строка "
                f"{field.row}) расширьте поле или опустите следующее поле ниже, либо сократите текст.")
        size = max(round(size - 0.5, 3), FLOOR_PT)


def ru_number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def draw_field(c: canvas.Canvas, field: Field, text: str, height_mm: float, printer: Printer,
               room_mm: float | None = None) -> None:
    font = font_name()
    width = field.width_mm * mm
    x = (field.x_mm + printer.dx_mm) * mm
    baseline = (height_mm - field.y_mm - printer.dy_mm) * mm
    # Broken at ordinary spaces only, so «И.О.\u00a0Фамилия» and «23\u00a0января» stay whole, and never wider
    # than the field (a word longer than the field is cut rather than run over the blank's print).
    size, lines = field_lines(field, text, room_mm)
    for i, raw in enumerate(lines):
        line = printable(raw)
        y = baseline - i * LINE_SPACING * size
        c.setFont(font, size)
        draw_aligned(c, line, x, width, y, field.align)


def draw_fields(c: canvas.Canvas, blank: Blank, context: dict[str, Any], printer: Printer, *, proof: bool,
                table_top_mm: float | None = None) -> None:
    """Draw the blank's picture (proof mode only) and every field the context fills on the current page.

    A field's room ends at the next field below it, or at the table's first line (`table_top_mm`).
    """
    if proof:
        draw_underlay(c, blank)
    for field in blank.fields:
        text = value_of(context, field.name)
        if text:
            room = room_below_mm(field, blank.fields)
            if table_top_mm is not None and field.y_mm < table_top_mm:
                room = min(room or table_top_mm, table_top_mm - field.y_mm)
            draw_field(c, field, text, blank.height_mm, printer, room)


def draw_aligned(c: canvas.Canvas, line: str, x: float, width: float, y: float, align: str) -> None:
    """Draw one line in the box from `x`, `width` wide: «по центру», «справа», or else from the left."""
    if align == "по центру":
        c.drawCentredString(x + width / 2, y, line)
    elif align == "справа":
        c.drawRightString(x + width, y, line)
    else:
        c.drawString(x, y, line)


def check_underlay(blank: Blank) -> None:
    """Proof mode needs the blank's picture; say which file is missing before anything is written."""
    if blank.underlay is None or not blank.underlay.is_file():
        where = f"«{blank.underlay}»" if blank.underlay else "не указана"
        raise UchetError(f"Подложка бланка «{blank.kind}» {where}: для пробной печати нужен скан или фото "
                         f"пустого бланка. Укажите файл в столбце «Подложка (файл)» листа «Бланки» книги blanks.xlsx.")


def draw_underlay(c: canvas.Canvas, blank: Blank) -> None:
    c.drawImage(str(blank.underlay), 0, 0, width=blank.width_mm * mm, height=blank.height_mm * mm)


def write_pdf(path: Path, blank: Blank, contexts: Iterable[dict[str, Any]], printer: Printer, *,
              proof: bool, title: str) -> int:
    """Write one page per document; in proof mode the blank's underlay image is drawn under the fields."""
    if proof:
        check_underlay(blank)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = (blank.width_mm * mm, blank.height_mm * mm)
    # invariant=1: no creation date or random id, so the same data gives the same bytes.
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    c.setTitle(title)
    c.setAuthor("uchet")
    pages = 0
    for context in contexts:
        draw_fields(c, blank, context, printer, proof=proof)
        c.showPage()
        pages += 1
    c.save()
    return pages
