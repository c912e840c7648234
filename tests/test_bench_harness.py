"""The benchmark's own machinery keeps up with the product (issue 15: `make bench` is how the targets are
proved; a harness that crashes proves nothing).

The reader comparison swaps the workbook reader under the production loader; when the loader's
signature changes, the swap must follow, and every reader must still give the same check of the sample.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bench import measures

SAMPLE = Path(__file__).resolve().parents[1] / "input"


@pytest.mark.parametrize("engine", list(measures.READERS))
def test_every_reader_of_the_benchmark_checks_the_sample_as_the_product_does(engine):
    from pipeline.intake.validate import validate_input

    seconds, checked, result = measures.validate_with(engine, SAMPLE)
    reference = validate_input(SAMPLE)

    assert 0 < checked <= seconds
    assert result.dataset is not None, [p.message for p in result.problems][:3]
    assert measures.outcome(result) == measures.outcome(reference)


def test_the_bench_picks_its_edited_groups_from_the_last_build(tmp_path):
    """The edits `make bench` times are chosen from the build's own render manifest: a group in training
    and the finished, filed group with the most documents."""
    from click.testing import CliRunner
    from sample_run import TODAY, sample_input

    from pipeline.cli import main

    data = sample_input(tmp_path, ("ПК-2025-01.xlsx", "ПП-2025-01.xlsx", "ПК-2026-02.xlsx"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--input", str(data), "--output", str(out), "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert measures.group_in_training(out) == "groups/ПК-2026-02.xlsx"
    # ПП-2025-01 (a professional retraining group) has more documents than ПК-2025-01
    assert measures.largest_finished_group(out) == "groups/ПП-2025-01.xlsx"


def test_measured_builds_keep_their_compiled_modules_as_a_staff_machine_does(monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    environment = measures.build_environment({"UCHET_SHARED_GROUP": "1"})
    assert "PYTHONDONTWRITEBYTECODE" not in environment
    assert environment["PYTHONUNBUFFERED"] == "1" and environment["UCHET_SHARED_GROUP"] == "1"
    assert environment["PATH"] == os.environ["PATH"]


def test_the_least_an_edit_costs_is_measured_on_the_imports_the_build_makes_before_its_stages():
    """The bench's floor of an edit imports what pipeline/build.py imports inside validated() and run()
    (read from its source), in a fresh process."""
    lines = measures.stage_imports()
    imported = " ".join(lines)
    for name in ("validate_input", "render_all", "archive_documents", "run_reports"):
        assert name in imported
    assert 0 < measures.stage_import_seconds() < 60


def test_the_least_a_personal_data_edit_costs_reads_the_learners_workbook_given(tmp_path):
    """The personal-data floor times reading and checking learners.xlsx of the input given, each round; an
    input without one is refused, not timed as nothing."""
    rounds = measures.learners_check_seconds(SAMPLE, 2)
    assert len(rounds) == 2 and all(0 < s < 60 for s in rounds)
    (tmp_path / "groups").mkdir()
    with pytest.raises(subprocess.CalledProcessError) as refused:
        measures.learners_check_seconds(tmp_path, 1)
    assert "learners.xlsx gave no sheet" in refused.value.stderr
