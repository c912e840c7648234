"""The papers of the paper archive, as template contexts: обложка, внутренняя опись, лист-заверитель,
описи дел and the номенклатура дел. Pure functions of дела, their sheet counts and the organisation.

Sheets (листы) are the pages of the PDF/A copies as printed, one page to a sheet: a дело is printed
single-sided, because its sheets are numbered one by one in the top right corner (NOTES §12) [B: the
rules number sheets, not pages; single-sided printing makes the two the same]. The обложка, the
внутренняя опись and the лист-заверитель are not numbered with the дело's sheets; the опись's own
sheets are added on the лист-заверитель after «+».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from num2words import num2words

from pipeline.archive.retention import retention_label
from pipeline.carriers.common import date_long, org_context
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Staff
from pipeline.paper.cases import INVENTORY_NUMBER, LONG_TERM, PERMANENT, PERSONNEL, Case, natural
from pipeline.paper.formation import BY_GROUP
from schemas.codes import RETENTION_WORDS

DASH = "—"
INVENTORY_TITLES = {
    PERMANENT: "постоянного хранения",
    PERSONNEL: "по личному составу",
    LONG_TERM: "временного (свыше 10 лет) хранения",
}
# An organisation that is no source of a state archive keeps «постоянные» дела until it is liquidated
# (NOTES §3 [V]); its опись says so, and needs no approval of a state archive's ЭПК.
PERMANENT_NOTE = ("Организация не является источником комплектования государственного архива: дела хранятся "
                  "в организации до ее ликвидации.")


@dataclass(frozen=True)
class Sheets:
    """Sheet numbers of a дело's documents: (first, last) each, None while a document has no PDF/A copy."""

    ranges: tuple[tuple[int, int] | None, ...]

    @property
    def complete(self) -> bool:
        return all(r is not None for r in self.ranges)

    @property
    def total(self) -> int | None:
        return self.ranges[-1][1] if self.complete and self.ranges else (0 if not self.ranges else None)

    @classmethod
    def of(cls, pages: Sequence[int | None]) -> Sheets:
        """Number the sheets through: a document without pages known leaves it and all after it unknown."""
        out: list[tuple[int, int] | None] = []
        last = 0
        for n in pages:
            if n is None or last is None:
                out.append(None)
                last = None
                continue
            out.append((last + 1, last + n))
            last += n
        return cls(tuple(out))


NBSP = "\u00a0"
NB_HYPHEN = "\u2011"


def heading_text(case: Case) -> str:
    """The заголовок дела as printed: «№» and the group number never broken across lines (ГОСТ Р 7.0.97)."""
    text = case.heading.replace("№ ", "№" + NBSP)
    return text.replace(case.group, case.group.replace("-", NB_HYPHEN)) if case.group else text


def words(n: int) -> str:
    """«двадцать один» (лист, документ: masculine)."""
    return ru.number_words(n)


def words_neuter(n: int) -> str:
    """«двадцать одно» (дело: neuter), as num2words writes Russian neuter numerals."""
    return num2words(n, lang="ru", gender="n")


def sheets_noun(n: int) -> str:
    return ru.plural(n, "лист", "листа", "листов")


def _range(r: tuple[int, int] | None) -> str:
    if r is None:
        return DASH
    return str(r[0]) if r[0] == r[1] else f"{r[0]}–{r[1]}"


def dates_text(case: Case) -> str:
    first, last = case.first_date, case.last_date
    if first is None:
        return DASH
    if first == last:
        return date_long(first)
    return f"{date_long(first)} – {date_long(last)}"


def _short_dates(case: Case) -> str:
    first, last = case.first_date, case.last_date
    if first is None:
        return DASH
    return first.strftime("%d.%m.%Y") if first == last else f"{first:%d.%m.%Y} – {last:%d.%m.%Y}"


def signature_name(staff: Staff) -> str:
    """«И.О. Фамилия» as ГОСТ Р 7.0.97 writes a расшифровка подписи: no space between the initials,
    a non-breaking one before the surname (so the initials never end a line)."""
    initials, _, surname = ru.initials_surname(staff.person).rpartition(" ")
    return f"{initials.replace(' ', '')}{NBSP}{surname}" if initials else surname


