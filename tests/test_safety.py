"""Hostile names stay inside output/, spreadsheet outputs never carry formulas, personal data stays off
the console, and a run needs no network.
"""

from __future__ import annotations

import copy
import dataclasses as dc
import datetime as dt
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
from builders import GROUP, minimal_input, set_cell, write_input
from click.testing import CliRunner
from corpus.cases import sheet_xml, xml_text

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-06-15"


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def _invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _with_group_number(number: str, file_name: str = "ПК-2025-01.xlsx") -> dict:
    data = copy.deepcopy(minimal_input())
    set_cell(data, GROUP, "Группа", 2, "Номер группы", number)
    data[f"groups/{file_name}"] = data.pop(GROUP)
    return data


# --- hostile names -------------------------------------------------------------------------------

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _portable(part: str) -> bool:
    """A path component that cannot climb out and that Windows, macOS and Linux all accept."""
    return (
        part not in (".", "..")
        and not re.search(r'[\x00-\x1f<>:"/\\|?*]', part)
        and not part.endswith((".", " "))
        and part.split(".")[0].upper() not in RESERVED
        and len(part.encode("utf-8")) <= 255
        and part != ""
    )

HOSTILE = {
    "parent": "../../x",
    "absolute": "/etc",
    "device": "CON",
    "device_with_suffix": "nul.txt",
    "slash": "a/b",
    "backslash": "a\\..\\..\\b",
    "trailing_dot": "x.",
    "dots_only": "..",
    "long": "Я" * 500,
    "quotes_and_colon": 'ПК:"2025"|<01>?*',
}


