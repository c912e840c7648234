"""The DOCX of «Акт о выделении к уничтожению архивных документов, не подлежащих хранению» (NOTES §4.1).

Built with python-docx directly rather than from a staff-editable template: the form is fixed by the
archive rules, and its 8-column table grows with the number of cases. Blanks («____») are left for
what only people can fill in: the dates of signing, the ЭК protocol and the destruction record. The fund,
the place, the director and the expert commission come from organization.xlsx (pipeline.archive.act_people).
The act prints no command or file name: it is a paper for the commission, not instructions for staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from num2words import num2words

from pipeline.archive.act_docx import NBSP, a4_document, act_date, fix_table, para, stable_bytes
from pipeline.archive.act_people import ActPeople, after_comma
from pipeline.core import ru

if TYPE_CHECKING:  # the act's data is drawn up by pipeline.archive.disposal, which writes this document
    from pipeline.archive.disposal import Act

BASIS = (
    "Перечня типовых управленческих архивных документов, образующихся в процессе деятельности государственных "
    "органов, органов местного самоуправления и организаций, с указанием сроков их хранения (приказ Росархива "
    "от 20.12.2019 № 236) и номенклатуры дел организации"
)
COLUMNS = ("№ п/п", "Заголовок дела (групповой заголовок документов)", "Годы",
           "Номера описей (номенклатур) за годы", "Индекс дела по номенклатуре", "Количество ед. хр.",
           "Сроки хранения и номера статей по перечню", "Примечание")
# 170 mm: the text width of an A4 page with margins 30 and 10 mm; no word of a heading is cut.
WIDTHS_MM = (10, 34, 11, 25, 24, 20, 22, 24)
# Measured in Liberation Serif 9 pt (what LibreOffice sets Times New Roman in) plus 3.8 mm of cell margins:
# «номенклатура» needs 22.5 mm, «Количество» 19.5, «электронные» 21.1 — no word is broken.
UNDECIDED_WIDTHS_MM = (20, 70, 15, 25, 40)
SIGN_WIDTHS_MM = (70, 45, 55)
BLANK = "________________"
NB_HYPHEN = "\u2011"
"""Group numbers, case indexes and order numbers never break at their hyphen («ПК-⏎2025-01»)."""


def _nb(text: str) -> str:
    return text.replace("-", NB_HYPHEN)


def _units(n: int) -> str:
    return f"{n} ({num2words(n, lang='ru')})"


def _keep(p) -> None:
    p.paragraph_format.keep_with_next = True


def _signature(doc, position: str) -> None:
    """«должность — подпись — расшифровка» blanks on tab stops, their captions underneath, then the date."""
    for text, size, after in (("_" * 44 + f"\t{BLANK}\t{BLANK}", 12, 0),
                              (f"({position})\t(подпись)\t(расшифровка подписи)", 9, 6)):
        p = para(doc, text, size=size, after=after)
        _keep(p)  # the blanks, their captions and the date stay together
        for stop_mm in (100, 136):
            p.paragraph_format.tab_stops.add_tab_stop(Mm(stop_mm))
    para(doc, "«____» ____________ 20__ г.")


def _signers(doc, rows: list[tuple[str, str]]) -> None:
    """One row per signer: position (wraps), a line to sign on, «И.О. Фамилия»; rows stay on one page."""
    table = doc.add_table(rows=0, cols=3)  # no table style: no borders
    for position, name in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (position, "_" * 18, name or BLANK), strict=True):
            p = cell.paragraphs[0]
            p.add_run(text).font.size = Pt(12)
            p.paragraph_format.space_after = Pt(4)
            _keep(p)
        cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fix_table(table, SIGN_WIDTHS_MM, header=False)


def _commission(doc, people: ActPeople) -> None:
    """The signatures of the expert commission (NOTES §4.1: «за подписью экспертной комиссии»)."""
    if people.commission_order:
        number, date = people.commission_order
        appointed = f", назначенная приказом от {act_date(date)} №{NBSP}{_nb(number)}"
    else:
        appointed = f", назначенная приказом от {BLANK} № ______"
    _keep(para(doc, f"Экспертная комиссия{appointed}:", after=4))
    rows = [(f"Председатель экспертной комиссии, {after_comma(people.chair.position)}" if people.chair
             else "Председатель экспертной комиссии", people.chair.name if people.chair else "")]
    members = list(people.members) or [None, None]
    rows += [(f"Член комиссии, {after_comma(m.position)}" if m else "Член комиссии", m.name if m else "") for m in members]
    rows.append((f"Секретарь комиссии, {after_comma(people.secretary.position)}" if people.secretary
                 else "Секретарь комиссии", people.secretary.name if people.secretary else ""))
    _signers(doc, rows)
    para(doc, "«____» ____________ 20__ г.")


def _undecided(doc, act: Act) -> None:
    """A note after the act, on a sheet of its own (it is not signed): expired cases left out because their
    period still needs the commission."""
    heading = para(doc, "Справка к акту (не является частью акта)", bold=True)
    heading.paragraph_format.page_break_before = True
    _keep(heading)
    para(doc, "Не включены в акт: срок хранения этих дел в номенклатуре дел отмечен «требует решения ЭК». "
               "Их можно включить в следующий акт после того, как экспертная комиссия утвердит срок.",
          align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Индекс дела", "Заголовок дела", "Год", "Документов",
                                                 "Предварительный срок"), strict=True):
        cell.paragraphs[0].add_run(title).font.size = Pt(9)
    for case in act.needs_decision:
        values = (_nb(case.case_index), case.title, str(case.year), str(len(case.documents)), case.retention)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].add_run(value).font.size = Pt(10)
    fix_table(table, UNDECIDED_WIDTHS_MM)


def _place(city: str) -> str:
    city = " ".join(city.split())
    return city if not city or city.lower().startswith(("г.", "г ", "пос", "с.", "д.")) else f"г.{NBSP}{city}"


def _header(doc, act: Act, people: ActPeople) -> None:
    """Organisation, «АКТ», date and number, place on the left; «УТВЕРЖДАЮ» by the director on the right."""
    head = doc.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.paragraphs[0].add_run(act.organization or BLANK).bold = True
    left.add_paragraph("АКТ").runs[0].bold = True
    left.add_paragraph(f"{act_date(act.date)} №{NBSP}{act.number}")
    left.add_paragraph(_place(people.city) or f"Место составления {BLANK}")
    right.paragraphs[0].add_run("УТВЕРЖДАЮ").bold = True
    position = people.head.position if people.head else "Руководитель организации"
    name = people.head.name if people.head else BLANK
    for line in (position, f"____________ {name}", "«____» ____________ 20__ г."):
        right.add_paragraph(line)


def _cases_table(doc, act: Act) -> None:
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].add_run(title).font.size = Pt(9)
    numbers = table.add_row().cells
    for i, cell in enumerate(numbers, 1):
        cell.paragraphs[0].add_run(str(i)).font.size = Pt(9)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, case in enumerate(act.cases, 1):
        groups = f" (группы: {', '.join(_nb(g) for g in case.groups)})" if case.groups else ""
        epk = any(d.get("epk") for d in case.documents)
        files = ru.count(len(case.documents), "файл", "файла", "файлов")
        note = f"подлинники на бумаге и электронные документы ({files})" + (
            "; ЭПК — проведена экспертиза ценности" if epk else "")
        values = (str(n), f"{case.title}{groups}", str(case.year), f"номенклатура дел на {case.year} г.",
                  _nb(case.case_index), "1", case.retention, note)
        for i, (cell, value) in enumerate(zip(table.add_row().cells, values, strict=True)):
            cell.paragraphs[0].add_run(value).font.size = Pt(10 if i == 1 else 9)
    fix_table(table, WIDTHS_MM)


def act_docx(act: Act, people: ActPeople | None = None) -> bytes:
    """Give the act as DOCX bytes; `people` gives the fund, place, director and ЭК (blanks where None)."""
    people = people or ActPeople()
    doc = a4_document()
    _header(doc, act, people)

    para(doc)
    para(doc, "о выделении к уничтожению архивных документов, не подлежащих хранению", bold=True,
          align=WD_ALIGN_PARAGRAPH.CENTER)
    fund = people.fund or BLANK
    para(doc, f"На основании {BASIS} отобраны к уничтожению как не имеющие научно-исторической ценности и "
               f"утратившие практическое значение документы фонда №{NBSP}{fund} ({act.organization}). "
               "Каждое дело состоит из подлинников документов на бумажном носителе (подписанных экземпляров) и "
               "электронных документов того же содержания в электронном архиве организации; к уничтожению "
               "отобраны и те, и другие:", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _cases_table(doc, act)

    years = sorted({c.year for c in act.cases})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    word = "год" if len(years) == 1 else "годы"
    total = sum(len(c.documents) for c in act.cases)
    para(doc)
    para(doc, f"Итого {_units(len(act.cases))} ед. хр. за {span} {word}.")
    para(doc, f"Дела учтены по номенклатуре дел организации на {span} {word}.")
    para(doc, f"Электронных документов в перечисленных делах: {total}. Контрольная сумма их списка (SHA-256): "
               f"{act.list_sha256}.", size=10)
    para(doc)
    _commission(doc, people)
    para(doc)
    _keep(para(doc, "СОГЛАСОВАНО", bold=True))
    para(doc, "Протокол ЭК от «____» ____________ 20__ г. № ______")
    para(doc)
    _keep(para(doc, f"Документы на бумажном носителе в количестве {_units(len(act.cases))} ед. хр. уничтожены путем "
                     "____________________________ (измельчения; сдачи на переработку — по приемо-сдаточной "
                     "накладной от «____» ____________ 20__ г. № ______).", align=WD_ALIGN_PARAGRAPH.JUSTIFY))
    _signature(doc, "должность")
    _keep(para(doc, f"Электронные документы тех же дел ({ru.count(total, 'файл', 'файла', 'файлов')}) удалены из "
                     "электронного архива организации; сведения о каждом внесены в реестр уничтоженных документов.",
                align=WD_ALIGN_PARAGRAPH.JUSTIFY))
    _signature(doc, "должность")

    if act.needs_decision:
        _undecided(doc, act)

    return stable_bytes(doc, f"Акт о выделении к уничтожению {act.label}")
