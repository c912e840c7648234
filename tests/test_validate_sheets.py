"""Per-sheet rules: one broken cell per rule, asserting (code, file, sheet, row, column)."""

from __future__ import annotations

import pytest
from builders import GROUP, broken, headers, minimal_input, set_cell

from pipeline.core.messages import MESSAGES, render
from pipeline.intake.validate import validate_input

ORG, LRN = "organization.xlsx", "learners.xlsx"

# (file, sheet, Excel row, header, value typed, expected code)
CASES = [
    (LRN, "Слушатели", 2, "Фамилия", None, "required"),
    (LRN, "Слушатели", 2, "Дата рождения", "1990/05/01", "format_date"),
    (LRN, "Слушатели", 2, "Дата рождения", "01.05.90", "format_date"),
    (LRN, "Слушатели", 3, "Дата рождения", "31.02.2000", "date_invalid"),
    (LRN, "Слушатели", 2, "СНИЛС", "112-233-44", "format_snils"),
    (LRN, "Слушатели", 2, "СНИЛС", "112-233-445 96", "snils_checksum"),
    (LRN, "Слушатели", 2, "СНИЛС", "1,12233E+10", "snils_scientific"),
    (LRN, "Слушатели", 3, "СНИЛС", "112-233-445 95", "not_unique"),
    (LRN, "Слушатели", 3, "ID слушателя", "L001", "not_unique"),
    (LRN, "Слушатели", 2, "Пол", "М", "not_in_list"),
    (LRN, "Слушатели", 2, "Пол", "жен", "code_case"),
    (LRN, "Слушатели", 2, "Гражданство (ОКСМ)", "RUS", "not_in_list"),
    (LRN, "Слушатели", 3, "Уровень образования", "высшее", "not_in_list"),
    (ORG, "Организация", 6, "ИНН", "7707083894", "inn_checksum"),
    (ORG, "Организация", 7, "ОГРН", "1027700132196", "ogrn_checksum"),
    (ORG, "Организация", 2, "Полное наименование", None, "required"),
    (ORG, "Программы", 2, "Вид программы", "ПK", "code_lookalike"),
    (ORG, "Программы", 2, "Объем, ак. ч", "шестнадцать", "format_int"),
    (ORG, "Программы", 2, "Форма обучения", "очно", "not_in_list"),
    (ORG, "Программы", 2, "ЭО/ДОТ", "может быть", "not_in_list"),
    (ORG, "Программы", 2, "Выдаваемый документ", "Сертификат", "not_in_list"),
    (ORG, "Программы", 2, "Мин. посещаемость, %", "80%", "format_int"),
    (ORG, "Модули", 2, "№ модуля", "1.5", "format_int"),
    (ORG, "Модули", 2, "Форма промежуточной аттестации", "контрольная", "not_in_list"),
    (ORG, "Сотрудники", 3, "Табельный №", "S1", "not_unique"),
    (ORG, "Комиссии", 2, "Роль", "глава", "not_in_list"),
    (ORG, "Комиссии", 2, "Дата приказа", "вчера", "format_date"),
    (ORG, "Номенклатура дел", 2, "Срок хранения", "вечно", "retention_format"),
    (ORG, "Номенклатура дел", 3, "Носитель", "journal", "not_unique"),
    (ORG, "Номенклатура дел", 2, "Статус", "черновик", "not_in_list"),
    (GROUP, "Группа", 4, "Дата начала", None, "required"),
    (GROUP, "Группа", 5, "Дата окончания", "07.03", "format_date"),
    (GROUP, "Группа", 10, "Документы подписаны", "Да", "code_case"),
    (GROUP, "Приказы", 2, "Вид приказа", "о приеме", "not_in_list"),
    (GROUP, "Приказы", 3, "Номер приказа", None, "required"),
    (GROUP, "Состав", 2, "Статус", "учится", "not_in_list"),
    (GROUP, "Состав", 3, "ID слушателя", "L001", "not_unique"),
    (GROUP, "Состав", 2, "Источник финансирования", "сам", "not_in_list"),
    (GROUP, "Занятия", 2, "Часы", "4,5", "format_int"),
    (GROUP, "Занятия", 3, "№ занятия", 1, "not_unique"),
    (GROUP, "Занятия", 2, "Вид занятия", "лекцыя", "not_in_list"),
    (GROUP, "Промежуточная аттестация", 2, "Результат", "зачет", "not_in_list"),
    (GROUP, "Итоговая аттестация", 2, "Результат", None, "required"),
    (GROUP, "Итоговая аттестация", 3, "Дата", "2025-13-01", "date_invalid"),
    (GROUP, "Выдача документов", 2, "Способ получения", "курьером", "not_in_list"),
    (GROUP, "Выдача документов", 2, "Статус документа", "Копия", "not_in_list"),
    (GROUP, "Выдача документов", 2, "Дата выдачи", "сегодня", "format_date"),
]


def _validate_typed(make_input, *cells):
    """Validate minimal_input() with each (file, sheet, Excel row, header, value) of `cells` typed in."""
    data = minimal_input()
    for cell in cells:
        set_cell(data, *cell)
    return validate_input(make_input(data))


