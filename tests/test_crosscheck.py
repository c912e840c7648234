"""Cross-sheet rules: one broken input per rule, asserting (code, file, sheet, row, column).

Each case changes the valid `rich_input()` and compares the WHOLE set of problems validation
reports, so a rule that cascades into bogus follow-up problems fails its test too.
"""

from __future__ import annotations

import pytest
from builders_model import (
    GROUP,
    LEARNERS,
    ORG,
    D,
    add_row,
    delete_row,
    keys,
    problems_of,
    rich_input,
    second_group,
    set_cell,
)

from pipeline.core.messages import MESSAGES, render
from pipeline.intake.rules.context import WARNINGS

G = GROUP
G2 = "groups/ПК-2025-02.xlsx"
KV = "Группа"


def _grid_drop_last_column(data):
    for row in data[G]["Посещаемость"]:
        row.pop()


def _grid_add_column(data):
    rows = data[G]["Посещаемость"]
    rows[0].append(5)
    for row in rows[1:]:
        row.append(None)


def _set(rel, sheet, row, header, value):
    return lambda data: set_cell(data, rel, sheet, row, header, value)


def _add(rel, sheet, values):
    return lambda data: add_row(data, rel, sheet, values)


def _delete(rel, sheet, row):
    return lambda data: delete_row(data, rel, sheet, row)


def _both(*changes):
    def change(data):
        for c in changes:
            c(data)
    return change


def _overlap(data):
    second_group(data, "ПК-2025-02", D(2025, 3, 5))


def _second(**kw):
    return lambda data: second_group(data, "ПК-2025-02", D(2025, 4, 1), **kw)


ISSUED = {"ID слушателя": "L001", "Вид документа": "Удостоверение о повышении квалификации",
          "Номер бланка": "000132", "Регистрационный №": "5", "Дата выдачи": D(2025, 3, 7),
          "Способ получения": "лично", "Статус документа": "Оригинал"}

AWARD_HEADERS = ["ID слушателя", "Вид поощрения", "За что", "Дата", "Приказ (решение) №", "Дата приказа (решения)",
                 "Номер группы"]


def _award(**changes):
    """Give the sheet «Поощрения» one row: a благодарность to L001 by the graduation order, with `changes`."""
    row = {"ID слушателя": "L001", "Вид поощрения": "благодарность", "За что": "за отличную учебу",
           "Дата": D(2025, 3, 10), "Приказ (решение) №": "12-о", "Дата приказа (решения)": D(2025, 3, 10),
           "Номер группы": "ПК-2025-01", **changes}
    return lambda data: data[LEARNERS].__setitem__("Поощрения", [AWARD_HEADERS, [row[h] for h in AWARD_HEADERS]])


def _outsider(data):
    """L005: on «Слушатели», in no group."""
    add_row(data, LEARNERS, "Слушатели", {
        "ID слушателя": "L005", "Фамилия": "Орлова", "Имя": "Анна", "Отчество": "Петровна",
        "Дата рождения": D(1990, 5, 5), "Пол": "Жен", "СНИЛС": "333-444-555 61", "Гражданство (ОКСМ)": "643",
        "Уровень образования": data[LEARNERS]["Слушатели"][1][8],
    })


# One value typed into one cell and one problem on that very cell, its code the case's name up to «/»:
# (case, workbook, sheet, Excel row, column, value typed). On a «Параметр | Значение» sheet the row is
# the parameter's own.
ON_THE_CELL = [
    # --- references ---
    ("ref_head_unknown", ORG, "Организация", 9, "Руководитель (табельный №)", "S9"),
    ("ref_staff_unknown/curator", G, KV, 6, "Куратор (табельный №)", "S9"),
    ("ref_staff_unknown/signatory", G, "Приказы", 2, "Подписант (табельный №)", "S9"),
    ("ref_staff_unknown/teacher", G, "Занятия", 3, "Преподаватель (табельный №)", "S9"),
    ("ref_staff_unknown/examiner", G, "Промежуточная аттестация", 2, "Экзаменатор (табельный №)", "S9"),
    ("ref_staff_unknown/commission", ORG, "Комиссии", 3, "Табельный №", "S9"),
    ("ref_program_unknown", G, KV, 3, "Код программы", "ПК-99"),
    ("ref_commission_unknown", G, KV, 7, "Код комиссии", "K9"),
    ("dative_words", LEARNERS, "Слушатели", 2, "ФИО в дательном падеже", "Иванову Ивану"),
    ("ref_module_unknown/interim", G, "Промежуточная аттестация", 2, "№ модуля", 2),
    ("ref_replaces_unknown", G, "Выдача документов", 2, "Заменяет документ (рег. №)", "99"),
    # --- persons ---
    ("name_mismatch", G, "Состав", 2, "ФИО (для проверки)", "Петров Иван Иванович"),
    ("name_mismatch/grid", G, "Посещаемость", 2, "ФИО", "Иванов Илья Иванович"),
    ("name_yo_mismatch", G, "Состав", 3, "ФИО (для проверки)", "Семенова-Грин Ольга"),
    ("learner_too_young", LEARNERS, "Слушатели", 2, "Дата рождения", D(2012, 1, 1)),
    ("learner_too_old", LEARNERS, "Слушатели", 2, "Дата рождения", D(1901, 1, 1)),
    ("status_in_completed_group", G, "Состав", 2, "Статус", "обучается"),
    # --- dates ---
    ("group_period_reversed", G, KV, 5, "Дата окончания", D(2025, 3, 1)),
    ("lesson_outside_period", G, "Занятия", 3, "Дата", D(2025, 3, 10)),
    ("interim_outside_period", G, "Промежуточная аттестация", 2, "Дата", D(2025, 3, 20)),
    ("expel_date_outside", G, "Состав", 4, "Дата отчисления", D(2025, 3, 20)),
    ("final_date_before_start", G, KV, 8, "Дата итоговой аттестации", D(2025, 3, 1)),
    ("final_date_missing", G, KV, 8, "Дата итоговой аттестации", None),
    ("enrolment_order_after_start", G, "Приказы", 2, "Дата приказа", D(2025, 3, 4)),
    ("contract_after_enrolment", G, "Состав", 2, "Дата договора", D(2025, 3, 1)),
    ("graduation_before_final", G, "Приказы", 4, "Дата приказа", D(2025, 3, 6)),
    ("commission_order_after_final/group order", G, "Приказы", 3, "Дата приказа", D(2025, 3, 8)),
    # --- hours ---
    ("program_hours_sum", ORG, "Программы", 2, "Объем, ак. ч", 20),
    # --- expulsion, attestation, documents ---
    ("expel_date_not_expelled", G, "Состав", 2, "Дата отчисления", D(2025, 3, 5)),
    ("expelled_no_date", G, "Состав", 4, "Дата отчисления", None),
    ("expelled_no_order", G, "Состав", 4, "Приказ об отчислении №", None),
    ("expel_order_unknown", G, "Состав", 4, "Приказ об отчислении №", "99-о"),
    ("expelled_has_qualification", G, "Выдача документов", 5, "Вид документа", "Удостоверение о повышении квалификации"),
    ("commission_missing", G, KV, 7, "Код комиссии", None),
    ("protocol_no_missing", G, KV, 9, "Номер протокола", None),
    ("commission_no_chair", ORG, "Комиссии", 2, "Роль", "член комиссии"),
    ("issued_before_final", G, "Выдача документов", 4, "Дата выдачи", D(2025, 3, 6)),
    ("certificate_to_graduate", G, "Выдача документов", 2, "Вид документа", "Справка об обучении"),
    ("issued_wrong_kind", G, "Выдача документов", 2, "Вид документа", "Диплом о профессиональной переподготовке"),
    ("reg_no_duplicate", G, "Выдача документов", 3, "Регистрационный №", "1"),
    ("blank_duplicate", G, "Выдача документов", 3, "Номер бланка", "000121"),
]

# The sheet «Поощрения» holding one award (`_award`) with one column changed, flagged on that column:
# (case, column, value).
ON_THE_AWARD = [
    ("award_learner_unknown", "ID слушателя", "L100"),
    ("award_group_unknown", "Номер группы", "ПК-2099-01"),
    ("award_basis_after", "Дата приказа (решения)", D(2025, 3, 12)),
    ("not_in_list/award kind", "Вид поощрения", "премия"),
    ("format_date/award date", "Дата", "вчера"),
]


def _code(case: str) -> str:
    return case.split("/")[0]


