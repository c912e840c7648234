"""Дела as the номенклатура defines them, worked out from what the archive holds.

A дело is one case index × one year, or one case index × one year × one group where the номенклатура
row is formed «по группам» (NOTES §12: «дело = документы одного индекса номенклатуры за один
календарный год»). The electronic bags stay one per group; only the paper arrangement changes:
- «за год» (orders, the register, copies of справки): the year is the document's own date's year, so
  order № 10-сл of 2025 lies in the 2025 orders дело even when its group ended in 2026 and its bag is
  filed under 2026; documents are in chronological order, then by registration number;
- «по группам»: the year is the group's archive year (the year training ended, as the bag's), and the
  group is part of the дело.

`cases_of` is a pure function of the kept records (newest version of each document, tombstones
skipped); `filed_records` reads them from the bags' documents.csv.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.bag import read_bag_info
from pipeline.archive.index import bags
from pipeline.archive.records import Record, latest, read_documents
from pipeline.archive.retention import retention_label
from pipeline.core.dataset import CaseRule
from pipeline.paper.formation import BY_GROUP, BY_YEAR
from schemas.codes import RETENTION_WORDS

# The three описи an organisation keeps (NOTES §12; Правила № 77). The numbers of the описи are the
# usual convention of a small organisation [B: practice, not a rule: the ЭК may number them otherwise].
PERMANENT = "постоянного хранения"
PERSONNEL = "по личному составу"
LONG_TERM = "временного (свыше 10 лет) хранения"
INVENTORY_NUMBER = {PERMANENT: "1", PERSONNEL: "2", LONG_TERM: "3"}

# A 50/75-year case about persons goes to the опись по личному составу. Learners' cards and copies of
# справки are not «личный состав» of workers in the narrow sense, but educational organisations list
# learners' personal records there [B: practice]; the 50-year mark is the Перечень's period for them.
PERSONNEL_YEARS = 50

_REG_NUMBER = re.compile(r"№\s*([^\s,()]+)\s+от\b")


@dataclass(frozen=True)
class FiledRecord:
    """A record of a bag, with where the bag lies."""

    bag: str
    """«2025/ПК-2025-01», relative to the archive root."""
    year: int
    """The bag's archive year."""
    group: str
    """The bag's group number; empty for the year bag."""
    record: Record

    @property
    def path(self) -> str:
        return f"{self.bag}/{self.record.file}"


SCAN_MARK = "/скан/"
"""In a scan's doc_id: «<document's doc_id>/скан/<file name>» (pipeline.archive.filing files scans so)."""


def is_scan(record: Record) -> bool:
    """Tell a scan of a signed original (input/scans/) from a document the build rendered."""
    return SCAN_MARK in record.doc_id


@dataclass(frozen=True)
class CaseDocument:
    """One document of a дело, in filing order."""

    filed: FiledRecord
    reg_index: str
    """The document's registration number («1-сл»), empty when it has none."""
    date: dt.date | None
    scans: tuple[FiledRecord, ...] = ()
    """Scans of the signed original, in page order: they take the document's place in the printed дело
    (its sheets are the scans' pages), since the signed paper is what the дело holds."""

    @property
    def title(self) -> str:
        return self.filed.record.title


@dataclass(frozen=True)
class Case:
    """One дело: what its обложка, its внутренняя опись and the описи дел print."""

    index: str
    title: str
    """As the номенклатура says."""
    year: int
    group: str | None
    formation: str
    documents: tuple[CaseDocument, ...]
    retention: str
    article: str
    epk: bool

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.index, self.year, self.group or "")

    @property
    def heading(self) -> str:
        """The заголовок дела: the номенклатура's title, with the group where the дело is per group."""
        if not self.group:
            return self.title
        base = re.sub(r"\s*\(по группам\)\s*$", "", self.title)
        return f"{base} (группа № {self.group})"

    @property
    def first_date(self) -> dt.date | None:
        dates = [d.date for d in self.documents if d.date]
        return min(dates) if dates else None

    @property
    def last_date(self) -> dt.date | None:
        dates = [d.date for d in self.documents if d.date]
        return max(dates) if dates else None

    @property
    def retention_text(self) -> str:
        """«До ликвидации организации, ст. 19 «а»», «50 лет ЭПК», «5 лет»."""
        text = retention_label(self.retention, self.article, self.epk)
        return text[:1].upper() + text[1:]

    @property
    def inventory(self) -> str | None:
        """Which опись дел lists it: PERMANENT, PERSONNEL, LONG_TERM, or None (kept 10 years or less)."""
        if self.retention in RETENTION_WORDS:
            return PERMANENT
        years = int(self.retention) if self.retention.isdigit() else 0
        if years >= PERSONNEL_YEARS:
            return PERSONNEL
        if years > 10:
            return LONG_TERM
        return None


