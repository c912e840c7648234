"""The whole job as one recipe: load -> validate -> render -> archive -> report.

Each stage is a plain function of the previous stage's result. Nothing is written under the output
folder before validation has passed, except the error report.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import click

from pipeline.build_backup import BuildBackup
from pipeline.build_stamp import BuildStamp
from pipeline.cache import cache_dir
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.core.runlock import exclusive
from pipeline.input_cache import INPUT_HASHES, paused_gc

NOTHING_CHANGED = (
    "Ничего не изменилось с прошлого запуска (данные, шаблоны, дата, файлы в «{output}»): "
    "документы, архив и отчеты актуальны."
)


def counted(n: int, one: str, few: str, many: str) -> str:
    """«1 группа», «3 группы», «10 групп»."""
    from pipeline.core.ru import plural

    return f"{n} {plural(n, one, few, many)}"


def validate_only(input_dir: Path, output_dir: Path, *, strict: bool = False) -> int:
    """Give the exit code of validating the input: 0 clean, 1 problems (warnings too when strict)."""
    from pipeline.intake import problem_report
    from pipeline.intake.validate import validate_input

    with exclusive(output_dir):
        result = validate_input(input_dir)
        return problem_report.report(result.problems, input_dir, output_dir, strict=strict)


def run(input_dir: Path, output_dir: Path, *, strict: bool = False, today: dt.date | None = None) -> int:
    """Give the exit code of the whole job on input_dir, writing into output_dir."""
    # The input files' hashes are remembered from the last run (pipeline.file_memo).
    with exclusive(output_dir), INPUT_HASHES.persisted(cache_dir(output_dir)):
        return _run(input_dir, output_dir, strict=strict, today=today or dt.date.today())


def _run(input_dir: Path, output_dir: Path, *, strict: bool, today: dt.date) -> int:
    # 0. Nothing changed since the last clean build (inputs, templates, code, date, outputs): done, as make would be.
    stamp = BuildStamp.of(input_dir, output_dir, TEMPLATES_DIR, today=today, strict=strict)
    if stamp.unchanged():
        click.echo(NOTHING_CHANGED.format(output=output_dir))
        return 0
    stamp.forget()
    # The stages are imported only now: pandas, pandera and docx take most of a second to import,
    # longer than the whole answer above. Modules live to the end: the garbage collector need not
    # walk what the imports allocate (a tenth of a second of a one-group edit).
    with paused_gc():
        from pipeline.archive import archive_documents, archive_memos
        from pipeline.archive.commands import echo_archive_report
        from pipeline.archive.disposal import settle_if_needed
        from pipeline.input_cache import validate_cached
        from pipeline.intake import problem_report
        from pipeline.paper.renditions import pending_copies
        from pipeline.render.stage import render_all
        from pipeline.reports.stage import BackgroundOverview, archive_pairs, run_reports

    # 1. Load and validate everything first: bad input never produces a half-built archive.
    #    An unchanged input folder is not read again (output/cache/).
    result = validate_cached(input_dir, cache_dir(output_dir))
    code = problem_report.report(result.problems, input_dir, output_dir, strict=strict)
    if code != 0 or result.dataset is None:
        return code or 1
    dataset = result.dataset
    if dataset.is_empty:
        click.echo("Рабочие книги пусты: заполните их (см. лист «Инструкция» в каждой книге) и запустите снова.")
        return 0
    click.echo(f"Данные проверены: {counted(len(dataset.groups), 'группа', 'группы', 'групп')}, "
               f"{counted(len(dataset.learners), 'слушатель', 'слушателя', 'слушателей')}, "
               f"{counted(len(dataset.programs), 'программа', 'программы', 'программ')}.")
    # The dataset's own reports are worked out meanwhile on the second core (written in step 4).
    background = BackgroundOverview(dataset, output_dir, today)
    try:
        # 2. Render every carrier into output/build/; a document whose bytes did not change is not rewritten.
        #    Documents whose inputs did not change since the last run are not even rendered (output/cache/).
        backup = BuildBackup(output_dir / "build", cache_dir(output_dir))
        rendered = render_all(dataset, output_dir / "build", TEMPLATES_DIR, cache_dir=cache_dir(output_dir),
                              backup=backup)
        # The Dataset and the documents live to the end of the run: the garbage collector need not walk them again.
        gc.freeze()
        fresh = sum(doc.fresh for doc in rendered)
        click.echo(f"Документы сформированы: {len(rendered)} в «{output_dir / 'build'}», из них заново: {fresh}.")
        # 3. File the documents of completed groups; a signed document changed without a reason stops here,
        #    before anything in the archive is touched.
        # An act of disposal interrupted by the last run is carried out to its end first (pipeline.archive.disposal).
        for line in settle_if_needed(output_dir / "archive"):
            click.secho(f"Архив: {line}", fg="yellow", bold=True)
        try:
            with archive_memos(cache_dir(output_dir)):  # the bags' lists and bag-info, as the last run parsed them
                filed = archive_documents(dataset, rendered, output_dir / "archive", today=today,
                                          scans_dir=input_dir / "scans")
                archived = archive_pairs(output_dir) if filed.ok else []
                copies = pending_copies(output_dir / "archive") if filed.ok else 0
        except BaseException:
            backup.restore()  # staff print from output/build/: a stopped run leaves it as it was
            raise
        echo_archive_report(filed)
        if copies:
            click.echo(f"Копии PDF/A ждут: {copies} документов архива. Их делает «uchet pdfa» (в «make» — сразу после "
                       "сборки; нужен LibreOffice); до тех пор во внутренних описях дел их листы — «—».")
        if not filed.ok:
            backup.restore()
            return problem_report.report(filed.problems, input_dir, output_dir, strict=strict,
                                         title="Подшивка в архив остановлена, в архиве ничего не изменено")
        backup.discard()
        # 4. Monitoring and management reports, including what is still missing per group.
        reports = run_reports(dataset, output_dir, today=today, rendered=rendered, archive_index=archived,
                              known=background.result())
    finally:
        background.cancel()
    for line in reports.summary_lines():
        click.echo(line)
    if not result.problems:
        stamp.record()
    return 0