CASES = {
    **{case: (_set(rel, sheet, row, header, value), {(_code(case), rel, sheet, row, header)})
       for case, rel, sheet, row, header, value in ON_THE_CELL},
    **{case: (_award(**{column: value}), {(_code(case), LEARNERS, "Поощрения", 2, column)})
       for case, column, value in ON_THE_AWARD},
    # --- поощрения and the records keeper ---
    "award_not_member": (
        _both(_outsider, _award(**{"ID слушателя": "L005"})),
        {("award_not_member", LEARNERS, "Поощрения", 2, "Номер группы")},
    ),
    "ref_records_unknown": (
        _add(ORG, "Организация", ["Ответственный за учет (табельный №)", "S9"]),
        {("ref_records_unknown", ORG, "Организация", 13, "Ответственный за учет (табельный №)")},
    ),
    "certificate_not_registered/expelled": (
        _delete(G, "Выдача документов", 5),
        {("certificate_not_registered", G, "Состав", 4, "ID слушателя")},
    ),
    "certificate_not_registered/failed": (
        _delete(G, "Выдача документов", 4),
        {("certificate_not_registered", G, "Итоговая аттестация", 4, "ID слушателя")},
    ),
    # --- references ---
    "ref_learner_unknown": (
        _set(LEARNERS, "Слушатели", 2, "ID слушателя", "L100"),
        {("ref_learner_unknown", G, "Состав", 2, "ID слушателя")},
    ),
    "ref_not_member/interim": (
        _add(G, "Промежуточная аттестация", {"ID слушателя": "L999", "№ модуля": 1, "Дата": D(2025, 3, 6),
                                             "Результат": "зачтено", "Экзаменатор (табельный №)": "S2"}),
        {("ref_not_member", G, "Промежуточная аттестация", 5, "ID слушателя")},
    ),
    "ref_not_member/grid": (
        _add(G, "Посещаемость", ["L999", None, None, None, None, None]),
        {("ref_not_member", G, "Посещаемость", 6, "ID слушателя")},
    ),
    "ref_module_unknown/lesson": (
        _set(G, "Занятия", 2, "№ модуля", 2),
        {("ref_module_unknown", G, "Занятия", 2, "№ модуля"), ("lesson_hours_module", G, "Занятия", 5, "Часы")},
    ),
    # --- persons ---
    "name spacing and case are not a mismatch": (
        _set(G, "Состав", 3, "ФИО (для проверки)", "семёнова - грин  ОЛЬГА"),
        set(),
    ),
    "enrolment_overlap": (
        _overlap,
        {("enrolment_overlap", G2, "Состав", 2, "ID слушателя")},
    ),
    "a later group of the same program is no overlap": (_second(), set()),
    "status_completed_early": (
        _second(status="завершил обучение"),
        {("status_completed_early", G2, "Состав", 2, "Статус")},
    ),
    # --- dates ---
    "final_date_after_end": (
        _set(G, "Итоговая аттестация", 2, "Дата", D(2025, 3, 10)),
        {("final_date_after_end", G, "Итоговая аттестация", 2, "Дата"),
         ("graduation_before_final", G, "Приказы", 4, "Дата приказа"),
         ("issued_before_final", G, "Выдача документов", 2, "Дата выдачи")},
    ),
    "enrolment_order_missing": (
        _delete(G, "Приказы", 2),
        {("enrolment_order_missing", G, "Приказы", None, "Вид приказа")},
    ),
    "commission_order_after_final/commission sheet": (
        _both(_set(ORG, "Комиссии", 2, "Дата приказа", D(2025, 3, 8)),
              _set(ORG, "Комиссии", 3, "Дата приказа", D(2025, 3, 8))),
        {("commission_order_after_final", ORG, "Комиссии", 2, "Дата приказа")},
    ),
    # --- hours ---
    "program_hours_min": (
        _set(ORG, "Программы", 2, "Вид программы", "ПП"),
        {("program_hours_min", ORG, "Программы", 2, "Объем, ак. ч")},
    ),
    "program_no_modules": (
        _delete(ORG, "Модули", 2),
        {("program_no_modules", ORG, "Программы", 2, "Код программы")},
    ),
    "lesson_hours_module": (
        _set(G, "Занятия", 2, "Часы", 2),
        {("lesson_hours_module", G, "Занятия", 5, "Часы")},
    ),
    "lesson_hours_module_exceeded": (
        _second(lessons=5),
        {("lesson_hours_module_exceeded", G2, "Занятия", 6, "Часы")},
    ),
    "lesson_hours_total": (
        _both(_delete(ORG, "Модули", 2), _set(G, "Занятия", 2, "Часы", 2)),
        {("program_no_modules", ORG, "Программы", 2, "Код программы"),
         ("lesson_hours_total", G, "Занятия", 5, "Часы")},
    ),
    "lesson_hours_total_exceeded": (
        _both(_delete(ORG, "Модули", 2), _second(lessons=5)),
        {("program_no_modules", ORG, "Программы", 2, "Код программы"),
         ("lesson_hours_total_exceeded", G2, "Занятия", 6, "Часы")},
    ),
    "a group in training may be short of hours": (_second(lessons=2), set()),
    # --- attendance ---
    "attendance_lesson_missing": (
        _grid_drop_last_column,
        {("attendance_lesson_missing", G, "Занятия", 5, "№ занятия")},
    ),
    "attendance_lesson_extra": (
        _grid_add_column,
        {("attendance_lesson_extra", G, "Посещаемость", 1, "5")},
    ),
    "attendance_member_missing": (
        _delete(G, "Посещаемость", 5),
        {("attendance_member_missing", G, "Состав", 5, "ID слушателя")},
    ),
    "mark_after_expulsion": (
        _set(G, "Посещаемость", 4, 3, "н"),
        {("mark_after_expulsion", G, "Посещаемость", 4, "3")},
    ),
    "attendance_below_minimum": (
        _both(_set(G, "Посещаемость", 2, 1, "н"), _set(G, "Посещаемость", 2, 2, "н")),
        {("attendance_below_minimum", G, "Итоговая аттестация", 2, "Результат")},
    ),
    # The program's «Мин. посещаемость, %» is a minimum: a learner who attended exactly that share passes,
    # one who attended less does not. L002 was absent («б») from lesson 2 of 4 (4 of 16 h): 75 % attended.
    "attendance exactly at the minimum passes": (
        _set(ORG, "Программы", 2, "Мин. посещаемость, %", 75),
        set(),
    ),
    "attendance_below_minimum/one percent under": (
        _set(ORG, "Программы", 2, "Мин. посещаемость, %", 76),
        {("attendance_below_minimum", G, "Итоговая аттестация", 3, "Результат")},
    ),
    "attendance_below_minimum/«у» is an absence too": (
        _both(_set(G, "Посещаемость", 2, 1, "у"), _set(G, "Посещаемость", 2, 2, "у")),
        {("attendance_below_minimum", G, "Итоговая аттестация", 2, "Результат")},
    ),
    "«д» (studied remotely) is attendance": (
        _both(_set(G, "Посещаемость", 2, 1, "д"), _set(G, "Посещаемость", 2, 2, "д"),
              _set(G, "Посещаемость", 2, 3, "д")),
        set(),
    ),
    # only a passed final attestation needs the minimum: L004 failed it anyway
    "a learner who failed is not also flagged for attendance": (
        _both(_set(G, "Посещаемость", 5, 1, "н"), _set(G, "Посещаемость", 5, 2, "н")),
        set(),
    ),
    # L003 was expelled on 04.03.2025, the day of lesson 2: a mark that day is still his
    "a mark on the day of the expulsion is allowed": (
        _set(G, "Посещаемость", 4, 2, "н"),
        set(),
    ),
    # --- expulsion, attestation, documents ---
    "expelled_has_final": (
        _add(G, "Итоговая аттестация", {"ID слушателя": "L003", "Дата": D(2025, 3, 4), "Результат": "н/я"}),
        {("expelled_has_final", G, "Итоговая аттестация", 5, "ID слушателя")},
    ),
    "result_after_expulsion": (
        _add(G, "Промежуточная аттестация", {"ID слушателя": "L003", "№ модуля": 1, "Дата": D(2025, 3, 5),
                                             "Результат": "не зачтено", "Экзаменатор (табельный №)": "S2"}),
        {("result_after_expulsion", G, "Промежуточная аттестация", 5, "Дата")},
    ),
    "interim_duplicate": (
        _add(G, "Промежуточная аттестация", {"ID слушателя": "L001", "№ модуля": 1, "Дата": D(2025, 3, 6),
                                             "Результат": "зачтено", "Экзаменатор (табельный №)": "S2"}),
        {("interim_duplicate", G, "Промежуточная аттестация", 5, "№ модуля")},
    ),
    "final_missing": (
        _delete(G, "Итоговая аттестация", 3),
        {("final_missing", G, "Состав", 3, "ID слушателя"),
         ("issued_without_pass", G, "Выдача документов", 3, "Вид документа")},
    ),
    "commission_two_chairs": (
        _add(ORG, "Комиссии", {"Код комиссии": "K1", "Роль": "председатель", "Табельный №": "S2",
                               "Приказ №": "5-к", "Дата приказа": D(2025, 1, 10)}),
        {("commission_two_chairs", ORG, "Комиссии", 4, "Роль")},
    ),
    "commission_no_secretary": (
        _set(ORG, "Комиссии", 3, "Роль", "член комиссии"),
        {("commission_no_secretary", ORG, "Комиссии", 2, "Роль")},
    ),
    "issued_without_pass": (
        _set(G, "Итоговая аттестация", 2, "Результат", "не зачтено"),
        {("issued_without_pass", G, "Выдача документов", 2, "Вид документа")},
    ),
    "issued_without_graduation": (
        _delete(G, "Приказы", 4),
        {("issued_without_graduation", G, "Выдача документов", 2, "Дата выдачи"),
         ("issued_without_graduation", G, "Выдача документов", 3, "Дата выдачи"),
         *(("status_completed_early", G, "Состав", row, "Статус") for row in (2, 3, 5))},
    ),
    "issued_before_graduation": (
        _set(G, "Приказы", 4, "Дата приказа", D(2025, 3, 8)),
        {("issued_before_graduation", G, "Выдача документов", 2, "Дата выдачи"),
         ("issued_before_graduation", G, "Выдача документов", 3, "Дата выдачи")},
    ),
    "issued_twice": (
        _add(G, "Выдача документов", ISSUED),
        {("issued_twice", G, "Выдача документов", 6, "Вид документа")},
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_rule(case, tmp_path):
    change, expected = CASES[case]
    data = rich_input()
    change(data)
    problems = problems_of(tmp_path, data)
    assert keys(problems) == expected
    for problem in problems:  # every message template finds the parameters it names
        what, fix = render(problem)
        assert "{" not in what + fix


def test_valid_input_has_no_problems(tmp_path):
    assert problems_of(tmp_path, rich_input()) == []


def test_valid_award_has_no_problems_and_reaches_the_learner(tmp_path):
    data = rich_input()
    _award()(data)
    assert problems_of(tmp_path, data) == []


def test_attendance_below_minimum_names_the_share_and_the_minimum(tmp_path):
    data = rich_input()
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 76)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.params["share"], problem.params["minimum"]) == (
        "attendance_below_minimum", 3, 75, 76)


