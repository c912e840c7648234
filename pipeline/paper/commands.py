"""`uchet case` and `uchet cases`: what they print. The work is in pipeline.paper.folders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.core.dataset import Dataset
from pipeline.core.errors import UchetError
from pipeline.core.paths import ERRORS_FILE
from pipeline.paper.cases import filed_records
from pipeline.paper.folders import CASES_DIR, print_cases
from pipeline.paper.renditions import make_renditions, pending_copies, soffice_or_none


def require_archive(output_dir: Path) -> None:
    """Refuse to print дела before the first build has filed anything."""
    archive = output_dir / "archive"
    if not archive.is_dir():
        raise UchetError(f"Архив «{archive}» не найден. Сначала выполните «make» (uchet build).")


def stopped_by_errors(output_dir: Path) -> UchetError:
    """The error that stops printing while the workbooks have errors (exit code 1: a data problem)."""
    error = UchetError("Дела не печатаются, пока в рабочих книгах есть ошибки: исправьте их "
                       f"(список — в «{output_dir / ERRORS_FILE}») и повторите.")
    error.exit_code = 1
    return error


def cases_command(dataset: Dataset, output_dir: Path, *, today: dt.date,
                  only: tuple[str, int, str | None] | None = None) -> int:
    """Print the closed дела (or one), the описи дел and the номенклатуры of the checked workbooks
    (pipeline.build.cases runs it after validation); give the exit code."""
    report = print_cases(dataset, output_dir / "archive", output_dir / CASES_DIR, today, only=only)
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