def compiler(ds: Dataset) -> dict[str, str]:
    """Who compiles and certifies: «Ответственный за архив» of organization.xlsx, or lines to fill in by hand."""
    staff = ds.staff.get(ds.organization.archivist_id or "")
    if staff is None:
        return {"position": "Ответственный за архив", "name": "____________________"}
    return {"position": ru.upper_first(staff.position), "name": signature_name(staff)}


def head(ds: Dataset) -> dict[str, str]:
    return {"position": ru.upper_first(ds.head.position), "name": signature_name(ds.head)}


def _common(ds: Dataset, today: dt.date) -> dict:
    return {"org": org_context(ds), "head": head(ds), "compiler": compiler(ds),
            "doc_date": date_long(today), "fund": ds.organization.archive_fund or "____"}


def case_context(case: Case, sheets: Sheets | None) -> dict:
    total = sheets.total if sheets else None
    return {
        "index": case.index, "heading": heading_text(case), "year": case.year, "dates": dates_text(case),
        "retention": case.retention_text[:1].lower() + case.retention_text[1:],
        "sheets_phrase": f"На {total} {ru.plural(total, 'листе', 'листах', 'листах')}" if total is not None
        else "На ____ листах",
    }


def cover_context(ds: Dataset, case: Case, sheets: Sheets, cipher: tuple[str, int] | None, today: dt.date) -> dict:
    return _common(ds, today) | {
        "case": case_context(case, sheets),
        "cipher": {"fund": ds.organization.archive_fund or "____", "inventory": cipher[0] if cipher else "____",
                   "number": str(cipher[1]) if cipher else "____"},
    }


def inventory_context(ds: Dataset, case: Case, sheets: Sheets, own_sheets: int, today: dt.date,
                      notes: Mapping[str, str] | None = None) -> dict:
    notes = notes or {}
    rows = []
    for n, (doc, rng) in enumerate(zip(case.documents, sheets.ranges, strict=True), start=1):
        record = doc.filed.record
        note = notes.get(doc.filed.path, "")
        if doc.scans:
            note = "; ".join(x for x in ("подписан, скан в архиве", note) if x)  # narrow column: short words
        if record.version > 1:
            note = "; ".join(x for x in (f"версия {record.version}", note) if x)
        rows.append({"n": n, "reg_index": doc.reg_index or DASH,
                     "date": doc.date.strftime("%d.%m.%Y") if doc.date else DASH,
                     "title": doc.title, "sheets": _range(rng), "note": note})
    count = len(rows)
    return _common(ds, today) | {
        "case": case_context(case, sheets), "documents": rows,
        "totals": {"documents": count, "documents_words": words(count),
                   "documents_noun": ru.plural(count, "документ", "документа", "документов"),
                   "own_sheets": own_sheets, "own_sheets_words": words(own_sheets)},
    }


def certifier_context(ds: Dataset, case: Case, sheets: Sheets, inventory_sheets: int, today: dt.date) -> dict:
    total = sheets.total
    return _common(ds, today) | {
        "case": case_context(case, sheets),
        "totals": {"sheets": total if total is not None else "____",
                   "sheets_words": words(total) if total is not None else "прописью",
                   "sheets_noun": sheets_noun(total) if total is not None else "листов",
                   "last": total or "",
                   "inventory": inventory_sheets, "inventory_words": words(inventory_sheets),
                   "inventory_noun": sheets_noun(inventory_sheets)},
        "features": "Особенностей нет", "feature_sheets": DASH,
    }