def test_a_missing_lesson_column_names_the_lesson(tmp_path):
    data = rich_input()
    _grid_drop_last_column(data)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.value) == ("attendance_lesson_missing", 4)


def test_a_group_without_an_attendance_sheet_does_not_stop_the_check_of_the_next_group(tmp_path):
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1), lessons=2)
    del data[G]["Посещаемость"]
    for row in data[rel]["Посещаемость"]:
        row.pop()
    found = keys(problems_of(tmp_path, data))
    assert ("attendance_lesson_missing", rel, "Занятия", 3, "№ занятия") in found


def test_registration_numbers_unique_across_groups(tmp_path):
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    add_row(data, rel, "Выдача документов", {**ISSUED, "Регистрационный №": "1", "Номер бланка": "000999"})
    found = keys(problems_of(tmp_path, data))
    assert ("reg_no_duplicate", rel, "Выдача документов", 2, "Регистрационный №") in found


def test_problems_carry_value_severity_and_message(tmp_path):
    data = rich_input()
    set_cell(data, G, "Состав", 3, "ФИО (для проверки)", "Семенова-Грин Ольга")
    set_cell(data, G, "Занятия", 3, "Дата", D(2025, 3, 10))
    problems = {p.code: p for p in problems_of(tmp_path, data)}
    yo, lesson = problems["name_yo_mismatch"], problems["lesson_outside_period"]
    assert (yo.severity, yo.value, yo.params["expected"]) == ("warning", "Семенова-Грин Ольга", "Семёнова-Грин Ольга")
    assert (lesson.severity, lesson.value, lesson.params["col"]) == ("error", "10.03.2025", 2)
    assert render(lesson)[0] == "Занятие 10.03.2025 вне сроков группы (03.03.2025 – 07.03.2025)."


# --- no cascades: a row skipped for its own problem makes nothing else «not found» ---


@pytest.mark.parametrize(("rel", "sheet", "row", "header", "value", "code"), [
    (LEARNERS, "Слушатели", 2, "СНИЛС", "112-233-445 96", "snils_checksum"),
    (G, "Итоговая аттестация", 2, "Результат", "сдал", "not_in_list"),
    (ORG, "Сотрудники", 3, "Пол", "М", "not_in_list"),
], ids=["learner", "final", "staff"])
def test_bad_row_does_not_cascade(tmp_path, rel, sheet, row, header, value, code):
    data = rich_input()
    set_cell(data, rel, sheet, row, header, value)
    assert {p.code for p in problems_of(tmp_path, data)} == {code}


def test_bad_lesson_row_does_not_cascade_into_errors(tmp_path):
    """A lesson without hours leaves a warning (attendance falls below the minimum) but no other error."""
    data = rich_input()
    set_cell(data, G, "Занятия", 2, "Часы", "четыре")
    assert {p.code for p in problems_of(tmp_path, data) if p.is_error} == {"format_int"}


# --- the rule table itself ---


def test_every_rule_has_a_message_and_a_test():
    from pipeline.intake.rules import RULES

    assert len(RULES) >= 20
    tested = {code for _change, expected in CASES.values() for code, *_rest in expected}
    tested |= {"module_duplicate", "module_program_unknown", "commission_order_mismatch", "group_duplicate"}
    # the expert commission's sheets: tested cell by cell in test_expert_commission.py
    tested |= {"expert_meeting_before_order", "expert_acts_bad", "expert_index_unknown", "expert_order_date_mismatch",
               "expert_no_secretary", "expert_no_chair", "nomenclature_approved_by_protocol"}
    for code in tested | WARNINGS:
        assert code in MESSAGES, code
    assert WARNINGS <= tested
    assert len(tested) >= 60


@pytest.mark.parametrize("sheet", ["Итоговая аттестация", "Приказы", "Занятия", "Состав"])
def test_missing_sheet_does_not_cascade(sheet, tmp_path):
    data = rich_input()
    del data[G][sheet]
    problems = problems_of(tmp_path, data)
    assert {(p.code, p.file, p.sheet) for p in problems if p.is_error} == {("missing_sheet", G, sheet)}


# --- attendance: what each problem carries, and the edges of each rule (issue 19: mutation survivors) ---


def test_attendance_problems_carry_the_cell_value_and_the_dates(tmp_path):
    """Each attendance problem shows staff the value of the cell it points at (and the dates it compares)."""
    data = rich_input()
    _grid_add_column(data)  # a column «5» that is no lesson
    delete_row(data, G, "Посещаемость", 5)  # L004 has no row in the grid
    set_cell(data, G, "Посещаемость", 4, 3, "н")  # L003, expelled on 04.03, absent on 05.03
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 76)  # L002 attended 75 %
    found = {p.code: p for p in problems_of(tmp_path, data)}
    extra, member, after, below = (found[c] for c in ("attendance_lesson_extra", "attendance_member_missing",
                                                       "mark_after_expulsion", "attendance_below_minimum"))
    assert (extra.row, extra.column, extra.value) == (1, "5", "5")
    assert (member.row, member.value) == (5, "L004")
    assert (after.value, after.params["lesson_date"], after.params["expelled_on"]) == ("н", "05.03.2025", "04.03.2025")
    assert (below.row, below.value) == (3, "зачтено")
    for problem in (extra, member, after, below):
        assert "{" not in "".join(render(problem)), problem.code


def test_attendance_marks_of_a_learner_not_expelled_early_are_never_after_an_expulsion(tmp_path):
    """A date in «Дата отчисления» of a learner who finished (a slip the sheet check reports) does not make
    his later marks «after the expulsion»."""
    data = rich_input()
    set_cell(data, G, "Состав", 2, "Дата отчисления", D(2025, 3, 4))
    set_cell(data, G, "Посещаемость", 2, 4, "н")
    assert "mark_after_expulsion" not in {p.code for p in problems_of(tmp_path, data)}


def test_attendance_minimum_checks_every_passed_learner_after_one_who_failed(tmp_path):
    """The final sheet lists a failed learner first: the passed learners after him are still checked."""
    data = rich_input()
    set_cell(data, G, "Итоговая аттестация", 2, "Результат", "не зачтено")  # L001 first, failed
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 76)  # L002 (row 3) attended 75 %
    found = keys(problems_of(tmp_path, data))
    assert ("attendance_below_minimum", G, "Итоговая аттестация", 3, "Результат") in found


def test_attendance_without_a_minimum_in_the_program_is_not_checked(tmp_path):
    """An empty «Мин. посещаемость, %»: no minimum to fall below, whatever was missed."""
    data = rich_input()
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", None)
    for lesson in (1, 2, 3, 4):
        set_cell(data, G, "Посещаемость", 3, lesson, "н")  # L002 missed everything and passed
    assert "attendance_below_minimum" not in {p.code for p in problems_of(tmp_path, data)}


def test_attendance_an_absence_in_a_column_that_is_no_lesson_costs_no_hours(tmp_path):
    """L002 attended exactly the minimum (75 %); an «н» in a column that names no lesson is an error of its
    own and does not push her under it."""
    data = rich_input()
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 75)
    _grid_add_column(data)
    set_cell(data, G, "Посещаемость", 3, 5, "н")
    assert {p.code for p in problems_of(tmp_path, data)} == {"attendance_lesson_extra"}


def test_attendance_of_a_group_without_the_grid_names_no_member_missing(tmp_path):
    """No «Посещаемость» sheet at all is one problem of the workbook, not one per member."""
    data = rich_input()
    del data[G]["Посещаемость"]
    assert "attendance_member_missing" not in {p.code for p in problems_of(tmp_path, data)}


# --- «Тестирование»: scores within the maximum (issue 19: mutation survivors) ---

TESTING_HEADERS = ["ID слушателя", "Тест", "Дата", "Баллы", "Максимум", "Проходной балл"]


