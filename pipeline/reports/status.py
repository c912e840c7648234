"""Completeness per group: which documents exist, which cannot be produced yet and why, which are filed.

«Exists» is what the carriers build from the Dataset (or what the render stage wrote, when given);
«why not yet» comes from each carrier's `missing(dataset, group)`; «archived» from the archive index
as (doc_id, archived path) pairs. Written as output/reports/status.xlsx.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.carriers.registry import Carrier, DocumentSpec
from pipeline.core.dataset import Dataset, Group
from pipeline.core.ru import plural
from pipeline.reports.workbook import stream_sheet, write_sheets

PRESENT = "сформирован"
NOT_YET = "нельзя сформировать"
NOT_NEEDED = "не требуется"
GENERIC_REASON = "документ не сформирован: носитель не сообщает, каких данных не хватает"

_FILL_COLORS = {PRESENT: "E2EFDA", NOT_YET: "FCE4D6"}


@dataclass(frozen=True)
class StatusRow:
    """One carrier for one group (or one year, for year-scoped carriers)."""

    scope_key: str
    """The group number, or the year as text for year-scoped carriers."""
    carrier: Carrier
    documents: int
    archived: int
    state: str
    """PRESENT, NOT_YET or NOT_NEEDED."""
    missing: tuple[str, ...]

    @property
    def archive_text(self) -> str:
        if not self.documents:
            return "—"
        if not self.carrier.archived:
            return "не подшивается (выдается на руки)"
        if self.archived == self.documents:
            return "в архиве"
        return "не в архиве" if not self.archived else f"в архиве {self.archived} из {self.documents}"


def _by_owner(carriers: Sequence[Carrier], specs: dict[str, list[DocumentSpec]]) -> dict[str, dict[str, list]]:
    """Give each carrier's documents by group number, or by learner id for learner-scoped carriers.

    A learner-scoped document is filed with the person's last group, but it is also one of the
    documents every group of that person needs; indexing once keeps 400 groups × 10,000 cards linear.
    """
    out: dict[str, dict[str, list]] = {}
    for carrier in carriers:
        owned: dict[str, list] = defaultdict(list)
        for spec in specs.get(carrier.key, []):
            owner = spec.learner_id if carrier.scope == "learner" else spec.group
            if owner is not None:
                owned[owner].append(spec)
        out[carrier.key] = owned
    return out


def _reasons(dataset: Dataset, group: Group, carrier: Carrier) -> tuple[str, tuple[str, ...]]:
    if carrier.missing is None:
        return NOT_YET, (GENERIC_REASON,)
    reasons = tuple(carrier.missing(dataset, group))
    return (NOT_YET, reasons) if reasons else (NOT_NEEDED, ())


@dataclass(frozen=True)
class Completeness:
    """What group_status reads of one group's own records. It is kept with the group's share of the
    reports (pipeline.reports.shares), so that a run does not read every group's members and results
    back from the build cache to tell what an edit of one group did not change."""

    members: tuple[str, ...]
    """The members' ids, in «Состав» order, each once."""
    reasons: dict[str, tuple[str, tuple[str, ...]]]
    """{carrier key: (NOT_YET or NOT_NEEDED, why)} of every carrier but the year-scoped ones: what the
    status says when the group has none of that carrier's documents."""


def completeness(dataset: Dataset, group: Group, carriers: Iterable[Carrier]) -> Completeness:
    """Work out a group's Completeness (`carriers.missing` read the group, the learners it names and the
    reference workbooks: what the group's input key covers)."""
    return Completeness(tuple(dict.fromkeys(m.learner_id for m in group.members)),
                        {c.key: _reasons(dataset, group, c) for c in carriers if c.scope != "year"})


def group_status(
    dataset: Dataset,
    carriers: Sequence[Carrier],
    specs: dict[str, list[DocumentSpec]],
    archived_ids: set[str],
    known: Mapping[str, Completeness] | None = None,
) -> list[StatusRow]:
    """Give a row per group (by start date) and per non-year carrier (in registry order); `known`: the
    groups' Completeness by number when kept (the others are worked out here)."""
    rows = []
    by_owner = _by_owner(carriers, specs)
    for group in sorted(dataset.groups.values(), key=lambda g: (g.start, g.number)):
        facts = (known or {}).get(group.number) or completeness(dataset, group, carriers)
        for carrier in carriers:
            if carrier.scope == "year":
                continue
            owned = by_owner.get(carrier.key, {})
            if carrier.scope == "learner":
                mine = [s for learner_id in facts.members for s in owned.get(learner_id, ())
                        if carrier.every_group or s.group == group.number]
            else:
                mine = list(owned.get(group.number, ()))
            if mine:
                state, missing = PRESENT, ()
            else:
                state, missing = facts.reasons.get(carrier.key) or _reasons(dataset, group, carrier)
            filed = sum(s.doc_id in archived_ids for s in mine)
            rows.append(StatusRow(group.number, carrier, len(mine), filed, state, missing))
    return rows


