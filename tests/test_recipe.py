"""The recipe (pipeline.build): a run stopped by bad input writes nothing but the error report, the
build cache included; the commands that read the workbooks share its lock, validation and report."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.build import run
from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 15)
GROUP = "groups/ПК-2026-02.xlsx"


def state(root: Path) -> dict[str, tuple[str, int]]:
    """{relative path: (sha256, mtime_ns)} of every file under root."""
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def break_a_date(workbook: Path) -> None:
    """A lesson date that is no date: an error of the workbook's own schema."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["Занятия"]
    column = [c.value for c in sheet[1]].index("Дата") + 1
    sheet.cell(2, column).value = "тридцатое февраля"
    book.save(workbook)


@pytest.fixture
def bad_input(tmp_path):
    folder = tmp_path / "input"
    shutil.copytree(REPO / "input", folder)
    break_a_date(folder / GROUP)
    return folder


def test_a_failing_build_writes_only_the_error_report(bad_input, tmp_path):
    out = tmp_path / "output"
    assert run(bad_input, out, today=TODAY) == 1
    written = {p.relative_to(out).parts[0] for p in out.rglob("*") if p.is_file()}
    assert written == {"errors.xlsx", "errors"}  # the run lock is gone with the run
    assert not (out / "cache").exists()


def test_a_failing_build_leaves_the_cache_of_the_last_good_one_as_it_was(bad_input, tmp_path):
    good = tmp_path / "good"
    shutil.copytree(REPO / "input", good)
    out = tmp_path / "output"
    assert run(good, out, today=TODAY) == 0
    before = state(out / "cache")
    assert before  # the good build kept its cache
    assert run(bad_input, out, today=TODAY) == 1
    assert state(out / "cache") == before
    # Back to the good input: its build is done again (the error report must go), then nothing changed.
    assert run(good, out, today=TODAY) == 0
    assert not (out / "errors.xlsx").exists()


@pytest.mark.parametrize("command", [["validate"], ["report", "--today", "2026-06-15"],
                                     ["frdo", "--all-years", "--today", "2026-06-15"],
                                     ["learner", "L0001", "--today", "2026-06-15"]])
def test_every_command_that_reads_the_workbooks_stops_on_bad_input_the_same_way(bad_input, tmp_path, command):
    out = tmp_path / "output"
    result = CliRunner().invoke(main, [*command, "--input", str(bad_input), "--output", str(out)])
    assert result.exit_code == 1, result.output
    assert (out / "errors.xlsx").is_file()
    assert not (out / "cache").exists() and not (out / "reports").exists() and not (out / "frdo").exists()