def _testing(data, *rows):
    data[G]["Тестирование"] = [TESTING_HEADERS, *[list(r) for r in rows]]


def test_test_score_problems_show_the_numbers_as_staff_wrote_them(tmp_path):
    """A fractional score or pass mark is shown with a Russian decimal comma, a whole number as it is, a
    million points too (not «1e+06»)."""
    data = rich_input()
    _testing(data, ("L001", "Итоговый", D(2025, 3, 6), 10.5, 10, 12.5),
             ("L002", "Итоговый", D(2025, 3, 6), 1000001, 1000000, 12))
    problems = problems_of(tmp_path, data)
    found = {(p.code, p.row): p for p in problems}
    score, threshold = found["test_score_above_max", 2], found["test_threshold_above_max", 2]
    large = found["test_score_above_max", 3]
    assert (large.value, large.params["maximum"]) == ("1000001", "1000000")
    assert (score.row, score.value, score.params["maximum"]) == (2, "10,5", "10")
    assert (threshold.row, threshold.value, threshold.params["maximum"]) == (2, "12,5", "10")
    assert render(score)[0].count("10,5") == 1 and "{" not in "".join(render(threshold))


def test_test_max_of_one_point_is_a_maximum_like_any_other(tmp_path):
    """Only a maximum of zero or less is impossible; a one-point test («сдал / не сдал») is not."""
    data = rich_input()
    _testing(data, ("L001", "Вводный", D(2025, 3, 3), 1, 1, 1), ("L002", "Вводный", D(2025, 3, 3), 0, 1, 1))
    assert problems_of(tmp_path, data) == []


def test_test_score_rows_after_one_without_a_maximum_are_still_checked(tmp_path):
    """A row with no maximum (an error of its own) has nothing to compare with; the rows below it are
    compared all the same."""
    data = rich_input()
    _testing(data, ("L001", "Вводный", D(2025, 3, 3), 5, None, None),
             ("L002", "Итоговый", D(2025, 3, 6), 25, 20, 12))
    assert keys(problems_of(tmp_path, data)) == {("required", G, "Тестирование", 2, "Максимум"),
                                                 ("required", G, "Тестирование", 2, "Проходной балл"),
                                                 ("test_score_above_max", G, "Тестирование", 3, "Баллы")}


def test_test_max_of_zero_is_shown_and_the_rows_below_are_still_compared(tmp_path):
    data = rich_input()
    _testing(data, ("L001", "Вводный", D(2025, 3, 3), 0, 0, 0), ("L002", "Итоговый", D(2025, 3, 6), 25, 20, 12))
    problems = problems_of(tmp_path, data)
    assert keys(problems) == {("test_max_not_positive", G, "Тестирование", 2, "Максимум"),
                              ("test_score_above_max", G, "Тестирование", 3, "Баллы")}
    assert [p.value for p in problems if p.code == "test_max_not_positive"] == ["0"]


# --- the scale of a result follows its form (issue 19: mutation survivors) ---


def test_pass_fail_problems_name_the_result_and_which_attestation_it_is(tmp_path):
    """«5» written where the form is a зачет: the problem shows the «5» and says whether it is the final
    attestation or a module's interim one, with the results the form allows."""
    data = rich_input()
    set_cell(data, G, "Итоговая аттестация", 2, "Результат", "5")
    set_cell(data, G, "Промежуточная аттестация", 3, "Результат", "4")
    found = {p.sheet: p for p in problems_of(tmp_path, data) if p.code == "mark_for_pass_fail"}
    final, interim = found["Итоговая аттестация"], found["Промежуточная аттестация"]
    assert (final.row, final.value, final.params["what"]) == (2, "5", "итоговой аттестации программы")
    assert (interim.row, interim.value, interim.params["what"]) == (
        3, "4", "промежуточной аттестации по модулю № 1")
    assert final.params["allowed"] == "«зачтено» / «не зачтено»" and final.params["form"] == "зачет"


def test_pass_fail_or_mark_a_no_show_fits_every_form(tmp_path):
    """«н/я» (did not appear) is a result of a зачет and of an exam alike: never «the wrong scale»."""
    data = rich_input()
    set_cell(data, G, "Итоговая аттестация", 4, "Результат", "н/я")
    set_cell(data, G, "Промежуточная аттестация", 4, "Результат", "н/я")
    assert not {"mark_for_pass_fail", "pass_fail_for_mark"} & {p.code for p in problems_of(tmp_path, data)}


# --- «Номенклатура дел» files every carrier (issue 19: mutation survivors) ---


def _nomenclature_title(key):
    from pipeline.intake.nomenclature import case_keys

    return case_keys()[key]


def test_nomenclature_row_with_a_carriers_title_names_the_key_meant(tmp_path):
    """Staff typed the carrier's title instead of its key: one problem at that cell, showing what was typed
    and the key meant; the carrier is not reported missing a second time."""
    data = rich_input()
    title = _nomenclature_title("journal")
    set_cell(data, ORG, "Номенклатура дел", 2, "Носитель", title)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        "not_in_list", ORG, "Номенклатура дел", 2, "Носитель", title)
    assert "«journal»" in problem.params["suggestion"]


def test_nomenclature_rows_with_two_titles_are_each_told_once(tmp_path):
    data = rich_input()
    for row, key in ((2, "journal"), (3, "order_enrolment")):
        set_cell(data, ORG, "Номенклатура дел", row, "Носитель", _nomenclature_title(key))
    found = [(p.code, p.row) for p in problems_of(tmp_path, data)]
    assert sorted(found) == [("not_in_list", 2), ("not_in_list", 3)]


def test_nomenclature_sheet_without_its_carrier_column_is_one_problem(tmp_path):
    data = rich_input()
    for row in data[ORG]["Номенклатура дел"]:
        del row[0]
    codes = [p.code for p in problems_of(tmp_path, data) if p.sheet == "Номенклатура дел"]
    assert "missing_column" in codes and "nomenclature_missing" not in codes


def _nomenclature_row(data, key):
    """The Excel row of `key` on «Номенклатура дел»."""
    return next(i for i, row in enumerate(data[ORG]["Номенклатура дел"], 1) if row[0] == key)


def test_nomenclature_missing_names_the_carrier_and_its_title(tmp_path):
    data = rich_input()
    delete_row(data, ORG, "Номенклатура дел", _nomenclature_row(data, "journal"))
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.sheet, problem.row, problem.value) == (
        "nomenclature_missing", "Номенклатура дел", None, "journal")
    assert problem.params["title"] == _nomenclature_title("journal")


def test_nomenclature_typo_stands_for_the_one_closest_key_only(tmp_path):
    """«order_enrolmnt» is a typo of order_enrolment, not also of order_expulsion: a missing row of that
    one is still reported."""
    data = rich_input()
    set_cell(data, ORG, "Номенклатура дел", _nomenclature_row(data, "order_enrolment"), "Носитель", "order_enrolmnt")
    delete_row(data, ORG, "Номенклатура дел", _nomenclature_row(data, "order_expulsion"))
    found = sorted((p.code, p.value) for p in problems_of(tmp_path, data))
    assert found == [("nomenclature_missing", "order_expulsion"), ("not_in_list", "order_enrolmnt")]


EXPERT_ORDER = [{"Приказ №": "2-о", "Дата приказа": D(2024, 12, 20), "Роль": role, "Табельный №": staff}
                for role, staff in (("председатель", "S1"), ("секретарь", "S2"))]


def test_nomenclature_needs_the_expert_commissions_order_once_it_is_on_its_sheet(tmp_path):
    """Once the ЭК's order is entered on «Экспертная комиссия», uchet draws that order (a document kept in the
    year's case of orders), so the номенклатура must file it: a row for order_expert_commission, and only that
    (no meeting yet, so no протокол to file)."""
    from builders import headers

    data = rich_input()
    data[ORG]["Экспертная комиссия"] = [headers("Экспертная комиссия"),
                                        *([row[h] for h in headers("Экспертная комиссия")] for row in EXPERT_ORDER)]
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        "nomenclature_missing", ORG, "Номенклатура дел", None, "Носитель", "order_expert_commission")
    assert problem.params["title"] == _nomenclature_title("order_expert_commission")


def test_nomenclature_of_an_older_workbook_with_the_commission_coded_ek_on_komissii_needs_no_row_for_its_order(
        tmp_path):
    """An older organization.xlsx enters the ЭК as the commission «ЭК» on «Комиссии»: uchet draws no order for it
    (the order that appointed it was printed elsewhere), so the номенклатура needs no row for one."""
    data = rich_input()
    for member in EXPERT_ORDER:
        add_row(data, ORG, "Комиссии", {**member, "Код комиссии": "ЭК"})
    assert problems_of(tmp_path, data) == []


# --- hours: what each problem carries, and the edges of each rule (issue 19: mutation survivors) ---


def _found(tmp_path, data):
    return {(p.code, p.row): p for p in problems_of(tmp_path, data)}


def test_hours_of_a_program_under_the_legal_minimum_name_its_kind_and_the_minimum(tmp_path):
    """Порядок ДПО (приказ Минобрнауки № 499): a ПП program has at least 250 hours; 16 are shown with that minimum."""
    data = rich_input()
    set_cell(data, ORG, "Программы", 2, "Вид программы", "ПП")
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "program_hours_min", 2, "Объем, ак. ч", 16)
    assert (problem.params["kind"], problem.params["minimum"]) == ("ПП", 250)


