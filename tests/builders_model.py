"""A richer valid input for the model and cross-sheet tests, built on `builders.minimal_input()`.

On top of the minimal group (L001 and L002 pass) it has L003, expelled early with an order and
given a «Справка об обучении», and L004, who fails the final attestation and gets a «Справка» too.
Rows (Excel numbers) of the group workbook:
«Приказы» 2 enrolment, 3 commission, 4 graduation, 5 expulsion; «Состав», «Посещаемость»: 2 L001,
3 L002, 4 L003, 5 L004; «Занятия» 2-5 lessons 1-4 (03.03-06.03.2025, 4 h each, module 1);
«Промежуточная аттестация» 2 L001, 3 L002, 4 L004; «Итоговая аттестация» 2 L001, 3 L002, 4 L004;
«Выдача документов» 2 L001, 3 L002, 4 L004, 5 L003.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from builders import GROUP, headers, minimal_input, set_cell, write_input

from pipeline.core.problems import Problem
from pipeline.intake.validate import validate_input

D = dt.date
ORG, LEARNERS = "organization.xlsx", "learners.xlsx"
__all__ = ["D", "GROUP", "LEARNERS", "ORG", "add_row", "delete_row", "keys", "problems_of", "rich_input",
           "second_group", "set_cell"]


def add_row(data: dict, rel: str, sheet: str, values: dict | list) -> int:
    """Append a row (a dict by header, or a list for the grid); give its Excel row number."""
    rows = data[rel][sheet]
    rows.append([values.get(h) for h in rows[0]] if isinstance(values, dict) else list(values))
    return len(rows)


def delete_row(data: dict, rel: str, sheet: str, row: int) -> None:
    del data[rel][sheet][row - 1]


def rich_input() -> dict:
    data = minimal_input()
    org, group = data[ORG], data[GROUP]
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 70)
    add_row(data, LEARNERS, "Слушатели", {
        "ID слушателя": "L003", "Фамилия": "Ёлкин", "Имя": "Пётр", "Отчество": "Фёдорович",
        "Дата рождения": D(2000, 1, 15), "Пол": "Муж", "СНИЛС": "111-222-333 72", "Гражданство (ОКСМ)": "643",
        "Уровень образования": data[LEARNERS]["Слушатели"][1][8],
    })
    add_row(data, LEARNERS, "Слушатели", {
        "ID слушателя": "L004", "Фамилия": "Ким", "Имя": "Алла", "Отчество": None,
        "Дата рождения": D(1979, 7, 7), "Пол": "Жен", "СНИЛС": "222-333-444 16", "Гражданство (ОКСМ)": "643",
        "Уровень образования": data[LEARNERS]["Слушатели"][1][8],
    })
    funding = group["Состав"][1][4]
    add_row(data, GROUP, "Приказы", {"Вид приказа": "об отчислении", "Номер приказа": "13-о",
                                     "Дата приказа": D(2025, 3, 4), "Подписант (табельный №)": "S1"})
    add_row(data, GROUP, "Состав", {
        "ID слушателя": "L003", "ФИО (для проверки)": "Ёлкин Пётр Фёдорович", "Договор №": "103",
        "Дата договора": D(2025, 2, 21), "Источник финансирования": funding, "Статус": "отчислен досрочно",
        "Дата отчисления": D(2025, 3, 4), "Причина отчисления": "по собственному желанию",
        "Приказ об отчислении №": "13-о",
    })
    add_row(data, GROUP, "Состав", {
        "ID слушателя": "L004", "ФИО (для проверки)": "Ким Алла", "Договор №": "104",
        "Дата договора": D(2025, 2, 21), "Источник финансирования": funding, "Статус": "завершил обучение",
    })
    add_row(data, GROUP, "Посещаемость", ["L003", "Ёлкин Пётр Фёдорович", "н", None, None, None])
    add_row(data, GROUP, "Посещаемость", ["L004", "Ким Алла", None, None, None, None])
    add_row(data, GROUP, "Промежуточная аттестация", {
        "ID слушателя": "L004", "№ модуля": 1, "Дата": D(2025, 3, 6), "Результат": "зачтено",
        "Экзаменатор (табельный №)": "S2"})
    add_row(data, GROUP, "Итоговая аттестация", {"ID слушателя": "L004", "Дата": D(2025, 3, 7),
                                                 "Результат": "не зачтено"})
    for lid, number, reg, day in (("L004", "000130", "3", D(2025, 3, 7)), ("L003", "000131", "4", D(2025, 3, 5))):
        add_row(data, GROUP, "Выдача документов", {
            "ID слушателя": lid, "Вид документа": "Справка об обучении", "Номер бланка": number,
            "Регистрационный №": reg, "Дата выдачи": day, "Способ получения": "лично",
            "Статус документа": "Оригинал"})
    assert org  # the organization workbook is used as minimal_input() builds it
    return data


def second_group(data: dict, number: str, start: dt.date, *, lessons: int = 1, hours: int = 4,
                 status: str = "обучается") -> str:
    """Add a group still in training (enrolment order only) with L001 alone; give its workbook path."""
    rel = f"groups/{number}.xlsx"
    group = copy.deepcopy(data[GROUP])
    end = start + dt.timedelta(days=max(lessons, 1) + 2)
    for name, value in (("Номер группы", number), ("Дата начала", start), ("Дата окончания", end),
                        ("Дата итоговой аттестации", None), ("Номер протокола", None)):
        for row in group["Группа"]:
            if row[0] == name:
                row[1] = value
    group["Приказы"] = [group["Приказы"][0], group["Приказы"][1]]
    group["Приказы"][1][2] = start - dt.timedelta(days=3)
    group["Состав"] = [group["Состав"][0], group["Состав"][1]]
    group["Состав"][1][3] = start - dt.timedelta(days=7)
    group["Состав"][1][5] = status
    head = headers("Занятия")
    group["Занятия"] = [head] + [
        [n, start + dt.timedelta(days=n - 1), hours, 1, f"Тема {n}", "лекция", "S2"] for n in range(1, lessons + 1)
    ]
    group["Посещаемость"] = [headers("Посещаемость") + list(range(1, lessons + 1)),
                             ["L001", "Иванов Иван Иванович"] + [None] * lessons]
    for sheet in ("Промежуточная аттестация", "Итоговая аттестация", "Выдача документов"):
        group[sheet] = group[sheet][:1]
    data[rel] = group
    return rel


def problems_of(folder: Path, data: dict) -> list[Problem]:
    """Write the workbooks into folder and give every problem validation finds."""
    return validate_input(write_input(folder, data)).problems


def keys(problems: list[Problem]) -> set[tuple]:
    """(code, file, sheet, row, column) of each problem: what the tests compare."""
    return {(p.code, p.file, p.sheet, p.row, p.column) for p in problems}
