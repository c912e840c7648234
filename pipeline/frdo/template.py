"""The pinned ФИС ФРДО templates as the export needs them: columns, dictionaries, validation rules.

Every fact comes from `schemas/frdo_templates.json` (read through `schemas.codes`): the header row
exactly as published, the named ranges and the data-validation rules. The only thing this module adds
is the meaning of each column (FIELD_OF_HEADER), matched on the header with its whitespace collapsed,
so a template whose columns move still maps; a renamed header fails loudly at import time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from openpyxl.utils import column_index_from_string, get_column_letter

from schemas.codes import frdo_templates

Kind = Literal["dpo", "po"]
KINDS: tuple[Kind, ...] = ("dpo", "po")
KIND_TITLE = {"dpo": "ДПО", "po": "ПО"}

# The characters the ДПО template's prompt on the program-name column allows besides letters, digits
# and spaces («Допустимые символы: ( ) . /- , : « » ? №»); a test keeps this equal to the prompt.
PROGRAM_NAME_PUNCTUATION = "().-/,:«»?№"
PROGRAM_NAME_ALLOWED = re.compile(r"[0-9A-Za-zА-Яа-яЁё " + re.escape(PROGRAM_NAME_PUNCTUATION) + r"]")

# FRDO.md: the year columns take 1900..2100; the pinned rule carries only the lower bound.
YEAR_MAX = "2100"

FieldType = Literal["text", "date", "int", "rank"]

# What each published column means: collapsed header -> (field key, cell type).
FIELD_OF_HEADER: dict[str, tuple[str, FieldType]] = {
    "Вид документа": ("document", "text"),
    "Статус документа": ("status", "text"),
    "Подтверждение утраты": ("lost", "text"),
    "Подтверждение обмена": ("exchanged", "text"),
    "Подтверждение уничтожения": ("destroyed", "text"),
    "Серия документа": ("series", "text"),
    "Номер документа": ("number", "text"),
    "Дата выдачи документа": ("issued_on", "date"),
    "Регистрационный номер": ("reg_no", "text"),
    "Дополнительная профессиональная программа (повышение квалификации/ профессиональная переподготовка)": (
        "program_kind", "text",
    ),
    "Программа профессионального обучения, направление подготовки": ("program_kind", "text"),
    "Наименование дополнительной профессиональной программы": ("program_name", "text"),
    "Наименование программы профессионального обучения": ("program_name", "text"),
    "Наименование области профессиональной деятельности": ("prof_area", "text"),
    "Укрупненные группы специальностей": ("ugs", "text"),
    "Наименование квалификации, профессии, специальности": ("qualification", "text"),
    "Наименование профессий рабочих, должностей служащих": ("qualification", "text"),
    "Присвоенный квалификационный разряд, класс, категория (при наличии)": ("rank", "rank"),
    "Уровень образования ВО/СПО": ("edu_level", "text"),
    "Фамилия указанная в дипломе о ВО или СПО": ("edu_surname", "text"),
    "Серия документа о ВО/СПО": ("edu_series", "text"),
    "Номер документа о ВО/СПО": ("edu_number", "text"),
    "Год начала обучения (для документа о квалификации)": ("year_start", "int"),
    "Год начала обучения": ("year_start", "int"),
    "Год окончания обучения (для документа о квалификации)": ("year_end", "int"),
    "Год окончания обучения": ("year_end", "int"),
    "Срок обучения, часов (для документа о квалификации)": ("hours", "int"),
    "Срок обучения, часов": ("hours", "int"),
    "Фамилия получателя": ("surname", "text"),
    "Имя получателя": ("name", "text"),
    "Отчество получателя": ("patronymic", "text"),
    "Дата рождения получателя": ("birth_date", "date"),
    "Пол получателя": ("sex", "text"),
    "СНИЛС": ("snils", "text"),
    "Форма обучения": ("study_form", "text"),
    "Источник финансирования обучения": ("funding", "text"),
    "Форма получения образования на момент прекращения образовательных отношений": ("edu_form", "text"),
    "Гражданство получателя (код страны по ОКСМ)": ("citizenship", "text"),
    "Наименование документа об образовании (оригинала)": ("orig_document", "text"),
    "Серия (оригинала)": ("orig_series", "text"),
    "Номер (оригинала)": ("orig_number", "text"),
    "Регистрационный N (оригинала)": ("orig_reg_no", "text"),
    "Дата выдачи (оригинала)": ("orig_issued_on", "date"),
    "Фамилия получателя (оригинала)": ("orig_surname", "text"),
    "Имя получателя (оригинала)": ("orig_name", "text"),
    "Отчество получателя (оригинала)": ("orig_patronymic", "text"),
    "Номер документа для изменения": ("change_number", "text"),
}


def collapse(text: str) -> str:
    """The header with runs of whitespace made one space and the ends trimmed."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Column:
    index: int
    """1-based column number on sheet «Шаблон»."""
    letter: str
    header: str
    """The header exactly as published, stray spaces and line breaks included."""
    field: str
    type: FieldType
    dictionary: str | None
    """The named range a list validation ties this column to, if any."""


