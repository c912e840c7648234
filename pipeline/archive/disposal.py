"""Disposal: the act listing expired cases (`uchet disposal`) and carrying out an approved act (`uchet dispose`).

An act lists cases (case index × year) whose every document's term ended by 1 January of the act's
year (see retention.expired). Cases whose номенклатура row still «требует решения ЭК» are never put
into an act silently: they are listed apart, for the commission to decide first. The act is written
twice: `acts/act-N.docx` for the commission to sign, and `acts/act-N.json`, the exact files it covers.
`dispose` removes exactly those files, leaves a tombstone row in each bag's document list and in the
index, rebuilds the bags' manifests and appends to the disposal register, which is never deleted.

Guards, because destruction cannot be undone:
- `dispose` carries out only an act a протокол of the expert commission approves, recorded on «Заседания ЭК»
  (pipeline.archive.expert: dated on or after the act and not after today, held by a composition appointed
  before it); documents naming learners get an «акт об уничтожении персональных данных» (pipeline.archive.pd_act);
- neither command takes a date after today's clock: an act is drawn up for cases already expired, and
  `dispose` removes only documents whose own «уничтожить не ранее» has come;
- the act's file list has a SHA-256 (printed in the signed act) and every act file and the register are
  kept in `acts/tagmanifest-sha256.txt`, written last: an act edited after it was drawn up (say, a
  permanently kept order added to act-N.json) is refused, and `uchet verify` reports it;
- `dispose` writes its intent (`acts/.dispose-N.json`) before it removes anything and deletes it last;
  the next archive command finishes such an interrupted act. An act whose files were written but never
  entered in the tag manifest (an interrupted `disposal`) is rolled back: it was never reported to staff.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.archive import records as rec
from pipeline.archive.bag import archive_lock, read_bag_info, read_manifest, recover, sha256_file, write_bag
from pipeline.archive.disposal_act import act_docx
from pipeline.archive.expert import ExpertMeeting, ExpertRecord, approving_meeting, refusal
from pipeline.archive.index import bags, write_index
from pipeline.archive.labels import write_labels
from pipeline.archive.pd_act import Carrier, PdAct, PdFacts, pd_act_docx
from pipeline.archive.retention import expired, retention_label
from pipeline.core import ru, xlsx_writer
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import atomic_write_bytes, inside
from pipeline.core.stable import write_if_changed
from pipeline.core.xlsx_safe import csv_text, csv_value
from pipeline.paper.renditions import read_list

if TYPE_CHECKING:
    from pipeline.archive.act_people import ActPeople

ACTS = "acts"
ACTS_MANIFEST = "tagmanifest-sha256.txt"
"""In acts/: SHA-256 of every act file and of the register, paths relative to the archive root."""
DRAFT = ".disposal-{number}.json"
"""In acts/: written before `disposal` writes act N, deleted once the act is in the tag manifest."""
INTENT = ".dispose-{number}.json"
"""In acts/: written before `dispose` removes anything, deleted once the act is fully carried out."""
NBSP = "\u00a0"
REGISTER = "disposal_register"
REGISTER_FIELDS = ("act", "act_date", "executed_on", "case_index", "year", "case_title", "path", "doc_id", "version",
                   "title", "sha256")
REGISTER_HEADERS = ("Акт №", "Дата акта", "Уничтожено", "Индекс дела", "Год", "Заголовок дела", "Файл",
                    "Ид. документа", "Версия", "Документ", "SHA-256")
REGISTER_WIDTHS = (7, 11, 11, 10, 6, 30, 40, 22, 7, 30, 22)


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

    @property
    def list_sha256(self) -> str:
        """SHA-256 of the act's file list: one line «sha256  year/group/data/file» per document, sorted."""
        return list_sha256(self.cases)


def list_sha256(cases: list[Case]) -> str:
    lines = sorted(f"{d['sha256']}  {d['bag']}/{d['file']}\n" for c in cases for d in c.documents)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def clock_today() -> dt.date:
    """Today by the computer's clock: no date given on the command line may lie after it."""
    return dt.date.today()


def _not_after_today(day: dt.date, what: str) -> None:
    today = clock_today()
    if day > today:
        raise UchetError(f"{what} {day.strftime('%d.%m.%Y')} позже сегодняшней даты ({today.strftime('%d.%m.%Y')}). "
                         "Уничтожать можно только документы, срок хранения которых уже истек: укажите сегодняшнюю "
                         "или прошедшую дату. Ничего не изменено.")


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
            "list_sha256": act.list_sha256,
            "cases": [case(c) for c in act.cases], "needs_decision": [case(c) for c in act.needs_decision]}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _act_path(archive_root: Path, number: int) -> Path:
    return archive_root / ACTS / f"act-{number}.json"


