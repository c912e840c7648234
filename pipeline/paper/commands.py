"""`uchet case` and `uchet cases`: what they print. The work is in pipeline.paper.folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.errors import UchetError


def _dataset(input_dir: Path, output_dir: Path):
    """The checked workbooks: the номенклатура, the fund number, the signers, what is not filed yet."""
    from pipeline import problem_report
    from pipeline.cache import cache_dir
    from pipeline.input_cache import validate_cached

    result = validate_cached(input_dir, cache_dir(output_dir))
    if result.dataset is None or result.dataset.organization is None:
        problem_report.report(result.problems, input_dir, output_dir, strict=False)
        error = UchetError("Дела не печатаются, пока в рабочих книгах есть ошибки: исправьте их "
                           f"(список — в «{output_dir / 'errors.xlsx'}») и повторите.")
        error.exit_code = 1
        raise error
    return result.dataset


def cases_command(input_dir: Path, output_dir: Path, *, today: dt.date,
                  only: tuple[str, int, str | None] | None = None) -> int:
    """Print the closed дела (or one), the описи дел and the номенклатуры; give the exit code."""
    from pipeline.paper.folders import CASES_DIR, print_cases

    archive = output_dir / "archive"
    if not archive.is_dir():
        raise UchetError(f"Архив «{archive}» не найден. Сначала выполните «make» (uchet build).")
    report = print_cases(_dataset(input_dir, output_dir), archive, output_dir / CASES_DIR, today, only=only)
    if only is not None and not (report.printed or report.incomplete):
        index, year, group = only
        where = f", группа {group}" if group else ""
        raise UchetError(f"В архиве нет дела {index} за {year} год{where}. Индексы дел — на листе «Номенклатура дел» "
                         "в organization.xlsx; дело появляется, когда в архив подшит первый его документ.")
    for path in report.printed:
        click.echo(f"К печати: {path}")
    for line in report.lines():
        click.echo(line)
    return 0
