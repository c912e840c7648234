"""Command line: each command parses its options and calls one stage function.

Exit codes: 0 ok, 1 problems in the data, 2 wrong usage or an operational failure.

Each command imports its stage inside its function: importing every stage (pandas, openpyxl, docx,
bagit, reportlab) takes over ten times as long as this module alone (measured 4-5 s against 0.3 s on
the 2-core reference machine, busy), and `uchet --help`, a refused option or the no-op `make` must not
pay for stages they never run.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from pathlib import Path

import click

from pipeline import cli_ru
from pipeline.core import faults
from pipeline.core.errors import UchetError

cli_ru.install()  # before the decorators below: click translates some help texts when they run

DEFAULT_INPUT = Path("input")
DEFAULT_OUTPUT = Path("output")


def io_options(func):
    """--input and --output, shared by every command that reads the workbooks or writes outputs."""
    func = click.option(
        "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
        show_default=True, metavar="ПАПКА", help="Папка результатов.",
    )(func)
    func = click.option(
        "--input", "input_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_INPUT,
        show_default=True, metavar="ПАПКА", help="Папка с рабочими книгами (organization.xlsx, learners.xlsx, groups/).",
    )(func)
    return func


def strict_option(func):
    """--strict: warnings fail the run as errors do (exit 1), for every command that validates the input."""
    return click.option("--strict", is_flag=True, help="Считать предупреждения ошибками.")(func)


def today_option(func):
    """--today: the date the run takes as today (for «в группе риска» and deadlines); default: the clock."""
    return click.option(
        "--today", type=cli_ru.RuDate(), default=None, metavar="ДАТА",
        help="Считать сегодняшней эту дату (ГГГГ-ММ-ДД).",
    )(func)


def as_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


def operational(func):
    """Turn an operational failure into its Russian message and exit code 2.

    A fault of the surroundings (full disk, read-only or unreachable disk, no rights) and Ctrl-C end the
    same way, followed by what the run filed into the archive and what not (pipeline.core.faults).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = faults.now_ns()
        sys.unraisablehook = faults.quiet_unraisable
        try:
            code = func(*args, **kwargs)
        except UchetError as exc:
            click.echo(f"Ошибка: {exc.message}", err=True)
            _after_fault(kwargs.get("output_dir"), started, quiet_if_nothing=True)
            sys.exit(exc.exit_code)
        except (KeyboardInterrupt, OSError) as exc:
            if not (isinstance(exc, KeyboardInterrupt) or faults.is_environmental(exc)):
                raise
            click.echo(f"Ошибка: {faults.describe(exc)}", err=True)
            _after_fault(kwargs.get("output_dir"), started, quiet_if_nothing=False)
            sys.exit(2)
        sys.exit(code or 0)

    return wrapper


def _after_fault(output_dir: Path | None, started: int, *, quiet_if_nothing: bool) -> None:
    """Tell what the stopped run filed; a refusal that filed nothing (the usual UchetError) says no more."""
    if output_dir is None or not (Path(output_dir) / "archive").is_dir():
        return
    # lazy: start-up — the archive stack loads only after a run was really stopped
    from pipeline.archive import stopped_run

    archive = Path(output_dir) / "archive"
    if quiet_if_nothing and not stopped_run.filed_since(archive, started):
        return
    try:
        outcome = stopped_run.settle_archive(archive, started)
    except KeyboardInterrupt:  # a second Ctrl-C while tidying up: the next run settles the archive
        return
    for line in outcome.lines():
        click.echo(line, err=True)


@click.group(cls=cli_ru.RuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="uchet", message="%(prog)s, версия %(version)s")
def main() -> None:
    """Учет результатов освоения программ слушателями: из рабочих книг Excel — документы и архив."""
    # lazy: start-up (see the module docstring)
    from pipeline.core import console, private
    console.install()  # no bidi controls, invisible characters or emoji on the console
    private.restrict()  # files with personal data: 0600/0700 (docs/personal-data.md)


