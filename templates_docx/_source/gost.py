"""ГОСТ Р 7.0.97 building blocks for the carrier templates (python-docx).

Every visual decision lives in the template's STYLES (fonts, sizes, spacing), not in runs, so staff
can adjust a style in Word and Cyrillic never falls back to another script's font (docxtpl #255).
The 2025 edition's exact values were not available; the 2016 values are used (domain NOTES §7).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from pipeline.core.stable import stable_zip  # noqa: E402

FONT = "Times New Roman"
TEXT_PT = 14
TABLE_PT = 12
SMALL_PT = 10  # wide registers and the attendance grid (ГОСТ allows 8–12 pt in tables)

# Margins: left 30 mm because these carriers are kept longer than 10 years (NOTES §7.1).
PORTRAIT = {"left": 30, "right": 10, "top": 20, "bottom": 20}
# A landscape page is filed turned, its top edge at the binding: the 30 mm margin goes on top.
LANDSCAPE = {"left": 20, "right": 20, "top": 30, "bottom": 10}
PORTRAIT_WIDTH_MM = 210 - PORTRAIT["left"] - PORTRAIT["right"]
LANDSCAPE_WIDTH_MM = 297 - LANDSCAPE["left"] - LANDSCAPE["right"]
FIXED_TIME = dt.datetime(2025, 1, 1, 0, 0, 0)


# ---------------------------------------------------------------- styles

def get_or_add(parent, tag: str):
    """`parent`'s `tag` child (e.g. «w:lang»), appended at the end when it is missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def _name_font(fonts) -> None:
    """Name FONT in all four script slots of a w:rFonts, so Cyrillic, Latin and symbols all use it;
    theme fonts are dropped first: they would win over the explicit name."""
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)


def _set_vals(rpr, tags: tuple[str, ...], value: str) -> None:
    """Set w:val on each of `tags` (a property and its complex-script twin), adding the ones missing."""
    for tag in tags:
        get_or_add(rpr, tag).set(qn("w:val"), value)


def _russian(rpr, attrs: tuple[str, ...]) -> None:
    """Mark the text Russian in the w:lang slots named by `attrs` (val, eastAsia, bidi)."""
    lang = get_or_add(rpr, "w:lang")
    for attr in attrs:
        lang.set(qn(f"w:{attr}"), "ru-RU")


def _set_fonts(rpr_parent, size_pt: float | None = None, bold: bool | None = None) -> None:
    """A style's run properties: the font in every script slot, Russian language, and size and bold when given."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    _name_font(fonts)
    _russian(rpr, ("val", "eastAsia"))
    if size_pt is not None:
        _set_vals(rpr, ("w:sz", "w:szCs"), str(int(size_pt * 2)))
    if bold is not None:
        _set_vals(rpr, ("w:b", "w:bCs"), "1" if bold else "0")


def _doc_defaults(doc) -> None:
    """Replace the theme fonts in docDefaults with Times New Roman, Russian language."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _name_font(rpr.find(qn("w:rFonts")))
    _russian(rpr, ("val", "eastAsia", "bidi"))


