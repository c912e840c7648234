"""`uchet case` and `uchet cases`: what they print. The work is in pipeline.paper.folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.core.errors import UchetError


def _dataset(input_dir: Path, output_dir: Path):
    """The checked workbooks: the номенклатура, the fund number, the signers, what is not filed yet."""
    from pipeline.cache import cache_dir
    from pipeline.input_cache import validate_cached
    from pipeline.intake import problem_report

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


def pdfa_command(archive: Path) -> int:
    """Make the missing PDF/A copies; without LibreOffice say how many wait (exit 0: the build is not wrong)."""
    from pipeline.paper.cases import filed_records
    from pipeline.paper.renditions import make_renditions, pending_copies, soffice_or_none

    if not archive.is_dir():
        click.echo("Архива еще нет: копии PDF/A делать не с чего.")
        return 0
    exe = soffice_or_none()
    if exe is None:
        click.echo(f"Копии PDF/A ждут LibreOffice: {pending_copies(archive)} документов. Установите пакет "
                   "libreoffice-writer (sudo apt-get install --no-install-recommends libreoffice-writer "
                   "fonts-liberation) и повторите «make».")
        return 0
    report = make_renditions(archive, filed_records(archive), exe)
    for line in report.lines():
        click.echo(line)
    return 2 if report.failed else 0