def load_act_file(path: Path) -> tuple[Act, str]:
    """Give the act in an act-N.json and the list hash it recorded."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def case(c: dict) -> Case:
        return Case(c["case_index"], c["year"], c["title"], c["retention"], c["groups"], c["documents"])

    act = Act(data["number"], dt.date.fromisoformat(data["date"]), data["organization"],
              [case(c) for c in data["cases"]], [case(c) for c in data["needs_decision"]])
    return act, data.get("list_sha256", "")


def read_act(archive_root: Path, number: int) -> Act:
    """Give act N as it was drawn up; refuse one missing, unregistered or changed since."""
    path = _act_path(archive_root, number)
    if not path.is_file():
        raise UchetError(f"Акт № {number} не найден ({path}). Акты составляет команда «uchet disposal --as-of ДАТА».")
    rel = path.relative_to(archive_root).as_posix()
    recorded = read_acts_manifest(archive_root).get(rel)
    try:
        act, listed = load_act_file(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise UchetError(f"Файл акта «{path}» поврежден или изменен вручную: ничего не удалено. Восстановите его "
                         "из резервной копии архива или составьте новый акт.") from exc
    # An act drawn up before acts carried their list hash has none: the tag manifest alone vouches for it.
    if recorded is None or sha256_file(path) != recorded or listed not in ("", act.list_sha256) or act.number != number:
        raise UchetError(
            f"Список файлов акта № {number} изменен после составления акта ({path} не совпадает с контрольной "
            f"суммой в {ACTS}/{ACTS_MANIFEST}). Ничего не удалено: исполнить можно только тот список, который "
            "подписала экспертная комиссия. Восстановите файл акта из резервной копии или составьте новый акт.")
    return act


# --- the tag manifest of acts/ --------------------------------------------------------------------


def read_acts_manifest(archive_root: Path) -> dict[str, str]:
    return read_manifest(archive_root / ACTS / ACTS_MANIFEST)


def _write_acts_manifest(archive_root: Path, entries: dict[str, str]) -> None:
    text = "".join(f"{entries[name]}  {name}\n" for name in sorted(entries))
    write_if_changed(archive_root / ACTS / ACTS_MANIFEST, text.encode("utf-8"))


def record_in_manifest(archive_root: Path, paths: list[Path]) -> None:
    """Record the SHA-256 of acts/ files and the register in acts/tagmanifest-sha256.txt (what verify checks)."""
    entries = read_acts_manifest(archive_root)
    for path in paths:
        rel = path.relative_to(archive_root).as_posix()
        if path.is_file():
            entries[rel] = sha256_file(path)
        else:
            entries.pop(rel, None)
    _write_acts_manifest(archive_root, entries)


def _act_files(archive_root: Path) -> list[Path]:
    return sorted(p for p in (archive_root / ACTS).glob("act-*.*") if p.suffix in (".json", ".docx"))


def settle(archive_root: Path, *, finish: bool = True) -> list[str]:
    """Finish an interrupted `dispose`, roll back an interrupted `disposal`; give a line per thing settled.

    Call with the archive lock held. finish=False leaves an interrupted `dispose` for the next command (the
    run that was just stopped with Ctrl-C must not go on destroying), and says so.
    """
    done: list[str] = []
    folder = archive_root / ACTS
    if not folder.is_dir():
        return done
    manifest = read_acts_manifest(archive_root)
    for draft in sorted(folder.glob(DRAFT.format(number="*"))):
        # Only the files of an act this program began and never registered go; anything else in acts/
        # that is not in the manifest is left where it is, for `verify` to report.
        number = draft.name.split("-")[1].split(".")[0]
        for path in (folder / f"act-{number}.docx", folder / f"act-{number}.json"):
            rel = path.relative_to(archive_root).as_posix()
            if path.is_file() and rel not in manifest:
                path.unlink()
                done.append(f"{rel}: удален незаконченный акт (составление акта было прервано; составьте его заново)")
        draft.unlink()
    acts = _act_files(archive_root)
    if not (folder / ACTS_MANIFEST).is_file() and acts:
        # Acts drawn up before the tag manifest existed: their hashes are recorded from now on.
        record_in_manifest(archive_root, acts + [archive_root / f"{REGISTER}.{k}" for k in ("csv", "xlsx")])
        done.append(f"{ACTS}: контрольные суммы ранее составленных актов записаны в {ACTS}/{ACTS_MANIFEST}")
    for intent in sorted(folder.glob(INTENT.format(number="*"))):
        data = json.loads(intent.read_text(encoding="utf-8"))
        if not finish:
            done.append(f"уничтожение по акту № {data['act']} прервано: его завершит следующая команда uchet")
            continue
        _execute(archive_root, read_act(archive_root, int(data["act"])), dt.date.fromisoformat(data["executed_on"]))
        done.append(f"акт № {data['act']}: завершено прерванное уничтожение документов")
    return done


def settle_if_needed(archive_root: Path) -> list[str]:
    """For commands that do not draw or carry out acts (the build): settle acts/ only when something is pending."""
    folder = archive_root / ACTS
    if not folder.is_dir():
        return []
    pending = any(folder.glob(INTENT.format(number="*"))) or any(folder.glob(DRAFT.format(number="*"))) or (
        not (folder / ACTS_MANIFEST).is_file() and any(_act_files(archive_root)))
    if not pending:
        return []
    with archive_lock(archive_root):
        recover(archive_root)
        return settle(archive_root)


# --- drawing up an act ----------------------------------------------------------------------------


def prepare_act(archive_root: Path, as_of: dt.date, people: ActPeople | None = None) -> tuple[Act, Path | None]:
    """List the cases whose term has expired by as_of; write act-N.docx and act-N.json when there are any.

    Deletes nothing. Gives the act and the path of its DOCX (None when no case has expired). `people`:
    the organisation's facts for the act (pipeline.archive.act_people.ActPeople); None leaves blanks.
    """

    _not_after_today(as_of, "Дата акта")
    with archive_lock(archive_root):
        recover(archive_root)
        settle(archive_root)
        ready, pending, organization = _cases(archive_root, as_of)
        act = Act(_next_number(archive_root), as_of, organization, ready, pending)
        if not ready:
            return act, None
        folder = archive_root / ACTS
        docx_path = folder / f"act-{act.number}.docx"
        json_path = folder / f"act-{act.number}.json"
        draft = folder / DRAFT.format(number=act.number)
        inside(archive_root, docx_path)
        atomic_write_bytes(draft, json.dumps({"act": act.number}).encode("utf-8"))
        atomic_write_bytes(docx_path, act_docx(act, people))
        atomic_write_bytes(json_path, _act_json(act))
        # Until the act is in the tag manifest, the next command rolls it back (the draft file says so).
        record_in_manifest(archive_root, [docx_path, json_path])
        draft.unlink()
    return act, docx_path


# --- carrying out an act --------------------------------------------------------------------------


@dataclass
class DisposeReport:
    act: Act
    removed: list[str] = field(default_factory=list)
    """Paths relative to the archive root, removed now (or, without --confirm, that would be)."""
    already: list[str] = field(default_factory=list)
    confirmed: bool = False
    settled: list[str] = field(default_factory=list)
    """What an earlier, interrupted command left and this one finished or rolled back."""
    approved_by: ExpertMeeting | None = None
    """The recorded ЭК meeting whose протокол approves the act (pipeline.archive.expert); None: not yet."""
    not_approved: str = ""
    """Without confirm: why the act cannot be carried out yet (the message --confirm would stop with)."""
    pd_act: Path | None = None
    """acts/act-N-pd.docx when documents with personal data were destroyed now."""


def _register_rows(archive_root: Path) -> list[dict[str, str]]:
    path = archive_root / f"{REGISTER}.csv"
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{k: csv_value(v or "") for k, v in row.items()} for row in csv.DictReader(fh)]


def register_rows(archive_root: Path) -> list[dict[str, str]]:
    """Give the rows of the disposal register (empty when nothing was ever destroyed)."""
    return _register_rows(archive_root)


def write_register(archive_root: Path, rows: list[dict[str, str]]) -> None:
    """Write the disposal register (CSV and xlsx) from its rows: one row per destroyed document, never removed."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=REGISTER_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    # Titles come from staff's workbooks: a title typed as «=…» must open in Excel as text (CSV injection).
    writer.writerows({k: csv_text(str(v)) for k, v in row.items()} for row in rows)
    write_if_changed(archive_root / f"{REGISTER}.csv", buf.getvalue().encode("utf-8-sig"))
    wb = xlsx_writer.new_workbook(keep_first_sheet=True)
    wb.active.title = "Реестр уничтожения"
    xlsx_writer.text_table(wb.active, tuple(zip(REGISTER_HEADERS, REGISTER_WIDTHS, strict=True)),
                           ([row.get(key, "") for key in REGISTER_FIELDS] for row in rows), wrap_text=True,
                           number_format=None)
    xlsx_writer.save_stable(wb, archive_root / f"{REGISTER}.xlsx")


