"""«Акт об уничтожении персональных данных», written by `dispose` beside the archival act (issue 16, item 7).

What the act must hold (Требования к подтверждению уничтожения персональных данных, приказ Роскомнадзора
от 28.10.2022 № 179, in force from 01.03.2023) [V: NOTES §12 and a secondary summary (delo-press.ru) agree;
the order's own text was not read — medium-high confidence]:
- the operator's name and address (and of a processor acting on its behalf, if any: none here);
- the subjects (ФИО or other information identifying them) whose data were destroyed;
- the full names, positions and signatures of those who destroyed the data;
- the categories of personal data destroyed;
- the destroyed material carriers, with the number of sheets of each (paper);
- the information system the data were erased from (electronic processing);
- the method and the reason of destruction, and the date.
With automated processing the act goes with an extract of the system's event log: the archive's register
of destroyed documents (disposal_register) is that log; the act names its entries by act number. Both are
kept 3 years [V: same sources].

A document «holds personal data» when its folder lists learners (every group folder, and the year folder
of the register of issued documents). Sheets come from the document's PDF/A copy when one was made; else a
blank is left to count by hand. Built with python-docx like the archival act (a fixed legal form).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from pipeline.archive.act_docx import NBSP, a4_document, act_date, fix_table, para, stable_bytes
from pipeline.archive.act_people import ActPeople, Signer, after_comma
from pipeline.core import ru

BLANK = "________________"
SYSTEM = "электронный архив документов учебной части организации (программа «uchet»)"
# Categories of personal data each kind of record holds (what the document prints about a learner) [B: read
# off our own templates; a carrier not listed prints at least the learner's full name].
CATEGORIES: dict[str, str] = {
    "learner_card": "фамилия, имя, отчество; дата рождения; СНИЛС; сведения об образовании, месте работы и "
                    "должности; контактные данные; сведения об обучении и его результатах; выданный документ",
    "study_certificate": "фамилия, имя, отчество; дата рождения; сведения об обучении (программа, период обучения)",
    "journal": "фамилия, имя, отчество; посещаемость занятий; оценки",
    "interim_sheet": "фамилия, имя, отчество; результаты промежуточной аттестации",
    "protocol": "фамилия, имя, отчество; результаты итоговой аттестации",
    "testing": "фамилия, имя, отчество; результаты тестирования",
    "issue_register": "фамилия, имя, отчество; вид, серия и номер выданного документа; дата выдачи",
    "issue_extract": "фамилия, имя, отчество; вид, серия и номер выданного документа; дата выдачи",
}
DEFAULT_CATEGORIES = "фамилия, имя, отчество; сведения об обучении"
REASON = ("истечение срока хранения документов, установленного номенклатурой дел организации, и достижение целей "
          "обработки персональных данных (ч. 7 ст. 5 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных "
          "данных»)")


@dataclass(frozen=True)
class Carrier:
    """One destroyed document: its title, the kind of record (carrier key), sheets (None: unknown)."""

    title: str
    carrier: str
    sheets: int | None


Destroyer = Signer
"""One who destroyed the data and signs the act: a position and «И.О. Фамилия»."""


def destroyers_of(people: ActPeople) -> tuple[Destroyer, ...]:
    """The expert commission in force signs as those who destroyed the data: chair, members, secretary, each as
    «role, position» («Член комиссии, методист»; the position after a comma as `after_comma` writes it)."""
    return tuple(Destroyer(f"{role}, {after_comma(s.position)}", s.name) for role, s in
                 [("Председатель экспертной комиссии", people.chair), *(("Член комиссии", m) for m in people.members),
                  ("Секретарь комиссии", people.secretary)] if s is not None)


@dataclass(frozen=True)
class PdAct:
    number: int
    """The archival act's number: the two are filed together as «act-N»."""
    act_label: str
    approved_by: str
    """«протоколом ЭК № 3 от 20.01.2031»."""
    date: dt.date
    operator: str
    address: str
    subjects: tuple[tuple[str, str], ...]
    """(ФИО, group) of every learner whose data were destroyed, sorted."""
    carriers: tuple[Carrier, ...]
    destroyers: tuple[Destroyer, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PdFacts:
    """What organization.xlsx gives the act: the operator, its address, who destroys (the ЭК in force)."""

    operator: str = ""
    address: str = ""
    destroyers: tuple[Destroyer, ...] = ()


def _para(doc, text: str = "", *, bold: bool = False, align=None, size: int = 12, after: int = 6, keep: bool = False):
    p = para(doc, text, bold=bold, align=align, size=size, after=after)
    p.paragraph_format.keep_with_next = keep
    return p


def _table(doc, headers: tuple[str, ...], rows: list[tuple[str, ...]], widths_mm: tuple[int, ...], *,
           grid: bool = True, size: int = 10):
    """Fixed widths, header repeated on every page, rows kept whole."""
    table = doc.add_table(rows=1 if headers else 0, cols=len(widths_mm))
    if grid:
        table.style = "Table Grid"
    if headers:
        for cell, title in zip(table.rows[0].cells, headers, strict=True):
            cell.paragraphs[0].add_run(title).bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(value).font.size = Pt(size)
    fix_table(table, widths_mm, header=bool(headers))
    return table


TAIL = 3
"""Rows of the carriers' list kept on the page of the signatures."""


def _keep_rows(table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def categories_of(carriers: tuple[Carrier, ...]) -> str:
    seen: list[str] = []
    for c in carriers:
        for part in CATEGORIES.get(c.carrier, DEFAULT_CATEGORIES).split("; "):
            if part not in seen:
                seen.append(part)
    return "; ".join(seen)


def pd_act_docx(act: PdAct) -> bytes:
    """Give the act as DOCX bytes."""
    doc = a4_document()

    _para(doc, act.operator or BLANK, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    _para(doc, "АКТ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _para(doc, "об уничтожении персональных данных", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, f"{act_date(act.date)}\t№{NBSP}{act.number}-ПД").paragraph_format.tab_stops.add_tab_stop(Mm(150))
    facts = [
        ("Оператор персональных данных", f"{act.operator or BLANK}, адрес: {act.address or BLANK}"),
        ("Лицо, осуществлявшее обработку по поручению оператора", "нет (обработку осуществлял оператор)"),
        ("Основание", f"акт о выделении к уничтожению архивных документов, не подлежащих хранению, {act.act_label}, "
                      f"согласованный {act.approved_by}"),
        ("Причина уничтожения", REASON),
        ("Категории уничтоженных персональных данных", categories_of(act.carriers)),
        ("Информационная система", SYSTEM),
        ("Способ уничтожения", "документы на бумажном носителе — путем ____________________ (измельчения, сжигания); "
                              "электронные документы — удалением файлов из информационной системы, о каждом файле "
                              f"сделана запись в реестре уничтоженных документов (записи по акту №{NBSP}{act.number}), "
                              "который служит выгрузкой из журнала регистрации событий"),
        ("Дата уничтожения", act_date(act.date)),
    ]
    _table(doc, (), facts, (60, 110), grid=True, size=11)
    _para(doc)
    _para(doc, f"Субъекты персональных данных, чьи данные уничтожены ({len(act.subjects)}):", keep=True)
    _table(doc, ("№ п/п", "Фамилия, имя, отчество", "Категория субъектов, группа"),
           [(str(n), name, f"слушатель, группа {ru.unbroken(group)}" if group else "слушатель")
            for n, (name, group) in enumerate(act.subjects, 1)], (15, 90, 65))
    _para(doc)
    _para(doc, f"Уничтоженные материальные носители ({len(act.carriers)}):", keep=True)
    rows = [(str(n), c.title, str(c.sheets) if c.sheets else "____") for n, c in enumerate(act.carriers, 1)]
    widths = (15, 125, 30)
    # The signatures never stand alone on a page: the last rows of the list go with them. LibreOffice reads
    # «keep with next» on a table's rows as the whole table's, so a long list keeps only a headless tail.
    head, tail = (rows, []) if len(rows) <= TAIL else (rows[:-TAIL], rows[-TAIL:])
    table = _table(doc, ("№ п/п", "Наименование носителя (документа)", "Количество листов"), head, widths)
    if tail:
        table = _table(doc, (), tail, widths)
    _keep_rows(table)
    _para(doc, keep=True)
    _para(doc, "Персональные данные уничтожили:", keep=True)
    rows = [(d.position, "_" * 16, d.name) for d in act.destroyers] or [(BLANK, "_" * 16, BLANK)] * 2
    signers = _table(doc, (), rows, (75, 45, 50), grid=False, size=12)
    for row in signers.rows:
        row.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    _para(doc, "Акт хранится три года с даты уничтожения персональных данных.", size=10)

    return stable_bytes(doc, f"Акт об уничтожении персональных данных № {act.number}-ПД")


__all__ = ["CATEGORIES", "Carrier", "Destroyer", "PdAct", "PdFacts", "categories_of", "destroyers_of", "pd_act_docx"]
