"""The whole job as one recipe: lock, validate, then render -> archive -> report (or the one stage asked for).

Every command that reads the workbooks runs the same first steps here, in `job()` and `validated()`:
the output folder's run lock, the build cache opened once and handed to the stages that use it,
validation, and the error report. Nothing is written under the output folder before validation has
passed, except the error report (the cache holds its writes until then: pipeline.cache).

Stages are imported inside the commands, not at the top: pandas, pandera and docx take most of a
second to import, longer than the whole answer of a build that finds nothing changed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pipeline.cache import BuildCache
from pipeline.cache.build_stamp import BuildStamp
from pipeline.cache.collector import keep_to_the_end, paused_gc
from pipeline.cache.input_cache import INPUT_HASHES
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.core.problems import Problem
from pipeline.core.ru import plural
from pipeline.core.runlock import exclusive

if TYPE_CHECKING:
    from pipeline.core.dataset import Dataset

NOTHING_CHANGED = (
    "Ничего не изменилось с прошлого запуска (данные, шаблоны, дата, файлы в «{output}»): "
    "документы, архив и отчеты актуальны."
)


def counted(n: int, one: str, few: str, many: str) -> str:
    """«1 группа», «3 группы», «10 групп»."""
    return f"{n} {plural(n, one, few, many)}"


@contextmanager
def job(output_dir: Path) -> Iterator[BuildCache]:
    """Hold the output folder's run lock and give the run's build cache (the input files' hashes included)."""
    cache = BuildCache(output_dir)
    with exclusive(output_dir), INPUT_HASHES.persisted(cache):
        yield cache


@dataclass(frozen=True)
class Validated:
    """The outcome of `validated()`: the Dataset to go on with, or None and the exit code to stop with."""

    dataset: Dataset | None
    code: int
    problems: tuple[Problem, ...]
    """Every problem reported (warnings too, when the Dataset is given)."""


def validated(input_dir: Path, output_dir: Path, cache: BuildCache, *, strict: bool,
              also: Callable[[Dataset], list[Problem]] | None = None) -> Validated:
    """Validate the input and report every problem (console, output/errors.xlsx); give the Dataset when clean.

    `also`: a command's own checks of the Dataset (the ФРДО pre-flight), reported in the same list.
    Only a clean input commits the build cache (pipeline.cache.BuildCache): a run stopped here has
    written nothing but the error report.
    """
    with paused_gc():  # the stages' imports allocate for the whole run (pipeline.cache.collector)
        # lazy: start-up — the no-op build answers before any stage loads (module docstring)
        from pipeline.intake import problem_report
        from pipeline.intake.validate import validate_input

    result = validate_input(input_dir, cache)
    problems = list(result.problems)
    if result.dataset is not None and also is not None:
        problems += also(result.dataset)
    code = problem_report.report(problems, input_dir, output_dir, strict=strict)
    if code != 0 or result.dataset is None:
        return Validated(None, code or 1, tuple(problems))
    cache.commit()
    return Validated(result.dataset, 0, tuple(problems))


def validate(input_dir: Path, output_dir: Path, *, strict: bool = False) -> int:
    """Give the exit code of `uchet validate`: 0 clean, 1 problems (warnings too when strict).

    Writes nothing but the error report: the cache is read, never written.
    """
    cache = BuildCache(output_dir, read_only=True)
    with exclusive(output_dir):
        return validated(input_dir, output_dir, cache, strict=strict).code


def report(input_dir: Path, output_dir: Path, *, today: dt.date, strict: bool = False) -> int:
    """Give the exit code of `uchet report`: every report under output/reports/, a summary on the console."""
    # lazy: start-up — the no-op build answers before any stage loads (module docstring)
    from pipeline.render.stage import render_learner_cards
    from pipeline.reports.stage import archive_pairs, run_reports

    with job(output_dir) as cache:
        checked = validated(input_dir, output_dir, cache, strict=strict)
        if checked.dataset is None:
            return checked.code
        cards = render_learner_cards(checked.dataset, output_dir / "build", TEMPLATES_DIR)
        result = run_reports(checked.dataset, output_dir, today=today, archive_index=archive_pairs(output_dir),
                             cards=[doc.path for doc in cards])
    for line in result.summary_lines():
        click.echo(line)
    return 0


def learner(input_dir: Path, output_dir: Path, query: str, *, today: dt.date) -> int:
    """Give the exit code of `uchet learner`: one person's history across programs, as a table."""
    # lazy: start-up — the no-op build answers before any stage loads (module docstring)
    from pipeline.reports.commands import show_learner

    with job(output_dir) as cache:
        checked = validated(input_dir, output_dir, cache, strict=False)
    if checked.dataset is None:
        return checked.code
    show_learner(checked.dataset, query, today=today)
    return 0


def frdo(input_dir: Path, output_dir: Path, *, year: int | None, kind: str | None, today: dt.date,
         strict: bool = False, correct_names: bool = False) -> int:
    """Give the exit code of `uchet frdo`: year None means every year with issued documents.

    The ФРДО pre-flight of every year and template asked for is reported with the workbooks' problems,
    before any upload is written.
    """
    # lazy: start-up — the no-op build answers before any stage loads (module docstring)
    from pipeline import frdo as fis_frdo
    with job(output_dir) as cache:
        checked = validated(input_dir, output_dir, cache, strict=strict,
                            also=lambda dataset: fis_frdo.check_all(dataset, fis_frdo.jobs_of(dataset, year, kind)))
        if checked.dataset is None:
            return checked.code
        fis_frdo.export_all(checked.dataset, fis_frdo.jobs_of(checked.dataset, year, kind), output_dir,
                            today=today, correct_names=correct_names)
    return 0


def cases(input_dir: Path, output_dir: Path, *, today: dt.date,
          only: tuple[str, int, str | None] | None = None) -> int:
    """Give the exit code of `uchet cases` / `uchet case`: the closed дела of the archive, to print."""
    # lazy: start-up — the no-op build answers before any stage loads (module docstring)
    from pipeline.paper.commands import cases_command, require_archive, stopped_by_errors

    require_archive(output_dir)
    with job(output_dir) as cache:
        checked = validated(input_dir, output_dir, cache, strict=False)
        if checked.dataset is None:
            raise stopped_by_errors(output_dir)
        return cases_command(checked.dataset, output_dir, today=today, only=only)


def run(input_dir: Path, output_dir: Path, *, strict: bool = False, today: dt.date | None = None) -> int:
    """Give the exit code of `uchet build`, the whole job on input_dir, writing into output_dir."""
    today = today or dt.date.today()
    with job(output_dir) as cache:
        # 0. Nothing changed since the last clean build (inputs, templates, code, date, outputs): done, as make would be.
        stamp = BuildStamp.of(input_dir, output_dir, cache, TEMPLATES_DIR, today=today, strict=strict)
        if stamp.unchanged():
            click.echo(NOTHING_CHANGED.format(output=output_dir))
            return 0
        with paused_gc():  # the stages' imports allocate for the whole run (pipeline.cache.collector)
            # lazy: start-up — the no-op build answers before any stage loads (module docstring)
            from pipeline.archive.commands import echo_archive_report
            from pipeline.archive.disposal import settle_if_needed
            from pipeline.archive.filing import archive_documents, destination
            from pipeline.archive.memos import archive_memos
            from pipeline.archive.settled import Replay, SettledArchive
            from pipeline.cache.build_backup import BuildBackup
            from pipeline.intake import problem_report
            from pipeline.paper.renditions import pending_copies
            from pipeline.render.stage import render_all
            from pipeline.reports.stage import archive_pairs, run_reports

        # 1. Load and validate everything first: bad input never produces a half-built archive, and a run
        #    stopped here writes nothing but the error report. Unchanged workbooks are not read again.
        checked = validated(input_dir, output_dir, cache, strict=strict)
        if checked.dataset is None:
            return checked.code
        stamp.forget()  # a run that does not end clean must not be skipped next time
        dataset = checked.dataset
        if dataset.is_empty:
            click.echo("Рабочие книги пусты: заполните их (см. лист «Инструкция» в каждой книге) и запустите снова.")
            return 0
        click.echo(f"Данные проверены: {counted(len(dataset.groups), 'группа', 'группы', 'групп')}, "
                   f"{counted(len(dataset.learners), 'слушатель', 'слушателя', 'слушателей')}, "
                   f"{counted(len(dataset.programs), 'программа', 'программы', 'программ')}.")
        # 2. Render every carrier into output/build/; a document whose bytes did not change is not
        #    rewritten, one whose inputs did not change is not even rendered (the build cache).
        backup = BuildBackup(output_dir / "build", cache.folder)
        rendered = render_all(dataset, output_dir / "build", TEMPLATES_DIR, cache=cache, backup=backup)
        keep_to_the_end()  # the Dataset and the documents live to the end of the run
        fresh = sum(doc.fresh for doc in rendered)
        click.echo(f"Документы сформированы: {len(rendered)} в «{output_dir / 'build'}», из них заново: {fresh}.")
        # 3. File the documents of completed groups; a signed document changed without a reason stops
        #    here, before anything in the archive is touched. An act of disposal interrupted by the last
        #    run is carried out to its end first (pipeline.archive.disposal).
        for line in settle_if_needed(output_dir / "archive"):
            click.secho(f"Архив: {line}", fg="yellow", bold=True)
        try:
            # A run that has nothing to file, on the archive the last such run left, tells what that run
            # told and reads no bag (pipeline.archive.settled): a group in training edited, a new group of new learners.
            settled = SettledArchive.of(cache, dataset, rendered, today=today, scans_dir=input_dir / "scans",
                                        destination=partial(destination, dataset, today=today))
            with archive_memos(cache):  # the bags' lists and bag-info, as the last run parsed them (when asked)
                filed = archive_documents(dataset, rendered, output_dir / "archive", today=today,
                                          scans_dir=input_dir / "scans", settled=settled)
                if settled.replayed is not None:
                    archived, copies = settled.replayed.pairs, settled.replayed.copies
                else:
                    archived = archive_pairs(output_dir) if filed.ok else []
                    copies = pending_copies(output_dir / "archive") if filed.ok else 0
                    settled.remember(Replay(
                        len(filed.unchanged), [dataclasses.astuple(d) for d in filed.destroyed],
                        filed.scans_not_filed, archived, copies) if filed.ok else None)
        except BaseException:
            backup.restore()  # staff print from output/build/: a stopped run leaves it as it was
            raise
        echo_archive_report(filed)
        if copies:
            click.echo(f"Копии PDF/A ждут: {copies} документов архива. Их делает «uchet pdfa» (в «make» — сразу "
                       "после сборки; нужен LibreOffice); до тех пор во внутренних описях дел их листы — «—».")
        if not filed.ok:
            backup.restore()
            return problem_report.report(filed.problems, input_dir, output_dir, strict=strict,
                                         title="Подшивка в архив остановлена, в архиве ничего не изменено")
        backup.discard()
        # 4. Monitoring and management reports, including what is still missing per group.
        reports = run_reports(dataset, output_dir, today=today, rendered=rendered, archive_index=archived)
        for line in reports.summary_lines():
            click.echo(line)
        if not checked.problems:  # warnings are told again on every run until they are fixed
            # The archive as filing measured it, when nothing was written into it since (pipeline.archive.settled).
            stamp.record(cache.file_states, archive=None if settled.wrote else settled.state)
    return 0
