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

FONT = "uchet-serif"
LINE_SPACING = 1.15  # distance between wrapped lines, in font sizes
# Times New Roman where it is installed (Windows), its metric twin Liberation Serif on Linux, and the
# DejaVu Serif that matplotlib ships as the last resort: all three have Cyrillic.
FONT_FAMILIES = ["Times New Roman", "Liberation Serif", "DejaVu Serif"]


@functools.cache
def font_name() -> str:
    """Register the serif font once and give its name."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT_FAMILIES), fallback_to_default=True)
    pdfmetrics.registerFont(TTFont(FONT, path))
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


def draw_field(c: canvas.Canvas, field: Field, text: str, height_mm: float, printer: Printer) -> None:
    font = font_name()
    width = field.width_mm * mm
    x = (field.x_mm + printer.dx_mm) * mm
    baseline = (height_mm - field.y_mm - printer.dy_mm) * mm
    # Broken at ordinary spaces only, so «И.О.\u00a0Фамилия» and «23\u00a0января» stay whole, and never wider
    # than the field (a word longer than the field is cut rather than run over the blank's print).
    for i, raw in enumerate(wrap(text, font, field.size_pt, width)):
        line = printable(raw)
        y = baseline - i * LINE_SPACING * field.size_pt
        c.setFont(font, field.size_pt)
        draw_aligned(c, line, x, width, y, field.align)


def draw_fields(c: canvas.Canvas, blank: Blank, context: dict[str, Any], printer: Printer, *, proof: bool) -> None:
    """Draw the blank's picture (proof mode only) and every field the context fills on the current page."""
    if proof:
        draw_underlay(c, blank)
    for field in blank.fields:
        text = value_of(context, field.name)
        if text:
            draw_field(c, field, text, blank.height_mm, printer)


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