@pytest.mark.parametrize(("file", "sheet", "row", "header", "value", "code"), CASES)
def test_one_broken_cell(make_input, file, sheet, row, header, value, code):
    result = validate_input(make_input(broken(file, sheet, row, header, value)))
    found = {(p.code, p.file, p.sheet, p.row, p.column) for p in result.problems if p.is_error}
    assert (code, file, sheet, row, header) in found
    assert result.dataset is None
    # one cell, one problem from the sheet checks (cross-sheet rules may add their own elsewhere)
    same_cell = [p for p in result.problems if (p.file, p.sheet, p.row, p.column) == (file, sheet, row, header)]
    assert [p.code for p in same_cell] == [code]
    what, fix = render(same_cell[0])
    assert what and fix


def test_attendance_mark_outside_the_list(make_input):
    data = minimal_input()
    data[GROUP]["Посещаемость"][1][4] = "x"  # lesson 3 of the first learner: column E, row 2
    result = validate_input(make_input(data))
    (p,) = [p for p in result.problems if p.sheet == "Посещаемость"]
    assert (p.code, p.row, p.column, p.value, p.params["col"]) == ("not_in_list", 2, "3", "x", 5)
    assert "«н»" in p.params["allowed"]


def test_testing_sheet_number_format(make_input):
    data = minimal_input()
    data[GROUP]["Тестирование"] = [
        headers("Тестирование"),
        ["L001", "Тест 1", "2025-03-05", "8,5", 10, 6],
        ["L002", "Тест 1", "2025-03-05", "восемь", 10, 6],
    ]
    result = validate_input(make_input(data))
    sheet = [p for p in result.problems if p.sheet == "Тестирование"]
    assert [(p.code, p.row, p.column) for p in sheet] == [("format_number", 3, "Баллы")]


def test_a_type_problem_does_not_hide_other_checks_of_the_column(make_input):
    result = _validate_typed(
        make_input,
        (GROUP, "Занятия", 2, "№ занятия", "первое"),  # format
        (GROUP, "Занятия", 4, "№ занятия", 2),  # duplicate of row 3
        (GROUP, "Занятия", 5, "№ занятия", None),  # required
    )
    found = {(p.code, p.row) for p in result.problems if p.column == "№ занятия"}
    assert {("format_int", 2), ("not_unique", 4), ("required", 5)} <= found


def test_every_problem_of_a_sheet_is_collected_in_one_pass(make_input):
    result = _validate_typed(
        make_input,
        (LRN, "Слушатели", 2, "Пол", "М"),
        (LRN, "Слушатели", 3, "Дата рождения", "никогда"),
        (ORG, "Программы", 2, "Объем, ак. ч", "x"),
    )
    found = {(p.sheet, p.row, p.column) for p in result.problems if p.is_error}
    assert {("Слушатели", 2, "Пол"), ("Слушатели", 3, "Дата рождения"), ("Программы", 2, "Объем, ак. ч")} <= found


def test_snils_values_are_masked_in_problems(make_input):
    result = validate_input(make_input(broken(LRN, "Слушатели", 3, "СНИЛС", "112-233-445 95")))
    (p,) = [p for p in result.problems if p.code == "not_unique"]
    assert p.value == "***-***-*** 95"
    assert p.params["first_row"] == 2


def test_missing_column_is_reported_once_not_per_row(make_input):
    data = minimal_input()
    data[LRN]["Слушатели"][0][4] = "Дата рожд."
    result = validate_input(make_input(data))
    on_column = [p for p in result.problems if p.column == "Дата рождения"]
    assert [(p.code, p.row) for p in on_column] == [("missing_column", 1)]


def test_clean_minimal_input_gives_a_dataset(make_input):
    result = validate_input(make_input())
    assert [p for p in result.problems if p.is_error] == []
    assert result.dataset is not None
    assert sorted(result.dataset.learners) == ["L001", "L002"]


def test_only_warnings_still_give_a_dataset(make_input):
    result = validate_input(make_input(broken(LRN, "Слушатели", 2, "СНИЛС", 1234567819)))
    assert [(p.code, p.severity) for p in result.problems] == [("snils_leading_zeros", "warning")]
    assert result.dataset is not None
    assert result.dataset.learners["L001"].snils == "012-345-678 19"


def test_problems_are_sorted_by_position(make_input):
    result = _validate_typed(
        make_input,
        (LRN, "Слушатели", 3, "Пол", "М"),
        (LRN, "Слушатели", 2, "Пол", "Ж"),
        (ORG, "Программы", 2, "ЭО/ДОТ", "?"),
    )
    keys = [(p.file, p.sheet or "", p.row or 0, p.column or "") for p in result.problems]
    assert keys == sorted(keys)


def test_every_sheet_code_has_a_message():
    codes = {case[-1] for case in CASES} | {
        "workbook_missing", "groups_missing", "no_groups", "lock_file", "unsupported_format",
        "workbook_unreadable", "workbook_protected", "missing_sheet", "sheet_no_header", "missing_column",
        "duplicate_column", "unknown_column", "value_without_header", "missing_parameter",
        "duplicate_parameter", "unknown_parameter", "snils_leading_zeros", "format_number",
    }
    assert codes - set(MESSAGES) == set()