def year_status(carriers: Sequence[Carrier], specs: dict[str, list[DocumentSpec]],
                archived_ids: set[str]) -> list[StatusRow]:
    """Give a row per year and year-scoped carrier that has documents."""
    rows = []
    for carrier in carriers:
        if carrier.scope != "year":
            continue
        by_year: dict[int, list[DocumentSpec]] = defaultdict(list)
        for spec in specs.get(carrier.key, []):
            by_year[spec.year].append(spec)
        for year, mine in sorted(by_year.items()):
            filed = sum(s.doc_id in archived_ids for s in mine)
            rows.append(StatusRow(str(year), carrier, len(mine), filed, PRESENT, ()))
    return rows


def collect_specs(dataset: Dataset, carriers: Iterable[Carrier], rendered=None) -> dict[str, list[DocumentSpec]]:
    """Give each carrier's documents: from the render stage's list when given, else by building them."""
    if rendered is not None:
        specs: dict[str, list[DocumentSpec]] = defaultdict(list)
        for doc in rendered:
            specs[doc.carrier.key].append(doc.spec)
        return dict(specs)
    return {c.key: list(c.build(dataset)) for c in carriers}


def write_status(rows: list[StatusRow], year_rows: list[StatusRow], path: Path, *, today: dt.date,
                 advance: Callable[[int], None] | None = None) -> None:
    """Write status.xlsx: «Сводка», «По группам» (one row per group and carrier), «По годам».

    Written row by row as text (pipeline.core.xlsx_stream): at 2,000 groups «По группам» has 36,000 rows.
    `advance(n)` is told the rows written (`status_rows` in all).
    """
    write_sheets(path, [
        stream_sheet("Сводка", ["Группа", "Сформировано носителей", "Нельзя сформировать", "Не требуется",
                                "Документов", "В архиве"],
                     _per_group(rows), widths=[16, 14, 14, 14, 12, 12], title=f"Полнота документов на {today:%d.%m.%Y}",
                     advance=advance),
        stream_sheet("По группам", ["Группа", "Носитель", "Ключ", "Состояние", "Документов", "Архив", "Чего не хватает"],
                     ([r.scope_key, r.carrier.title, r.carrier.key, r.state, r.documents, r.archive_text,
                       "; ".join(r.missing)] for r in rows),
                     widths=[16, 50, 24, 20, 11, 16, 80], fills={3: _FILL_COLORS}, advance=advance),
        stream_sheet("По годам", ["Год", "Носитель", "Ключ", "Документов", "Архив"],
                     ([r.scope_key, r.carrier.title, r.carrier.key, r.documents, r.archive_text] for r in year_rows),
                     widths=[8, 50, 24, 11, 16], advance=advance),
    ], title=f"Полнота документов на {today:%d.%m.%Y}")


def status_rows(rows: list[StatusRow], year_rows: list[StatusRow]) -> int:
    """The rows write_status writes (its share of the report stage's progress)."""
    return len(rows) + len(year_rows) + len({r.scope_key for r in rows})


def _per_group(rows: list[StatusRow]) -> list[list]:
    order: dict[str, Counter] = {}
    for r in rows:
        c = order.setdefault(r.scope_key, Counter())
        c[r.state] += 1
        c["documents"] += r.documents
        c["archived"] += r.archived
    return [[key, c[PRESENT], c[NOT_YET], c[NOT_NEEDED], c["documents"], c["archived"]] for key, c in order.items()]


def console_lines(rows: list[StatusRow], ends: dict[str, dt.date], today: dt.date, table: Path | str) -> list[str]:
    """A short summary for the end of `make`, as long for 400 groups as for 4: one line of totals, then
    only the groups that need attention — training over (end date passed) and documents still missing —
    each with what cannot be produced and why. The full table is `table` (status.xlsx)."""
    groups: dict[str, list[StatusRow]] = defaultdict(list)
    for r in rows:
        groups[r.scope_key].append(r)
    docs = sum(r.documents for r in rows)
    filed = sum(r.archived for r in rows)
    count = len(groups)
    handed = sum(r.documents for r in rows if not r.carrier.archived)
    handed_text = f", выдаются на руки {handed}" if handed else ""
    lines = [f"Полнота документов: {count} {plural(count, 'группа', 'группы', 'групп')}, документов {docs}, "
             f"в архиве {filed}{handed_text}; по каждой группе и носителю — «{table}»."]
    late, running = [], 0
    for key, items in groups.items():
        waiting = [r for r in items if r.state == NOT_YET]
        if not waiting:
            continue
        end = ends.get(key)
        if end is None or end >= today:
            running += 1
            continue
        reasons = "; ".join(
            r.carrier.title if r.missing == (GENERIC_REASON,) else f"{r.carrier.title} — {', '.join(r.missing)}"
            for r in waiting
        )
        late.append(f"  {key} (обучение окончено {end:%d.%m.%Y}): нельзя сформировать: {reasons}")
    if late:
        lines.append(f"Требуют внимания — обучение окончено, а документов не хватает: {len(late)} "
                     f"{plural(len(late), 'группа', 'группы', 'групп')}:")
        lines += late
    else:
        lines.append("У всех групп, закончивших обучение, сформированы все документы.")
    if running:
        lines.append(f"Еще учатся и получат остальные документы позже: {running} "
                     f"{plural(running, 'группа', 'группы', 'групп')}.")
    return lines
