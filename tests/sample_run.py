"""The committed sample as a fresh input folder, and the `uchet build` command line, for the process tests."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-06-15"


def sample_input(tmp_path: Path, groups: tuple[str, ...] = ("ПК-2025-01.xlsx",)) -> Path:
    """tmp_path/input with the sample's organisation and learners workbooks and the named group workbooks."""
    folder = tmp_path / "input"
    (folder / "groups").mkdir(parents=True)
    for name in ("organization.xlsx", "learners.xlsx"):
        shutil.copyfile(ROOT / "input" / name, folder / name)
    for name in groups:
        shutil.copyfile(ROOT / "input" / "groups" / name, folder / "groups" / name)
    return folder


def build_command(input_dir: Path, output_dir: Path) -> list[str]:
    """`python -m pipeline build` into output_dir, on the fixed date the tests use."""
    return [sys.executable, "-m", "pipeline", "build", "--input", str(input_dir), "--output", str(output_dir),
            "--today", TODAY]


def built_sample(root: Path, today) -> tuple[Path, Path]:
    """The whole committed sample copied to root/input and built into root/output on `today`: (input, output)."""
    from pipeline.build import run

    shutil.copytree(ROOT / "input", root / "input")
    assert run(root / "input", root / "output", today=today) == 0
    return root / "input", root / "output"