def test_hours_of_a_program_that_its_modules_do_not_add_up_to_show_both_sums(tmp_path):
    data = rich_input()
    set_cell(data, ORG, "Программы", 2, "Объем, ак. ч", 20)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.value, problem.params["modules_total"]) == (
        "program_hours_sum", 2, 20, 16)


def test_hours_of_lessons_show_the_module_and_both_sums_on_the_last_lesson(tmp_path):
    """Lesson 2 has 2 h instead of 4: module 1 got 14 h of its 16; told once, on the module's last lesson (row 5)."""
    data = rich_input()
    set_cell(data, G, "Занятия", 3, "Часы", 2)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.column, problem.value) == ("lesson_hours_module", 5, "Часы", 4)
    assert (problem.params["module"], problem.params["actual"], problem.params["expected"]) == (1, 14, 16)


def test_hours_of_lessons_of_a_program_without_modules_are_compared_with_its_volume(tmp_path):
    data = rich_input()
    delete_row(data, ORG, "Модули", 2)
    set_cell(data, G, "Занятия", 3, "Часы", 2)
    found = _found(tmp_path, data)
    assert found["program_no_modules", 2].value == "ПК-01"
    total = found["lesson_hours_total", 5]
    assert (total.value, total.params["actual"], total.params["expected"]) == (4, 14, 16)


def test_hours_of_a_group_in_training_over_the_module_show_how_many_already(tmp_path):
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1), lessons=5)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.file, problem.row, problem.value) == ("lesson_hours_module_exceeded", rel, 6, 4)
    assert (problem.params["module"], problem.params["actual"], problem.params["expected"]) == (1, 20, 16)


def _two_modules(data):
    """The program gets module 2 of 1 h (17 h in all); the group's four lessons stay in module 1."""
    add_row(data, ORG, "Модули", {"Код программы": "ПК-01", "№ модуля": 2, "Наименование модуля": "Итоговый тест",
                                  "Объем, ак. ч": 1, "Форма промежуточной аттестации": "зачет"})
    set_cell(data, ORG, "Программы", 2, "Объем, ак. ч", 17)


def test_hours_of_a_module_without_any_lesson_are_told_on_the_module_number_and_the_total_is_not_told_again(
        tmp_path):
    """A completed group had no lesson of module 2: one problem, at the column «№ модуля» of «Занятия» (there is no
    lesson row to point at), 0 h of 1; the total (16 of 17) follows from it and is not a second problem."""
    data = rich_input()
    _two_modules(data)
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
        "lesson_hours_module", G, "Занятия", None, "№ модуля", 2)
    assert (problem.params["module"], problem.params["actual"], problem.params["expected"]) == (2, 0, 1)


def test_hours_of_a_group_in_training_may_fall_short_of_a_module_and_of_the_total(tmp_path):
    """Module 2 not begun yet, module 1 done: nothing to tell while the group is still in training."""
    data = rich_input()
    _two_modules(data)
    second_group(data, "ПК-2025-02", D(2025, 4, 1), lessons=4)
    del data[G]
    assert problems_of(tmp_path, data) == []


@pytest.mark.parametrize("missing", ["sheet", "column"])
def test_hours_of_programs_are_not_compared_without_the_modules_sheet_or_its_program_column(missing, tmp_path):
    """No «Модули» (or no «Код программы» on it) is one problem, where it is: not also «no modules» for every
    program, nor lesson hours compared with a curriculum that could not be read."""
    data = rich_input()
    if missing == "sheet":
        del data[ORG]["Модули"]
    else:
        for row in data[ORG]["Модули"]:
            del row[0]
    set_cell(data, G, "Занятия", 3, "Часы", 2)
    problems = problems_of(tmp_path, data)
    assert [(p.code, p.sheet) for p in problems] == [(f"missing_{missing}", "Модули")]


def test_hours_of_every_program_are_checked_after_one_without_modules(tmp_path):
    """ПК-01 (row 2) lost its only module; ПК-02 (row 3), whose module of 16 h does not make its 20 h, is still
    checked."""
    data = rich_input()
    delete_row(data, ORG, "Модули", 2)
    add_row(data, ORG, "Программы", {**dict(zip(data[ORG]["Программы"][0], data[ORG]["Программы"][1], strict=True)),
                                     "Код программы": "ПК-02", "Объем, ак. ч": 20})
    add_row(data, ORG, "Модули", {"Код программы": "ПК-02", "№ модуля": 1, "Наименование модуля": "Основы",
                                  "Объем, ак. ч": 16, "Форма промежуточной аттестации": "зачет"})
    assert keys(problems_of(tmp_path, data)) == {("program_no_modules", ORG, "Программы", 2, "Код программы"),
                                                 ("program_hours_sum", ORG, "Программы", 3, "Объем, ак. ч")}


def test_hours_of_a_module_row_skipped_for_its_own_problem_are_not_compared(tmp_path):
    """«Объем, ак. ч» of the module is not a number: that cell is the one problem; the program is not «without
    modules», its volume and the lessons are not compared with a curriculum missing a row."""
    data = rich_input()
    set_cell(data, ORG, "Модули", 2, "Объем, ак. ч", "шестнадцать")
    assert {p.code for p in problems_of(tmp_path, data) if p.is_error} == {"format_int"}


# --- persons: what each problem carries, and the edges of each rule (issue 19: mutation survivors) ---


def test_name_mismatch_shows_what_was_written_the_registry_name_and_the_learner(tmp_path):
    data = rich_input()
    set_cell(data, G, "Посещаемость", 3, "ФИО", "Семёнова Ольга")
    set_cell(data, G, "Состав", 3, "ФИО (для проверки)", "Семенова-Грин Ольга")
    found = _found(tmp_path, data)
    grid, members = found["name_mismatch", 3], found["name_yo_mismatch", 3]
    assert (grid.sheet, grid.column, grid.value) == ("Посещаемость", "ФИО", "Семёнова Ольга")
    assert (members.sheet, members.column, members.value) == ("Состав", "ФИО (для проверки)", "Семенова-Грин Ольга")
    for problem in (grid, members):
        assert (problem.params["expected"], problem.params["learner"]) == ("Семёнова-Грин Ольга", "L002")


def test_learner_too_young_is_sixteen_on_the_first_day_of_the_first_group(tmp_path):
    """16 is the least age (ДПО needs СПО or ВО): L002 turns 16 on the group's first day and may study; L001 turns 16
    the day after and is too young then, though 16 by the start of his second group."""
    data = rich_input()
    set_cell(data, LEARNERS, "Слушатели", 2, "Дата рождения", D(2009, 3, 4))
    set_cell(data, LEARNERS, "Слушатели", 3, "Дата рождения", D(2009, 3, 3))
    second_group(data, "ПК-2025-02", D(2025, 4, 1))
    [problem] = [p for p in problems_of(tmp_path, data) if p.code.startswith("learner_too")]
    assert (problem.code, problem.row, problem.value) == ("learner_too_young", 2, "04.03.2009")
    assert (problem.params["age"], problem.params["group"]) == (15, "ПК-2025-01")


def test_learner_too_old_is_over_ninety_on_the_first_day(tmp_path):
    data = rich_input()
    set_cell(data, LEARNERS, "Слушатели", 2, "Дата рождения", D(1934, 3, 3))  # 91 on 03.03.2025
    set_cell(data, LEARNERS, "Слушатели", 3, "Дата рождения", D(1934, 3, 4))  # 90
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.value) == ("learner_too_old", 2, "03.03.1934")
    assert (problem.params["age"], problem.params["group"]) == (91, "ПК-2025-01")


def test_enrolment_overlap_is_told_against_the_group_studied_in_last(tmp_path):
    """ПК-2025-01 runs 03.03–07.03, ПК-2025-02 05.03–08.03, ПК-2025-03 08.03–11.03, all of one program with L001:
    the second overlaps the first, the third starts on the last day of the second (a shared day is an overlap)."""
    data = rich_input()
    second = second_group(data, "ПК-2025-02", D(2025, 3, 5))
    third = second_group(data, "ПК-2025-03", D(2025, 3, 8))
    found = {p.file: p for p in problems_of(tmp_path, data) if p.code == "enrolment_overlap"}
    assert set(found) == {second, third}
    assert (found[second].row, found[second].value, found[second].params["other_group"],
            found[second].params["other_file"]) == (2, "L001", "ПК-2025-01", G)
    assert (found[third].params["other_group"], found[third].params["other_file"]) == ("ПК-2025-02", second)


def _first_member(data: dict, rel: str, learner_id: str, name: str) -> None:
    """Make the learner the first member of the group workbook `rel`: on «Состав» and on the attendance grid."""
    set_cell(data, rel, "Состав", 2, "ID слушателя", learner_id)
    set_cell(data, rel, "Состав", 2, "ФИО (для проверки)", name)
    data[rel]["Посещаемость"][1][:2] = [learner_id, name]


