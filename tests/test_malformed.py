"""Every malformed input of the corpus (tests/corpus/cases.py) gets a Russian answer, never a traceback.

Each case runs `uchet validate` through click exactly as staff run it, and asserts the exit code, that
nothing escaped as an exception, that every problem renders to a Russian message naming its place, and
the (code, file, sheet, row, column) of the problems the case is about.
"""

from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner
from corpus.cases import CASES

from pipeline.cli import main
from pipeline.core.messages import MESSAGES, render
from pipeline.intake.validate import validate_input

CYRILLIC = re.compile("[а-яА-ЯёЁ]")


def test_corpus_is_large_and_named_uniquely():
    assert len(CASES) >= 50
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_malformed_input(case, tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    case.make(folder)

    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", "--input", str(folder), "--output", str(tmp_path / "out")])
    elapsed = time.perf_counter() - started
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert result.exit_code == case.exit, result.output
    assert elapsed < 10, f"{case.name} took {elapsed:.1f} s"

    problems = validate_input(folder).problems
    found = {(p.code, p.file, p.sheet, p.row, p.column) for p in problems}
    for expected in case.expect:
        assert expected in found, f"{expected} not in {sorted(found, key=str)}"
    assert not {p.code for p in problems} & set(case.absent), sorted(found, key=str)
    for p in problems:
        assert p.code in MESSAGES, p.code
        what, fix = render(p)
        assert CYRILLIC.search(what) and CYRILLIC.search(fix)
        assert "{" not in what + fix, (p.code, what, fix)
    if case.exit == 0 and not problems:
        assert "Проверка пройдена" in result.output
    if problems:
        assert (tmp_path / "out" / "errors.xlsx").is_file()
        # every problem is shown on the console (there are never more than the console limit here)
        assert result.output.count("Ошибка.") + result.output.count("Предупреждение.") == len(problems)


@pytest.mark.parametrize("make_target", ["missing", "file"])
def test_input_folder_that_is_not_a_folder_is_an_operational_error(tmp_path, make_target):
    target = tmp_path / "input"
    if make_target == "file":
        target.write_bytes(b"x")
    result = CliRunner().invoke(main, ["validate", "--input", str(target), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    if make_target == "missing":
        assert "не найдена" in result.output
