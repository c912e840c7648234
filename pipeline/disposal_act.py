"""The DOCX of «Акт о выделении к уничтожению документов, не подлежащих хранению» (NOTES §4.1).

Built with python-docx directly rather than from a staff-editable template: the form is fixed by the
archive rules, and its 8-column table grows with the number of cases. Blanks («____») are left for
what only people can fill in: the approval, the ЭК protocol and the destruction record.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from num2words import num2words

from pipeline.archive.stable import FIXED_TIME
from pipeline.disposal import Act

BASIS = (
    "Перечня типовых управленческих архивных документов, образующихся в процессе деятельности государственных "
    "органов, органов местного самоуправления и организаций, с указанием сроков их хранения (приказ Росархива "
    "от 20.12.2019 № 236) и номенклатуры дел организации"
)
COLUMNS = ("№ п/п", "Заголовок дела (групповой заголовок документов)", "Годы", "Номер описи",
           "Индекс дела по номенклатуре", "Количество ед. хр.", "Сроки хранения и номера статей по перечню",
           "Примечание")
WIDTHS_MM = (10, 52, 13, 14, 18, 15, 28, 30)
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


def _units(n: int) -> str:
    return f"{n} ({num2words(n, lang='ru')})"


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


def act_docx(act: Act) -> bytes:
    """Give the act as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)

    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(act.organization or BLANK).bold = True
    left.add_paragraph("АКТ").runs[0].bold = True
    left.add_paragraph(f"{act.date.strftime('%d.%m.%Y')} № {act.number}")
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

    years = sorted({c.year for c in act.cases})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    word = "год" if len(years) == 1 else "годы"
    _para(doc)
    _para(doc, f"Итого {_units(len(act.cases))} ед. хр. за {span} {word}.")
    _para(doc, f"Описи дел постоянного хранения за {span} {word} утверждены, а по личному составу согласованы "
               f"с ЭПК {BLANK} (протокол от {BLANK} № ______).")
    _para(doc)
    _para(doc, f"{BLANK} (должность лица, проводившего экспертизу ценности документов)   {BLANK}   {BLANK}")
    _para(doc, "«____» ____________ 20__ г.")
    _para(doc)
    _para(doc, "СОГЛАСОВАНО", bold=True)
    _para(doc, "Протокол ЭК от «____» ____________ 20__ г. № ______")
    _para(doc)
    total = sum(len(c.documents) for c in act.cases)
    _para(doc, f"Документы в количестве {_units(len(act.cases))} ед. хр. (электронных файлов: {total}) уничтожены "
               f"путем удаления из электронного архива (команда «uchet dispose --act {act.number} --confirm»); "
               "сведения внесены в реестр уничтожения disposal_register.xlsx.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, f"{BLANK} (должность)   {BLANK} (подпись)   {BLANK} (расшифровка подписи)")
    _para(doc, "«____» ____________ 20__ г.")

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
