"""ФИС ФРДО export: the upload workbooks of issued documents, checked before they are written.

`uchet frdo` = validate the input, run the ФРДО pre-flight over every year and template asked for
(all of them before anything is written), then write per year and template only what the register
does not have yet (see `history` for new, duplicate and correction rows). Modules: `template` (the
pinned template data), `rows` (Dataset -> rows with the cells they came from), `preflight`,
`history` (sent records and the diff), `workbook` (the xlsx), `export` (one upload).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.frdo.export import ExportResult, check, export
from pipeline.frdo.preflight import preflight
from pipeline.frdo.rows import years_of
from pipeline.frdo.template import KINDS, Kind, template

__all__ = ["ExportResult", "check", "export", "preflight", "run", "template", "years_of"]


def run(
    input_dir: Path, output_dir: Path, *, year: int | None, kind: Kind | None, today: dt.date,
    strict: bool = False, correct_names: bool = False,
) -> int:
    """Give the exit code of `uchet frdo`: year None means every year with issued documents."""
    from pipeline.core.runlock import exclusive
    from pipeline.intake.validate import validate_input

    with exclusive(output_dir):
        validation = validate_input(input_dir)
        problems = list(validation.problems)
        dataset = validation.dataset
        jobs: list[tuple[int, Kind]] = []
        if dataset is not None:
            years = [year] if year is not None else years_of(dataset)
            jobs = [(y, k) for y in years for k in ((kind,) if kind else KINDS)]
            for y, k in jobs:
                problems += check(dataset, y, k)
        code = _report(problems, input_dir, output_dir, strict=strict)
        if code != 0 or dataset is None:
            return code or 1
        if not jobs:
            click.echo("ФИС ФРДО: в рабочих книгах нет выданных документов — выгружать нечего.")
        for y, k in jobs:
            result = export(dataset, y, k, output_dir, today=today, correct_names=correct_names)
            click.echo(result.message)
            for p in result.problems:
                _echo(p)
        return 0


def _report(problems, input_dir: Path, output_dir: Path, *, strict: bool) -> int:
    """Report problems like validation does (console and errors.xlsx) once that reporter exists."""
    try:
        from pipeline.intake import problem_report
    except ImportError:
        for p in problems:
            _echo(p)
        failing = [p for p in problems if p.is_error or strict]
        return 1 if failing else 0
    return problem_report.report(problems, input_dir, output_dir, strict=strict)


def _echo(problem) -> None:
    from pipeline.core.messages import render

    what, fix = render(problem)
    place = ", ".join(
        part for part in (
            problem.file,
            f"лист «{problem.sheet}»" if problem.sheet else "",
            f"строка {problem.row}" if problem.row else "",
            f"столбец «{problem.column}»" if problem.column else "",
        ) if part
    )
    label = "Ошибка" if problem.is_error else "Предупреждение"
    click.echo(f"{label}: {place + ': ' if place else ''}{what} {fix}", err=True)