@dataclass
class _Plan:
    bag: Path
    records: list[rec.Record]
    gone: set
    items: list[tuple[Case, dict]]


def _plan(archive_root: Path, act: Act, today: dt.date, report: DisposeReport) -> list[_Plan]:
    """Check every document of the act against its bag; give what to remove. Raises before anything is removed."""
    by_bag: dict[str, list[tuple[Case, dict]]] = defaultdict(list)
    for case in act.cases:
        for doc in case.documents:
            by_bag[doc["bag"]].append((case, doc))
    plans, early = [], []
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
                continue
            if not (bag / r.file).is_file() or sha256_file(bag / r.file) != doc["sha256"]:
                raise UchetError(f"Файл «{path}» отличается от указанного в акте № {act.number}. "
                                 "Ничего не удалено: выполните «uchet verify» и составьте новый акт.")
            until = dt.date.fromisoformat(r.destroy_not_before) if r.destroy_not_before else None
            if not expired(until, today):
                early.append((path, until, r.retention))
                continue
            gone.add((r.doc_id, r.version))
            report.removed.append(path)
        plans.append(_Plan(bag, records, gone, items))
    if early:
        raise UchetError(_not_yet_due(act, today, early))
    return plans


def _not_yet_due(act: Act, today: dt.date, early: list[tuple[str, dt.date | None, str]]) -> str:
    """The refusal of an act carried out before the terms of some of its documents end, as staff read it.

    early: (path, «уничтожить не ранее» or None, the retention the номенклатура gave) of each such document.
    The first five are named, each with the day it may go, or its retention when it has no such day
    (kept «постоянно», «до ликвидации организации», or not in the номенклатура); the rest are counted. The
    advice says when the act as a whole may be carried out: the latest of the days, or never when any
    document has no day at all.
    """
    def term(until: dt.date | None, retention: str) -> str:
        return f"не ранее {until.strftime('%d.%m.%Y')}" if until else f"срок хранения: {retention}"

    listed = "; ".join(f"{path} — {term(until, retention)}" for path, until, retention in early[:5])
    more = f"; и еще {ru.count(len(early) - 5, 'документ', 'документа', 'документов')}" if len(early) > 5 else ""
    days = [until for _, until, _ in early]
    if None in days:
        advice = ("Документы, которым номенклатура не дает срока уничтожения, уничтожать нельзя, поэтому этот акт "
                  "не может быть исполнен никогда: составьте новый акт на сегодняшнюю дату")
    else:
        advice = (f"Исполнить этот акт можно не ранее {max(days).strftime('%d.%m.%Y')}, или составьте новый акт "
                  "на сегодняшнюю дату")
    return (f"Акт № {act.number} нельзя исполнить {today.strftime('%d.%m.%Y')}: срок хранения еще не истек у "
            f"{ru.count(len(early), 'документа', 'документов', 'документов')}: {listed}{more}. Ничего не удалено. "
            f"{advice} (в него войдут только документы, срок хранения которых истек).")