def test_enrolment_overlap_ends_with_an_early_expulsion(tmp_path):
    """L003 was expelled from ПК-2025-01 on 04.03: he may start the same program in a group from 05.03."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 3, 5))
    _first_member(data, rel, "L003", "Ёлкин Пётр Фёдорович")
    assert problems_of(tmp_path, data) == []


def test_status_problems_show_the_status_written(tmp_path):
    data = rich_input()
    set_cell(data, G, "Состав", 3, "Статус", "обучается")
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1), status="завершил обучение")
    found = {p.code: p for p in problems_of(tmp_path, data)}
    assert (found["status_in_completed_group"].file, found["status_in_completed_group"].row,
            found["status_in_completed_group"].value) == (G, 3, "обучается")
    assert (found["status_completed_early"].file, found["status_completed_early"].value) == (rel, "завершил обучение")


def test_dative_name_with_as_many_words_as_the_name_is_taken_and_one_short_is_told(tmp_path):
    data = rich_input()
    set_cell(data, LEARNERS, "Слушатели", 2, "ФИО в дательном падеже", "Иванову Ивану Ивановичу")
    set_cell(data, LEARNERS, "Слушатели", 3, "ФИО в дательном падеже", "Семёновой-Грин")
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.value, problem.params["expected"]) == (
        "dative_words", 3, "Семёновой-Грин", "Семёнова-Грин Ольга")


# --- every problem on the cell shows the value typed there and what it is compared with (issue 19) ---

PERIOD = {"start": "03.03.2025", "end": "07.03.2025"}
FINAL = {"final": "07.03.2025"}
FIRST_ISSUED = {"other_file": G, "other_row": 2}  # L001's document, the first row of «Выдача документов»
# case -> the parameters its message names besides the value: the group runs 03.03–07.03.2025 with its final
# attestation on 07.03, the enrolment order 10-о of 28.02.2025, one module (16 h) of program ПК-01.
COMPARED_WITH = {
    "ref_module_unknown/interim": {"program": "ПК-01"},
    "dative_words": {"expected": "Иванов Иван Иванович"},
    "name_mismatch": {"expected": "Иванов Иван Иванович", "learner": "L001"},
    "name_mismatch/grid": {"expected": "Иванов Иван Иванович", "learner": "L001"},
    "name_yo_mismatch": {"expected": "Семёнова-Грин Ольга", "learner": "L002"},
    "learner_too_young": {"age": 13, "group": "ПК-2025-01"},
    "learner_too_old": {"age": 124, "group": "ПК-2025-01"},
    "group_period_reversed": {"start": "03.03.2025"},
    "lesson_outside_period": PERIOD,
    "interim_outside_period": PERIOD,
    "expel_date_outside": PERIOD,
    "final_date_before_start": {"start": "03.03.2025"},
    "enrolment_order_after_start": {"start": "03.03.2025"},
    "contract_after_enrolment": {"order_no": "10-о", "order_date": "28.02.2025"},
    "graduation_before_final": FINAL,
    "commission_order_after_final/group order": FINAL,
    "program_hours_sum": {"modules_total": 16},
    "expel_date_not_expelled": {"status": "завершил обучение"},
    "issued_before_final": FINAL,
    "issued_wrong_kind": {"expected": "Удостоверение о повышении квалификации"},
    "reg_no_duplicate": FIRST_ISSUED,
    "blank_duplicate": FIRST_ISSUED,
    "award_basis_after": {"date": "10.03.2025"},
}
# A problem about a missing role names the commission, not the role typed in the row it points at.
NAMES_SOMETHING_ELSE = {"commission_no_chair": "K1"}


@pytest.mark.parametrize(("case", "change", "value"), [
    *(pytest.param(case, _set(rel, sheet, row, header, value), value, id=case)
      for case, rel, sheet, row, header, value in ON_THE_CELL),
    *(pytest.param(case, _award(**{column: value}), value, id=case) for case, column, value in ON_THE_AWARD
      if not case.startswith(("not_in_list", "format_"))),  # the sheet checks', not a rule's
])
def test_problem_on_the_cell_shows_the_value_typed_and_what_it_is_compared_with(case, change, value, tmp_path):
    data = rich_input()
    change(data)
    [problem] = problems_of(tmp_path, data)
    shown = value.strftime("%d.%m.%Y") if isinstance(value, D) else value  # dates as staff read them
    assert problem.value == NAMES_SOMETHING_ELSE.get(case, shown)
    assert {k: v for k, v in problem.params.items() if k != "col"} == COMPARED_WITH.get(case, {})


# --- dates: the edges of each rule (issue 19: mutation survivors) ---


def test_calendar_dates_on_the_first_and_last_day_of_the_period_are_inside(tmp_path):
    """A period includes its first and last day; an order or contract may be dated on the day it must not be after:
    enrolment order on the first day, contract on the day of the enrolment order, commission order on the day of
    the final attestation, interim attestation on the first day, a lesson on the last."""
    data = rich_input()
    set_cell(data, G, "Занятия", 5, "Дата", D(2025, 3, 7))
    set_cell(data, G, "Промежуточная аттестация", 2, "Дата", D(2025, 3, 3))
    set_cell(data, G, "Приказы", 2, "Дата приказа", D(2025, 3, 3))
    set_cell(data, G, "Состав", 2, "Дата договора", D(2025, 3, 3))
    set_cell(data, G, "Приказы", 3, "Дата приказа", D(2025, 3, 7))
    set_cell(data, ORG, "Комиссии", 2, "Дата приказа", D(2025, 3, 7))
    set_cell(data, ORG, "Комиссии", 3, "Дата приказа", D(2025, 3, 7))
    assert problems_of(tmp_path, data) == []


def test_calendar_dates_before_the_first_day_are_outside_the_period(tmp_path):
    data = rich_input()
    set_cell(data, G, "Занятия", 2, "Дата", D(2025, 3, 2))
    set_cell(data, G, "Промежуточная аттестация", 3, "Дата", D(2025, 3, 2))
    set_cell(data, G, "Итоговая аттестация", 2, "Дата", D(2025, 3, 2))
    problems = problems_of(tmp_path, data)
    assert keys(problems) == {("lesson_outside_period", G, "Занятия", 2, "Дата"),
                              ("interim_outside_period", G, "Промежуточная аттестация", 3, "Дата"),
                              ("final_date_before_start", G, "Итоговая аттестация", 2, "Дата")}
    for problem in problems:
        assert (problem.value, problem.params["start"]) == ("02.03.2025", "03.03.2025")


# --- what each problem of a case shows (issue 19: mutation survivors) ---

ISSUE_KIND = "Удостоверение о повышении квалификации"
# case -> {(code, row): (value, parameters besides the value)}; documents are issued on 07.03.2025, the graduation
# order is 12-о, L003 was expelled on 04.03.2025.
CASE_SHOWS = {
    "expelled_has_final": {("expelled_has_final", 5): ("L003", {})},
    "result_after_expulsion": {("result_after_expulsion", 5): ("05.03.2025", {"expelled_on": "04.03.2025"})},
    "interim_duplicate": {("interim_duplicate", 5): (1, {"learner": "L001"})},
    "final_missing": {("final_missing", 3): ("L002", {}), ("issued_without_pass", 3): (ISSUE_KIND, {"result": None})},
    "commission_two_chairs": {("commission_two_chairs", 4): ("председатель", {})},
    "commission_no_secretary": {("commission_no_secretary", 2): ("K1", {})},
    "issued_without_pass": {("issued_without_pass", 2): (ISSUE_KIND, {"result": "не зачтено"})},
    "issued_before_graduation": {
        ("issued_before_graduation", row): ("07.03.2025", {"order_no": "12-о", "order_date": "08.03.2025"})
        for row in (2, 3)},
    "issued_twice": {("issued_twice", 6): (ISSUE_KIND, {})},
    # the graduation order deleted: each document names the day it was issued; the three who finished keep their status
    "issued_without_graduation": {**{("issued_without_graduation", row): ("07.03.2025", {}) for row in (2, 3)},
                                  **{("status_completed_early", row): ("завершил обучение", {}) for row in (2, 3, 5)}},
    "certificate_not_registered/expelled": {("certificate_not_registered", 4): ("L003", {})},
    "certificate_not_registered/failed": {("certificate_not_registered", 4): ("L004", {})},
    # dates: the final attestation of L001 moved to 10.03, after the end (07.03) and the graduation order
    "final_date_after_end": {("final_date_after_end", 2): ("10.03.2025", {"end": "07.03.2025"}),
                             ("graduation_before_final", 4): ("07.03.2025", {"final": "10.03.2025"}),
                             ("issued_before_final", 2): ("07.03.2025", {"final": "10.03.2025"})},
    "enrolment_order_missing": {("enrolment_order_missing", None): ("о зачислении", {})},
    "commission_order_after_final/commission sheet": {
        ("commission_order_after_final", 2): ("08.03.2025", {"final": "07.03.2025", "group": "ПК-2025-01"})},
    "program_hours_min": {("program_hours_min", 2): (16, {"kind": "ПП", "minimum": 250})},
    "ref_records_unknown": {("ref_records_unknown", 13): ("S9", {})},
    "ref_learner_unknown": {("ref_learner_unknown", 2): ("L001", {})},
    "award_not_member": {("award_not_member", 2): ("ПК-2025-01", {"learner": "L005"})},
    # lesson 1 moved to a module 2 the program does not have: module 1 keeps 12 h of its 16
    "ref_module_unknown/lesson": {("ref_module_unknown", 2): (2, {"program": "ПК-01"}),
                                  ("lesson_hours_module", 5): (4, {"module": 1, "actual": 12, "expected": 16})},
}


@pytest.mark.parametrize("case", list(CASE_SHOWS))
def test_case_problem_shows_the_value_and_what_it_is_compared_with(case, tmp_path):
    change, _expected = CASES[case]
    data = rich_input()
    change(data)
    shows = {(p.code, p.row): (p.value, {k: v for k, v in p.params.items() if k != "col"})
             for p in problems_of(tmp_path, data)}
    assert shows == CASE_SHOWS[case]


# --- references: the sheets every id is looked up on (issue 19: mutation survivors) ---


def test_ref_not_member_is_told_on_every_sheet_of_the_group_that_names_a_learner(tmp_path):
    """L005 is on «Слушатели» but not in the group: each sheet naming him is told, with the group's number."""
    data = rich_input()
    _outsider(data)
    add_row(data, G, "Итоговая аттестация", {"ID слушателя": "L005", "Дата": D(2025, 3, 7), "Результат": "зачтено"})
    add_row(data, G, "Выдача документов", {**ISSUED, "ID слушателя": "L005", "Номер бланка": "000140",
                                           "Регистрационный №": "6"})
    _testing(data, ("L005", "Итоговый", D(2025, 3, 6), 15, 20, 12))
    found = {p.sheet: p for p in problems_of(tmp_path, data) if p.code == "ref_not_member"}
    assert {(sheet, p.row, p.column, p.value, p.params["group"]) for sheet, p in found.items()} == {
        ("Итоговая аттестация", 5, "ID слушателя", "L005", "ПК-2025-01"),
        ("Выдача документов", 6, "ID слушателя", "L005", "ПК-2025-01"),
        ("Тестирование", 2, "ID слушателя", "L005", "ПК-2025-01"),
    }