def inventory_list_context(ds: Dataset, kind: str, year: int, cases: Sequence[Case],
                           numbers: Mapping[tuple[str, int, str], tuple[str, int]],
                           sheets: Mapping[tuple[str, int, str], int | None], today: dt.date) -> dict:
    """The annual section of an опись дел: every дело of its kind and year, by its number in the опись."""
    listed = sorted((c for c in cases if c.inventory == kind and c.year == year), key=lambda c: numbers[c.key][1])
    rows = []
    for c in listed:
        total = sheets.get(c.key)
        rows.append({"number": numbers[c.key][1], "index": c.index, "heading": heading_text(c), "dates": _short_dates(c),
                     "retention": c.retention_text, "sheets": DASH if total is None else total,
                     "note": ""})
    count = len(rows)
    return _common(ds, today) | {
        "year": year, "cases": rows,
        "inventory": {"number": INVENTORY_NUMBER[kind], "kind": INVENTORY_TITLES[kind],
                      "note": PERMANENT_NOTE if kind == PERMANENT and all(
                          c.retention == "до ликвидации организации" for c in listed) else ""},
        "totals": {"count": count, "count_words": words_neuter(count), "count_noun": ru.plural(count, "дело", "дела", "дел"),
                   "first": rows[0]["number"] if rows else DASH, "last": rows[-1]["number"] if rows else DASH},
    }


def _category(retention: str) -> str:
    if retention in RETENTION_WORDS:
        return "permanent"
    return "long" if retention.isdigit() and int(retention) > 10 else "short"


def nomenclature_context(ds: Dataset, year: int, cases: Sequence[Case], today: dt.date, *, closed: bool) -> dict:
    """The номенклатура дел of a year: one row per case index, with the дела opened in that year once it closed."""
    by_index: dict[str, list] = {}
    for rule in ds.nomenclature.values():
        by_index.setdefault(rule.case_index, []).append(rule)
    counts: dict[str, int] = {}
    for c in cases:
        if c.year == year:
            counts[c.index] = counts.get(c.index, 0) + 1
    rows = []
    summary = {"permanent": [0, 0], "long": [0, 0], "short": [0, 0]}
    for index in sorted(by_index, key=natural):
        rule = by_index[index][0]
        count = counts.get(index, 0)
        notes = []
        if any(r.formation == BY_GROUP for r in by_index[index]):
            notes.append("Формируется по группам: одно дело на группу.")
        if not all(r.approved for r in by_index[index]):
            notes.append("Срок требует решения ЭК.")
        if rule.note:
            notes.append(rule.note)
        label = retention_label(rule.retention_text, rule.article or "", rule.epk)
        rows.append({"index": index, "title": rule.case_title, "count": count if closed else "",
                     "retention": label[:1].upper() + label[1:], "note": " ".join(notes)})
        cat = summary[_category(rule.retention_text)]
        cat[0] += count
        cat[1] += count if rule.epk else 0
    labels = (("permanent", "Постоянного"), ("long", "Временного (свыше 10 лет)"),
              ("short", "Временного (до 10 лет включительно)"))

    def cell(n: int) -> str | int:
        return n if closed else ""

    table = [{"label": text, "total": cell(summary[k][0]), "carried": DASH if closed else "",
              "epk": cell(summary[k][1])} for k, text in labels]
    table.append({"label": "ИТОГО", "total": cell(sum(v[0] for v in summary.values())),
                  "carried": DASH if closed else "", "epk": cell(sum(v[1] for v in summary.values()))})
    return _common(ds, today) | {"year": year, "rows": rows, "summary": table}


def labels_context(ds: Dataset, year: int, cases: Sequence[Case],
                   numbers: Mapping[tuple[str, int, str], tuple[str, int]],
                   sheets: Mapping[tuple[str, int, str], int | None], today: dt.date) -> dict:
    """Spine labels of the year's printed дела: the обложка's requisites, with листов and the archive code."""
    labels = []
    for c in sorted((c for c in cases if c.year == year), key=lambda c: (natural(c.index), natural(c.group or ""))):
        total = sheets.get(c.key)
        cipher = numbers.get(c.key)
        lines = [ds.organization.short_name, f"Дело №{NBSP}{c.index} за {c.year} год", heading_text(c),
                 f"Крайние даты: {_short_dates(c)}", f"Хранить {c.retention_text[:1].lower()}{c.retention_text[1:]}",
                 f"Листов: {DASH if total is None else total}"]
        if cipher:
            lines.append(f"Ф. №{NBSP}{ds.organization.archive_fund or '____'}  Оп. №{NBSP}{cipher[0]}  "
                         f"Д. №{NBSP}{cipher[1]}")
        labels.append({"text": "\n".join(lines)})
    return _common(ds, today) | {"year": year, "labels": labels}