@dataclass(frozen=True)
class Rule:
    """One data-validation rule of the template, as pinned."""

    cells: str
    type: str | None
    operator: str | None
    formula1: str | None
    prompt: str


@dataclass(frozen=True)
class Template:
    kind: Kind
    version: str
    sheet: str
    columns: tuple[Column, ...]
    dictionaries: dict[str, tuple]
    """Named range -> values as published (stray spaces kept); numbers become text behind text columns."""
    refers_to: dict[str, str]
    rules: tuple[Rule, ...]

    @property
    def header(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)

    def published(self, dictionary: str, value) -> object | None:
        """The published entry whose trimmed text equals `value` (None if the value is not listed)."""
        wanted = str(value).strip()
        return next((v for v in self.dictionaries[dictionary] if str(v).strip() == wanted), None)


def cell_ranges(cells: str) -> list[tuple[int, int, int, int]]:
    """Give (min_col, min_row, max_col, max_row) for each range of a space-separated sqref."""
    out = []
    for part in cells.split():
        first, _, last = part.partition(":")
        last = last or first
        c1, r1 = _split_ref(first)
        c2, r2 = _split_ref(last)
        out.append((c1, r1, c2, r2))
    return out


def _split_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref)
    if not match:
        raise ValueError(f"not a cell reference: {ref}")
    return column_index_from_string(match[1]), int(match[2])


@cache
def template(kind: Kind) -> Template:
    """Give the pinned template of one kind, every column mapped to its meaning."""
    data = frdo_templates()
    spec = data[kind]
    rules = tuple(
        Rule(r["cells"], r["type"], r["operator"], r["formula1"], r.get("prompt") or "") for r in spec["data_validation"]
    )
    list_of_column: dict[int, str] = {}
    for rule in rules:
        if rule.type == "list":
            for c1, r1, c2, _ in cell_ranges(rule.cells):
                if r1 >= 2:
                    for col in range(c1, c2 + 1):
                        list_of_column[col] = rule.formula1
    columns = []
    for index, header in enumerate(spec["header"], start=1):
        field, ftype = FIELD_OF_HEADER[collapse(header)]
        columns.append(Column(index, get_column_letter(index), header, field, ftype, list_of_column.get(index)))
    fields = [c.field for c in columns]
    if len(set(fields)) != len(fields):
        raise ValueError(f"two columns of the {kind} template mean the same field")
    ranges = spec["named_ranges"]
    # The published ОКСМ lists mix numbers (643) and text («004»); a list behind a text column is made
    # all text, so the text cell «643» matches its own dropdown. «Класс1» (ranks) keeps its numbers.
    text_lists = {c.dictionary for c in columns if c.type == "text" and c.dictionary}
    dictionaries = {
        name: tuple(str(v) if name in text_lists else v for v in r["values"]) for name, r in ranges.items()
    }
    return Template(
        kind=kind,
        version=data["version"],
        sheet=spec["sheet"],
        columns=tuple(columns),
        dictionaries=dictionaries,
        refers_to={name: r["refers_to"] for name, r in ranges.items()},
        rules=rules,
    )
