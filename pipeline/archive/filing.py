"""Filing rendered documents into the archive: year/group bags, versions, the signed-document guard.

Rules (told to staff in docs/archive.md):
- A group's documents are filed once the group is completed (its graduation order exists), into
  `<archive>/<year>/<group folder>/`, where the year is the year training ended (Group.year), so a
  group that spans New Year is filed under the year it finished. Module- and learner-scoped documents
  go to their group's folder.
- Year-scoped documents (the register of issued documents) are filed into `<archive>/<year>/_год/`
  once that year is over (today is in a later year): until then the book is still being written.
- A document whose inputs did not change is left alone: an unchanged run changes no byte.
- A changed document is filed as the next version beside the old one («… (версия 2).docx»). In a
  group marked signed it may change only when the group workbook gives «Основание исправления»,
  which is recorded on the new version; otherwise nothing at all is filed and the run stops.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive import signing
from pipeline.archive.bag import archive_lock, bag_writer, foreign_files, read_bag_info, recover
from pipeline.archive.index import index_name, write_index, years
from pipeline.archive.integrity import Damage, bag_damage, damage_message
from pipeline.archive.labels import labels_name, write_labels
from pipeline.archive.names import YEAR_FOLDER, folder_names, nfc, printable, unique_payload_name
from pipeline.archive.retention import destroy_not_before
from pipeline.archive.scans import SCANS, document_of, group_scans
from pipeline.archive.settled import SettledArchive
from pipeline.carriers.registry import RenderedDocument
from pipeline.core.dataset import Dataset, Group
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import inside, safe_component
from pipeline.core.problems import Problem
from pipeline.core.progress import progress

GROUP_SHEET = "Группа"
SIGNED_COLUMN = "Документы подписаны"


@dataclass(frozen=True)
class FiledDocument:
    """One document the run looked at, and where it lives in the archive."""
    doc_id: str
    title: str
    path: str
    """Relative to the archive root, with «/»."""
    version: int
    reason: str = ""
    """The correction recorded on a new version of a signed document; what changed otherwise."""


@dataclass
class ArchiveReport:
    """What filing did: new, unchanged and new-version documents, what waits, and what stopped it."""
    new: list[FiledDocument] = field(default_factory=list)
    unchanged: list[FiledDocument] = field(default_factory=list)
    new_versions: list[FiledDocument] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    destroyed: list[FiledDocument] = field(default_factory=list)
    """Documents the build still renders although an act destroyed them; not filed again."""
    recovered: list[str] = field(default_factory=list)
    marked_signed: list[FiledDocument] = field(default_factory=list)
    """Versions the archive now records as signed (the group workbook says «Документы подписаны: да»)."""
    scans: list[FiledDocument] = field(default_factory=list)
    """Scans of signed originals filed from input/scans/ (pipeline.archive.scans)."""
    scans_not_filed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    """Files in bags that no manifest lists (relative to the archive): kept, never deleted, reported."""
    problems: list[Problem] = field(default_factory=list)
    settled: int = 0
    """Documents the last run found unchanged, told again without reading a bag (pipeline.archive.settled)."""

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def lines(self) -> list[tuple[str, bool]]:
        """Give the summary as (line, loud) pairs; loud lines are new versions and problems."""
        out = [(f"Архив: восстановлено после прерванного запуска — {r}", True) for r in self.recovered]
        out.append((
            f"Архив: новых документов {len(self.new)}, без изменений {len(self.unchanged) + self.settled}, "
            f"новых версий {len(self.new_versions)}, ждут закрытия группы или года {len(self.waiting)}.",
            False,
        ))
        for d in self.new_versions:
            why = f" Основание: {d.reason}." if d.reason else ""
            out.append((f"НОВАЯ ВЕРСИЯ {d.version}: {d.title} → {d.path}.{why} Прежние версии сохранены.", True))
        out += [(f"Не подшит повторно (уничтожен по акту): {d.title}", False) for d in self.destroyed]
        out += [(f"Отмечен в архиве как подписанный: {d.title} (версия {d.version}) — отметку не отменит "
                 "и снятая галочка «Документы подписаны».", False) for d in self.marked_signed]
        for d in self.scans:
            version = f" (версия {d.version})" if d.version > 1 else ""
            out.append((f"Подшит скан{version}: {d.title} → {d.path}", False))
        out += [(f"Скан не подшит: {line}", True) for line in self.scans_not_filed]
        out += [(f"Архив: чужой файл {path} — не учтен в манифесте; сохранен как есть. Сканы кладите в "
                 "input/scans/<группа>/ (см. docs/archive.md), тогда они подшиваются с контрольной суммой.", True)
                for path in self.foreign]
        return out


@dataclass
class _Bag:
    year: int
    group: Group | None
    folder: Path
    existing: list[rec.Record]
    docs: list[RenderedDocument] = field(default_factory=list)
    additions: list[tuple[rec.Record, Path]] = field(default_factory=list)
    marks: set[tuple[str, int]] = field(default_factory=set)
    """(doc id, version) of versions to record as signed: current while the group is marked signed."""

    @property
    def writes(self) -> bool:
        return bool(self.additions or self.marks)


def _yes(flag: bool) -> str:
    return "да" if flag else "нет"


def _existing_folders(archive_root: Path) -> dict[tuple[int, str], str]:
    """Give {(year, group number): folder} for the bags already filed, so a folder never moves."""
    found: dict[tuple[int, str], str] = {}
    for year_dir in archive_root.iterdir() if archive_root.is_dir() else ():
        if not (year_dir.is_dir() and year_dir.name.isdigit()):
            continue
        for bag in year_dir.iterdir():
            number = read_bag_info(bag).get("Group-Number") if bag.is_dir() and not bag.name.startswith(".") else None
            if number:
                found[(int(year_dir.name), number)] = bag.name
    return found


def destination(dataset: Dataset, doc: RenderedDocument, today: dt.date) -> tuple[int, str | None] | str | None:
    """Give where filing puts a document: (year, group number, or None for the year's own folder); else the
    line telling why it waits (its group not completed, its year not over); None for a carrier not archived."""
    spec = doc.spec
    if not doc.carrier.archived:
        return None
    group = dataset.groups.get(spec.group) if spec.group else None
    if spec.group and (group is None or not group.completed):
        return f"{spec.title}: группа {spec.group} не завершена (нет приказа об окончании обучения)"
    year = group.year if group else spec.year
    if group is None and year >= today.year:
        return f"{spec.title}: {year} год еще не закончился"
    return year, group.number if group else None


def _assign_bags(dataset: Dataset, documents: list[RenderedDocument], archive_root: Path, today: dt.date,
                 report: ArchiveReport) -> list[_Bag]:
    existing = _existing_folders(archive_root)
    bags: dict[tuple[int, str | None], _Bag] = {}
    for doc in documents:
        key = destination(dataset, doc, today)
        if key is None:
            continue
        if isinstance(key, str):
            report.waiting.append(key)
            continue
        if key not in bags:
            year, number = key
            bags[key] = _Bag(year, dataset.groups[number] if number else None, Path(), [])
        bags[key].docs.append(doc)
    for year in sorted({y for y, _ in bags}):
        taken = {name for (y, _), name in existing.items() if y == year}
        filed = {g: existing.get((y, printable(g))) for (y, g) in bags if y == year and g}
        new = folder_names([g for g, name in filed.items() if name is None], {YEAR_FOLDER, *taken})
        for (y, number), bag in bags.items():
            if y == year:
                name = YEAR_FOLDER if number is None else filed[number] or new[number]
                bag.folder = archive_root / str(year) / name
                inside(archive_root, bag.folder)
                bag.existing = rec.read_documents(bag.folder)
    return [bags[k] for k in sorted(bags, key=lambda k: (k[0], k[1] or ""))]


def _record(dataset: Dataset, doc: RenderedDocument, bag: _Bag, version: int, name: str,
            today: dt.date, correction: str = "") -> rec.Record:
    spec, carrier = doc.spec, doc.carrier
    rule = dataset.nomenclature.get(carrier.case_key)
    learner = dataset.learners.get(spec.learner_id) if spec.learner_id else None
    until = destroy_not_before(bag.year, rule)
    group = bag.group
    return rec.Record(
        doc_id=spec.doc_id, version=version, file=f"data/{name}", status=rec.KEPT,
        carrier=carrier.key, carrier_title=carrier.title, title=spec.title,
        date=spec.date.isoformat() if spec.date else "",
        case_index=rule.case_index if rule else "", case_title=rule.case_title if rule else "",
        retention=rule.retention_text if rule else "нет в номенклатуре",
        retention_years="" if rule is None or rule.retention_years is None else str(rule.retention_years),
        article=(rule.article or "") if rule else "", epk=_yes(bool(rule and rule.epk)),
        approved=_yes(bool(rule and rule.approved)), closing_year=bag.year,
        destroy_not_before=until.isoformat() if until else "",
        sha256=doc.sha256, inputs_hash=doc.inputs_hash,
        sources="; ".join(f"{s}={dataset.source_hashes.get(s, '')}" for s in sorted(spec.sources)),
        signed=_yes(bool(group and group.signed and carrier.signed)),
        correction=correction,
        filed_on=today.isoformat(), learner_id=spec.learner_id or "",
        learner_name=learner.person.full_name if learner else "", disposal_act="",
        first_date=spec.first_date.isoformat() if spec.first_date else "", entries=str(spec.entries or ""),
    )


def _changed_sources(dataset: Dataset, doc: RenderedDocument, prev: rec.Record) -> list[str]:
    before = prev.source_map
    now = {s: dataset.source_hashes.get(s, "") for s in doc.spec.sources}
    return sorted(s for s in set(before) | set(now) if before.get(s) != now.get(s))


def _plan(dataset: Dataset, bag: _Bag, today: dt.date, report: ArchiveReport) -> None:
    latest = rec.latest(bag.existing)
    # A new name is checked against the files present too, not only the records: no write may ever
    # replace a file in the bag (a damaged list, a scan staff dropped into data/).
    taken = {r.file[len("data/"):].casefold() for r in bag.existing}
    present: set[str] | None = None
    base = bag.folder.relative_to(bag.folder.parent.parent).as_posix()
    group = bag.group
    for doc in sorted(bag.docs, key=lambda d: d.spec.doc_id):
        spec, prev = doc.spec, latest.get(doc.spec.doc_id)
        signs = group is not None and group.signed and doc.carrier.signed
        correction = ""
        if prev is not None:
            filed = FiledDocument(spec.doc_id, spec.title, f"{base}/{prev.file}", prev.version)
            if not prev.kept:
                report.destroyed.append(filed)
                continue
            frozen = group is not None and doc.carrier.signed and (
                group.signed or signing.signed_in_archive(bag.existing, spec.doc_id))
            if (prev.inputs_hash == doc.inputs_hash or prev.sha256 == doc.sha256
                    or (frozen and signing.same_text(bag.folder / prev.file, Path(doc.path)))):
                report.unchanged.append(filed)
                if signs and prev.signed != signing.YES:
                    bag.marks.add((prev.doc_id, prev.version))
                    report.marked_signed.append(filed)
                continue
            if frozen:
                problem = _frozen_problem(dataset, doc, prev, group, bag, filed)
                if problem is not None:
                    report.problems.append(problem)
                    continue
                correction = group.correction or ""
        version = prev.version + 1 if prev else 1
        if present is None:
            present = _present(bag.folder)
            taken |= present
        name = _claim_name(base, spec.file_name, version, spec.doc_id, taken)
        record = _record(dataset, doc, bag, version, name, today, correction)
        bag.additions.append((record, Path(doc.path)))
        filed = FiledDocument(spec.doc_id, spec.title, f"{base}/{record.file}", version, record.correction)
        (report.new_versions if prev else report.new).append(filed)


def _claim_name(base: str, file_name: str, version: int, doc_id: str, taken: set[str]) -> str:
    """Give the payload name of a new version that no record or file of the bag holds, and take it."""
    name = unique_payload_name(file_name, version, doc_id, taken)
    if name.casefold() in taken:  # the tagged name too: never replace a file, stop instead
        raise UchetError(f"Папка архива «{base}»: имя «{name}» уже занято. В архив ничего не записано; "
                         "выполните «uchet verify».")
    taken.add(name.casefold())
    return name


def _frozen_problem(dataset: Dataset, doc: RenderedDocument, prev: rec.Record, group: Group, bag: _Bag,
                    filed: FiledDocument) -> Problem | None:
    """Why a signed document may not change now (no basis, or a basis already spent), or None."""
    changed = _changed_sources(dataset, doc, prev)
    # Blame the workbook that was edited: a learner's data live in learners.xlsx, not in the group's book.
    blame = group.file if group.file in changed or not changed else changed[0]
    where = dict(file=blame, sheet=GROUP_SHEET if blame == group.file else None, row=None,
                 column=SIGNED_COLUMN if blame == group.file else None)
    params = {"document": doc.spec.title, "path": filed.path, "group_file": group.file,
              "changed": ", ".join(changed) or "шаблон или правила оформления",
              "why": "группа отмечена «Документы подписаны: да»" if group.signed else
                     "в архиве он отмечен подписанным (снятая отметка «Документы подписаны» подпись не отменяет)"}
    if not group.correction:
        return Problem(**where, code="archive_signed_changed", value=doc.spec.title, params=params)
    uses = signing.basis_uses(bag.existing, group.correction)
    if uses:
        covered = "; ".join(f"{r.title} (версия {r.version})" for r in uses[:5]) + ("…" if len(uses) > 5 else "")
        return Problem(**where, code="archive_basis_used", value=group.correction,
                       params=params | {"basis": group.correction, "used_on": uses[0].filed_on, "covered": covered})
    return None


def _plan_scans(dataset: Dataset, bag: _Bag, scans_dir: Path | None, today: dt.date, report: ArchiveReport) -> None:
    """Add the group's new or changed scans (input/scans/<группа>/) to the bag, next to their documents."""
    if bag.group is None:
        return
    scans = group_scans(scans_dir, bag.group.number)
    if not scans:
        return
    latest = rec.latest([*bag.existing, *(r for r, _ in bag.additions)])
    taken = ({r.file[len("data/"):].casefold() for r in bag.existing} | _present(bag.folder)
             | {r.file[len("data/"):].casefold() for r, _ in bag.additions})
    base = bag.folder.relative_to(bag.folder.parent.parent).as_posix()
    for scan in scans:
        doc = document_of(scan, bag.docs)
        if doc is None:
            report.scans_not_filed.append(
                f"{scan.source} — нет документа группы, с имени которого начинается имя скана. Назовите скан так же, "
                f"как документ в output/build/ (можно добавить в конце, например, « стр. 2»)")
            continue
        current = latest.get(doc.spec.doc_id)
        if current is None or not current.kept:
            report.scans_not_filed.append(f"{scan.source} — документ «{doc.spec.title}» не хранится в архиве")
            continue
        scan_id = f"{doc.spec.doc_id}/скан/{scan.name}"
        prev = latest.get(scan_id)
        if prev is not None and prev.sha256 == scan.sha256:
            continue
        version = prev.version + 1 if prev else 1
        name = _claim_name(base, scan.name, version, scan_id, taken)
        title = f"Скан подписанного экземпляра: {current.title} (версия {current.version})"
        record = dataclasses.replace(
            _record(dataset, doc, bag, version, name, today), title=title,
            doc_id=scan_id, sha256=scan.sha256, inputs_hash="", sources=f"{scan.source}={scan.sha256}",
            signed="да", date=current.date,
        )
        bag.additions.append((record, scan.path))
        report.scans.append(FiledDocument(scan_id, title, f"{base}/{record.file}", version))


def _unclaimed_scans(scans_dir: Path | None, bags: list[_Bag], report: ArchiveReport) -> None:
    """Name the scan folders of groups that are not (yet) filed: nothing of theirs is lost, it waits."""
    if scans_dir is None or not scans_dir.is_dir():
        return
    known = {name for bag in bags if bag.group for name in (bag.group.number, safe_component(bag.group.number))}
    for folder in sorted(scans_dir.iterdir()):
        if folder.is_dir() and folder.name not in known and any(folder.iterdir()):
            report.scans_not_filed.append(f"{SCANS}/{folder.name}/ — группа не найдена или еще не завершена "
                                          "(сканы подошьются, когда группа попадет в архив)")


def _present(folder: Path) -> set[str]:
    """Give the casefolded NFC names of every file under the bag's data/ (relative to data/)."""
    data = folder / "data"
    if not data.is_dir():
        return set()
    return {nfc(os.path.relpath(os.path.join(folder, name), data).replace(os.sep, "/")).casefold()
            for folder, _, names in os.walk(data) for name in names}


def _learners(dataset: Dataset, bag: _Bag) -> list[rec.LearnerRow]:
    groups = [bag.group] if bag.group else [g for g in dataset.groups.values() if g.year == bag.year and g.completed]
    rows = []
    for group in groups:
        for m in group.members:
            learner = dataset.learners.get(m.learner_id)
            if learner is not None:
                rows.append(rec.LearnerRow(learner.id, learner.person.full_name, learner.snils, group.number))
    return rows


def _bag_info(dataset: Dataset, bag: _Bag, records: list[rec.Record]) -> dict[str, str]:
    org = dataset.organization
    dates = sorted(r.date for r in records if r.date)
    info = {"Source-Organization": org.full_name, "Organization-Address": org.address}
    group = bag.group
    if group is not None:
        program = dataset.programs.get(group.program_code)
        program_name = f"{program.kind_title} «{program.name}»" if program else group.program_code
        start, end = group.start.isoformat(), group.end.isoformat()
        info |= {
            "External-Identifier": f"{bag.year}/{group.number}",
            "External-Description": f"Документы группы {group.number}: {program_name}",
            "Group-Number": group.number,
            "Program": f"{group.program_code} {program.name if program else ''}".strip(),
        }
    else:
        start, end = (dates[0], dates[-1]) if dates else (f"{bag.year}-01-01", f"{bag.year}-12-31")
        info |= {
            "External-Identifier": f"{bag.year}/{YEAR_FOLDER}",
            "External-Description": f"Документы за {bag.year} год (книги и журналы за год)",
        }
    info |= {
        "Archive-Year": str(bag.year),
        "Start-Date": start,
        "End-Date": end,
        # From the data, never the clock: a rerun must not change a byte of the bag.
        "Bagging-Date": max([end, *dates]),
        "Bag-Software-Agent": "uchet",
    }
    return info


def _write(dataset: Dataset, bag: _Bag, write) -> None:
    existing = [dataclasses.replace(r, signed=signing.YES) if (r.doc_id, r.version) in bag.marks else r
                for r in bag.existing]
    records = [*existing, *(r for r, _ in bag.additions)]
    payload: dict[str, tuple[Path, str | None]] = {
        r.file[len("data/"):]: (bag.folder / r.file, r.sha256) for r in bag.existing if r.kept
    }
    for r, src in bag.additions:
        payload[r.file[len("data/"):]] = (src, r.sha256)
    tags = {
        rec.DOCUMENTS: rec.documents_bytes(records),
        rec.LEARNERS: rec.learners_bytes(_learners(dataset, bag)),
    }
    write(bag.folder, _bag_info(dataset, bag, records), payload, tags)


def archive_documents(dataset: Dataset, documents: list[RenderedDocument], archive_root: Path, *,
                      today: dt.date, scans_dir: Path | None = None,
                      settled: SettledArchive | None = None) -> ArchiveReport:
    """File the documents of completed groups (and closed years) into the archive; give what was done.

    When a signed document changed without a recorded reason, nothing is written and the report
    carries the problems (exit 1). Otherwise the index and the labels are refreshed too.
    `settled`: the key of these inputs (pipeline.archive.settled); when the last run that wrote nothing had
    it, on the archive as it is now, its report is given again (`settled.replayed`) and no bag is read.
    """
    report = ArchiveReport()
    with archive_lock(archive_root):
        replay = settled.recall(archive_root) if settled is not None else None
        if replay is not None:
            return ArchiveReport(settled=replay.unchanged, waiting=settled.waiting,
                                 destroyed=[FiledDocument(*d) for d in replay.destroyed],
                                 scans_not_filed=replay.scans_not_filed)
        report.recovered = recover(archive_root)
        bags = _assign_bags(dataset, documents, archive_root, today, report)
        for bag in bags:
            _plan(dataset, bag, today, report)
            _plan_scans(dataset, bag, scans_dir, today, report)
        _unclaimed_scans(scans_dir, bags, report)
        if not report.ok:
            for done in (report.new, report.new_versions, report.marked_signed, report.scans):
                done.clear()
            return report
        _check_before_writing(bags, archive_root, report)
        stale = _stale_views(archive_root)  # before writing: the bags written now are newer than every view
        writing = [bag for bag in bags if bag.writes]
        with progress("Подшивка в архив", len(writing), what="папка") as advance, bag_writer(archive_root) as write:
            for bag in writing:
                _write(dataset, bag, write)
                advance(1)
        # Only the years written into, or whose views are behind their bags, are looked at: a one-group
        # edit does not read the other years' lists. What recover() settled may be in any year.
        only = None if report.recovered else stale | {str(bag.year) for bag in writing}
        targets = [year.name for year in years(archive_root, only)]
        _write_views(archive_root, targets)
        if settled is not None:
            settled.filed(archive_root, wrote=bool(report.recovered or writing or targets))
    return report


def _write_views(archive_root: Path, targets: list[str]) -> None:
    """Write the index and the labels of each year in targets (each only if its content changed).

    A year of a large archive takes seconds (50,000 learners: about 23,000 index rows a year), so
    the years are shown as a stage of their own.
    """
    with progress("Опись и ярлыки архива", len(targets), what="год") as advance:
        for year in targets:
            write_index(archive_root, {year})
            write_labels(archive_root, {year})
            advance(1)


def _check_before_writing(bags: list[_Bag], archive_root: Path, report: ArchiveReport) -> None:
    """Refuse to write into a bag that is not as its manifests say; note the foreign files it keeps.

    Only the bags about to be written are looked at, in full (tag files and payload): the rebuild trusts
    their documents.csv. Looking into all 400 bags on every run would cost a one-group edit half a
    second; `uchet verify` looks at every bag.
    """
    stop: list[Damage] = []
    for bag in bags:
        if not (bag.writes and bag.folder.is_dir()):
            continue
        rel = bag.folder.relative_to(archive_root).as_posix()
        stop += bag_damage(bag.folder, archive_root)
        report.foreign += [f"{rel}/{name}" for name in foreign_files(bag.folder)]
    if stop:
        raise UchetError(damage_message(stop))


def _stale_views(archive_root: Path) -> set[str]:
    """Give the years whose index or labels file is missing or older than one of their bags' own files.

    Reading every bag's lists costs a large archive a second, so a run that filed nothing leaves the
    views alone unless something else changed a bag since they were written.
    """
    out = set()
    for year in years(archive_root):
        try:
            written = min((archive_root / name).stat().st_mtime_ns
                          for name in (index_name(year.name), labels_name(year.name)))
        except OSError:  # a view is missing
            out.add(year.name)
            continue
        if _has_file_newer(year, written):
            out.add(year.name)
    return out


def _has_file_newer(year: Path, than_ns: int) -> bool:
    """Tell whether a file in a folder of `year` (a bag's own files) was changed after `than_ns`.

    os.scandir rather than Path.glob: 16,000 files at 400 groups, where pathlib's objects cost 0.05 s of every run.
    """
    with os.scandir(year) as folders:
        for folder in folders:
            if not folder.is_dir():
                continue
            with os.scandir(folder.path) as files:
                if any(f.is_file() and f.stat().st_mtime_ns > than_ns for f in files):
                    return True
    return False
