"""What the archive commands print: one function per CLI command (find, verify, disposal, dispose)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.archive.act_people import load_organization, load_people, people_of
from pipeline.archive.disposal import dispose, prepare_act
from pipeline.archive.expert import ExpertRecord
from pipeline.archive.index import find
from pipeline.archive.pd_act import PdFacts, destroyers_of
from pipeline.archive.repair import repair_archive
from pipeline.archive.retention import years_text
from pipeline.archive.verify import verify_archive
from pipeline.paper.renditions import verify_renditions


def _retention(text: str) -> str:
    """«5» → «5 лет»; «постоянно» and «до ликвидации организации» as written."""
    return years_text(int(text)) if text.isdigit() else text


def find_command(archive_root: Path, *, year: int | None, group: str | None, learner: str | None) -> int:
    """Print where the matching documents are; give the exit code (0)."""
    rows = find(archive_root, year=year, group=group, learner=learner)
    for row in rows:
        where = (archive_root / row["path"]).as_posix()
        version = f", версия {row['version']}" if row["version"] not in ("", "1") else ""
        state = f" — УНИЧТОЖЕН ({row['disposal_act']})" if row["status"] != "хранится" else ""
        click.echo(f"{where}\n    {row['title']}{version}; дело {row['case_index'] or '—'}, "
                   f"хранить: {_retention(row['retention'])}{state}")
    click.echo(f"Найдено документов: {len(rows)}." if rows else "Ничего не найдено.")
    return 0


def verify_command(archive_root: Path) -> int:
    """Print the verification of the whole archive; give 1 on any real discrepancy, 0 when clean."""
    report = verify_archive(archive_root)
    copies = verify_renditions(archive_root)
    for line in copies:
        click.secho(line, fg="red")
    for line in report.lines():
        click.secho(line, fg="red" if line.startswith(("НЕТ", "ИЗМ", "ЛИШ", "Проверено")) and not report.clean else None)
    if any("/data/" not in path for path, _ in [*report.changed, *report.missing]):
        click.echo("Служебные файлы папок (documents.csv, манифесты) можно восстановить из самих папок командой "
                   "«uchet verify --repair»; документы из data/ — только из резервной копии архива.")
    return 0 if report.clean and not copies else 1


def repair_command(archive_root: Path) -> None:
    """Print what `verify --repair` restored and what needs the backup copy."""
    for line in repair_archive(archive_root).lines():
        click.secho(line, fg="red" if line.startswith("НЕ ") else None)


def disposal_command(archive_root: Path, as_of: dt.date, input_dir: Path) -> int:
    """Draft the act of the cases expired by as_of; print what it lists and what needs the commission."""
    people = load_people(input_dir, as_of)
    act, path = prepare_act(archive_root, as_of, people)
    for case in act.needs_decision:
        click.secho(f"Требует решения ЭК (не включено в акт): дело {case.case_index} «{case.title}» за {case.year} г., "
                    f"документов {len(case.documents)} — в номенклатуре дел срок не утвержден.", fg="yellow")
    if path is None:
        click.echo(f"На {as_of.strftime('%d.%m.%Y')} нет дел с истекшим сроком хранения. Акт не составлен.")
        return 0
    for case in act.cases:
        click.echo(f"  дело {case.case_index} «{case.title}» за {case.year} г.: документов {len(case.documents)}, "
                   f"срок {case.retention}")
    for missing in _blanks(people):
        click.secho(f"В акте оставлено пустым: {missing}", fg="yellow")
    click.echo(f"Составлен акт {act.label}: {path} (список файлов: {path.with_suffix('.json')}). Ничего не удалено.\n"
               f"Контрольная сумма списка файлов (напечатана в акте): {act.list_sha256}.\n"
               f"Дальше: заседание ЭК — внесите его протокол на лист «Заседания ЭК» (organization.xlsx, в «Утверждены "
               f"акты №» — {act.number}) и выполните «make»; акт утверждает руководитель; затем: "
               f"uchet dispose --act {act.number} --confirm")
    return 0


def _blanks(people) -> list[str]:
    """What the act could not fill in from organization.xlsx, and where staff enter it."""
    out = []
    if not people.fund:
        out.append("номер фонда — заполните «Номер фонда» на листе «Организация» (organization.xlsx)")
    if people.chair is None or people.commission_order is None:
        out.append("состав экспертной комиссии — внесите его на лист «Экспертная комиссия» (organization.xlsx): "
                   "номер и дата приказа о ее составе, председатель, члены, секретарь (табельные № с листа «Сотрудники»)")
    return out


def dispose_command(archive_root: Path, number: int, *, confirm: bool, today: dt.date, input_dir: Path) -> int:
    """Carry out act N (or, without confirm, show what it would remove); only an act the ЭК's протокол approves."""
    built = load_organization(input_dir)
    expert = ExpertRecord(built.get("expert_orders", ()), built.get("expert_meetings", ()))
    people = people_of(built["organization"], built["staff"], built["commissions"], expert.orders, today)
    org = built["organization"]
    facts = PdFacts(org.full_name, org.address, destroyers_of(people))
    report = dispose(archive_root, number, confirm=confirm, today=today, expert=expert, pd_facts=facts)
    for line in report.settled:
        click.secho(f"Архив: {line}", fg="yellow")
    verb = "Удален" if confirm else "Будет удален"
    for path in report.removed:
        click.echo(f"{verb}: {(archive_root / path).as_posix()}")
    for path in report.already:
        click.echo(f"Уже уничтожен ранее: {path}")
    if confirm:
        click.echo(f"Акт {report.act.label} исполнен: удалено файлов {len(report.removed)}; записи об уничтожении "
                   "остались в описи и в реестре disposal_register.xlsx. Подлинники на бумаге уничтожаются "
                   "отдельно, с отметкой в акте.")
        if report.pd_act is not None:
            click.echo(f"Акт об уничтожении персональных данных (на подпись, хранится 3 года): {report.pd_act}")
    else:
        click.echo(f"Проверка: по акту {report.act.label} будет удалено файлов {len(report.removed)}. Ничего не удалено; "
                   f"для исполнения добавьте --confirm.")
        if report.not_approved:
            click.secho(report.not_approved, fg="yellow")
    if report.approved_by is not None:
        m = report.approved_by
        click.echo(f"Акт утвержден протоколом ЭК № {m.protocol_no} от {m.date.strftime('%d.%m.%Y')}.")
    return 0


def echo_archive_report(report) -> None:
    """Print an ArchiveReport for `make`: new versions and problems loudly."""
    for line, loud in report.lines():
        if loud:
            click.secho(line, fg="yellow", bold=True)
        else:
            click.echo(line)
