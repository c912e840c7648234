"""Loading: files, sheets and headers become problems at their positions; cells are normalised text."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from builders import GROUP, broken, minimal_input, set_cell
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.errors import UchetError
from pipeline.core.messages import render
from pipeline.intake.load import ROW, load_input
from pipeline.intake.normalise import clean_text, normalise, normalise_column

LEARNERS = ("learners.xlsx", "Слушатели")


def positions(problems):
    return {(p.code, p.file, p.sheet, p.row, p.column) for p in problems}


def only(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} among {[p.code for p in problems]}"
    return found


# --- the clean case and the frame layout ----------------------------------------------------------


def test_minimal_input_loads_without_problems(make_input):
    folder = make_input()
    loaded = load_input(folder)
    assert loaded.problems == []
    assert set(loaded.hashes) == {"organization.xlsx", "learners.xlsx", GROUP}
    assert loaded.hashes[GROUP] == hashlib.sha256((folder / GROUP).read_bytes()).hexdigest()
    learners = loaded.frames[LEARNERS]
    assert list(learners.columns)[:3] == ["ID слушателя", "Фамилия", "Имя"]
    assert list(learners.columns)[-1] == ROW
    assert learners[ROW].tolist() == [2, 3]
    assert learners["Дата рождения"].tolist() == ["1990-05-01", "1985-12-31"]
    assert learners["Отчество"].tolist() == ["Иванович", None]
    assert loaded.specs[LEARNERS].name == "Слушатели"
    assert loaded.group_files() == [GROUP]


def test_keyvalue_sheet_is_one_row_with_a_row_per_parameter(make_input):
    loaded = load_input(make_input())
    group = loaded.frames[(GROUP, "Группа")]
    assert len(group) == 1
    assert group.loc[0, "Дата начала"] == "2025-03-03"
    assert group.attrs["rows"]["Номер группы"] == 2
    assert group.attrs["rows"]["Дата начала"] == 4
    assert group.loc[0, "Основание исправления"] is None


def test_grid_keeps_lesson_columns_as_text_headers(make_input):
    loaded = load_input(make_input())
    grid = loaded.frames[(GROUP, "Посещаемость")]
    assert list(grid.columns) == ["ID слушателя", "ФИО", "1", "2", "3", "4", ROW]
    assert grid.loc[1, "2"] == "б"
    assert grid.attrs["cols"]["3"] == 5


def test_reordered_headers_are_read_by_name(make_input):
    data = minimal_input()
    rows = data["learners.xlsx"]["Слушатели"]
    data["learners.xlsx"]["Слушатели"] = [list(reversed(r)) for r in rows]
    loaded = load_input(make_input(data))
    assert loaded.problems == []
    frame = loaded.frames[LEARNERS]
    assert frame["Фамилия"].tolist() == ["Иванов", "Семёнова-Грин"]
    assert frame.attrs["cols"]["ID слушателя"] == 17


def test_empty_rows_inside_are_skipped_and_rows_keep_their_number(make_input):
    data = minimal_input()
    rows = data["learners.xlsx"]["Слушатели"]
    rows.insert(2, [None] * len(rows[0]))  # Excel row 3 empty; the second learner moves to row 4
    rows.insert(3, ["  ", "\u00a0"] + [None] * (len(rows[0]) - 2))  # row 4: only invisible characters
    loaded = load_input(make_input(data))
    assert loaded.frames[LEARNERS][ROW].tolist() == [2, 5]


# --- headers ---------------------------------------------------------------------------------------


def test_misspelled_header_is_a_missing_column_with_a_suggestion(make_input):
    data = minimal_input()
    data["learners.xlsx"]["Слушатели"][0][1] = "Фамиля"
    loaded = load_input(make_input(data))
    (missing,) = only(loaded.problems, "missing_column")
    assert (missing.file, missing.sheet, missing.row, missing.column) == ("learners.xlsx", "Слушатели", 1, "Фамилия")
    assert "Фамиля" in missing.params["suggestion"]
    assert missing.is_error
    (unknown,) = only(loaded.problems, "unknown_column")
    assert (unknown.column, unknown.severity, unknown.params["col"]) == ("Фамиля", "warning", 2)
    assert loaded.frames[LEARNERS].attrs["missing"] == ("Фамилия",)
    assert loaded.frames[LEARNERS]["Фамилия"].tolist() == [None, None]


def test_missing_optional_column_is_silent(make_input):
    data = minimal_input()
    rows = data["learners.xlsx"]["Слушатели"]
    col = rows[0].index("Эл. почта")
    data["learners.xlsx"]["Слушатели"] = [r[:col] + r[col + 1:] for r in rows]
    loaded = load_input(make_input(data))
    assert loaded.problems == []


def test_duplicated_header_is_an_error(make_input):
    data = minimal_input()
    for row in data["learners.xlsx"]["Слушатели"]:
        row.append(row[1])
    loaded = load_input(make_input(data))
    (dup,) = only(loaded.problems, "duplicate_column")
    assert (dup.row, dup.column, dup.params["col"]) == (1, "Фамилия", 18)


def test_value_in_a_column_without_header_is_a_warning(make_input):
    data = minimal_input()
    rows = data["learners.xlsx"]["Слушатели"]
    rows[0] += [None]
    rows[1] += ["заметка"]
    rows[2] += [None]
    loaded = load_input(make_input(data))
    (p,) = only(loaded.problems, "value_without_header")
    assert (p.row, p.value, p.severity, p.params["col"]) == (2, "заметка", "warning", 18)


def test_missing_required_sheet_suggests_the_closest_name(make_input):
    data = minimal_input()
    data["learners.xlsx"] = {"Слушатели 2025": data["learners.xlsx"]["Слушатели"]}
    loaded = load_input(make_input(data))
    (p,) = only(loaded.problems, "missing_sheet")
    assert (p.file, p.sheet, p.row) == ("learners.xlsx", "Слушатели", None)
    assert "Слушатели 2025" in p.params["suggestion"]
    assert LEARNERS not in loaded.frames


def test_missing_optional_sheet_is_silent(make_input):
    loaded = load_input(make_input())
    assert (GROUP, "Тестирование") not in loaded.frames
    assert loaded.problems == []


def test_keyvalue_parameters_missing_unknown_duplicated(make_input):
    data = minimal_input()
    rows = data[GROUP]["Группа"]
    rows[3][0] = "Дата начал"  # misspelled parameter (Excel row 4)
    rows.append(["Куратор (табельный №)", "S1"])  # duplicate (Excel row 12)
    loaded = load_input(make_input(data))
    found = positions(loaded.problems)
    assert ("missing_parameter", GROUP, "Группа", None, "Дата начала") in found
    assert ("unknown_parameter", GROUP, "Группа", 4, "Дата начал") in found
    assert ("duplicate_parameter", GROUP, "Группа", 12, "Куратор (табельный №)") in found
    assert "Дата начал" in only(loaded.problems, "missing_parameter")[0].params["suggestion"]


def test_sheet_without_header_row(make_input):
    data = minimal_input()
    data[GROUP]["Приказы"] = [[None, None], ["о зачислении", "1"]]
    loaded = load_input(make_input(data))
    assert ("sheet_no_header", GROUP, "Приказы", 1, None) in positions(loaded.problems)
    assert not any(p.code == "missing_column" for p in loaded.problems)


# --- files -----------------------------------------------------------------------------------------


def test_text_file_renamed_xlsx_is_unreadable_not_a_traceback(make_input):
    folder = make_input()
    (folder / "groups" / "ПК-2025-02.xlsx").write_text("это не книга", encoding="utf-8")
    loaded = load_input(folder)
    (p,) = only(loaded.problems, "workbook_unreadable")
    assert (p.file, p.sheet, p.is_error) == ("groups/ПК-2025-02.xlsx", None, True)


def test_corrupt_zip_is_unreadable(make_input):
    folder = make_input()
    data = (folder / GROUP).read_bytes()
    (folder / GROUP).write_bytes(data[: len(data) // 3])
    loaded = load_input(folder)
    assert ("workbook_unreadable", GROUP, None, None, None) in positions(loaded.problems)


def test_password_protected_workbook(make_input):
    folder = make_input()
    (folder / "groups" / "ПК-2025-03.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    loaded = load_input(folder)
    assert ("workbook_protected", "groups/ПК-2025-03.xlsx", None, None, None) in positions(loaded.problems)


def test_missing_workbooks_and_groups_folder(tmp_path):
    (tmp_path / "Learners.xlsx").write_bytes(b"")
    loaded = load_input(tmp_path)
    found = positions(loaded.problems)
    assert ("workbook_missing", "organization.xlsx", None, None, None) in found
    assert ("workbook_missing", "learners.xlsx", None, None, None) in found
    assert ("groups_missing", "groups", None, None, None) in found
    learners = next(p for p in loaded.problems if p.file == "learners.xlsx")
    assert "Learners.xlsx" in learners.params["suggestion"]


def test_missing_input_folder_is_an_operational_error(tmp_path):
    with pytest.raises(UchetError, match="не найдена"):
        load_input(tmp_path / "нет такой папки")


def test_every_loading_problem_renders_in_russian(make_input):
    data = minimal_input()
    data["learners.xlsx"]["Слушатели"][0][1] = "Фамиля"
    data["learners.xlsx"]["Слушатели"][0].append("Фамиля")
    data[GROUP]["Группа"][3][0] = "Дата начал"
    data[GROUP]["Группа"].append(["Куратор (табельный №)", "S1"])
    data[GROUP]["Приказы"] = [[None], ["x"]]
    del data[GROUP]["Состав"]
    set_cell(data, GROUP, "Занятия", 2, "Вид занятия", "Лекция")
    set_cell(data, GROUP, "Занятия", 3, "Дата", "30.02.2025")
    folder = make_input(data)
    (folder / "groups" / "x.xlsx").write_text("x")
    (folder / "groups" / "y.xlsx").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "groups" / "z.ods").write_text("x")
    (folder / "groups" / "~$z.xlsx").write_text("x")
    problems = load_input(folder).problems
    assert len({p.code for p in problems}) >= 14
    for p in problems:
        what, fix = render(p)
        assert "{" not in what + fix and not what.startswith("Ошибка ")


def test_empty_groups_folder_is_a_warning(make_input):
    folder = make_input()
    (folder / GROUP).unlink()
    loaded = load_input(folder)
    (p,) = only(loaded.problems, "no_groups")
    assert p.severity == "warning"


def test_lock_files_and_foreign_formats_beside_groups(make_input):
    folder = make_input()
    (folder / "groups" / "~$ПК-2025-01.xlsx").write_bytes(b"lock")
    (folder / "groups" / ".~lock.ПК-2025-01.xlsx#").write_text("lock")
    (folder / "groups" / "ПП-2025-01.ods").write_bytes(b"ods")
    (folder / "groups" / "ПП-2025-02.xls").write_bytes(b"xls")
    (folder / "groups" / "заметки.docx").write_bytes(b"docx")
    loaded = load_input(folder)
    found = {(p.code, p.file, p.severity) for p in loaded.problems}
    assert found == {
        ("lock_file", "groups/~$ПК-2025-01.xlsx", "warning"),
        ("lock_file", "groups/.~lock.ПК-2025-01.xlsx#", "warning"),
        ("unsupported_format", "groups/ПП-2025-01.ods", "error"),
        ("unsupported_format", "groups/ПП-2025-02.xls", "error"),
    }
    assert loaded.group_files() == [GROUP]


# --- cells -----------------------------------------------------------------------------------------


def test_invisible_characters_and_spaces_are_cleaned(make_input):
    data = minimal_input()
    set_cell(data, *LEARNERS, 2, "Фамилия", "\u00a0Ива\u200bнов\ufeff ")
    set_cell(data, *LEARNERS, 2, "Место работы", "ООО  «Лес»\t и\u00a0партнеры")
    loaded = load_input(make_input(data))
    frame = loaded.frames[LEARNERS]
    assert frame.loc[0, "Фамилия"] == "Иванов"
    assert frame.loc[0, "Место работы"] == "ООО «Лес» и партнеры"


def test_snils_typed_as_number_or_with_any_punctuation(make_input):
    data = minimal_input()
    set_cell(data, *LEARNERS, 2, "СНИЛС", 11223344595)
    set_cell(data, *LEARNERS, 3, "СНИЛС", " 123.456.789-64 ")
    loaded = load_input(make_input(data))
    assert loaded.frames[LEARNERS]["СНИЛС"].tolist() == ["112-233-445 95", "123-456-789 64"]
    assert loaded.problems == []


def test_snils_number_without_leading_zeros_is_restored_with_a_warning(make_input):
    data = broken(*LEARNERS, 2, "СНИЛС", 1234567819)  # 012-345-678 19
    loaded = load_input(make_input(data))
    assert loaded.frames[LEARNERS].loc[0, "СНИЛС"] == "012-345-678 19"
    (p,) = loaded.problems
    assert (p.code, p.severity, p.row, p.column) == ("snils_leading_zeros", "warning", 2, "СНИЛС")
    assert p.value == "***-***-*** 19"


def test_snils_in_scientific_notation_is_an_error(make_input):
    loaded = load_input(make_input(broken(*LEARNERS, 2, "СНИЛС", "1,12233E+10")))
    assert ("snils_scientific", "learners.xlsx", "Слушатели", 2, "СНИЛС") in positions(loaded.problems)


def test_dates_and_numbers_typed_as_text(make_input):
    data = minimal_input()
    set_cell(data, GROUP, "Занятия", 2, "Дата", "03.03.2025")
    set_cell(data, GROUP, "Занятия", 3, "Дата", "4.3.2025 г.")
    set_cell(data, GROUP, "Занятия", 4, "Дата", dt.datetime(2025, 3, 5, 10, 30))
    set_cell(data, GROUP, "Занятия", 5, "Дата", "2025-03-06")
    set_cell(data, GROUP, "Занятия", 2, "Часы", "4")
    set_cell(data, GROUP, "Занятия", 3, "Часы", "4,0")
    set_cell(data, GROUP, "Занятия", 4, "Часы", 4.0)
    set_cell(data, GROUP, "Занятия", 5, "Часы", " 4 ")
    loaded = load_input(make_input(data))
    lessons = loaded.frames[(GROUP, "Занятия")]
    assert lessons["Дата"].tolist() == ["2025-03-03", "2025-03-04", "2025-03-05", "2025-03-06"]
    assert lessons["Часы"].tolist() == ["4", "4", "4", "4"]
    assert loaded.problems == []


def test_document_numbers_keep_leading_zeros_and_lose_float_tails(make_input):
    data = minimal_input()
    set_cell(data, GROUP, "Выдача документов", 2, "Номер бланка", "000121")
    set_cell(data, GROUP, "Выдача документов", 3, "Номер бланка", 122.0)
    loaded = load_input(make_input(data))
    assert loaded.frames[(GROUP, "Выдача документов")]["Номер бланка"].tolist() == ["000121", "122"]


def test_code_in_wrong_case_or_latin_letters_names_the_meant_value(make_input):
    data = minimal_input()
    set_cell(data, *LEARNERS, 2, "Пол", "муж")
    set_cell(data, "organization.xlsx", "Программы", 2, "Вид программы", "ПK")  # Latin K
    set_cell(data, *LEARNERS, 3, "Гражданство (ОКСМ)", 643)
    loaded = load_input(make_input(data))
    case = only(loaded.problems, "code_case")[0]
    assert (case.file, case.sheet, case.row, case.column, case.params["suggestion"]) == (
        "learners.xlsx", "Слушатели", 2, "Пол", "Муж",
    )
    latin = only(loaded.problems, "code_lookalike")[0]
    assert (latin.sheet, latin.row, latin.column, latin.params["suggestion"]) == ("Программы", 2, "Вид программы", "ПК")
    assert latin.value == "ПK"
    assert loaded.frames[LEARNERS].loc[1, "Гражданство (ОКСМ)"] == "643"


@pytest.mark.parametrize(
    ("raw", "kind", "expected", "issue"),
    [
        (" a\u00a0\u00a0b ", "text", "a b", None),
        ("", "text", None, None),
        (True, "bool", "да", None),
        (16.0, "int", "16", None),
        (16.5, "int", "16.5", None),
        ("1 000", "int", "1000", None),
        ("7,50", "number", "7.5", None),
        ("12.0", "number", "12", None),
        ("abc", "number", "abc", None),
        (dt.date(2025, 1, 2), "date", "2025-01-02", None),
        ("01.02.25", "date", "01.02.25", None),
        ("2025-02-30", "date", "2025-02-30", "date_invalid"),
        ("112 233 445 95", "snils", "112-233-445 95", None),
        ("112-233-44", "snils", "112-233-44", None),
        (123456789012.0, "snils", "123456789012", None),
        (1.5, "snils", "1.5", None),
        (44.0, "docno", "44", None),
        ("Ж", "code", "Ж", None),
    ],
)
def test_normalise(raw, kind, expected, issue):
    values = ("Муж", "Жен") if kind == "code" else ("да", "нет") if kind == "bool" else None
    value, found = normalise(raw, kind, values)
    assert value == expected
    assert (found.code if found else None) == issue


def test_clean_text_of_time_and_nan():
    assert clean_text(dt.time(9, 5)) == "09:05"
    assert clean_text(float("nan")) is None



# --- column-wise normalising equals cell-by-cell normalising ---------------------------------------

CELL_TEXT = st.text(alphabet=st.sampled_from(list("aЖё1 |.,-:") + ["\u00a0", "\u200b", "\t", "\x07", "\ud800"]),
                    max_size=8)
TEXTS = st.one_of(CELL_TEXT, st.sampled_from(["", " ", "Муж", "муж", "MУЖ", "да", "01.02.2025", "31.02.2025",
                                                 "112 233 445 95", "1,5e10", "007"]))
CELLS = st.one_of(
    st.none(), TEXTS, st.booleans(), st.integers(-3, 10**12), st.floats(allow_infinity=False),
    st.sampled_from([0.0, -0.0, 1.0, 16.5]), st.dates(), st.datetimes(), st.times(),
)
# Whole columns of one kind of cell as well as mixed ones: each takes its own way through normalise_column.
COLUMNS = st.one_of(st.lists(CELLS, max_size=12), st.lists(st.one_of(st.none(), TEXTS), max_size=12),
                    st.lists(st.one_of(st.none(), st.floats(allow_infinity=False)), max_size=12),
                    st.lists(st.one_of(st.none(), st.dates()), max_size=12))


@settings(max_examples=400, deadline=None)
@given(cells=COLUMNS, kind=st.sampled_from(["text", "id", "date", "int", "number", "snils",
                                                                 "docno", "code", "bool"]))
def test_normalise_column_equals_normalise_cell_by_cell(cells, kind):
    values = ("Муж", "Жен", "007") if kind == "code" else ("да", "нет") if kind == "bool" else None
    expected = [normalise(raw, kind, values) for raw in cells]
    out, issues = normalise_column(cells, kind, values)
    assert out == [value for value, _issue in expected]
    assert issues == [(i, issue) for i, (_value, issue) in enumerate(expected) if issue is not None]


def test_normalise_column_keeps_true_one_and_one_point_zero_apart():
    assert normalise_column([True, 1, 1.0, False, 0], "text")[0] == ["да", "1", "1", "нет", "0"]
