"""The document list of a bag (`documents.csv`, a BagIt tag file) and its learners (`learners.csv`).

The document list is the archive's own memory: every version ever filed, with its carrier, case,
retention and fixity, and a tombstone row once a document was destroyed by an act. The index, the
labels, `find` and disposal read only these files, never the build folder or the workbooks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from pipeline.archive.shards import ShardedMemo
from pipeline.core.xlsx_safe import csv_text, csv_value

DOCUMENTS = "documents.csv"
LEARNERS = "learners.csv"

KEPT = "хранится"
DESTROYED = "уничтожен"


@dataclass(frozen=True)
class Record:
    """One version of one document in a bag (one row of documents.csv)."""

    doc_id: str
    version: int
    file: str
    """Payload path relative to the bag, «data/…»."""
    status: str
    """«хранится», or «уничтожен» for a tombstone whose file was removed by an act."""
    carrier: str
    carrier_title: str
    title: str
    date: str
    """The document's own date, ISO; empty when it has none."""
    case_index: str
    case_title: str
    retention: str
    """As the номенклатура says: «5», «постоянно», «до ликвидации организации»."""
    retention_years: str
    article: str
    epk: str
    approved: str
    """«да», or «нет» when the номенклатура row still «требует решения ЭК»."""
    closing_year: int
    destroy_not_before: str
    """ISO date from which the act may include it; empty when kept permanently."""
    sha256: str
    inputs_hash: str
    sources: str
    """«workbook=sha256» pairs joined by «; »."""
    signed: str
    correction: str
    filed_on: str
    learner_id: str
    learner_name: str
    disposal_act: str
    """«№ N от ДАТА» on a tombstone."""
    first_date: str = ""
    """ISO; a journal's first lesson, a register's first entry (`date` is the last); empty for one-date documents."""
    entries: str = ""
    """How many entries a register holds; empty for other documents."""

    @property
    def kept(self) -> bool:
        return self.status == KEPT

    @property
    def source_map(self) -> dict[str, str]:
        pairs = (p.rpartition("=") for p in self.sources.split("; ") if p)
        return {path: sha for path, _, sha in pairs}

    def destroyed(self, act: str) -> Record:
        return replace(self, status=DESTROYED, disposal_act=act)


FIELDS = tuple(f.name for f in fields(Record))


@dataclass(frozen=True)
class LearnerRow:
    """A learner of the bag's group (or, in a year bag, of the year's groups), for `find`."""

    learner_id: str
    name: str
    snils: str
    group: str


LEARNER_FIELDS = tuple(f.name for f in fields(LearnerRow))


def csv_bytes(header: tuple[str, ...], rows: list[dict]) -> bytes:
    """Give a bag list as CSV bytes: the header, then the rows, each text cell safe from formula injection."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    # A learner named «=HYPERLINK(…)» must not become a formula when staff open the list in Excel.
    writer.writerows({k: csv_text(str(v)) for k, v in row.items()} for row in rows)
    # A BOM lets Excel open the Cyrillic text correctly; bagit reads tag files as utf-8-sig anyway.
    return buf.getvalue().encode("utf-8-sig")


def documents_bytes(records: list[Record]) -> bytes:
    ordered = sorted(records, key=lambda r: (r.doc_id, r.version))
    return csv_bytes(FIELDS, [asdict(r) for r in ordered])


def learners_bytes(rows: list[LearnerRow]) -> bytes:
    return csv_bytes(LEARNER_FIELDS, [asdict(r) for r in sorted(set(rows), key=lambda r: (r.group, r.learner_id))])


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    # errors="replace": a list re-saved by Excel in Windows-1251 must not crash the reader; the bag's
    # tag manifest tells it is damaged (pipeline.archive.integrity) before anything trusts it.
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        return [{k: csv_value(v) if isinstance(v, str) else v for k, v in row.items()} for row in csv.DictReader(fh)]


def read_documents(bag: Path) -> list[Record]:
    """Give the rows of a bag's documents.csv (empty for a bag that has none yet)."""
    return DOCUMENT_LISTS.get(bag / DOCUMENTS, [])


def _int(text: str, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _parse_documents(path: Path) -> list[Record]:
    out = []
    for row in _read(path):
        values = {name: row.get(name, "") or "" for name in FIELDS}
        values["version"] = _int(values["version"], 1)
        values["closing_year"] = _int(values["closing_year"], 0)
        out.append(Record(**values))
    return out


DOCUMENT_LISTS = ShardedMemo("archive_lists.json", _parse_documents)
"""documents.csv of every bag, parsed once per change (the build keeps them between runs)."""


def read_learners(bag: Path) -> list[LearnerRow]:
    """Give the rows of a bag's learners.csv (empty for a bag that has none)."""
    return LEARNER_LISTS.get(bag / LEARNERS, [])


def _parse_learners(path: Path) -> list[LearnerRow]:
    return [LearnerRow(**{name: row.get(name, "") or "" for name in LEARNER_FIELDS}) for row in _read(path)]


LEARNER_LISTS = ShardedMemo("archive_learners.json", _parse_learners)
"""learners.csv of every bag, parsed once per change: the yearly index reads every bag's list of its year."""


def latest(records: list[Record]) -> dict[str, Record]:
    """Give the newest version of every document id."""
    out: dict[str, Record] = {}
    for r in sorted(records, key=lambda r: r.version):
        out[r.doc_id] = r
    return out