def dispose(archive_root: Path, number: int, *, confirm: bool, today: dt.date, expert: ExpertRecord,
            pd_facts: PdFacts | None = None) -> DisposeReport:
    """Remove exactly the files of act N (only with confirm), leaving tombstones; give what was (or would be) removed.

    A file whose bytes differ from the hash the act recorded, a document whose own term has not ended by
    today, an act changed since it was drawn up, an act no recorded протокол of the ЭК approves (expert:
    what organization.xlsx records, pipeline.archive.expert): each stops the whole act before anything is removed.
    Documents holding personal data get their «акт об уничтожении персональных данных» (acts/act-N-pd.docx,
    pipeline.archive.pd_act; pd_facts: the operator and who destroys), written before the first file goes.
    """
    _not_after_today(today, "Дата исполнения акта")
    with archive_lock(archive_root):
        recover(archive_root)
        settled = settle(archive_root)
        act = read_act(archive_root, number)
        if today < act.date:
            raise UchetError(f"Акт № {number} составлен {act.date.strftime('%d.%m.%Y')}, позже даты исполнения "
                             f"{today.strftime('%d.%m.%Y')}. Ничего не удалено.")
        report = DisposeReport(act, confirmed=confirm, settled=settled)
        verdict = approving_meeting(number, act.date, today, expert)
        report.approved_by = verdict.meeting
        if verdict.meeting is None:
            if confirm:
                raise UchetError(refusal(number, act.label, verdict))
            report.not_approved = refusal(number, act.label, verdict)
        plans = _plan(archive_root, act, today, report)
        if confirm:
            intent = archive_root / ACTS / INTENT.format(number=number)
            atomic_write_bytes(intent, json.dumps({"act": number, "executed_on": today.isoformat()}).encode("utf-8"))
            report.pd_act = _write_pd_act(archive_root, act, plans, today, verdict.meeting, pd_facts or PdFacts())
            _execute(archive_root, act, today)
    return report