@pytest.mark.parametrize("number", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_group_number_writes_nothing_outside_output(number, tmp_path):
    input_dir = write_input(tmp_path / "input", _with_group_number(number))
    output_dir = tmp_path / "output"
    before_tmp, before_etc = _files(tmp_path), set(os.listdir("/etc"))
    result = _invoke("build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    _invoke("frdo", "--all-years", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    written = _files(tmp_path) - before_tmp
    assert set(os.listdir("/etc")) == before_etc
    outside = [p for p in written if output_dir not in p.parents]
    assert outside == []
    # the number is only a name: the group is built and filed under a safe folder name
    assert result.exit_code == 0, result.output
    assert any(p.suffix == ".docx" for p in written)
    assert (output_dir / "archive").is_dir()
    for path in written:
        for part in path.relative_to(output_dir).parts:
            assert _portable(part), (part, path)


@pytest.mark.parametrize("file_name", ["CON.xlsx", "a\nb.xlsx", "-=1+1.xlsx", " x .xlsx", "x..xlsx"])
def test_hostile_workbook_file_names_stay_inside_output(file_name, tmp_path):
    data = _with_group_number("ПК-2025-01", file_name)
    set_cell(data, f"groups/{file_name}", "Занятия", 2, "Часы", "четыре")  # an error: marked copies are written
    input_dir = write_input(tmp_path / "input", data)
    output_dir = tmp_path / "output"
    before = _files(tmp_path)
    result = _invoke("build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    assert result.exit_code == 1, result.output
    written = _files(tmp_path) - before
    assert [p for p in written if output_dir not in p.parents] == []
    assert (output_dir / "errors.xlsx") in written
    assert any(p.parent == output_dir / "errors" / "groups" for p in written)


def test_group_number_with_nul_is_refused(tmp_path):
    input_dir = write_input(tmp_path / "input")
    sheet_xml(GROUP, "Группа", b"<t>" + xml_text("ПК-2025-01") + b"</t>",
              b"<t>" + xml_text("ПК_x0000_-2025-01") + b"</t>")(input_dir)
    output_dir = tmp_path / "output"
    result = _invoke("build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    assert result.exit_code == 1
    assert "U+0000" in result.output
    assert not (output_dir / "build").exists()


# --- formulas in spreadsheet outputs -------------------------------------------------------------

FORMULA_LIKE = re.compile(r"^[=+\-@]")


def _formula_input() -> dict:
    data = copy.deepcopy(minimal_input())
    org, lrn = "organization.xlsx", "learners.xlsx"
    set_cell(data, org, "Организация", 0, "Сокращенное наименование", '=HYPERLINK("http://x","ЧОУ")')
    set_cell(data, org, "Программы", 2, "Наименование программы", "-Экологическая безопасность")
    set_cell(data, org, "Сотрудники", 3, "Должность", "=1+1")
    set_cell(data, org, "Номенклатура дел", 2, "Заголовок дела", "@SUM(1)")
    set_cell(data, lrn, "Слушатели", 2, "Место работы", "=cmd|'/c calc'!A1")
    set_cell(data, lrn, "Слушатели", 2, "Должность", "+7 (999) 000-00-00")
    set_cell(data, GROUP, "Занятия", 2, "Тема", "=2+2")
    set_cell(data, GROUP, "Итоговая аттестация", 2, "Тема итоговой работы", "@ИТОГ")
    for row in (2, 3):  # what the ФИС ФРДО export needs besides
        set_cell(data, lrn, "Слушатели", row, "Серия документа об образовании", "1234")
        set_cell(data, lrn, "Слушатели", row, "Номер документа об образовании", f"56789{row}")
    return data


def _write_as_text(folder: Path, data: dict) -> Path:
    """Write the input, then store every formula-like string as text, as Excel does for typed «'=…»."""
    write_input(folder, data)
    for rel in data:
        book = openpyxl.load_workbook(folder / rel)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        book.save(folder / rel)
    return folder


def _formula_cells(root: Path) -> tuple[list[str], set[str]]:
    """Give (every formula cell, every formula-like text value) of every .xlsx under root."""
    formulas, texts = [], set()
    for path in sorted(root.rglob("*.xlsx")):
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        formulas.append(f"{path.relative_to(root)}!{sheet.title}!{cell.coordinate}={cell.value}")
                    elif isinstance(cell.value, str) and FORMULA_LIKE.match(cell.value):
                        texts.add(cell.value)
    return formulas, texts


def test_no_spreadsheet_output_contains_a_formula(tmp_path):
    input_dir = _write_as_text(tmp_path / "input", _formula_input())
    output_dir = tmp_path / "output"
    built = _invoke("build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    assert built.exit_code == 0, built.output
    _invoke("frdo", "--all-years", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    # errors.xlsx: the same values in a run that fails validation
    broken = _formula_input()
    set_cell(broken, GROUP, "Занятия", 3, "Часы", "=4")
    set_cell(broken, "learners.xlsx", "Слушатели", 3, "Пол", "=муж")
    bad_input = _write_as_text(tmp_path / "bad", broken)
    failed = _invoke("validate", "--input", str(bad_input), "--output", str(tmp_path / "bad_output"))
    assert failed.exit_code == 1
    # the sample writer (uchet init, make sample) with the same kind of values in a Dataset
    from pipeline import synth
    from pipeline.intake.workbooks import write_input as write_workbooks

    dataset = synth.generate(learners=12, groups=1)
    group = next(iter(dataset.groups.values()))
    lessons = (dc.replace(group.lessons[0], topic="=1+1"), *group.lessons[1:])
    dataset = dc.replace(dataset, groups={group.number: dc.replace(group, lessons=lessons)})
    write_workbooks(dataset, tmp_path / "written")
    _invoke("init", str(tmp_path / "blank"))

    formulas, texts = [], set()
    for root, expected in (
        (output_dir, {"=1+1", "@SUM(1)", "-Экологическая безопасность"}),
        (tmp_path / "bad_output", {"=4", "=муж"}),
        (tmp_path / "written", {"=1+1"}),
        (tmp_path / "blank", set()),
    ):
        f, t = _formula_cells(root)
        formulas += f
        texts |= t
        assert expected <= t, (root.name, sorted(t))
    assert formulas == []
    assert any((output_dir / "frdo").rglob("*.xlsx"))
    assert (output_dir / "archive" / "index.xlsx").is_file()
    assert len(list((output_dir / "reports").glob("*.xlsx"))) >= 3


# --- personal data on the console ----------------------------------------------------------------


def _personal_input() -> dict:
    data = copy.deepcopy(minimal_input())
    lrn = "learners.xlsx"
    set_cell(data, lrn, "Слушатели", 2, "СНИЛС", "112-233-445 96")  # check number wrong
    set_cell(data, lrn, "Слушатели", 2, "Дата рождения", "01/05/1990")  # not a date format
    set_cell(data, lrn, "Слушатели", 3, "Дата рождения", dt.date(2019, 7, 14))  # too young
    set_cell(data, lrn, "Слушатели", 3, "СНИЛС", 12345678964)  # a number cell: digits readable
    return data


LEAKS = ("112-233-445", "11223344596", "112233445", "01/05/1990", "01.05.1990", "1990-05-01", "14.07.2019",
         "2019-07-14", "123-456-789", "12345678964", "123456789")


def test_console_shows_no_full_snils_or_birth_date(tmp_path):
    input_dir = write_input(tmp_path / "input", _personal_input())
    shown = ""
    for command in (["validate"], ["build", "--today", TODAY]):
        result = _invoke(*command, "--input", str(input_dir), "--output", str(tmp_path / "output"))
        assert result.exit_code == 1, result.output
        shown += result.output
    for leak in LEAKS:
        assert leak not in shown, leak
    assert "***-***-*** 96" in shown  # enough to find the row
    assert "**.**.2019" in shown and "**.**.1990" in shown
    # The files under output/ keep what staff need to fix it (errors.xlsx is personal data, git-ignored).
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "output" / "errors.xlsx").active.iter_rows()
              for c in row]
    assert "01/05/1990" in values
    assert not any(isinstance(v, str) and "112-233-445" in v for v in values)


def test_learner_and_find_commands_mask_personal_data(tmp_path):
    input_dir = write_input(tmp_path / "input")
    output_dir = tmp_path / "output"
    built = _invoke("build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    assert built.exit_code == 0, built.output
    learner = _invoke("learner", "L001", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY)
    found = _invoke("find", "--learner", "Иванов", "--output", str(output_dir))
    assert learner.exit_code == 0 and found.exit_code == 0, learner.output + found.output
    assert "Иванов" in learner.output and "***-***-*** 95" in learner.output
    shown = built.output + learner.output + found.output
    for leak in ("112-233-445", "11223344595", "1990-05-01", "01.05.1990", "1985-12-31", "31.12.1985",
                 "123-456-789"):
        assert leak not in shown, leak


# --- no network ----------------------------------------------------------------------------------

NO_NETWORK = textwrap.dedent("""
    import socket, sys

    class NoNetwork(socket.socket):
        def __init__(self, family=-1, *args, **kwargs):
            if family in (-1, socket.AF_INET, socket.AF_INET6):
                print("NETWORK ATTEMPT", file=sys.stderr, flush=True)
                raise OSError("network disabled")
            super().__init__(family, *args, **kwargs)

    def refuse(*args, **kwargs):
        print("NETWORK ATTEMPT", file=sys.stderr, flush=True)
        raise OSError("network disabled")

    socket.socket = NoNetwork
    socket.create_connection = socket.getaddrinfo = socket.gethostbyname = refuse
    from pipeline.cli import main
    main(sys.argv[1:], prog_name="uchet")
""")


def test_build_and_exports_run_with_the_network_disabled(tmp_path):
    input_dir = write_input(tmp_path / "input")
    output_dir = tmp_path / "output"
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    for args in (
        ["build", "--today", TODAY],
        ["report", "--today", TODAY],
        ["verify"],
        ["find", "--group", "ПК-2025-01"],
    ):
        proc = subprocess.run(
            [sys.executable, "-c", NO_NETWORK, *args, "--input", str(input_dir), "--output", str(output_dir)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
        )
        assert proc.returncode == 0, (args, proc.stdout[-1500:], proc.stderr[-1500:])
        assert "NETWORK ATTEMPT" not in proc.stderr, args
    assert any((output_dir / "archive").rglob("*.docx"))
