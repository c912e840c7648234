"""The ФИС ФРДО rows of a year: one per issued document, every value with the cell it came from.

Which documents: those issued in the year (by issue date). Удостоверения and дипломы go to the ДПО
template, свидетельства to the ПО template. Справки об обучении are exported too: ФИС ФРДО is the
register «…о документах об образовании и (или) о квалификации, документах об обучении» (273-ФЗ
ст. 98) and both templates list «Справка об обучении»; a справка goes to the template of its
group's program (ПО -> ПО, ПК/ПП -> ДПО) and leaves the «(для документа о квалификации)» columns
and the qualification empty, since no qualification was obtained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.core.dataset import Dataset, Group, IssuedDocument, Learner, Program
from pipeline.frdo.template import Kind

CERTIFICATE = "Справка об обучении"
NO_SERIES = "нет"
DEFAULT_EDU_FORM = "в образовательной организации"
NO = "Нет"

DPO_DOCUMENTS = ("Удостоверение о повышении квалификации", "Диплом о профессиональной переподготовке")
PO_DOCUMENTS = ("Свидетельство о профессии рабочего, должности служащего",)

# Sheets and headers as staff see them in their workbooks (schemas/*.py aliases).
ORG, LEARNERS = "organization.xlsx", "learners.xlsx"


@dataclass(frozen=True)
class Origin:
    """The workbook cell a value comes from; row None for a key-value sheet such as «Группа»."""

    file: str
    sheet: str
    row: int | None
    column: str


@dataclass(frozen=True)
class Value:
    value: Any
    origin: Origin | None = None
    required: bool = False
    """FRDO needs it: empty is a pre-flight error."""


@dataclass(frozen=True)
class DocRow:
    """One document's row as fields (template-independent), with what pre-flight and the diff need."""

    kind: Kind
    key: str
    """The document's key in the sent history: its registration number."""
    doc: IssuedDocument
    group: Group
    fields: dict[str, Value]


def kind_of(doc: IssuedDocument, program: Program) -> Kind | None:
    """Give the template a document is reported in, None for a kind FRDO has no template for here."""
    if doc.document in DPO_DOCUMENTS:
        return "dpo"
    if doc.document in PO_DOCUMENTS:
        return "po"
    if doc.document == CERTIFICATE:
        return "po" if program.kind == "ПО" else "dpo"
    return None


def documents_of(dataset: Dataset, year: int, kind: Kind) -> list[tuple[Group, IssuedDocument]]:
    """Give the documents issued in `year` that belong to template `kind`, in register order."""
    found = [
        (group, doc)
        for group in dataset.groups.values()
        for doc in group.issued
        if doc.issued_on.year == year and kind_of(doc, dataset.program_of(group)) == kind
    ]
    return sorted(found, key=lambda gd: (gd[1].issued_on, _natural(gd[1].reg_no), gd[0].number))


def years_of(dataset: Dataset) -> list[int]:
    """Give every year in which a document FRDO takes was issued."""
    return sorted(
        {
            doc.issued_on.year
            for group in dataset.groups.values()
            for doc in group.issued
            if kind_of(doc, dataset.program_of(group))
        }
    )