def test_ref_replaces_names_a_document_issued_in_any_group(tmp_path):
    """A duplicate issued with the second group's papers replaces L001's original of the first group (рег. № 1)."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    add_row(data, rel, "Выдача документов", {**ISSUED, "Номер бланка": "000140", "Регистрационный №": "6",
                                             "Дата выдачи": D(2025, 4, 2), "Статус документа": "Дубликат",
                                             "Заменяет документ (рег. №)": "1"})
    assert "ref_replaces_unknown" not in {p.code for p in problems_of(tmp_path, data)}


def test_expel_order_unknown_when_the_order_named_is_not_an_expulsion_order(tmp_path):
    """L003's expulsion names the enrolment order 10-о: it exists, but it expels nobody."""
    data = rich_input()
    set_cell(data, G, "Состав", 4, "Приказ об отчислении №", "10-о")
    [problem] = problems_of(tmp_path, data)
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "expel_order_unknown", 4, "Приказ об отчислении №", "10-о")


def test_expelled_learners_interim_result_on_the_day_of_the_expulsion_is_still_his(tmp_path):
    data = rich_input()
    add_row(data, G, "Промежуточная аттестация", {"ID слушателя": "L003", "№ модуля": 1, "Дата": D(2025, 3, 4),
                                                  "Результат": "не зачтено", "Экзаменатор (табельный №)": "S2"})
    assert problems_of(tmp_path, data) == []


def test_commission_and_protocol_are_not_yet_due_for_a_group_in_training_without_final_results(tmp_path):
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    set_cell(data, rel, "Группа", 0, "Код комиссии", None)
    assert problems_of(tmp_path, data) == []


def test_blank_duplicate_is_the_same_series_and_number(tmp_path):
    """A blank is its series and number: «АБ 000121» twice is one blank used twice, «АБ 000130» beside «ВГ 000130»
    are two blanks."""
    data = rich_input()
    for row, series in ((2, "АБ"), (3, "АБ"), (4, "ВГ"), (5, "АБ")):
        set_cell(data, G, "Выдача документов", row, "Серия", series)
    set_cell(data, G, "Выдача документов", 3, "Номер бланка", "000121")
    set_cell(data, G, "Выдача документов", 5, "Номер бланка", "000130")
    found = [(p.row, p.value, p.params["other_file"], p.params["other_row"])
             for p in problems_of(tmp_path, data) if p.code == "blank_duplicate"]
    assert found == [(3, "АБ 000121", G, 2)]


def test_order_dates_compare_the_commission_with_the_first_final_day_and_graduation_with_the_last(tmp_path):
    """L001 sat the final attestation on 06.03, the others on 07.03: the commission must be appointed by 06.03 and
    the graduation order must come on 07.03 or later: a commission order of 07.03 and a graduation order of 06.03
    are each told, with the day each is compared with."""
    data = rich_input()
    set_cell(data, G, "Итоговая аттестация", 2, "Дата", D(2025, 3, 6))
    set_cell(data, G, "Приказы", 3, "Дата приказа", D(2025, 3, 7))
    set_cell(data, G, "Приказы", 4, "Дата приказа", D(2025, 3, 6))
    shows = {(p.code, p.row): (p.value, p.params["final"]) for p in problems_of(tmp_path, data)}
    assert shows == {("commission_order_after_final", 3): ("07.03.2025", "06.03.2025"),
                     ("graduation_before_final", 4): ("06.03.2025", "07.03.2025")}


def test_name_written_with_yo_where_the_registry_has_ye_is_only_the_yo_warning(tmp_path):
    """«е» and «ё» either way round: the registry has «Семенова-Грин», the group sheets «Семёнова-Грин»."""
    data = rich_input()
    set_cell(data, LEARNERS, "Слушатели", 3, "Фамилия", "Семенова-Грин")
    found = {(p.code, p.sheet, p.row, p.value) for p in problems_of(tmp_path, data)}
    assert found == {("name_yo_mismatch", "Состав", 3, "Семёнова-Грин Ольга"),
                     ("name_yo_mismatch", "Посещаемость", 3, "Семёнова-Грин Ольга")}


def test_enrolment_overlap_of_a_learner_who_finished_runs_to_the_end_whatever_expulsion_date_he_has(tmp_path):
    """L001 finished ПК-2025-01 (to 07.03); a «Дата отчисления» of 04.03 in his row is a slip (told on its own), not
    an early end: ПК-2025-02 from 05.03 overlaps."""
    data = rich_input()
    set_cell(data, G, "Состав", 2, "Дата отчисления", D(2025, 3, 4))
    rel = second_group(data, "ПК-2025-02", D(2025, 3, 5))
    assert ("enrolment_overlap", rel, "Состав", 2, "ID слушателя") in keys(problems_of(tmp_path, data))


def test_name_on_the_grid_is_compared_when_the_members_sheet_is_missing(tmp_path):
    data = rich_input()
    del data[G]["Состав"]
    set_cell(data, G, "Посещаемость", 2, "ФИО", "Иванов Илья Иванович")
    assert ("name_mismatch", G, "Посещаемость", 2, "ФИО") in keys(problems_of(tmp_path, data))


def test_learner_too_young_is_checked_after_a_member_missing_from_the_registry(tmp_path):
    """L001 is not on «Слушатели» (told as ref_learner_unknown); L002, after him, is still checked for her age."""
    data = rich_input()
    set_cell(data, LEARNERS, "Слушатели", 2, "ID слушателя", "L100")
    set_cell(data, LEARNERS, "Слушатели", 3, "Дата рождения", D(2012, 1, 1))
    assert ("learner_too_young", LEARNERS, "Слушатели", 3, "Дата рождения") in keys(problems_of(tmp_path, data))


