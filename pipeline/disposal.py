"""Disposal: the act listing expired cases (`uchet disposal`) and carrying out an approved act (`uchet dispose`).

An act lists cases (case index × year) whose every document's term ended by 1 January of the act's
year (see retention.expired). Cases whose номенклатура row still «требует решения ЭК» are never put
into an act silently: they are listed apart, for the commission to decide first. The act is written
twice: `acts/act-N.docx` for the commission to sign, and `acts/act-N.json`, the exact files it covers.
`dispose` removes exactly those files, leaves a tombstone row in each bag's document list and in the
index, rebuilds the bags' manifests and appends to the disposal register, which is never deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from pipeline.archive import records as rec
from pipeline.archive.bag import archive_lock, read_bag_info, recover, sha256_file, write_bag
from pipeline.archive.index import bags, write_index
from pipeline.errors import UchetError
from pipeline.fsutil import atomic_write_bytes, inside
from pipeline.retention import expired, retention_label
from pipeline.stable import FIXED_TIME, stable_zip, write_if_changed

ACTS = "acts"
REGISTER = "disposal_register"
REGISTER_FIELDS = ("act", "act_date", "executed_on", "case_index", "year", "case_title", "path", "doc_id", "version",
                   "title", "sha256")
REGISTER_HEADERS = ("Акт №", "Дата акта", "Уничтожено", "Индекс дела", "Год", "Заголовок дела", "Файл",
                    "Ид. документа", "Версия", "Документ", "SHA-256")


@dataclass
class Case:
    """One case of an act: a case index in one year, with every document filed under it."""

    case_index: str
    year: int
    title: str
    retention: str
    groups: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)


@dataclass
class Act:
    number: int
    date: dt.date
    organization: str
    cases: list[Case]
    needs_decision: list[Case]

    @property
    def label(self) -> str:
        return f"№ {self.number} от {self.date.strftime('%d.%m.%Y')}"


def _cases(archive_root: Path, as_of: dt.date) -> tuple[list[Case], list[Case], str]:
    ready: dict[tuple[str, int], Case] = {}
    pending: dict[tuple[str, int], Case] = {}
    organization = ""
    for bag in bags(archive_root):
        info = read_bag_info(bag)
        organization = organization or info.get("Source-Organization", "")
        folder = bag.relative_to(archive_root).as_posix()
        for r in rec.read_documents(bag):
            until = dt.date.fromisoformat(r.destroy_not_before) if r.destroy_not_before else None
            if not r.kept or not expired(until, as_of):
                continue
            target = ready if r.approved == "да" else pending
            case = target.setdefault((r.case_index, r.closing_year), Case(
                r.case_index, r.closing_year, r.case_title or r.carrier_title,
                retention_label(r.retention, r.article, r.epk == "да")))
            group = info.get("Group-Number", "")
            if group and group not in case.groups:
                case.groups.append(group)
            case.documents.append({"bag": folder, "file": r.file, "doc_id": r.doc_id, "version": r.version,
                                   "title": r.title, "sha256": r.sha256, "epk": r.epk == "да"})
    return [ready[k] for k in sorted(ready)], [pending[k] for k in sorted(pending)], organization


def _next_number(archive_root: Path) -> int:
    numbers = [int(p.stem.split("-")[1]) for p in (archive_root / ACTS).glob("act-*.json")
               if p.stem.split("-")[1].isdigit()]
    return max(numbers, default=0) + 1


def _act_json(act: Act) -> bytes:
    def case(c: Case) -> dict:
        return {"case_index": c.case_index, "year": c.year, "title": c.title, "retention": c.retention,
                "groups": c.groups, "documents": c.documents}

    data = {"number": act.number, "date": act.date.isoformat(), "organization": act.organization,
            "cases": [case(c) for c in act.cases], "needs_decision": [case(c) for c in act.needs_decision]}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def read_act(archive_root: Path, number: int) -> Act:
    path = archive_root / ACTS / f"act-{number}.json"
    if not path.is_file():
        raise UchetError(f"Акт № {number} не найден ({path}). Акты составляет команда «uchet disposal --as-of ДАТА».")
    data = json.loads(path.read_text(encoding="utf-8"))

    def case(c: dict) -> Case:
        return Case(c["case_index"], c["year"], c["title"], c["retention"], c["groups"], c["documents"])

    return Act(data["number"], dt.date.fromisoformat(data["date"]), data["organization"],
               [case(c) for c in data["cases"]], [case(c) for c in data["needs_decision"]])


def prepare_act(archive_root: Path, as_of: dt.date) -> tuple[Act, Path | None]:
    """List the cases whose term has expired by as_of; write act-N.docx and act-N.json when there are any.

    Deletes nothing. Gives the act and the path of its DOCX (None when no case has expired).
    """
    from pipeline.disposal_act import act_docx

    with archive_lock(archive_root):
        recover(archive_root)
        ready, pending, organization = _cases(archive_root, as_of)
        act = Act(_next_number(archive_root), as_of, organization, ready, pending)
        if not ready:
            return act, None
        folder = archive_root / ACTS
        docx_path = folder / f"act-{act.number}.docx"
        inside(archive_root, docx_path)
        atomic_write_bytes(folder / f"act-{act.number}.json", _act_json(act))
        atomic_write_bytes(docx_path, act_docx(act))
    return act, docx_path


@dataclass
class DisposeReport:
    act: Act
    removed: list[str] = field(default_factory=list)
    """Paths relative to the archive root, removed now (or, without --confirm, that would be)."""
    already: list[str] = field(default_factory=list)
    confirmed: bool = False


def _register_rows(archive_root: Path) -> list[dict[str, str]]:
    path = archive_root / f"{REGISTER}.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_register(archive_root: Path, rows: list[dict[str, str]]) -> None:
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=REGISTER_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    write_if_changed(archive_root / f"{REGISTER}.csv", buf.getvalue().encode("utf-8-sig"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Реестр уничтожения"
    ws.append(REGISTER_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, 2):
        for c, key in enumerate(REGISTER_FIELDS, 1):
            cell = ws.cell(r, c)
            cell.value = row.get(key, "")
            cell.data_type = "s"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:K{len(rows) + 1}"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    out = io.BytesIO()
    wb.save(out)
    write_if_changed(archive_root / f"{REGISTER}.xlsx", stable_zip(out.getvalue()))


def dispose(archive_root: Path, number: int, *, confirm: bool, today: dt.date) -> DisposeReport:
    """Remove exactly the files of act N (only with confirm), leaving tombstones; give what was (or would be) removed.

    A file whose bytes differ from the hash the act recorded stops the whole act before anything is
    removed: the commission approved that file, not another one.
    """
    from pipeline.labels import write_labels

    act = read_act(archive_root, number)
    report = DisposeReport(act, confirmed=confirm)
    with archive_lock(archive_root):
        recover(archive_root)
        by_bag: dict[str, list[tuple[Case, dict]]] = defaultdict(list)
        for case in act.cases:
            for doc in case.documents:
                by_bag[doc["bag"]].append((case, doc))
        plans = []
        # Files an earlier act destroyed: listed here too when both acts were drawn before either was
        # carried out, but the register records each file once, under the act that destroyed it.
        other_act: set[str] = set()
        for folder, items in sorted(by_bag.items()):
            bag = archive_root / folder
            inside(archive_root, bag)
            records = rec.read_documents(bag)
            index = {(r.doc_id, r.version): r for r in records}
            gone = set()
            for _case, doc in items:
                r = index.get((doc["doc_id"], doc["version"]))
                path = f"{folder}/{doc['file']}"
                if r is None or not r.kept:
                    report.already.append(path)
                    if r is None or r.disposal_act != act.label:
                        other_act.add(path)
                    continue
                if not (bag / r.file).is_file() or sha256_file(bag / r.file) != doc["sha256"]:
                    raise UchetError(f"Файл «{path}» отличается от указанного в акте № {number}. "
                                     "Ничего не удалено: выполните «uchet verify» и составьте новый акт.")
                gone.add((r.doc_id, r.version))
                report.removed.append(path)
            plans.append((bag, records, gone, items))
        if not confirm:
            return report
        for bag, records, gone, _ in plans:
            if gone:
                _rebuild_without(archive_root, bag, records, gone, act)
        rows = _register_rows(archive_root)
        seen = {(r["act"], r["path"]) for r in rows}
        for bag, _, _, items in plans:
            for case, doc in items:
                path = f"{bag.relative_to(archive_root).as_posix()}/{doc['file']}"
                if (str(number), path) not in seen and path not in other_act:
                    rows.append({"act": str(number), "act_date": act.date.isoformat(), "executed_on": today.isoformat(),
                                 "case_index": case.case_index, "year": str(case.year), "case_title": case.title,
                                 "path": path, "doc_id": doc["doc_id"], "version": str(doc["version"]),
                                 "title": doc["title"], "sha256": doc["sha256"]})
        _write_register(archive_root, rows)
        write_index(archive_root)
        write_labels(archive_root)
    return report


def _rebuild_without(archive_root: Path, bag: Path, records: list[rec.Record], gone: set, act: Act) -> None:
    new_records = [r.destroyed(f"{act.label}") if (r.doc_id, r.version) in gone else r for r in records]
    payload = {r.file[len("data/"):]: (bag / r.file, r.sha256) for r in new_records if r.kept}
    info = {k: v for k, v in read_bag_info(bag).items() if k != "Payload-Oxum"}
    if any(r.kept for r in new_records):
        learners = (bag / rec.LEARNERS).read_bytes() if (bag / rec.LEARNERS).is_file() else b""
    else:
        # The last document of the folder is gone: the learners' personal data (ФИО, СНИЛС) kept for
        # search goes with it (152-ФЗ: data is not kept longer than the purpose needs).
        learners = rec.learners_bytes([])
    tags = {rec.DOCUMENTS: rec.documents_bytes(new_records), rec.LEARNERS: learners}
    write_bag(bag, archive_root, info, payload, tags)


__all__ = ["Act", "Case", "DisposeReport", "dispose", "prepare_act", "read_act"]
