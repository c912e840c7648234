"""What `uchet learner` shows once the input is validated (pipeline.build.learner runs it)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from pipeline.assessment.dynamics import AWARD_HEADERS, HISTORY_HEADERS, award_cells, find_learner, history
from pipeline.core.dataset import Dataset
from pipeline.core.errors import UchetError
from pipeline.core.problems import mask_snils


def show_learner(dataset: Dataset, query: str, *, today: dt.date) -> None:
    """Print one person's history across programs, as a table (`uchet learner`, after validation)."""
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
        return
    awards = Table(title="Поощрения", show_lines=True)
    for header in AWARD_HEADERS:
        awards.add_column(header, overflow="fold")
    for award in person.awards:
        awards.add_row(*award_cells(award))
    console.print(awards)
