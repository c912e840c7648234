"""ФИС ФРДО export: the upload workbooks of issued documents, checked before they are written.

`uchet frdo` (pipeline.build.frdo) = validate the input, run the ФРДО pre-flight over every year and
template asked for (`check_all`, reported with the workbooks' problems before anything is written),
then write (`export_all`) per year and template only what the register
does not have yet (see `history` for new, duplicate and correction rows). Modules: `template` (the
pinned template data), `rows` (Dataset -> rows with the cells they came from), `preflight`,
`history` (sent records and the diff), `workbook` (the xlsx), `export` (one upload).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.core.dataset import Dataset
from pipeline.core.messages import render
from pipeline.core.problems import Problem
from pipeline.frdo.export import ExportResult, check, export
from pipeline.frdo.preflight import preflight
from pipeline.frdo.rows import years_of
from pipeline.frdo.template import KINDS, Kind, template

__all__ = ["ExportResult", "check", "check_all", "export", "export_all", "jobs_of", "preflight", "template",
           "years_of"]


def jobs_of(dataset: Dataset, year: int | None, kind: Kind | None) -> list[tuple[int, Kind]]:
    """Give the (year, template) uploads asked for: year None means every year with issued documents."""
    years = [year] if year is not None else years_of(dataset)
    return [(y, k) for y in years for k in ((kind,) if kind else KINDS)]


def check_all(dataset: Dataset, jobs: list[tuple[int, Kind]]) -> list[Problem]:
    """Give the pre-flight problems of every upload asked for (nothing is written)."""
    return [p for y, k in jobs for p in check(dataset, y, k)]


def export_all(dataset: Dataset, jobs: list[tuple[int, Kind]], output_dir: Path, *, today: dt.date,
               correct_names: bool = False) -> None:
    """Write every upload asked for (after check_all found no error) and tell staff what each holds."""
    if not jobs:
        click.echo("ФИС ФРДО: в рабочих книгах нет выданных документов — выгружать нечего.")
    for y, k in jobs:
        result = export(dataset, y, k, output_dir, today=today, correct_names=correct_names)
        click.echo(result.message)
        for p in result.problems:
            _echo(p)


def _echo(problem: Problem) -> None:
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
