"""One ФИС ФРДО upload: pre-flight, the rows not sent yet, the workbook, then the sent record.

A run that finds nothing new or changed writes nothing at all (no empty workbook, no record): an empty
upload would only confuse staff and the portal. It says so in Russian and ends with exit code 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.dataset import Dataset
from pipeline.core.fsutil import atomic_write_bytes, safe_component
from pipeline.core.problems import Problem
from pipeline.frdo.history import Planned, load_uploads, next_number, plan, record, sent_dir
from pipeline.frdo.preflight import preflight
from pipeline.frdo.rows import build_rows
from pipeline.frdo.template import KIND_TITLE, Kind, template
from pipeline.frdo.workbook import write_workbook


@dataclass(frozen=True)
class ExportResult:
    kind: Kind
    year: int
    workbook: Path | None
    """The upload workbook written, None when nothing was written."""
    sent_record: Path | None
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    """The rows written, cells in template order."""
    actions: list[str] = field(default_factory=list)
    """Per row: «new», «duplicate» or «correction»."""
    problems: list[Problem] = field(default_factory=list)
    message: str = ""
    """A one-line Russian summary for the console (no personal data)."""

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def workbook_path(output_dir: Path, kind: Kind, year: int, number: int) -> Path:
    return output_dir / "frdo" / str(year) / safe_component(f"ФРДО_{kind}_{year}_{number}.xlsx")


def check(dataset: Dataset, year: int, kind: Kind) -> list[Problem]:
    """Give the pre-flight problems of one year and template (nothing is written)."""
    return preflight(build_rows(dataset, year, kind), template(kind))


def export(
    dataset: Dataset, year: int, kind: Kind, output_dir: Path, *, today: dt.date, correct_names: bool = False
) -> ExportResult:
    """Write the upload workbook of one year and template with the documents not sent yet, and record it.

    Does not take the output folder's run lock: the caller (CLI or build) holds it.
    """
    tpl = template(kind)
    title = f"ФИС ФРДО, {KIND_TITLE[kind]}, {year}"
    rows = build_rows(dataset, year, kind)
    problems = preflight(rows, tpl)
    if any(p.is_error for p in problems):
        return ExportResult(kind, year, None, None, tpl.header, problems=problems,
                            message=f"{title}: выгрузка не записана — исправьте ошибки проверки ФИС ФРДО.")
    uploads = load_uploads(output_dir, kind)
    outcome = plan(rows, tpl, uploads, year, correct_names=correct_names)
    planned = outcome.planned
    problems += [
        Problem("", None, None, None, "frdo_withdrawn", "warning", key, {"upload": upload.workbook})
        for key, upload in outcome.withdrawn
    ]
    by_key = {r.key: r for r in rows}
    problems += [
        _renamed(by_key[key], upload.workbook) for key, upload in outcome.renamed
    ]
    if not planned:
        last = max((u for u in uploads if u.year == year), key=lambda u: u.number, default=None)
        note = f" Последняя выгрузка: {last.workbook} (загрузите ее в ФИС ФРДО, если еще не загружали)." if last else ""
        what = "новых и измененных документов нет" if rows else "выданных документов нет"
        return ExportResult(kind, year, None, None, tpl.header, problems=problems,
                            message=f"{title}: {what}, файл выгрузки не записан.{note}")
    number = next_number(uploads, year)
    path = workbook_path(output_dir, kind, year, number)
    values = [p.values for p in planned]
    write_workbook(path, tpl, values, today=today)
    # Only once the workbook is in place does the upload count as sent.
    sent = sent_dir(output_dir, kind) / str(year) / f"{number:03d}.json"
    atomic_write_bytes(sent, record(tpl, year, number, path.name, planned, today))
    return ExportResult(
        kind, year, path, sent, tpl.header, values, [p.action for p in planned], problems,
        f"{title}: {_summary(planned)} → {path}",
    )


def _renamed(row, workbook: str) -> Problem:
    origin = row.fields["surname"].origin
    return Problem(origin.file, origin.sheet, origin.row, origin.column, "frdo_name_changed", "warning",
                   row.key, {"upload": workbook})


def _summary(planned: list[Planned]) -> str:
    counts = {a: sum(p.action == a for p in planned) for a in ("new", "duplicate", "correction")}
    parts = [f"новых {counts['new']}"]
    if counts["duplicate"]:
        parts.append(f"дубликатов {counts['duplicate']}")
    if counts["correction"]:
        parts.append(f"исправлений {counts['correction']}")
    return f"записано строк: {len(planned)} ({', '.join(parts)})"