@main.command()
@click.argument("directory", metavar="ПАПКА", type=click.Path(file_okay=False, path_type=Path))
@operational
def init(directory: Path) -> int:
    """Создать в ПАПКЕ пустые рабочие книги с заголовками, списками и листом «Инструкция».

    Пример: uchet init новые_книги
    """
    # lazy: start-up (see the module docstring)
    from pipeline.intake.init_workbooks import write_blank

    write_blank(directory)
    click.echo(f"Пустые рабочие книги записаны в папку «{directory}».")
    return 0


@main.command()
@io_options
@strict_option
@operational
def validate(input_dir: Path, output_dir: Path, strict: bool) -> int:
    """Проверить рабочие книги; при ошибках записать output/errors.xlsx. Больше ничего не пишет.

    Пример: uchet validate --input input
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import validate as validate_input

    return validate_input(input_dir, output_dir, strict=strict)


@main.command()
@io_options
@strict_option
@today_option
@operational
def build(input_dir: Path, output_dir: Path, strict: bool, today: dt.datetime | None) -> int:
    """Вся работа: проверка, документы, архив, отчеты.

    Пример: uchet build --input input --output output
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import run

    return run(input_dir, output_dir, strict=strict, today=as_date(today))


@main.command()
@io_options
@click.option("--year", type=int, default=None, metavar="ГОД", help="Год выдачи документов, например 2025.")
@click.option("--all-years", is_flag=True, help="Все годы, в которые выдавались документы.")
@click.option(
    "--kind", type=click.Choice(["dpo", "po"]), default=None,
    help="Шаблон: dpo — ДПО (удостоверения, дипломы), po — ПО (свидетельства); по умолчанию оба.",
)
@click.option(
    "--correct-names", is_flag=True,
    help="Выгрузить исправления ФИО в уже выгруженных документах (если там была опечатка).",
)
@strict_option
@today_option
@operational
def frdo(
    input_dir: Path, output_dir: Path, year: int | None, all_years: bool, kind: str | None, correct_names: bool,
    strict: bool, today: dt.datetime | None,
) -> int:
    """Файл для загрузки в ФИС ФРДО: документы, выданные за год, после проверки ФРДО.

    Пишет output/frdo/<год>/ФРДО_<шаблон>_<год>_<N>.xlsx только с новыми и измененными документами.

    Пример: uchet frdo --year 2025 --kind dpo
    """
    if (year is None) == (not all_years):
        raise click.UsageError("Укажите либо --year ГОД, либо --all-years.")
    # lazy: start-up (see the module docstring)
    from pipeline.build import frdo as export_frdo

    return export_frdo(
        input_dir, output_dir, year=year, kind=kind, today=as_date(today), strict=strict, correct_names=correct_names
    )


@main.command()
@io_options
@click.option("--group", "groups", multiple=True, metavar="НОМЕР",
              help="Номер группы (можно несколько раз).")
@click.option("--proof", is_flag=True, help="Пробная печать: поля поверх изображения бланка (подложки).")
@click.option("--printer", default=None, metavar="ИМЯ",
              help="Принтер с листа «Принтеры» книги blanks.xlsx: его сдвиг добавляется ко всем полям.")
@click.option("--layout", "layout_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Книга макетов бланков (по умолчанию ПАПКА_ДАННЫХ/blanks.xlsx, если есть, иначе образец программы).")
@click.option("--init-layout", is_flag=True, help="Записать образец blanks.xlsx и подложек в папку данных.")
@operational
def blanks(input_dir: Path, output_dir: Path, groups: tuple[str, ...], proof: bool, printer: str | None,
           layout_path: Path | None, init_layout: bool) -> int:
    """Печать удостоверений, дипломов и свидетельств группы на типографских бланках (PDF).

    Печатаются только переменные поля — в местах, заданных в миллиметрах в книге blanks.xlsx, со
    сдвигом выбранного принтера. С --proof поля печатаются поверх изображения бланка, чтобы проверить
    совмещение на обычной бумаге. Пишет output/blanks/<группа>/….pdf.

    Пример: uchet blanks --group ПК-2025-01 --proof
    """
    # lazy: start-up (see the module docstring)
    from pipeline import blanks as blank_printing
    if init_layout:
        # lazy: start-up (see the module docstring)
        from pipeline.blanks.sample import init_layout as write_layout

        for path in write_layout(layout_path.parent if layout_path else input_dir):
            click.echo(f"Записано: {path}")
        return 0
    if not groups:
        raise click.UsageError("Укажите группу: --group НОМЕР.")
    return blank_printing.run(input_dir, output_dir, groups, proof=proof, printer_name=printer,
                              layout_path=layout_path)


