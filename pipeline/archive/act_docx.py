"""The python-docx layout both acts share (the disposal act and the act on destroyed personal data).

An A4 page with ГОСТ Р 7.0.97 margins, Times New Roman in every script slot, tables with fixed column
widths whose header repeats and whose rows never split, a date written «10 января 2022 г.» that never
breaks, and the fixed document properties that make two builds byte-identical.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.core import ru
from pipeline.core.stable import FIXED_TIME

FONT = "Times New Roman"
NBSP = "\u00a0"


def a4_document():
    """A new document: A4, margins 30/10/20/20 mm, Times New Roman 12 pt for every script."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):  # so Cyrillic never falls back to the theme font
        fonts.set(qn(f"w:{slot}"), FONT)
    return doc


def fix_table(table, widths_mm, *, header: bool = True) -> None:
    """Fixed column widths (LibreOffice and Word both honour them), a repeated header row, rows kept whole."""
    table.autofit = False  # <w:tblLayout w:type="fixed"/>: the widths below are kept, not fitted to the text
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for r, row in enumerate(table.rows):
        keep_row(row, header=header and r == 0)
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def keep_row(row, *, header: bool = False) -> None:
    """Keep a table row on one page (w:cantSplit); with `header`, repeat it atop every page (w:tblHeader).

    python-docx 1.2 models neither row property: `_Row` offers only cells, height and the grid
    offsets, and «repeat as header row» has been an open request since 2016 (python-openxml/python-docx
    #322). So the row's own element, `row._tr`, is the one place left to set them.
    """
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def para(doc, text: str = "", *, bold: bool = False, align=None, size: int = 12, after: int = 6):
    """Add a paragraph of one run: `size` pt, `after` pt below it, aligned as `align` (None: the style's)."""
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    return p


def act_date(day: dt.date) -> str:
    """«10 января 2022 г.» with non-breaking spaces: the day stays with its month, the year with «г.»."""
    return ru.date_long(day).replace(" ", NBSP, 1).replace(" г.", f"{NBSP}г.")


def stable_bytes(doc, title: str) -> bytes:
    """The document as DOCX bytes with fixed author, title and times, so a rebuild gives the same bytes."""
    props = doc.core_properties
    props.author = props.last_modified_by = "uchet"
    props.title = title
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
