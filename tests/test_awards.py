"""Поощрения (seed 3.1): recorded on «Поощрения» of learners.xlsx, shown in the learner card, in
`uchet learner` and in the learners report."""

from __future__ import annotations

import datetime as dt

import openpyxl
from builders import minimal_input, write_input
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.render.stage import docx_text

HEADERS = ["ID слушателя", "Вид поощрения", "За что", "Дата", "Приказ (решение) №", "Дата приказа (решения)",
           "Номер группы"]
TODAY = "2026-06-15"


def _with_award(tmp_path):
    data = minimal_input()
    data["learners.xlsx"]["Поощрения"] = [
        HEADERS,
        ["L001", "почетная грамота", "за лучшую итоговую работу", dt.date(2025, 3, 10), "14-о",
         dt.date(2025, 3, 10), "ПК-2025-01"],
    ]
    return write_input(tmp_path / "input", data)


def test_award_reaches_card_learner_command_and_report(tmp_path):
    input_dir, output_dir = _with_award(tmp_path), tmp_path / "output"
    runner = CliRunner()
    built = runner.invoke(main, ["build", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY])
    assert built.exit_code == 0, built.output
    [card] = output_dir.glob("build/**/Личная карточка слушателя L001.docx")
    text = docx_text(card.read_bytes())
    assert "3. Поощрения" in text
    assert "1 | Почетная грамота | за лучшую итоговую работу | 10.03.2025 | от 10.03.2025 №\u00a014-о | ПК-2025-01" in text
    [other] = output_dir.glob("build/**/Личная карточка слушателя L002.docx")
    assert "Поощрений нет." in docx_text(other.read_bytes())

    shown = runner.invoke(main, ["learner", "L001", "--input", str(input_dir), "--output", str(output_dir),
                                 "--today", TODAY])
    assert shown.exit_code == 0, shown.output
    # The terminal table folds long cells (80 columns here): look for the words, not the whole cell.
    awards = shown.output.split("Поощрения", 1)[1]
    assert all(word in awards for word in ("почетная", "грамота", "10.03.2025", "ПК-2025-01"))

    report = runner.invoke(main, ["report", "--input", str(input_dir), "--output", str(output_dir), "--today", TODAY])
    assert report.exit_code == 0, report.output
    sheet = openpyxl.load_workbook(output_dir / "reports" / "learners.xlsx")["Результаты обучения"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    head = next(r for r in rows if "Поощрения" in r)
    column = head.index("Поощрения")
    by_id = {r[head.index("ID слушателя")]: r[column] for r in rows[rows.index(head) + 1:]}
    assert by_id["L001"] == "почетная грамота 10.03.2025 (приказ (решение) от 10.03.2025 № 14-о)"
    assert not by_id["L002"]
