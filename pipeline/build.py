"""The whole job as one recipe: load -> validate -> render -> archive -> report.

Each stage is a plain function of the previous stage's result. Nothing is written under the output
folder before validation has passed, except the error report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline import problem_report
from pipeline.runlock import exclusive
from pipeline.validate import validate_input


def validate_only(input_dir: Path, output_dir: Path, *, strict: bool = False) -> int:
    """Give the exit code of validating the input: 0 clean, 1 problems (warnings too when strict)."""
    with exclusive(output_dir):
        result = validate_input(input_dir)
        return problem_report.report(result.problems, input_dir, output_dir, strict=strict)


def run(input_dir: Path, output_dir: Path, *, strict: bool = False, today: dt.date | None = None) -> int:
    """Give the exit code of the whole job on input_dir, writing into output_dir."""
    with exclusive(output_dir):
        return _run(input_dir, output_dir, strict=strict, today=today or dt.date.today())


def _run(input_dir: Path, output_dir: Path, *, strict: bool, today: dt.date) -> int:
    # 1. Load and validate everything first: bad input never produces a half-built archive.
    result = validate_input(input_dir)
    code = problem_report.report(result.problems, input_dir, output_dir, strict=strict)
    if code != 0 or result.dataset is None:
        return code or 1
    dataset = result.dataset
    click.echo(
        f"Данные проверены: {len(dataset.groups)} групп, {len(dataset.learners)} слушателей, "
        f"{len(dataset.programs)} программ."
    )
    # The later stages (render, archive, reports, ФРДО) are wired in here as they land.
    return 0