def filed_records(archive_root: Path) -> list[FiledRecord]:
    """Give the newest kept version of every document in the archive, with its bag."""
    out = []
    for bag in bags(archive_root):
        group = read_bag_info(bag).get("Group-Number", "")
        rel = bag.relative_to(archive_root).as_posix()
        for record in latest(read_documents(bag)).values():
            if record.kept:
                out.append(FiledRecord(rel, int(bag.parent.name), group, record))
    return out


def formation_by_index(nomenclature: Mapping[str, CaseRule]) -> dict[str, str]:
    """Give {case index: formation}; an index is per group only when every row filed under it says so."""
    out: dict[str, str] = {}
    for rule in nomenclature.values():
        seen = out.get(rule.case_index)
        out[rule.case_index] = rule.formation if seen in (None, rule.formation) else BY_YEAR
    return out


def registration_index(title: str) -> str:
    """Give «1-сл» from «Приказ о зачислении № 1-сл от 17 января 2025 г. (…)»; empty when there is none."""
    found = _REG_NUMBER.search(title)
    return found.group(1) if found else ""


def natural(text: str) -> tuple:
    """Sort «2-сл» before «10-сл»."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", text) if p)


def case_key(index: str, formation: str, archive_year: int, group: str | None,
             date: dt.date | None) -> tuple[str, int, str]:
    """Give (index, year, group) of the дело a document belongs to (the rule in the module docstring)."""
    if formation == BY_GROUP:
        return (index, archive_year, group or "")
    return (index, date.year if date else archive_year, "")


def _date(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _filing_order(doc: CaseDocument) -> tuple:
    return (doc.date or dt.date.max, natural(doc.reg_index), natural(doc.title), doc.filed.record.doc_id)


def cases_of(filed: Iterable[FiledRecord], formation: Mapping[str, str]) -> list[Case]:
    """Give the дела the records make, ordered by year, index and group; documents in filing order.

    formation maps a case index to «за год» / «по группам» (formation_by_index); an index it does not
    know is formed by year. Records without a case index (a carrier missing from the номенклатура) make
    no дело: the build already reported them.
    """
    grouped: dict[tuple[str, int, str], list[CaseDocument]] = defaultdict(list)
    filed = list(filed)
    scans: dict[tuple[str, str], list[FiledRecord]] = defaultdict(list)
    documents = {(f.bag, f.record.doc_id) for f in filed if not is_scan(f.record)}
    for f in filed:
        if is_scan(f.record):
            owner = (f.bag, f.record.doc_id.split(SCAN_MARK)[0])
            if owner in documents:  # a scan whose document is gone stays a document of its own
                scans[owner].append(f)
    for f in filed:
        r = f.record
        if not r.case_index or (is_scan(r) and (f.bag, r.doc_id.split(SCAN_MARK)[0]) in documents):
            continue
        date = _date(r.date)
        how = formation.get(r.case_index, BY_YEAR)
        own = tuple(sorted(scans.get((f.bag, r.doc_id), ()), key=lambda x: natural(x.record.file)))
        grouped[case_key(r.case_index, how, f.year, f.group or None, date)].append(
            CaseDocument(f, registration_index(r.title), date, own))
    cases = []
    for (index, year, group), docs in grouped.items():
        docs.sort(key=_filing_order)
        head = docs[0].filed.record
        cases.append(Case(
            index=index, title=head.case_title, year=year, group=group or None,
            formation=formation.get(index, BY_YEAR), documents=tuple(docs),
            retention=head.retention, article=head.article, epk=head.epk == "да",
        ))
    return sorted(cases, key=lambda c: (c.year, natural(c.index), natural(c.group or "")))


def numbered(cases: Iterable[Case]) -> dict[tuple[str, int, str], tuple[str, int]]:
    """Give {case key: (опись number, дело number)} for the cases an опись lists.

    Дела are numbered through each опись across its annual sections, by year, index and group, so
    the numbers of a year already described do not move when a later year is added [B: Правила № 77
    number дела «валовой нумерацией» through the опись].
    """
    out: dict[tuple[str, int, str], tuple[str, int]] = {}
    counters: dict[str, int] = defaultdict(int)
    for case in sorted(cases, key=lambda c: (c.year, natural(c.index), natural(c.group or ""))):
        kind = case.inventory
        if kind is None:
            continue
        counters[kind] += 1
        out[case.key] = (INVENTORY_NUMBER[kind], counters[kind])
    return out