def pd_act_path(archive_root: Path, number: int) -> Path:
    return archive_root / ACTS / f"act-{number}-pd.docx"


def _write_pd_act(archive_root: Path, act: Act, plans: list[_Plan], today: dt.date, meeting: ExpertMeeting,
                  facts: PdFacts) -> Path | None:
    """Write the act on the personal data the plans destroy (None when no destroyed document holds any)."""

    pages = {(r.source, r.source_sha256): r.pages for r in read_list(archive_root)}
    subjects: set[tuple[str, str]] = set()
    carriers: list[Carrier] = []
    for plan in plans:
        learners = rec.read_learners(plan.bag)
        if not plan.gone or not learners:
            continue
        subjects |= {(row.name, row.group) for row in learners}
        folder = plan.bag.relative_to(archive_root).as_posix()
        for r in plan.records:
            if (r.doc_id, r.version) in plan.gone:
                carriers.append(Carrier(r.title, r.carrier, pages.get((f"{folder}/{r.file}", r.sha256))))
    if not carriers:
        return None
    path = pd_act_path(archive_root, act.number)
    approved_by = f"протоколом ЭК №{NBSP}{meeting.protocol_no} от {meeting.date.strftime('%d.%m.%Y')}"
    pd = PdAct(act.number, act.label, approved_by, today, facts.operator or act.organization, facts.address,
               tuple(sorted(subjects)), tuple(carriers), facts.destroyers)
    atomic_write_bytes(path, pd_act_docx(pd))
    record_in_manifest(archive_root, [path])
    return path


def _execute(archive_root: Path, act: Act, today: dt.date) -> None:
    """Carry out the act whose intent file is written; safe to run again after an interruption."""

    plans = _plan(archive_root, act, today, DisposeReport(act))
    for plan in plans:
        if plan.gone:
            _rebuild_without(archive_root, plan.bag, plan.records, plan.gone, act)
    rows = _register_rows(archive_root)
    seen = {(r["act"], r["path"]) for r in rows}
    for plan in plans:
        destroyed_here = {(r.doc_id, r.version) for r in rec.read_documents(plan.bag) if r.disposal_act == act.label}
        for case, doc in plan.items:
            path = f"{plan.bag.relative_to(archive_root).as_posix()}/{doc['file']}"
            if (str(act.number), path) in seen or (doc["doc_id"], doc["version"]) not in destroyed_here:
                continue
            rows.append({"act": str(act.number), "act_date": act.date.isoformat(), "executed_on": today.isoformat(),
                         "case_index": case.case_index, "year": str(case.year), "case_title": case.title,
                         "path": path, "doc_id": doc["doc_id"], "version": str(doc["version"]),
                         "title": doc["title"], "sha256": doc["sha256"]})
    write_register(archive_root, rows)
    record_in_manifest(archive_root, [archive_root / f"{REGISTER}.{k}" for k in ("csv", "xlsx")])
    write_index(archive_root)
    write_labels(archive_root)
    (archive_root / ACTS / INTENT.format(number=act.number)).unlink(missing_ok=True)


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


__all__ = ["Act", "Case", "DisposeReport", "pd_act_path", "clock_today", "dispose", "prepare_act", "read_act", "register_rows", "settle", "settle_if_needed",
           "load_act_file", "read_acts_manifest", "ACTS", "ACTS_MANIFEST", "REGISTER"]
