"""What was already sent to ФИС ФРДО, and what the next upload must carry.

Every upload leaves `output/frdo/sent/<kind>/<year>/<n>.json`: canonical JSON of the rows it carried,
keyed by registration number (numbering may restart each year, so the key lives within its year). The
record is written only after the upload workbook itself is in place, both atomically.

The next export of the year compares each document's row with the last row sent for it:
- not sent yet: written as is. An original is a plain row; a duplicate («Дубликат» in «Выдача
  документов», with «Заменяет документ (рег. №)») carries its confirmations and the «оригинала» block,
  whose recipient names are taken from the row sent for the original when there is one (that is the
  record FRDO holds), else from «Слушатели»;
- sent and unchanged (every column but «Номер документа для изменения»): not written again;
- sent and changed: a correction row — the document's current data, its status as recorded, and
  «Номер документа для изменения» = the «Номер документа» sent before, which is how the template
  addresses a record already in the register (NOTES §5.4). A paper document that had to be replaced
  is not a correction: staff record the new document as «Дубликат» with the confirmations of
  exchange/loss, which exports as a duplicate row.
A change of the recipient's name alone is ambiguous: a typo fixed, or a surname changed after the
document was issued (the learner came back later and «Слушатели» now holds the new name, while the
document, and so the register, rightly keeps the old one). It is therefore not corrected by default but
reported as a warning; `--correct-names` (correct_names=True) sends such corrections.
A document sent before and no longer in the workbooks cannot be withdrawn through the template: it is
reported as a warning for staff to settle in the portal.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from pipeline.frdo.rows import DocRow, Value
from pipeline.frdo.template import Template, collapse

FORMAT = 1
Action = Literal["new", "duplicate", "correction"]


@dataclass(frozen=True)
class Upload:
    year: int
    number: int
    path: Path
    workbook: str
    documents: dict[str, dict[str, Any]]
    """Registration number -> {collapsed header: value as JSON}."""


@dataclass(frozen=True)
class Planned:
    row: DocRow
    action: Action
    values: list[Any]
    """The cells of the row in template order, as written."""


def sent_dir(output_dir: Path, kind: str) -> Path:
    return output_dir / "frdo" / "sent" / kind


def load_uploads(output_dir: Path, kind: str) -> list[Upload]:
    """Give every recorded upload of a template, oldest first; any other file in the folder is passed over.

    The files are read in the order of their names, whatever order the file system lists them in."""
    uploads = []
    for path in sorted(sent_dir(output_dir, kind).glob("*/*.json")):
        if not (path.parent.name.isdigit() and re.fullmatch(r"\d+", path.stem)):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        columns = data["columns"]
        documents = {key: dict(zip(columns, row, strict=True)) for key, row in data["documents"].items()}
        uploads.append(Upload(int(data["year"]), int(data["upload"]), path, data["workbook"], documents))
    return sorted(uploads, key=lambda u: (u.year, u.number))


def next_number(uploads: list[Upload], year: int) -> int:
    return max((u.number for u in uploads if u.year == year), default=0) + 1


def to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def cell_values(row: DocRow, tpl: Template) -> list[Any]:
    """Give the row's cells in template order; coded values exactly as the template's list has them."""
    out = []
    for col in tpl.columns:
        value = (row.fields.get(col.field) or Value(None)).value
        if col.dictionary and value not in (None, ""):
            value = tpl.published(col.dictionary, value)
        out.append(value)
    return out


@dataclass(frozen=True)
class Plan:
    planned: list[Planned]
    withdrawn: list[tuple[str, Upload]]
    """Sent documents no longer in the workbooks."""
    renamed: list[tuple[str, Upload]]
    """Sent documents whose recipient's name alone differs now; not corrected unless asked to."""


NAME_FIELDS = ("surname", "name", "patronymic")


def plan(rows: list[DocRow], tpl: Template, uploads: list[Upload], year: int, *, correct_names: bool = False) -> Plan:
    """Give the rows the next upload carries, and the sent documents staff must look at."""
    state: dict[str, tuple[Upload, dict[str, Any]]] = {}
    for upload in uploads:
        if upload.year == year:
            for key, sent in upload.documents.items():
                state[key] = (upload, sent)
    headers = [collapse(c.header) for c in tpl.columns]
    change_header = collapse(tpl.column("change_number").header)
    number_header = collapse(tpl.column("number").header)
    name_headers = {collapse(tpl.column(f).header) for f in NAME_FIELDS}
    planned, renamed = [], []
    for row in rows:
        row = _original_names_as_sent(row, tpl, uploads)
        values = cell_values(row, tpl)
        current = {h: to_json(v) for h, v in zip(headers, values, strict=True)}
        if row.key not in state:
            planned.append(Planned(row, "duplicate" if row.doc.status == "Дубликат" else "new", values))
            continue
        upload, sent = state[row.key]
        changed = {h for h in headers if h != change_header and current.get(h) != sent.get(h)}
        if not changed:
            continue
        if changed <= name_headers and not correct_names:
            renamed.append((row.key, upload))
            continue
        values[headers.index(change_header)] = sent.get(number_header)
        planned.append(Planned(row, "correction", values))
    keys = {r.key for r in rows}
    withdrawn = [(key, upload) for key, (upload, _) in state.items() if key not in keys]
    return Plan(planned, withdrawn, renamed)


def _original_names_as_sent(row: DocRow, tpl: Template, uploads: list[Upload]) -> DocRow:
    """A duplicate names the original's recipient as FRDO has it: from the row sent for the original."""
    orig = row.fields.get("orig_reg_no")
    if row.doc.status != "Дубликат" or orig is None or not orig.value:
        return row
    snils = row.fields.get("snils")
    h = {f: collapse(tpl.column(f).header) for f in ("surname", "name", "patronymic", "snils")}
    sent = [
        doc for upload in uploads for key, doc in upload.documents.items()
        if key == orig.value and (snils is None or doc.get(h["snils"]) == snils.value)
    ]
    if not sent:
        return row
    last = sent[-1]
    fields = dict(row.fields)
    for field, source in (("orig_surname", "surname"), ("orig_name", "name"), ("orig_patronymic", "patronymic")):
        if field in fields:
            fields[field] = replace(fields[field], value=last.get(h[source]))
    return replace(row, fields=fields)


def record(tpl: Template, year: int, number: int, workbook: str, planned: list[Planned], today: dt.date) -> bytes:
    """Give the canonical JSON of one upload (what was sent, per registration number)."""
    data = {
        "format": FORMAT,
        "template_version": tpl.version,
        "kind": tpl.kind,
        "year": year,
        "upload": number,
        "workbook": workbook,
        "written_on": today.isoformat(),
        "columns": [collapse(c.header) for c in tpl.columns],
        "documents": {p.row.key: [to_json(v) for v in p.values] for p in planned},
        "actions": {p.row.key: p.action for p in planned},
    }
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
