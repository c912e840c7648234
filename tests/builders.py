"""A minimal valid input folder as Python data, and a writer for it: tests break one cell and run.

`minimal_input()` gives {workbook: {sheet: rows}}; rows[0] is the header row, so rows[i] is Excel row
i + 1. Keyvalue sheets («Организация», «Группа») are rows of [parameter, value] under «Параметр |
Значение». Dates are real `datetime.date` cells unless a test writes text.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl

from schemas import SHEETS, codes, columns

GROUP = "groups/ПК-2025-01.xlsx"
D = dt.date


def headers(sheet: str) -> list[str]:
    spec = next(s for s in SHEETS if s.name == sheet)
    return [h for _a, h, _m in columns(spec) if not h.startswith("^")]


def _table(sheet: str, *rows: dict) -> list[list]:
    head = headers(sheet)
    return [head] + [[row.get(h) for h in head] for row in rows]


_CARRIERS = (
    "journal", "order_enrolment", "order_commission", "order_graduation", "order_expulsion", "interim_sheet",
    "protocol", "issue_register", "issue_extract", "testing", "study_certificate", "learner_card",
    "disposal_act", "archive_inventory",
)


def minimal_input() -> dict[str, dict[str, list[list]]]:
    """Give a small, consistent input: one ПК program of 16 h, two learners, one group."""
    organization = {
        "Организация": [
            ["Параметр", "Значение"],
            ["Полное наименование", "Частное образовательное учреждение ДПО «Эко-Образование» & партнеры"],
            ["Сокращенное наименование", "ЧОУ ДПО «Эко-Образование»"],
            ["Адрес", "г. Москва, ул. Лесная, д. 1"],
            ["Город", "Москва"],
            ["ИНН", "7707083893"],
            ["ОГРН", "1027700132195"],
            ["Лицензия", "№ Л035-01298-77/00123456 от 01.02.2020"],
            ["Руководитель (табельный №)", "S1"],
            ["Нормативное основание", "Федеральный закон от 29.12.2012 № 273-ФЗ"],
            ["Номер фонда", None],
            ["Телефон", "84951234567"],
        ],
        "Программы": _table("Программы", {
            "Код программы": "ПК-01", "Наименование программы": "Экологическая безопасность",
            "Вид программы": "ПК", "Объем, ак. ч": 16, "Форма обучения": "Очная", "ЭО/ДОТ": "нет",
            "Выдаваемый документ": "Удостоверение о повышении квалификации", "Форма итоговой аттестации": "зачет",
            "Мин. посещаемость, %": 70,
        }),
        "Модули": _table("Модули", {
            "Код программы": "ПК-01", "№ модуля": 1, "Наименование модуля": "Основы",
            "Объем, ак. ч": 16, "Форма промежуточной аттестации": "зачет",
        }),
        "Сотрудники": _table(
            "Сотрудники",
            {"Табельный №": "S1", "Фамилия": "Петрова", "Имя": "Анна", "Отчество": "Сергеевна", "Пол": "Жен",
             "Должность": "Директор"},
            {"Табельный №": "S2", "Фамилия": "Сидоров", "Имя": "Петр", "Отчество": "Ильич", "Пол": "Муж",
             "Должность": "Преподаватель"},
        ),
        "Комиссии": _table(
            "Комиссии",
            {"Код комиссии": "K1", "Роль": "председатель", "Табельный №": "S1", "Приказ №": "5-к",
             "Дата приказа": D(2025, 1, 10)},
            {"Код комиссии": "K1", "Роль": "секретарь", "Табельный №": "S2", "Приказ №": "5-к",
             "Дата приказа": D(2025, 1, 10)},
        ),
        "Номенклатура дел": _table("Номенклатура дел", *(
            {"Носитель": key, "Индекс дела": f"01-{i:02d}", "Заголовок дела": f"Дело {key}",
             "Срок хранения": "5" if i % 2 else "постоянно", "ЭПК": "нет", "Статус": "утверждено"}
            for i, key in enumerate(_CARRIERS, start=1)
        )),
    }
    learners = {
        "Слушатели": _table(
            "Слушатели",
            {"ID слушателя": "L001", "Фамилия": "Иванов", "Имя": "Иван", "Отчество": "Иванович",
             "Дата рождения": D(1990, 5, 1), "Пол": "Муж", "СНИЛС": "112-233-445 95", "Гражданство (ОКСМ)": "643",
             "Уровень образования": codes.EDUCATION_LEVEL[0]},
            {"ID слушателя": "L002", "Фамилия": "Семёнова-Грин", "Имя": "Ольга", "Отчество": None,
             "Дата рождения": D(1985, 12, 31), "Пол": "Жен", "СНИЛС": "123-456-789 64", "Гражданство (ОКСМ)": "643",
             "Уровень образования": codes.EDUCATION_LEVEL[1]},
        ),
    }
    group = {
        "Группа": [
            ["Параметр", "Значение"],
            ["Номер группы", "ПК-2025-01"],
            ["Код программы", "ПК-01"],
            ["Дата начала", D(2025, 3, 3)],
            ["Дата окончания", D(2025, 3, 7)],
            ["Куратор (табельный №)", "S2"],
            ["Код комиссии", "K1"],
            ["Дата итоговой аттестации", D(2025, 3, 7)],
            ["Номер протокола", "1"],
            ["Документы подписаны", "нет"],
            ["Основание исправления", None],
        ],
        "Приказы": _table(
            "Приказы",
            {"Вид приказа": "о зачислении", "Номер приказа": "10-о", "Дата приказа": D(2025, 2, 28),
             "Подписант (табельный №)": "S1"},
            {"Вид приказа": "об утверждении состава аттестационной комиссии", "Номер приказа": "11-о",
             "Дата приказа": D(2025, 2, 28), "Подписант (табельный №)": "S1"},
            {"Вид приказа": "об окончании обучения и отчислении", "Номер приказа": "12-о",
             "Дата приказа": D(2025, 3, 7), "Подписант (табельный №)": "S1"},
        ),
        "Состав": _table(
            "Состав",
            {"ID слушателя": "L001", "ФИО (для проверки)": "Иванов Иван Иванович", "Договор №": "101",
             "Дата договора": D(2025, 2, 20), "Источник финансирования": codes.FUNDING[0],
             "Статус": "завершил обучение"},
            {"ID слушателя": "L002", "ФИО (для проверки)": "Семёнова-Грин Ольга", "Договор №": "102",
             "Дата договора": D(2025, 2, 21), "Источник финансирования": codes.FUNDING[0],
             "Статус": "завершил обучение"},
        ),
        "Занятия": _table("Занятия", *(
            {"№ занятия": n, "Дата": D(2025, 3, 2 + n), "Часы": 4, "№ модуля": 1, "Тема": f"Тема {n}",
             "Вид занятия": "лекция", "Преподаватель (табельный №)": "S2"}
            for n in range(1, 5)
        )),
        "Посещаемость": [
            headers("Посещаемость") + [1, 2, 3, 4],
            ["L001", "Иванов Иван Иванович", None, None, None, None],
            ["L002", "Семёнова-Грин Ольга", None, "б", None, None],
        ],
        "Промежуточная аттестация": _table("Промежуточная аттестация", *(
            {"ID слушателя": lid, "№ модуля": 1, "Дата": D(2025, 3, 6), "Результат": "зачтено",
             "Экзаменатор (табельный №)": "S2"}
            for lid in ("L001", "L002")
        )),
        "Итоговая аттестация": _table("Итоговая аттестация", *(
            {"ID слушателя": lid, "Дата": D(2025, 3, 7), "Результат": "зачтено"} for lid in ("L001", "L002")
        )),
        "Выдача документов": _table("Выдача документов", *(
            {"ID слушателя": lid, "Вид документа": "Удостоверение о повышении квалификации",
             "Номер бланка": f"00012{i}", "Регистрационный №": str(i), "Дата выдачи": D(2025, 3, 7),
             "Способ получения": "лично", "Статус документа": "Оригинал"}
            for i, lid in enumerate(("L001", "L002"), start=1)
        )),
    }
    return {"organization.xlsx": organization, "learners.xlsx": learners, GROUP: group}


def write_input(folder: Path, data: dict[str, dict[str, list[list]]] | None = None) -> Path:
    """Write the workbooks of `data` (default: minimal_input()) under folder; give the folder."""
    data = minimal_input() if data is None else data
    (folder / "groups").mkdir(parents=True, exist_ok=True)
    for rel, sheets in data.items():
        book = openpyxl.Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
    return folder


def set_cell(data: dict, rel: str, sheet: str, row: int, header: str, value) -> dict:
    """Set one cell by Excel row and header (for keyvalue sheets: the parameter's value); give data."""
    rows = data[rel][sheet]
    if rows[0][:2] == ["Параметр", "Значение"]:
        for r in rows:
            if r[0] == header:
                r[1] = value
                return data
        raise KeyError(header)
    col = rows[0].index(header)
    while len(rows) < row:
        rows.append([None] * len(rows[0]))
    rows[row - 1][col] = value
    return data


def broken(rel: str, sheet: str, row: int, header: str, value) -> dict:
    """Give minimal_input() with one cell changed."""
    return set_cell(copy.deepcopy(minimal_input()), rel, sheet, row, header, value)