@main.command()
@io_options
@strict_option
@today_option
@operational
def report(input_dir: Path, output_dir: Path, strict: bool, today: dt.datetime | None) -> int:
    """Отчеты: итоги по программам, группам и преподавателям с диаграммами, полнота документов,
    группа риска, справка для руководителя, личные карточки слушателей.

    Пишет output/reports/summary.xlsx, status.xlsx, learners.xlsx, director.docx.

    Пример: uchet report --today 2025-06-01
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import report as run_report

    return run_report(input_dir, output_dir, today=as_date(today), strict=strict)


@main.command()
@click.argument("query", metavar="ID_ИЛИ_СНИЛС")
@io_options
@today_option
@operational
def learner(query: str, input_dir: Path, output_dir: Path, today: dt.datetime | None) -> int:
    """История обучения одного слушателя по всем программам: посещаемость, модули, итоговая аттестация.

    Пример: uchet learner L0001   или   uchet learner "112-233-445 95"
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import learner as show_learner

    return show_learner(input_dir, output_dir, query, today=as_date(today))


def archive_root(output_dir: Path) -> Path:
    return output_dir / "archive"


@main.command("find")
@io_options
@click.option("--year", type=int, default=None, metavar="ГОД", help="Год архива, например 2025.")
@click.option("--group", default=None, metavar="ГРУППА", help="Номер группы, например ПК-2025-017.")
@click.option("--learner", default=None, metavar="СЛУШАТЕЛЬ", help="СНИЛС или ФИО слушателя (можно часть: «Иванов»).")
@operational
def find_documents(input_dir: Path, output_dir: Path, year: int | None, group: str | None, learner: str | None) -> int:
    """Где лежат документы архива: по году, группе, слушателю (по описям output/archive/index-<год>.xlsx).

    Пример: uchet find --year 2025 --group ПК-2025-017 --learner "Иванов"
    """
    # lazy: start-up (see the module docstring)
    from pipeline.archive.commands import find_command

    return find_command(archive_root(output_dir), year=year, group=group, learner=learner)


@main.command()
@io_options
@click.option("--repair", is_flag=True,
              help="Восстановить поврежденные служебные файлы папок (documents.csv и др.) из самих папок архива.")
@operational
def verify(input_dir: Path, output_dir: Path, repair: bool) -> int:
    """Пересчитать контрольные суммы всего архива и показать пропавшие, измененные и лишние файлы.

    С --repair сначала восстанавливает служебные файлы папок (documents.csv, манифесты) из копии в самой
    папке, сверяя их с контрольными суммами; рабочие книги не читаются. Код выхода 1 при любом расхождении.
    Пример: uchet verify   или   uchet verify --repair
    """
    # lazy: start-up (see the module docstring)
    from pipeline.archive.commands import repair_command, verify_command

    if repair:
        repair_command(archive_root(output_dir))
    return verify_command(archive_root(output_dir))


@main.command()
@io_options
@click.option("--as-of", "as_of", type=cli_ru.RuDate(), required=True, metavar="ДАТА",
              help="Дата составления акта (ГГГГ-ММ-ДД).")
@operational
def disposal(input_dir: Path, output_dir: Path, as_of: dt.datetime) -> int:
    """Составить акт о выделении к уничтожению дел с истекшим сроком хранения. Ничего не удаляет.

    Дата — сегодняшняя или прошедшая. Номер фонда, город, руководителя и экспертную комиссию (лист
    «Экспертная комиссия») берет из organization.xlsx. Пишет output/archive/acts/act-N.docx (на подпись)
    и act-N.json (точный список файлов). Пример: uchet disposal --as-of 2031-01-15
    """
    # lazy: start-up (see the module docstring)
    from pipeline.archive.commands import disposal_command

    return disposal_command(archive_root(output_dir), as_of.date(), input_dir)