def _natural(text: str) -> tuple:
    """«2/2025» before «10/2025»: numbers compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def find_original(dataset: Dataset, doc: IssuedDocument) -> tuple[Group, IssuedDocument] | None:
    """Give the document a duplicate replaces: same registration number, same learner if possible."""
    if not doc.replaces:
        return None
    matches = [
        (g, d) for g in dataset.groups.values() for d in g.issued if d.reg_no == doc.replaces and d is not doc
    ]
    same_person = [m for m in matches if m[1].learner_id == doc.learner_id]
    chosen = same_person or matches
    return chosen[0] if len(chosen) >= 1 else None


def build_rows(dataset: Dataset, year: int, kind: Kind) -> list[DocRow]:
    """Give the rows of one upload: every document of the year and template, as fields with origins."""
    return [_row(dataset, kind, group, doc) for group, doc in documents_of(dataset, year, kind)]


def _row(dataset: Dataset, kind: Kind, group: Group, doc: IssuedDocument) -> DocRow:
    program = dataset.program_of(group)
    learner = dataset.learners.get(doc.learner_id)
    member = group.member(doc.learner_id)
    issued_sheet = "Выдача документов"

    def at_doc(column: str) -> Origin:
        return Origin(group.file, issued_sheet, doc.src.row, column)

    def at_program(column: str) -> Origin:
        return Origin(program.src.file, program.src.sheet, program.src.row, column)

    def at_learner(column: str) -> Origin:
        src = learner.src if learner else None
        return Origin(src.file if src else LEARNERS, src.sheet if src else "Слушатели", src.row if src else None, column)

    qualification_doc = doc.document != CERTIFICATE
    f: dict[str, Value] = {
        "document": Value(doc.document, at_doc("Вид документа"), True),
        "status": Value(doc.status, at_doc("Статус документа"), True),
        "lost": Value(doc.lost or NO, at_doc("Подтверждение утраты"), True),
        "exchanged": Value(doc.exchanged or NO, at_doc("Подтверждение обмена"), True),
        "destroyed": Value(doc.destroyed or NO, at_doc("Подтверждение уничтожения"), True),
        "series": Value(doc.series or NO_SERIES, at_doc("Серия"), True),
        "number": Value(doc.number, at_doc("Номер бланка"), True),
        "issued_on": Value(doc.issued_on, at_doc("Дата выдачи"), True),
        "reg_no": Value(doc.reg_no, at_doc("Регистрационный №"), True),
        "program_name": Value(program.name, at_program("Наименование программы"), True),
        "year_start": Value(group.start.year if qualification_doc else None, Origin(group.file, "Группа", None, "Дата начала"), qualification_doc),
        "year_end": Value(group.end.year if qualification_doc else None, Origin(group.file, "Группа", None, "Дата окончания"), qualification_doc),
        "hours": Value(program.hours if qualification_doc else None, at_program("Объем, ак. ч"), qualification_doc),
        "study_form": Value(program.study_form, at_program("Форма обучения"), True),
        "funding": Value(
            member.funding if member else None,
            Origin(group.file, "Состав", member.src.row if member else None, "Источник финансирования"),
            True,
        ),
        "edu_form": Value(DEFAULT_EDU_FORM, None, True),
        "change_number": Value(None),
    }
    if learner:
        f |= _person_fields(learner, at_learner)
    else:
        f["surname"] = Value(None, at_doc("ID слушателя"), True)
    if kind == "dpo":
        f["program_kind"] = Value(program.kind_title if program.kind in ("ПК", "ПП") else None, at_program("Вид программы"), True)
        f["prof_area"] = Value(program.prof_area, at_program("Область профессиональной деятельности"))
        f["ugs"] = Value(program.ugs, at_program("Укрупненная группа специальностей"))
        f["qualification"] = Value(
            program.qualification if qualification_doc else None,
            at_program("Квалификация"),
            qualification_doc and program.kind == "ПП",
        )
        if learner:
            f |= _prior_education(learner, at_learner)
    else:
        f["program_kind"] = Value(program.po_kind, at_program("Вид программы ПО"), True)
        f["qualification"] = Value(program.qualification, at_program("Квалификация"), True)
        f["rank"] = Value(program.rank if qualification_doc and program.rank else NO, at_program("Разряд"))
    if doc.status == "Дубликат":
        f |= _original_fields(dataset, doc, at_doc)
    return DocRow(kind, doc.reg_no, doc, group, f)


def _person_fields(learner: Learner, at) -> dict[str, Value]:
    person = learner.person
    return {
        "surname": Value(person.surname, at("Фамилия"), True),
        "name": Value(person.name, at("Имя"), True),
        "patronymic": Value(person.patronymic, at("Отчество")),
        "birth_date": Value(learner.birth_date, at("Дата рождения"), True),
        "sex": Value(person.sex, at("Пол"), True),
        "snils": Value(learner.snils, at("СНИЛС"), True),
        "citizenship": Value(learner.citizenship, at("Гражданство (ОКСМ)"), True),
    }


def _prior_education(learner: Learner, at) -> dict[str, Value]:
    """The ВО/СПО document that admits a learner to ДПО (273-ФЗ ст. 76 ч. 3): FRDO columns O–R."""
    level = learner.education_level
    # A diploma has a series and a number; a справка about current study has at least a number; work
    # experience or «Пункт 1 правил» rest on no document.
    needs_number = level in ("Высшее образование", "Среднее профессиональное образование", "Справка")
    needs_series = level in ("Высшее образование", "Среднее профессиональное образование")
    series = learner.edu_series or (None if needs_series else (NO_SERIES if needs_number else None))
    return {
        "edu_level": Value(level, at("Уровень образования"), True),
        "edu_surname": Value(learner.edu_surname or learner.person.surname, at("Фамилия в документе об образовании"), True),
        "edu_series": Value(series, at("Серия документа об образовании"), needs_series),
        "edu_number": Value(learner.edu_number, at("Номер документа об образовании"), needs_number),
    }


def _original_fields(dataset: Dataset, doc: IssuedDocument, at_doc) -> dict[str, Value]:
    """The «оригинала» block of a duplicate, from the document it replaces (found in the workbooks)."""
    where = at_doc("Заменяет документ (рег. №)")
    found = find_original(dataset, doc)
    if found is None:  # empty: «не заполнено»; a number no document has: pre-flight «не найден»
        return {"orig_reg_no": Value(doc.replaces, where, True)}
    group, orig = found
    learner = dataset.learners.get(orig.learner_id)

    def at_orig(column: str) -> Origin:
        # the original's own cell, so a fault in it is shown where it can be fixed
        return Origin(group.file, "Выдача документов", orig.src.row, column)

    fields = {
        "orig_document": Value(orig.document, at_orig("Вид документа"), True),
        "orig_series": Value(orig.series or NO_SERIES, at_orig("Серия"), True),
        "orig_number": Value(orig.number, at_orig("Номер бланка"), True),
        "orig_reg_no": Value(orig.reg_no, where, True),
        "orig_issued_on": Value(orig.issued_on, at_orig("Дата выдачи"), True),
    }
    if learner:
        def at(column: str) -> Origin:
            return Origin(learner.src.file, learner.src.sheet, learner.src.row, column)

        fields |= {
            "orig_surname": Value(learner.person.surname, at("Фамилия"), True),
            "orig_name": Value(learner.person.name, at("Имя"), True),
            "orig_patronymic": Value(learner.person.patronymic, at("Отчество")),
        }
    return fields