def _paragraph_style(doc, name, *, size=TEXT_PT, bold=False, align=None, before=0, after=0,
                     indent_first=None, keep_next=False, base="Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
        style.quick_style = True
    _set_fonts(style.element, size, bold)
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        pf.alignment = align
    if indent_first is not None:
        pf.first_line_indent = indent_first
    if keep_next:
        pf.keep_with_next = True
    return style


def add_style(doc, name, **options):
    """A paragraph style of a template's own (options as the shared styles': size, bold, align, before, after)."""
    return _paragraph_style(doc, name, **options)


def define_styles(doc) -> None:
    """The styles every carrier template uses; staff adjust these, not individual runs."""
    _doc_defaults(doc)
    _paragraph_style(doc, "Normal", size=TEXT_PT)
    _paragraph_style(doc, "Org Name", size=TEXT_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, "Doc Kind", size=TEXT_PT + 2, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6)
    _paragraph_style(doc, "Doc Heading", size=TEXT_PT, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12,
                     after=12, keep_next=True)
    _paragraph_style(doc, "Centered Heading", size=TEXT_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=12,
                     after=6, keep_next=True)
    _paragraph_style(doc, "Body", size=TEXT_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=Cm(1.25), after=3)
    _paragraph_style(doc, "Body Plain", size=TEXT_PT, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
    _paragraph_style(doc, "Order Word", size=TEXT_PT, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=6, after=6,
                     keep_next=True)
    _paragraph_style(doc, "Appendix Mark", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, "Table Text", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.LEFT, before=1, after=1)
    _paragraph_style(doc, "Table Head", size=TABLE_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=1, after=1)
    _paragraph_style(doc, "Table Small", size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT, before=1, after=1)
    _paragraph_style(doc, "Table Small Head", size=SMALL_PT, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=1,
                     after=1)
    _paragraph_style(doc, "Signature", size=TEXT_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "Note", size=SMALL_PT + 1, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, "Title Big", size=TEXT_PT + 6, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=24, after=12)
    _paragraph_style(doc, "Place", size=TEXT_PT, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    table_style = doc.styles["Table Grid"]
    _set_fonts(table_style.element, TABLE_PT)


# ---------------------------------------------------------------- page setup

def _margins(section, margins: dict) -> None:
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(8)


def _page_number_header(section) -> None:
    """Page number centred in the top margin, from page 2 (ГОСТ Р 7.0.97 п. 6.5)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    para = header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    _name_font(fonts)
    rpr.append(fonts)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(TABLE_PT * 2))
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    para._p.append(field)


def new_document(title: str, *, landscape: bool = False):
    """A blank A4 template with the styles, margins, page numbers from page 2 and fixed properties."""
    doc = Document()
    define_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    _margins(section, PORTRAIT)
    if landscape:
        _to_landscape(section)
    _page_number_header(section)
    props = doc.core_properties
    props.title = title
    props.author = "uchet"
    props.last_modified_by = "uchet"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    props.language = "ru-RU"
    # python-docx's default body holds no paragraph; nothing to clear.
    return doc


def _to_landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section, LANDSCAPE)


def new_section(doc, *, landscape: bool):
    """Start a new page in a new section; page numbers continue and show on its first page too."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        _to_landscape(section)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        _margins(section, PORTRAIT)
    section.different_first_page_header_footer = False
    return section


def save(doc, path: Path) -> None:
    """Write the template with fixed zip timestamps, so rebuilding it gives the same bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(stable_zip(buf.getvalue()))


# ---------------------------------------------------------------- paragraphs

def nbsp(text: str) -> str:
    """«№ 12» with a non-breaking space, so the number never starts a line without its sign."""
    text = re.sub(r"(\d)-ФЗ", "\\1\u2011ФЗ", text)  # «273-ФЗ» never breaks at its hyphen
    return re.sub(r"№ (?!п/п)", "№\u00a0", text)  # «№ п/п» must still wrap in a narrow column


def para(doc_or_cell, text: str = "", style: str = "Body", *, keep_next: bool = False):
    """A paragraph in `style`; `keep_next` keeps a lead-in line on the page of the table it introduces."""
    p = doc_or_cell.add_paragraph(nbsp(text))
    p.style = _styles_of(doc_or_cell)[style]
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def _styles_of(obj):
    part = obj.part if hasattr(obj, "part") else obj._parent.part
    return part.document.styles


def tag(doc, text: str):
    """A paragraph-level docxtpl tag ({%p …%}): the paragraph itself disappears on rendering."""
    p = doc.add_paragraph(text)
    p.style = doc.styles["Normal"]
    return p


def page_break_unless_last(doc) -> None:
    """A page break between loop items only: a break after the last item would leave a blank page."""
    tag(doc, "{%p if not loop.last %}")
    p = doc.add_paragraph()
    p.style = doc.styles["Normal"]
    p.add_run().add_break(WD_BREAK.PAGE)
    tag(doc, "{%p endif %}")


def page_break(doc) -> None:
    p = doc.add_paragraph()
    p.style = doc.styles["Normal"]
    p.add_run().add_break(WD_BREAK.PAGE)


def org_header(doc) -> None:
    """Наименование организации: full name, then the short name in brackets."""
    para(doc, "{{ org.full_name }}", "Org Name")
    para(doc, "({{ org.short_name }})", "Org Name")


def kind_line(doc, kind: str) -> None:
    para(doc, kind, "Doc Kind")


def date_number_line(doc, date_expr: str = "{{ doc_date }}", number_expr: str = "№\u00a0{{ doc_number }}",
                     width_mm: float = PORTRAIT_WIDTH_MM) -> None:
    """Date at the left margin, «№ …» at the right, on one line (a borderless two-cell table)."""
    table = doc.add_table(rows=1, cols=2)
    _fixed_widths(table, [width_mm / 2, width_mm / 2])
    left, right = table.rows[0].cells
    _cell_text(left, date_expr, "Body Plain")
    _cell_text(right, number_expr, "Body Plain").alignment = WD_ALIGN_PARAGRAPH.RIGHT


def place(doc) -> None:
    """Место составления, e.g. «г. Москва», centred under the date line."""
    para(doc, "{{ org.place }}", "Place")


def document_head(doc, kind: str, about: str | None = None, *, address: bool = False, dated: bool = False) -> None:
    """The head of a document: the organisation (and its address), the kind of document and what it is
    about; a dated one adds the date-and-number line and the place (ГОСТ Р 7.0.97)."""
    org_header(doc)
    if address:
        para(doc, "{{ org.address }}", "Place")
    kind_line(doc, kind)
    if about:
        para(doc, about, "Centered Heading")
    if dated:
        date_number_line(doc)
        place(doc)


def heading(doc, text: str, style: str = "Doc Heading") -> None:
    para(doc, text, style)


def order_word(doc) -> None:
    para(doc, "ПРИКАЗЫВАЮ:", "Order Word")


def item(doc, text: str, *, keep_next: bool = False):
    """A numbered order item; the number is written in the text so staff see and edit it plainly."""
    return para(doc, text, "Body", keep_next=keep_next)


def loop_items(loop: str) -> str:
    """What a Jinja loop head runs over: «members» of «s in members» (a list's «is it empty» test)."""
    return loop.split(" in ", 1)[1]


def each(doc, loop: str, text: str, style: str = "Body Plain", *, keep_next: bool = False) -> None:
    """One paragraph per item of `loop` (a Jinja loop head, e.g. «s in members»): a list, a line an item."""
    tag(doc, f"{{%p for {loop} %}}")
    para(doc, text, style, keep_next=keep_next)
    tag(doc, "{%p endfor %}")


def titled_list(doc, title: str, loop: str, text: str, style: str = "Body Plain", *,
                keep_next: bool = False) -> None:
    """`title` over a paragraph per item of `loop`; title and list vanish together when the list is empty."""
    tag(doc, f"{{%p if {loop_items(loop)} %}}")
    para(doc, title, style, keep_next=keep_next)
    each(doc, loop, text, style, keep_next=keep_next)
    tag(doc, "{%p endif %}")


# ---------------------------------------------------------------- tables

def _fixed_widths(table, widths_mm: list[float]) -> None:
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    tbl_w = get_or_add(tbl_pr, "w:tblW")
    tbl_w.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    tbl_w.set(qn("w:type"), "dxa")
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)


def _cell_text(cell, text: str, style: str):
    p = cell.paragraphs[0]
    p.text = nbsp(text)
    p.style = _styles_of(cell)[style]
    return p


def _row_props(row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)
    if header:
        tbl_header = OxmlElement("w:tblHeader")
        tr_pr.append(tbl_header)


def data_table(doc, headers: list[str], cells: list[str], widths_mm: list[float], loop: str, *,
               small: bool = False, center: tuple[int, ...] = (), keep_last: bool = False,
               tail: str | None = None, narrow: bool = False):
    """A bordered table: a header row repeated on every page, then one row per item of `loop`.

    Rows never split across pages. `loop` is the Jinja loop head, e.g. «r in learners». `keep_last`
    keeps the last row on the page of what follows (the closing items and the signature), so a
    page never begins with the signature alone.
    `tail` (a loop head, e.g. «r in tail») adds the data's last rows as a second, headless table right
    under the first, kept on the page of what follows (a signature): LibreOffice reads «keep with next»
    on every row of a table as the table's own «keep with next paragraph», which for the whole data
    table would push it to a new page. `narrow`: 1 mm cell margins (see narrow_cells).
    """
    text_style, head_style = ("Table Small", "Table Small Head") if small else ("Table Text", "Table Head")
    table = doc.add_table(rows=8 if keep_last else 4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths_mm)
    head, open_row, *bodies, close_row = table.rows
    if keep_last:
        # {%tr if not loop.last %} row {%tr else %} last row {%tr endif %}
        _cell_text(bodies[0].cells[0], "{%tr if not loop.last %}", text_style)
        _cell_text(bodies[2].cells[0], "{%tr else %}", text_style)
        _cell_text(bodies[4].cells[0], "{%tr endif %}", text_style)
        bodies = [bodies[1], bodies[3]]
    _row_props(head, header=True)
    for cell, text in zip(head.cells, headers, strict=True):
        _cell_text(cell, text, head_style)
    _cell_text(open_row.cells[0], f"{{%tr for {loop} %}}", text_style)
    for k, body in enumerate(bodies):
        _row_props(body)
        for i, (cell, text) in enumerate(zip(body.cells, cells, strict=True)):
            p = _cell_text(cell, text, text_style)
            if i in center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if k == 1:
                p.paragraph_format.keep_with_next = True
    _cell_text(close_row.cells[0], "{%tr endfor %}", text_style)
    if tail:
        # A hairline paragraph between the tables: adjacent tables would be read as one.
        gap = doc.add_paragraph()
        gap.style = doc.styles["Normal"]
        gap.paragraph_format.keep_with_next = True
        gap.paragraph_format.line_spacing = Pt(1)
        gap.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        last = doc.add_table(rows=3, cols=len(headers))
        last.style = doc.styles["Table Grid"]
        last.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fixed_widths(last, widths_mm)
        loop_var = loop.split(" in ")[0].strip()
        tail_var = tail.split(" in ")[0].strip()
        _cell_text(last.rows[0].cells[0], f"{{%tr for {tail} %}}", text_style)
        _row_props(last.rows[1])
        for i, (cell, text) in enumerate(zip(last.rows[1].cells, cells, strict=True)):
            p = _cell_text(cell, re.sub(rf"\b{loop_var}\.", f"{tail_var}.", text), text_style)
            p.paragraph_format.keep_with_next = True
            if i in center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cell_text(last.rows[2].cells[0], "{%tr endfor %}", text_style)
        if narrow:
            narrow_cells(last)
    if narrow:
        narrow_cells(table)
    return table


def narrow_cells(table, mm: float = 1.0) -> None:
    """Left and right cell margins of `mm` for a wide register, so long words fit whole in their column."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(mm * 56.7)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def static_table(doc, rows: list[list[str]], widths_mm: list[float], *, style: str = "Table Text",
                 bordered: bool = True, header: bool = False):
    """A table with fixed rows (key/value blocks, the control block)."""
    table = doc.add_table(rows=len(rows), cols=len(widths_mm))
    if bordered:
        table.style = doc.styles["Table Grid"]
    _fixed_widths(table, widths_mm)
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        _row_props(row, header=header and r == 0)
        for cell, text in zip(row.cells, values, strict=True):
            _cell_text(cell, text, "Table Head" if header and r == 0 else style)
    return table


def key_values(doc, rows: list[list[str]], label_mm: float, *, width_mm: float = PORTRAIT_WIDTH_MM,
               style: str = "Body Plain", bordered: bool = False):
    """A label/value block (programme, group, dates…): labels `label_mm` wide, values the rest of the line."""
    return static_table(doc, rows, [label_mm, width_mm - label_mm], style=style, bordered=bordered)


def signature_block(doc, loop: str | None = None, *, position: str = "{{ s.position }}",
                    name: str = "{{ s.name }}", width_mm: float = PORTRAIT_WIDTH_MM,
                    widths_mm: list[float] | None = None):
    """«должность — подпись — И. О. Фамилия» as a borderless table; one row, or one per item of `loop`."""
    _keep_with_signature(doc)
    # The name column holds «К. О. Орлов-Давыдов» in 14 pt on one line.
    widths = widths_mm or [width_mm * 0.42, width_mm * 0.24, width_mm * 0.34]
    rows = 3 if loop else 1
    table = doc.add_table(rows=rows, cols=3)
    _fixed_widths(table, widths)
    body = table.rows[1] if loop else table.rows[0]
    if loop:
        _cell_text(table.rows[0].cells[0], f"{{%tr for {loop} %}}", "Signature")
        _cell_text(table.rows[2].cells[0], "{%tr endfor %}", "Signature")
    _row_props(body)
    _cell_text(body.cells[0], position, "Signature")
    line = _cell_text(body.cells[1], "", "Signature")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _bottom_border(body.cells[1])
    p = _cell_text(body.cells[2], name, "Signature")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Space above each signature row, so there is room to sign.
    body.height = Mm(14)
    for cell in body.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        if loop:  # several signatures stay on one page: a page never holds one member's signature alone
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    return table


def _keep_with_signature(doc) -> None:
    """The text just above a signature keeps with it (trailing spacers and the last paragraph with text),
    so a page never holds the signature alone (ГОСТ Р 7.0.97)."""
    body = doc.element.body
    for child in reversed(list(body.iterchildren())):
        if child.tag == qn("w:sectPr"):
            continue
        if child.tag != qn("w:p"):
            return  # a table: the caller keeps its end with what follows
        child.get_or_add_pPr().get_or_add_keepNext()  # python-docx puts it where the schema wants it
        text = "".join(t.text or "" for t in child.iter(qn("w:t")))
        if text.strip() and not text.strip().startswith("{%"):
            return


def _bottom_border(cell) -> None:
    """The line to sign on: a bottom border of the middle cell, so it survives re-saving in Word."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "4")
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    tc_pr.append(borders)


def spacer(doc, pt: int = 6, *, keep_next: bool = False) -> None:
    p = doc.add_paragraph()
    p.style = doc.styles["Normal"]
    p.paragraph_format.space_after = Pt(pt)
    if keep_next:
        p.paragraph_format.keep_with_next = True


def keep_with_next(paragraph) -> None:
    """Keep this paragraph on the page of the next one (a lead-in line, a closing item before a signature)."""
    paragraph.paragraph_format.keep_with_next = True


def acquaintance_block(doc, loop: str = "p in acquainted", *, width_mm: float = PORTRAIT_WIDTH_MM) -> None:
    """«С приказом ознакомлены:» with a name, a line to sign on and a date line per person (ГОСТ Р 7.0.97).

    The block and its rows vanish when `acquainted` is empty.
    """
    tag(doc, f"{{%p if {loop_items(loop)} %}}")
    spacer(doc, 6)
    widths = [width_mm * 0.44, width_mm * 0.2, width_mm * 0.36]
    table = doc.add_table(rows=4, cols=3)
    _fixed_widths(table, widths)
    # The title is the table's first row: besides keeping it with the names, a full row outside the
    # loop lets the fast renderer prove the table's shape (pipeline.render.fast).
    for cell, text in zip(table.rows[0].cells, ("{{ acquainted_title }}", "", ""), strict=True):
        _cell_text(cell, text, "Body Plain").paragraph_format.keep_with_next = True
    _row_props(table.rows[0])
    _cell_text(table.rows[1].cells[0], f"{{%tr for {loop} %}}", "Signature")
    _cell_text(table.rows[3].cells[0], "{%tr endfor %}", "Signature")
    body = table.rows[2]
    _row_props(body)
    _cell_text(body.cells[0], "{{ p.name }}", "Signature")
    _cell_text(body.cells[1], "", "Signature")
    _bottom_border(body.cells[1])
    _cell_text(body.cells[2], "«___» __________ 20___ г.", "Signature").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    body.height = Mm(10)
    for cell in body.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        # The list stays on one page: split, LibreOffice draws a stray signing line at the break.
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    tag(doc, "{%p endif %}")


def executor_mark(doc) -> None:
    """Отметка об исполнителе (ГОСТ Р 7.0.97): name and phone, small, at the foot of the text."""
    tag(doc, "{%p if executor.name %}")
    spacer(doc, 12, keep_next=True)  # never a page of its own: it follows the block above
    para(doc, "Исполнитель: {{ executor.name }}", "Note", keep_next=True)  # the phone stays with the name
    tag(doc, "{%p if executor.phone %}")
    para(doc, "{{ executor.phone }}", "Note")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
