"""End-to-end: `uchet build` on a copy of the sample, the way staff run it (relative folders)."""

from __future__ import annotations

import shutil
from pathlib import Path

import bagit
from click.testing import CliRunner

from pipeline.archive.verify import verify_archive
from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_build_with_relative_folders_files_the_archive_and_a_second_run_changes_nothing(tmp_path, monkeypatch):
    shutil.copytree(REPO / "input", tmp_path / "input")
    monkeypatch.chdir(tmp_path)
    args = ["build", "--input", "input", "--output", "output", "--today", "2026-06-15"]

    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "Данные проверены: 10 групп, 130 слушателей" in first.output
    archive = Path("output/archive")
    bags = sorted(p.parent.relative_to(archive).as_posix() for p in archive.rglob("bagit.txt"))
    # the eight completed groups, 2024's and 2025's own folders (their years are over: the order that created
    # the expert commission of 20.12.2024, 2025's book and ЭК protocol); 2026's book still waits
    assert bags == ["2024/_год", "2025/_год", "2025/ПК-2025-01", "2025/ПК-2025-02", "2025/ПК-2025-03", "2025/ПК-2025-04",
                    "2025/ПО-2025-01", "2026/ПК-2026-01", "2026/ПП-2025-01", "2026/ПП-2026-01"]
    for bag in bags:
        assert bagit.Bag(str(archive / bag)).validate()
    assert verify_archive(archive).clean

    snapshot = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0, second.output
    assert {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()} == snapshot


def test_make_runs_do_not_import_hypothesis(tmp_path):
    """pandera would import hypothesis (a test dependency) for strategies uchet never uses."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pipeline", "validate", "--input",
                           str(root / "input"), "--output", str(tmp_path / "out")],
                          cwd=root, capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "pandera" in imported and "hypothesis" not in imported
