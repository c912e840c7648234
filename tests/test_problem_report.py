"""Reporting: exit codes, the console lines, errors.xlsx, marked copies; staff workbooks stay untouched."""

from __future__ import annotations

import hashlib

import openpyxl
from builders import GROUP, broken, minimal_input, set_cell
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.problems import Problem
from pipeline.intake.problem_report import report
from pipeline.intake.validate import validate_input

LRN = "learners.xlsx"


def hashes(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tree(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def run(input_dir, output_dir, strict=False):
    return report(validate_input(input_dir).problems, input_dir, output_dir, strict=strict)


def test_errors_give_exit_1_and_only_the_error_report(make_input, tmp_path, capsys):
    folder = make_input(broken(LRN, "Слушатели", 2, "Пол", "М"))
    before = hashes(folder)
    out = tmp_path / "output"
    assert run(folder, out) == 1
    assert tree(out) == ["errors", "errors.xlsx", "errors/learners.xlsx"]
    assert hashes(folder) == before
    text = capsys.readouterr().out
    assert "learners.xlsx" in text
    assert "Лист «Слушатели», строка 2, столбец «Пол»: «М» — недопустимое значение" in text
    assert "«Муж», «Жен»" in text


def test_errors_xlsx_rows(make_input, tmp_path):
    data = minimal_input()
    set_cell(data, LRN, "Слушатели", 2, "СНИЛС", "112-233-445 96")
    folder = make_input(data)
    out = tmp_path / "output"
    run(folder, out)
    book = openpyxl.load_workbook(out / "errors.xlsx")
    sheet = book["Ошибки"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["Файл", "Лист", "Ячейка", "Столбец", "Значение", "Что не так", "Как исправить", "Серьезность"]
    by_cell = {r[2]: r for r in rows[1:]}
    snils = by_cell["G2"]
    assert snils[:5] == ["learners.xlsx", "Слушатели", "G2", "СНИЛС", "***-***-*** 96"]
    assert snils[7] == "ошибка"
    assert "контрольного числа" in snils[5]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{len(rows)}"
    assert sheet["C2"].hyperlink.target.startswith("errors/learners.xlsx#'Слушатели'!")


def test_values_that_look_like_formulas_are_written_as_text(tmp_path):
    problems = [Problem(LRN, "Слушатели", 2, "Пол", "not_in_list", value=v, params={"allowed": "", "suggestion": ""})
                for v in ("=1+1", "+7 999", "-2", "@sum")]
    report(problems, tmp_path, tmp_path / "output", strict=False)
    sheet = openpyxl.load_workbook(tmp_path / "output" / "errors.xlsx")["Ошибки"]
    assert [(sheet.cell(row=r, column=5).value, sheet.cell(row=r, column=5).data_type) for r in range(2, 6)] == [
        ("=1+1", "s"), ("+7 999", "s"), ("-2", "s"), ("@sum", "s"),
    ]


def test_marked_copy_has_red_fill_and_comment_on_the_bad_cell(make_input, tmp_path):
    folder = make_input(broken(GROUP, "Занятия", 3, "Часы", "четыре"))
    out = tmp_path / "output"
    run(folder, out)
    copy = openpyxl.load_workbook(out / "errors" / GROUP)
    cell = copy["Занятия"]["C3"]
    assert cell.value == "четыре"
    assert cell.fill.fgColor.rgb == "FFFF9999"
    assert "не целое число" in cell.comment.text
    assert copy["Занятия"]["C2"].comment is None
    original = openpyxl.load_workbook(folder / GROUP)
    assert original["Занятия"]["C3"].comment is None


def test_keyvalue_problem_points_at_the_value_cell(make_input, tmp_path):
    folder = make_input(broken("organization.xlsx", "Организация", 6, "ИНН", "7707083894"))
    out = tmp_path / "output"
    run(folder, out)
    rows = list(openpyxl.load_workbook(out / "errors.xlsx")["Ошибки"].iter_rows(values_only=True))
    assert rows[1][:4] == ("organization.xlsx", "Организация", "B6", "ИНН")
    copy = openpyxl.load_workbook(out / "errors" / "organization.xlsx")
    assert "ИНН" in copy["Организация"]["B6"].comment.text


def test_cross_sheet_problem_without_column_position_is_located_by_header(tmp_path, make_input):
    folder = make_input()
    problem = Problem(GROUP, "Состав", 3, "ФИО (для проверки)", "some_cross_rule", value="x")
    assert report([problem], folder, tmp_path / "output", strict=False) == 1
    rows = list(openpyxl.load_workbook(tmp_path / "output" / "errors.xlsx")["Ошибки"].iter_rows(values_only=True))
    assert rows[1][2] == "B3"


def test_warnings_only_exit_0_and_strict_exit_1(make_input, tmp_path):
    folder = make_input(broken(LRN, "Слушатели", 2, "СНИЛС", 1234567819))
    out = tmp_path / "output"
    assert run(folder, out) == 0
    assert (out / "errors.xlsx").is_file()
    assert run(folder, out, strict=True) == 1
    copy = openpyxl.load_workbook(out / "errors" / LRN)
    assert copy["Слушатели"]["G2"].fill.fgColor.rgb == "FFFFEB9C"


def test_clean_run_removes_a_stale_report(make_input, tmp_path, capsys):
    broken_dir = make_input(broken(GROUP, "Занятия", 3, "Часы", "x"), "broken")
    out = tmp_path / "output"
    (out / "archive").mkdir(parents=True)
    (out / "archive" / "keep.txt").write_text("kept")
    assert run(broken_dir, out) == 1
    assert (out / "errors" / GROUP).is_file()
    clean = make_input(name="clean")
    assert report([], clean, out, strict=False) == 0
    assert tree(out) == ["archive", "archive/keep.txt"]
    assert "Проверка пройдена" in capsys.readouterr().out


def test_a_stale_copy_of_a_fixed_workbook_is_removed(make_input, tmp_path):
    out = tmp_path / "output"
    run(make_input(broken(GROUP, "Занятия", 3, "Часы", "x"), "one"), out)
    run(make_input(broken(LRN, "Слушатели", 2, "Пол", "x"), "two"), out)
    assert tree(out / "errors") == ["learners.xlsx"]


def test_console_is_capped_with_a_pointer_to_the_table(tmp_path, capsys):
    problems = [Problem("learners.xlsx", "Слушатели", r, "Пол", "not_in_list", value="x",
                        params={"allowed": "«Муж», «Жен»", "suggestion": ""}) for r in range(2, 402)]
    assert report(problems, tmp_path / "nothing", tmp_path / "output", strict=False) == 1
    text = capsys.readouterr().out
    assert "Проверка рабочих книг: 400 ошибок." in text
    assert "лист «Слушатели»: 400 ошибок" in text
    assert text.count("Ошибка. Лист") == 200
    assert "… и еще 200" in text
    assert len(list(openpyxl.load_workbook(tmp_path / "output" / "errors.xlsx")["Ошибки"].iter_rows())) == 401


def test_file_level_problem_line(tmp_path, capsys):
    problem = Problem("groups/ПП-01.ods", None, None, None, "unsupported_format", params={"suffix": ".ods"})
    assert report([problem], tmp_path, tmp_path / "output", strict=False) == 1
    text = capsys.readouterr().out
    assert "groups/ПП-01.ods" in text and "сохраните как «Книга Excel (*.xlsx)»" in text
    rows = list(openpyxl.load_workbook(tmp_path / "output" / "errors.xlsx")["Ошибки"].iter_rows(values_only=True))
    assert rows[1][:3] == ("groups/ПП-01.ods", None, None)


def test_cli_validate_exit_codes(make_input, tmp_path):
    runner = CliRunner()
    bad = make_input(broken(LRN, "Слушатели", 2, "Дата рождения", "вчера"), "bad")
    result = runner.invoke(main, ["validate", "--input", str(bad), "--output", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "строка 2, столбец «Дата рождения»" in result.output
    assert "\x1b[" not in result.output  # no colour codes when not a terminal
    good = make_input(name="good")
    result = runner.invoke(main, ["validate", "--input", str(good), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "out") == []
