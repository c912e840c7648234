"""What `uchet report` and `uchet learner` do: validate the input, then one report function each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.core.errors import UchetError
from pipeline.core.problems import mask_snils


def _dataset(input_dir: Path, output_dir: Path, *, strict: bool):
    """Give (exit code, Dataset or None) after validating and reporting problems."""
    from pipeline.intake import problem_report
    from pipeline.intake.validate import validate_input

    result = validate_input(input_dir)
    code = problem_report.report(result.problems, input_dir, output_dir, strict=strict)
    if code != 0 or result.dataset is None:
        return code or 1, None
    return 0, result.dataset


def report(input_dir: Path, output_dir: Path, *, today: dt.date, strict: bool = False) -> int:
    """Give the exit code of `uchet report`: every report under output/reports/, a summary on the console."""
    from pipeline.core.runlock import exclusive
    from pipeline.reports.stage import archive_pairs, run_reports

    with exclusive(output_dir):
        code, dataset = _dataset(input_dir, output_dir, strict=strict)
        if dataset is None:
            return code
        result = run_reports(dataset, output_dir, today=today, archive_index=archive_pairs(output_dir))
    for line in result.summary_lines():
        click.echo(line)
    return 0


def learner(input_dir: Path, output_dir: Path, query: str, *, today: dt.date) -> int:
    """Give the exit code of `uchet learner`: one person's history across programs, as a table."""
    from rich.console import Console
    from rich.table import Table

    from pipeline.assessment.dynamics import (
        AWARD_HEADERS,
        HISTORY_HEADERS,
        award_cells,
        find_learner,
        history,
    )

    code, dataset = _dataset(input_dir, output_dir, strict=False)
    if dataset is None:
        return code
    person = find_learner(dataset, query)
    if person is None:
        raise UchetError(
            f"Слушатель «{query}» не найден: укажите ID слушателя или СНИЛС, как в листе «Слушатели» "
            "файла learners.xlsx."
        )
    # The user typed either the id or the СНИЛС; the СНИЛС is shown in full only if it was typed.
    typed_snils = query.strip() != person.id
    snils = person.snils if typed_snils else mask_snils(person.snils)
    rows = history(dataset, person.id, today)
    console = Console()
    console.print(f"[bold]{person.person.full_name}[/bold], ID {person.id}, СНИЛС {snils}")
    if not rows:
        console.print("Не зачислен ни в одну группу.")
    else:
        table = Table(title=f"Результаты по программам на {today:%d.%m.%Y}", show_lines=True)
        for header in HISTORY_HEADERS:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*row.cells())
        console.print(table)
    if not person.awards:
        console.print("Поощрений нет.")
        return 0
    awards = Table(title="Поощрения", show_lines=True)
    for header in AWARD_HEADERS:
        awards.add_column(header, overflow="fold")
    for award in person.awards:
        awards.add_row(*award_cells(award))
    console.print(awards)
    return 0