@main.command()
@io_options
@click.option("--act", "act", type=int, required=True, metavar="N", help="Номер утвержденного акта.")
@click.option("--confirm", is_flag=True, help="Действительно удалить файлы (без флага — только показать).")
@today_option
@operational
def dispose(input_dir: Path, output_dir: Path, act: int, confirm: bool, today: dt.datetime | None) -> int:
    """Исполнить утвержденный акт: удалить ровно перечисленные в нем файлы, оставив записи в описи и реестре.

    Только после заседания ЭК: акт должен быть указан в строке листа «Заседания ЭК» (organization.xlsx).
    Без --confirm только показывает, что будет удалено. Пример: uchet dispose --act 1 --confirm
    """
    # lazy: start-up (see the module docstring)
    from pipeline.archive.commands import dispose_command

    return dispose_command(archive_root(output_dir), act, confirm=confirm, today=as_date(today), input_dir=input_dir)


@main.command("case")
@click.argument("index", metavar="ИНДЕКС")
@click.option("--year", type=int, required=True, help="Год дела, например 2025.")
@click.option("--group", default=None, help="Номер группы, если дело формируется по группам.")
@io_options
@today_option
@operational
def case(index: str, year: int, group: str | None, input_dir: Path, output_dir: Path,
         today: dt.datetime | None) -> int:
    """Папка дела к печати: обложка, внутренняя опись, документы и лист-заверитель одним PDF.

    Пишет output/cases/<год>/Дело <индекс> (<год>).pdf. Пример: uchet case 01-01 --year 2025
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import cases

    return cases(input_dir, output_dir, today=as_date(today), only=(index.strip(), year, group))


@main.command("pdfa")
@io_options
@operational
def pdfa(input_dir: Path, output_dir: Path) -> int:
    """Копии PDF/A-2b документов архива (output/archive/pdfa/), которых еще нет; нужен LibreOffice.

    Копия делается один раз; копии уничтоженных по акту документов удаляются. Пример: uchet pdfa
    """
    # lazy: start-up (see the module docstring)
    from pipeline.paper.commands import pdfa_command

    return pdfa_command(output_dir / "archive")


@main.command("cases")
@io_options
@today_option
@operational
def cases(input_dir: Path, output_dir: Path, today: dt.datetime | None) -> int:
    """Все закрытые дела к печати, описи дел и номенклатура дел за каждый закрытый год.

    Сначала делает недостающие копии PDF/A документов архива (нужен LibreOffice).
    Пишет output/cases/<год>/. Пример: uchet cases
    """
    # lazy: start-up (see the module docstring)
    from pipeline.build import cases

    return cases(input_dir, output_dir, today=as_date(today))


@main.command()
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), metavar="ПАПКА",
              default=None, help="Папка шаблонов (по умолчанию — templates_docx/ программы).")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, metavar="ПАПКА", help="Папка результатов (образцы — в output/proof).")
@click.option("--template", "only", multiple=True, metavar="ФАЙЛ",
              help="Проверить только этот шаблон (можно несколько раз), например protocol.docx.")
@operational
def proof(templates_dir: Path | None, output_dir: Path, only: tuple[str, ...]) -> int:
    """Проверить шаблоны: заполнить каждый «худшими» данными (300 слушателей, 60 занятий, спецсимволы).

    Сообщает о неизвестных и сломанных тегах с именем шаблона и абзацем. Пример: uchet proof --template protocol.docx
    """
    # lazy: start-up (see the module docstring)
    from pipeline.core.paths import TEMPLATES_DIR
    from pipeline.render.proof import run_proof

    return run_proof(templates_dir or TEMPLATES_DIR, output_dir, only)


@main.command("check-docs")
@click.option("--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
              show_default=True, metavar="ПАПКА", help="Папка результатов; проверяются документы в output/build.")
@operational
def check_docs(output_dir: Path) -> int:
    """Открыть каждый документ из output/build в LibreOffice (перевод в PDF) и сообщить об ошибках.

    Пример: uchet check-docs
    """
    # lazy: start-up (see the module docstring)
    from pipeline.core.runlock import private_temp_folder
    from pipeline.render.check_docs import check_docs as run_check

    with private_temp_folder(output_dir, "tmp-check-docs"):  # the PDFs hold personal data: not in /tmp
        return run_check(output_dir / "build")
