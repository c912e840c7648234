"""Журнал регистрации выданных документов: one book per year of issue across all groups, ordered
by registration number, and an extract per group.

The register is generated from the «Выдача документов» rows, never from document-rendering events
(PITFALLS C.3), so an issued document cannot be missing from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pipeline.carriers import common
from pipeline.carriers.registry import BY_GROUP, BY_YEAR, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, IssuedDocument


def original_fate(doc: IssuedDocument, replacement: str | None) -> str:
    """What became of an issued document, as the register notes it beside the entry: lost (with the
    proof staff recorded), exchanged, destroyed, replaced by a duplicate. Empty for a document in force."""
    notes = []
    if doc.lost and doc.lost != "Нет":
        notes.append(f"утрачен: {doc.lost.lower()}")
    if doc.exchanged and doc.exchanged != "Нет":
        notes.append(doc.exchanged.lower())
    if doc.destroyed == "Да":
        notes.append("бланк уничтожен")
    if replacement:
        notes.append(f"заменен дубликатом рег.{common.NBSP}№{common.NBSP}{replacement}")
    return f" ({'; '.join(notes)})" if notes else ""


def replacements(ds: Dataset) -> dict[str, str]:
    """Give the registration number of each replaced document, mapped to that of its duplicate."""
    return {doc.replaces: doc.reg_no for group in ds.groups.values() for doc in group.issued if doc.replaces}


def _row(ds: Dataset, group: Group, doc: IssuedDocument, replaced_by: dict[str, str]) -> dict[str, Any]:
    program = ds.program_of(group)
    learner = ds.learners.get(doc.learner_id)
    final = group.final_of(doc.learner_id)
    member = group.member(doc.learner_id)
    if member is not None and member.expelled_early and member.expel_order:
        expel = next((o for o in group.orders if o.kind == common.ORDER_EXPULSION and o.number == member.expel_order),
                     None)
        order = common.order_ref(expel) or f"№{common.NBSP}{member.expel_order}"
    else:
        order = common.order_ref(group.order(common.ORDER_GRADUATION))
    protocol = ""
    if final is not None and group.protocol_no:
        protocol = f"от {ru.date_short(group.final_date or final.date)} №{common.NBSP}{group.protocol_no}"
    status = "" if doc.status == "Оригинал" else f" ({doc.status.lower()}" + (
        f" рег. № {doc.replaces})" if doc.replaces else ")")
    status += original_fate(doc, replaced_by.get(doc.reg_no))
    return {
        "reg_no": doc.reg_no,
        "document": doc.document + status,
        "series_number": common.series_number(doc),
        "date": ru.date_short(doc.issued_on),
        "name": learner.person.full_name if learner else doc.learner_id,
        "program": f"{program.name} ({program.kind})",
        "group": ru.unbroken(group.number),
        "hours": str(program.hours),
        "protocol": protocol or "—",
        "order": order or "—",
        "receipt": doc.receipt,
    }


def _entries(ds: Dataset, groups) -> list[tuple[Group, IssuedDocument]]:
    entries = [(group, doc) for group in groups for doc in group.issued]
    return sorted(entries, key=lambda e: (common.natural_key(e[1].reg_no), e[1].issued_on))


def build_register(ds: Dataset) -> Iterator[DocumentSpec]:
    by_year: dict[int, list] = defaultdict(list)
    replaced_by = replacements(ds)
    for group, doc in _entries(ds, ds.groups.values()):
        by_year[doc.issued_on.year].append((group, doc))
    for year in sorted(by_year):
        entries = by_year[year]
        rows = [_row(ds, group, doc, replaced_by) for group, doc in entries]
        context = {
            "org": common.org_context(ds),
            "year": str(year),
            "rows": rows,
            "first_date": ru.date_short(min(doc.issued_on for _, doc in entries)),
            "last_date": ru.date_short(max(doc.issued_on for _, doc in entries)),
            "total": ru.count(len(rows), "документ", "документа", "документов"),
            "signer": common.signer(ds, None),
            "keeper": common.records_keeper(ds),
        }
        yield DocumentSpec(
            doc_id=f"{year}/issue_register",
            file_name=f"{year} Журнал регистрации выданных документов.docx",
            title=f"Журнал регистрации выданных документов за {year} год",
            context=context, year=year, group=None,
            date=max(doc.issued_on for _, doc in entries),
            sources=tuple(sorted({group.file for group, _ in entries})),
            first_date=min(doc.issued_on for _, doc in entries), entries=len(rows),
        )


def missing_entries(ds: Dataset, group: Group) -> list[str]:
    """Why the group is neither in the year's book nor has an extract: no document of it is registered yet."""
    return [] if group.issued else ["нет записей на листе «Выдача документов»"]


def build_extract(ds: Dataset) -> Iterator[DocumentSpec]:
    replaced_by = replacements(ds)
    for group in ds.groups.values():
        if missing_entries(ds, group):
            continue
        entries = _entries(ds, [group])
        date = max(doc.issued_on for _, doc in entries)
        context = {
            **common.base_context(ds, group),
            "rows": [_row(ds, group, doc, replaced_by) for _, doc in entries],
            "doc_date": common.date_long(date),
            "signer": common.signer(ds, None),
        }
        yield DocumentSpec(
            doc_id=f"{group.number}/issue_extract",
            file_name=f"{group.number} Выписка из журнала выдачи документов.docx",
            title=f"Выписка из журнала регистрации выданных документов по группе {group.number}",
            context=context, year=group.year, group=group.number, date=date, sources=(group.file,),
        )



REGISTER_CASE = Case("03-04", "Книга регистрации выданных документов об обучении и о квалификации",
                     "до ликвидации организации",
                     "В Перечне 236 не найден; по книге выдаются дубликаты, поэтому предложен самый долгий срок.",
                     formation=BY_YEAR)
EXTRACT_CASE = Case("03-05", "Выписки из книги регистрации выданных документов (по группам)", "5",
                    "В Перечне 236 не найден; копия сведений книги регистрации (подлинник — в деле 03-04).",
                    formation=BY_GROUP)


CARRIERS = (
    Carrier("issue_register", "Журнал регистрации выданных документов об обучении (книга за год)",
            "issue_register.docx", "year", "issue_register", build_register, missing=missing_entries,
            case=REGISTER_CASE, facts_only=True),
    Carrier("issue_extract", "Выписка из журнала регистрации выданных документов по группе", "issue_extract.docx",
            "group", "issue_extract", build_extract, missing=missing_entries, case=EXTRACT_CASE),
)
