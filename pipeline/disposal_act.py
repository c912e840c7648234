"""The DOCX of «Акт о выделении к уничтожению документов, не подлежащих хранению» (NOTES §4.1).

Built with python-docx directly rather than from a staff-editable template: the form is fixed by the
archive rules, and its 8-column table grows with the number of cases. Blanks («____») are left for
what only people can fill in: the approval, the ЭК protocol and the destruction record.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from num2words import num2words

from pipeline import ru
from pipeline.disposal import Act
from pipeline.stable import FIXED_TIME

BASIS = (
    "Перечня типовых управленческих архивных документов, образующихся в процессе деятельности государственных "
    "органов, органов местного самоуправления и организаций, с указанием сроков их хранения (приказ Росархива "
    "от 20.12.2019 № 236) и номенклатуры дел организации"
)
COLUMNS = ("№ п/п", "Заголовок дела (групповой заголовок документов)", "Годы", "Номер описи",
           "Индекс дела по номенклатуре", "Количество ед. хр.", "Сроки хранения и номера статей по перечню",
           "Примечание")
# 170 mm: the text width of an A4 page with margins 30 and 10 mm; no word of a heading is cut.
WIDTHS_MM = (10, 45, 13, 15, 23, 20, 20, 24)
UNDECIDED_WIDTHS_MM = (20, 70, 15, 25, 40)
FONT = "Times New Roman"
BLANK = "________________"


def _para(doc, text: str = "", *, bold: bool = False, align=None, size: int = 12, after: int = 6):
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    return p


def _fixed(table, widths_mm) -> None:
    """Fixed column widths (LibreOffice and Word both honour them), a repeated header row, rows kept whole."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        grid_col.set(qn("w:w"), str(int(width * 56.7)))
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _fonts(doc) -> None:
    """Times New Roman for every script slot, so Cyrillic never falls back to the theme font."""
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)


def _units(n: int) -> str:
    return f"{n} ({num2words(n, lang='ru')})"


def _signature(doc, position: str) -> None:
    """«должность — подпись — расшифровка» blanks on tab stops, their captions underneath, then the date."""
    for text, size, after in (("_" * 44 + f"\t{BLANK}\t{BLANK}", 12, 0),
                              (f"({position})\t(подпись)\t(расшифровка подписи)", 9, 6)):
        p = _para(doc, text, size=size, after=after)
        p.paragraph_format.keep_with_next = True  # the blanks, their captions and the date stay together
        for stop_mm in (100, 136):
            p.paragraph_format.tab_stops.add_tab_stop(Mm(stop_mm))
    _para(doc, "«____» ____________ 20__ г.")


def _undecided(doc, act: Act) -> None:
    """A note after the act: expired cases left out because their period still needs the commission."""
    _para(doc)
    _para(doc, "Справка к акту (не является частью акта)", bold=True)
    _para(doc, "Не включены в акт: срок хранения этих дел в номенклатуре дел отмечен «требует решения ЭК». "
               "Их можно включить в следующий акт после того, как экспертная комиссия утвердит срок.",
          align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Индекс дела", "Заголовок дела", "Год", "Документов",
                                                 "Предварительный срок"), strict=True):
        cell.paragraphs[0].add_run(title).font.size = Pt(9)
    for case in act.needs_decision:
        values = (case.case_index, case.title, str(case.year), str(len(case.documents)), case.retention)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(value).font.size = Pt(10)
    _fixed(table, UNDECIDED_WIDTHS_MM)


def act_docx(act: Act) -> bytes:
    """Give the act as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    _fonts(doc)

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(act.organization or BLANK).bold = True
    left.add_paragraph("АКТ").runs[0].bold = True
    when = ru.date_long(act.date).replace(" г.", "\u00a0г.")
    left.add_paragraph(f"{when} № {act.number}")
    left.add_paragraph(f"Место составления {BLANK}")
    right.paragraphs[0].add_run("УТВЕРЖДАЮ").bold = True
    for line in ("Руководитель организации", f"{BLANK} {BLANK}", "(подпись)      (расшифровка подписи)",
                 "«____» ____________ 20__ г."):
        right.add_paragraph(line)

    _para(doc)
    _para(doc, "о выделении к уничтожению документов, не подлежащих хранению", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"На основании {BASIS} отобраны к уничтожению как не имеющие научно-исторической ценности и "
               f"утратившие практическое значение документы фонда № {BLANK} «{act.organization}»:",
          align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, title, width in zip(table.rows[0].cells, COLUMNS, WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(title).font.size = Pt(9)
    numbers = table.add_row().cells
    for i, cell in enumerate(numbers, 1):
        cell.paragraphs[0].add_run(str(i)).font.size = Pt(9)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, case in enumerate(act.cases, 1):
        groups = f" (группы: {', '.join(case.groups)})" if case.groups else ""
        epk = any(d.get("epk") for d in case.documents)
        note = f"электронные документы: {len(case.documents)}" + ("; ЭПК — проведена экспертиза ценности" if epk else "")
        values = (str(n), f"{case.title}{groups}", str(case.year), "", case.case_index, "1", case.retention, note)
        for cell, value, width in zip(table.add_row().cells, values, WIDTHS_MM, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].add_run(value).font.size = Pt(10)
    _fixed(table, WIDTHS_MM)

    years = sorted({c.year for c in act.cases})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    word = "год" if len(years) == 1 else "годы"
    _para(doc)
    _para(doc, f"Итого {_units(len(act.cases))} ед. хр. за {span} {word}.")
    _para(doc, f"Описи дел постоянного хранения за {span} {word} утверждены, а по личному составу согласованы "
               f"с ЭПК {BLANK} (протокол от {BLANK} № ______).")
    _para(doc)
    _signature(doc, "должность лица, проводившего экспертизу ценности документов")
    _para(doc)
    _para(doc, "СОГЛАСОВАНО", bold=True)
    _para(doc, "Протокол ЭК от «____» ____________ 20__ г. № ______")
    _para(doc)
    total = sum(len(c.documents) for c in act.cases)
    _para(doc, f"Документы в количестве {_units(len(act.cases))} ед. хр. (электронных файлов: {total}) уничтожены "
               f"путем удаления из электронного архива (команда «uchet dispose --act {act.number} --confirm»); "
               "сведения внесены в реестр уничтожения disposal_register.xlsx.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signature(doc, "должность")

    if act.needs_decision:
        _undecided(doc, act)

    props = doc.core_properties
    props.author = props.last_modified_by = "uchet"
    props.title = f"Акт о выделении к уничтожению {act.label}"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