def test_enrolment_overlap_of_a_learner_after_one_enrolled_once_is_told(tmp_path):
    """L001 is enrolled once; L002, after him, in two overlapping groups of one program, is still checked."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 3, 5))
    _first_member(data, rel, "L002", "Семёнова-Грин Ольга")
    assert keys(problems_of(tmp_path, data)) == {("enrolment_overlap", rel, "Состав", 2, "ID слушателя")}


def test_enrolment_overlap_of_two_groups_inside_a_longer_one_is_told_for_each(tmp_path):
    """L001 in ПК-2025-02 (10.03–22.03), ПК-2025-03 (11.03–14.03) and ПК-2025-04 (16.03–19.03), one program: the two
    short groups do not overlap each other but each overlaps the long one, which is taken in order of start."""
    data = rich_input()
    second_group(data, "ПК-2025-02", D(2025, 3, 10), lessons=10, hours=1)
    inside = [second_group(data, number, start) for number, start in (("ПК-2025-03", D(2025, 3, 11)),
                                                                         ("ПК-2025-04", D(2025, 3, 16)))]
    found = {(p.file, p.params["other_group"]) for p in problems_of(tmp_path, data) if p.code == "enrolment_overlap"}
    assert found == {(inside[0], "ПК-2025-02"), (inside[1], "ПК-2025-02")}


def test_final_date_typed_as_words_is_a_format_problem_not_missing(tmp_path):
    data = rich_input()
    set_cell(data, G, KV, 0, "Дата итоговой аттестации", "седьмое")
    assert keys(problems_of(tmp_path, data)) == {("format_date", G, KV, 8, "Дата итоговой аттестации")}


def test_final_date_of_the_group_after_its_end_shows_the_end(tmp_path):
    data = rich_input()
    set_cell(data, G, KV, 0, "Дата итоговой аттестации", D(2025, 3, 10))
    shows = {(p.code, p.sheet, p.row): (p.value, {k: v for k, v in p.params.items() if k != "col"})
             for p in problems_of(tmp_path, data)}
    assert shows == {("final_date_after_end", KV, 8): ("10.03.2025", {"end": "07.03.2025"}),
                     ("graduation_before_final", "Приказы", 4): ("07.03.2025", {"final": "10.03.2025"})}


def test_expel_order_whose_row_was_skipped_for_its_own_problem_is_not_also_unknown(tmp_path):
    data = rich_input()
    set_cell(data, G, "Приказы", 5, "Дата приказа", "вчера")
    assert keys(problems_of(tmp_path, data)) == {("format_date", G, "Приказы", 5, "Дата приказа")}


def test_expelled_without_a_date_is_told_once_whatever_results_he_has_later(tmp_path):
    """L003 expelled early, no «Дата отчисления», an interim result on 05.03: only the missing date is told (there is
    no date to be after)."""
    data = rich_input()
    set_cell(data, G, "Состав", 4, "Дата отчисления", None)
    add_row(data, G, "Промежуточная аттестация", {"ID слушателя": "L003", "№ модуля": 1, "Дата": D(2025, 3, 5),
                                                  "Результат": "не зачтено", "Экзаменатор (табельный №)": "S2"})
    assert keys(problems_of(tmp_path, data)) == {("expelled_no_date", G, "Состав", 4, "Дата отчисления")}


def test_commission_and_protocol_are_due_once_a_group_in_training_has_final_results(tmp_path):
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    set_cell(data, rel, KV, 0, "Код комиссии", None)
    set_cell(data, rel, KV, 0, "Дата итоговой аттестации", D(2025, 4, 3))
    add_row(data, rel, "Итоговая аттестация", {"ID слушателя": "L001", "Дата": D(2025, 4, 3), "Результат": "зачтено"})
    assert keys(problems_of(tmp_path, data)) == {("commission_missing", rel, KV, 7, "Код комиссии"),
                                                 ("protocol_no_missing", rel, KV, 9, "Номер протокола")}


def test_issued_duplicate_beside_the_original_is_not_issued_twice(tmp_path):
    """A «Дубликат» replacing L001's original (рег. № 1) in the same group: one original per learner still holds."""
    data = rich_input()
    add_row(data, G, "Выдача документов", {**ISSUED, "Номер бланка": "000140", "Регистрационный №": "6",
                                           "Дата выдачи": D(2025, 3, 10), "Статус документа": "Дубликат",
                                           "Заменяет документ (рег. №)": "1"})
    assert problems_of(tmp_path, data) == []


def test_ref_records_officer_on_the_staff_list_is_no_problem(tmp_path):
    data = rich_input()
    add_row(data, ORG, "Организация", ["Ответственный за учет (табельный №)", "S2"])
    assert problems_of(tmp_path, data) == []


def test_ref_staff_unknown_in_each_of_two_commissions_is_told(tmp_path):
    data = rich_input()
    for role, staff in (("председатель", "S9"), ("секретарь", "S8")):
        add_row(data, ORG, "Комиссии", {"Код комиссии": "K2", "Роль": role, "Табельный №": staff, "Приказ №": "6-к",
                                        "Дата приказа": D(2025, 1, 10)})
    set_cell(data, ORG, "Комиссии", 3, "Табельный №", "S7")
    found = {(p.row, p.value) for p in problems_of(tmp_path, data) if p.code == "ref_staff_unknown"}
    assert found == {(3, "S7"), (4, "S9"), (5, "S8")}


def test_calendar_period_of_one_day_is_a_period(tmp_path):
    """A group that starts and ends on one day (a one-day seminar) is not «reversed», and its final attestation that
    day is not before its start."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    set_cell(data, rel, KV, 0, "Дата окончания", D(2025, 4, 1))
    set_cell(data, rel, KV, 0, "Дата итоговой аттестации", D(2025, 4, 1))
    assert problems_of(tmp_path, data) == []


def test_calendar_final_result_on_the_first_day_is_inside_the_period(tmp_path):
    data = rich_input()
    set_cell(data, G, "Итоговая аттестация", 2, "Дата", D(2025, 3, 3))
    assert problems_of(tmp_path, data) == []


def test_order_dates_compare_the_commission_with_the_planned_final_day_when_it_comes_first(tmp_path):
    """The final attestation was planned for 06.03 (results are dated 07.03): a commission appointed on 07.03 came too
    late for it."""
    data = rich_input()
    set_cell(data, G, KV, 0, "Дата итоговой аттестации", D(2025, 3, 6))
    set_cell(data, G, "Приказы", 3, "Дата приказа", D(2025, 3, 7))
    shows = {(p.code, p.row): (p.value, p.params["final"]) for p in problems_of(tmp_path, data)}
    assert shows == {("commission_order_after_final", 3): ("07.03.2025", "06.03.2025")}


def test_commission_order_after_final_is_compared_with_the_first_group_it_sat_on(tmp_path):
    """K1 sat on ПК-2025-01 (07.03) and later on ПК-2025-02 (04.04): appointed on 08.03, it came too late for the
    first, and the problem names it."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    set_cell(data, rel, KV, 0, "Дата итоговой аттестации", D(2025, 4, 4))
    set_cell(data, rel, KV, 0, "Номер протокола", "2")
    add_row(data, rel, "Итоговая аттестация", {"ID слушателя": "L001", "Дата": D(2025, 4, 4), "Результат": "зачтено"})
    for row in (2, 3):
        set_cell(data, ORG, "Комиссии", row, "Дата приказа", D(2025, 3, 8))
    found = [(p.sheet, p.row, p.value, p.params["final"], p.params["group"])
             for p in problems_of(tmp_path, data) if p.code == "commission_order_after_final"]
    assert found == [("Комиссии", 2, "08.03.2025", "07.03.2025", "ПК-2025-01")]


def test_protocol_of_a_completed_group_is_not_asked_for_before_any_final_result_its_commission_is(tmp_path):
    """A group is complete once its graduation order exists, and a completed group needs its commission. Its protocol
    number records the final results: with none entered yet, each missing result is told (on «Состав»), the commission
    too, but not the number of a protocol that records nothing yet (it is asked for with the first result:
    `test_commission_and_protocol_are_due_once_a_group_in_training_has_final_results`)."""
    data = rich_input()
    rel = second_group(data, "ПК-2025-02", D(2025, 4, 1), lessons=4, status="завершил обучение")
    add_row(data, rel, "Приказы", {"Вид приказа": "об окончании обучения и отчислении", "Номер приказа": "20-о",
                                   "Дата приказа": D(2025, 4, 7), "Подписант (табельный №)": "S1"})
    set_cell(data, rel, KV, 0, "Код комиссии", None)
    assert keys(problems_of(tmp_path, data)) == {("final_missing", rel, "Состав", 2, "ID слушателя"),
                                                 ("commission_missing", rel, KV, 7, "Код комиссии")}


def test_issued_documents_after_an_expelled_learners_qualification_document_are_still_checked(tmp_path):
    """L003, expelled early, was given an удостоверение instead of a справка (row 5): that is told, and the rows
    after it are checked all the same (row 6, a second original of L001's удостоверение)."""
    data = rich_input()
    set_cell(data, G, "Выдача документов", 5, "Вид документа", "Удостоверение о повышении квалификации")
    add_row(data, G, "Выдача документов", ISSUED)
    assert keys(problems_of(tmp_path, data)) == {
        ("expelled_has_qualification", G, "Выдача документов", 5, "Вид документа"),
        ("issued_twice", G, "Выдача документов", 6, "Вид документа")}


def test_certificate_not_registered_for_a_learner_expelled_early_is_told_on_his_row_whatever_final_row_he_has(tmp_path):
    """A справка is due to L003 for his early expulsion, so its absence is told on his row of «Состав», even when a final
    result was (wrongly) entered for him, which is told on its own."""
    data = rich_input()
    add_row(data, G, "Итоговая аттестация", {"ID слушателя": "L003", "Дата": D(2025, 3, 4), "Результат": "н/я"})
    delete_row(data, G, "Выдача документов", 5)
    assert keys(problems_of(tmp_path, data)) == {
        ("expelled_has_final", G, "Итоговая аттестация", 5, "ID слушателя"),
        ("certificate_not_registered", G, "Состав", 4, "ID слушателя")}


def test_commission_of_its_chair_alone_is_told_it_has_no_secretary(tmp_path):
    """K1 with its secretary's row deleted: a commission of one member, its chair, lacks a secretary (told on its first
    row); one member is a commission all the same, not a row to skip."""
    data = rich_input()
    delete_row(data, ORG, "Комиссии", 3)
    assert keys(problems_of(tmp_path, data)) == {("commission_no_secretary", ORG, "Комиссии", 2, "Роль")}
