"""Printable labels for archive folders and boxes (`output/archive/labels-<год>.docx`), eight to an A4 page.

One folder label per case in each group folder (a group folder holds documents of several cases), and
one box label per case and year, for the box that holds that case's folders of all groups. Built with
python-docx directly (no staff-editable template): a label is a table cell, and the layout is fixed
by the page size, not by the institution's style. Requisites follow NOTES §4.3 (обложка дела).

One file per year, written only when that year's labels changed (their hash is kept in the file, as
the index does: pipeline.archive.index.write_view). python-docx lays out one row of labels; the rest
are copies of that row with their texts put in (lxml), so a year of 6,000 labels takes a tenth of a
second where building every cell through python-docx took a minute at 50,000 learners.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.archive.bag import read_bag_info
from pipeline.archive.index import content_key, remove_stale, write_view, year_bags, years
from pipeline.archive.names import printable
from pipeline.archive.records import read_documents
from pipeline.archive.retention import retention_label
from pipeline.core.stable import FIXED_TIME, stable_zip

LEGACY_LABELS = "labels.docx"
"""The whole-archive labels of earlier versions: removed when the yearly files are written."""
LABELS_PATTERN = re.compile(r"labels-(\d{4})\.docx")
COLS, ROWS = 2, 4
_LAYOUT = "labels 2"  # part of every file's hash: a change of the layout rewrites every year


def labels_name(year: str) -> str:
    return f"labels-{year}.docx"


def is_labels_name(name: str) -> bool:
    return name == LEGACY_LABELS or LABELS_PATTERN.fullmatch(name) is not None


def label_paths(archive_root: Path) -> list[Path]:
    """Give the labels file each year of the archive has (whether it exists yet or not)."""
    return [archive_root / labels_name(year.name) for year in years(archive_root)]


@dataclass(frozen=True)
class Label:
    kind: str  # «ПАПКА» or «КОРОБКА»
    organization: str
    case_index: str
    heading: str
    dates: str
    retention: str
    count: int
    entries: int = 0
    """Entries of the registers (книги регистрации) in the case; 0 when it holds none."""


def _ru(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else "—"


def _nb(number: str) -> str:
    """A group number never breaks at its hyphen («ПК-⏎2025-01»): U+2011 is a non-breaking hyphen."""
    return number.replace("-", "\u2011")


def _dates(records) -> list[str]:
    """Every date the documents carry: each one's own date, and a journal's or a register's first entry."""
    return [d for r in records for d in (r.first_date, r.date) if d]


def _span(dates: list[str]) -> str:
    """«Крайние даты»: the first and the last date of the documents filed in the case (NOTES §4.3)."""
    if not dates:
        return "—"
    first, last = min(dates), max(dates)
    return _ru(first) if first == last else f"{_ru(first)} – {_ru(last)}"


def _entries(records) -> int:
    return sum(int(r.entries) for r in records if r.entries.isdigit())


def collect(archive_root: Path) -> list[Label]:
    """Give folder labels then box labels of every year, kept documents only."""
    return [label for year in years(archive_root) for label in collect_year(year)]


def collect_year(year_dir: Path) -> list[Label]:
    """Give folder labels (per bag and case) then box labels (per case) of one year, kept documents only."""
    folders: list[Label] = []
    boxes: dict[tuple[str, str], dict] = defaultdict(lambda: {"groups": set(), "docs": []})
    for bag in year_bags(year_dir):
        info = read_bag_info(bag)
        org, year = info.get("Source-Organization", ""), year_dir.name
        group = info.get("Group-Number", "")
        cases: dict[str, list] = defaultdict(list)
        for r in read_documents(bag):
            if r.kept:
                cases[r.case_index].append(r)
        for index, docs in sorted(cases.items()):
            first = docs[0]
            where = f", группа {_nb(group)}" if group else ""
            retention = retention_label(first.retention, first.article, first.epk == "да")
            folders.append(Label("ПАПКА", org, index or "—", f"{first.case_title or first.carrier_title} за {year} г.{where}",
                                 _span(_dates(docs)), retention, len(docs), _entries(docs)))
            box = boxes[(year, index)]
            box.update(org=org, title=first.case_title or first.carrier_title, retention=retention)
            if group:
                box["groups"].add(group)
            box["docs"] += docs
    box_labels = [
        Label("КОРОБКА", b["org"], index or "—",
              f"{b['title']} за {year} г." + (f"; группы: {', '.join(_nb(g) for g in sorted(b['groups']))}"
                                              if b["groups"] else ""),
              _span(_dates(b["docs"])), b["retention"], len(b["docs"]), _entries(b["docs"]))
        for (year, index), b in sorted(boxes.items())
    ]
    return folders + box_labels


def _lines(label: Label) -> list[tuple[str, bool, int]]:
    """The label's lines: (text, bold, size in points)."""
    return [
        (label.organization, False, 9),
        (f"{label.kind} · Дело № {label.case_index}", True, 12),
        (label.heading, True, 11),
        (f"Крайние даты: {label.dates}", False, 10),
        (f"Срок хранения: {label.retention}", False, 10),
        (f"Документов: {label.count}" + (f"; записей в книге: {label.entries}" if label.entries else ""), False, 10),
    ]


def _fill(cell, label: Label) -> None:

    cell.paragraphs[0].text = ""
    for i, (text, bold, size) in enumerate(_lines(label)):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        run = p.add_run(printable(text))
        run.bold, run.font.size = bold, Pt(size)
        p.paragraph_format.space_after = Pt(3)


def _add_row(table, labels: list[Label]) -> None:

    row = table.add_row()
    row.height, row.height_rule = Mm(68), WD_ROW_HEIGHT_RULE.EXACTLY
    for col, label in enumerate(labels):
        row.cells[col].width = Mm(95)
        _fill(row.cells[col], label)


_SAMPLE = Label(*(f.name for f in fields(Label)[:6]), count=0)  # any label: only its row's shape is copied


def labels_bytes(labels: list[Label]) -> bytes:

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(10)
    section.top_margin = section.bottom_margin = Mm(10)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(10)
    if not labels:
        doc.add_paragraph("В архиве пока нет документов.")
    else:
        table = doc.add_table(rows=0, cols=COLS)
        table.style = "Table Grid"
        # Two rows laid out by python-docx (a full one and one with a single label), then taken out and
        # copied for every row: a label's six runs are the same elements whatever its text.
        _add_row(table, [_SAMPLE] * COLS)
        _add_row(table, [_SAMPLE])
        tbl = doc.element.body.find(qn("w:tbl"))
        full, single = tbl.findall(qn("w:tr"))
        tbl.remove(full)
        tbl.remove(single)
        for start in range(0, len(labels), COLS):
            chunk = labels[start : start + COLS]
            row = copy.deepcopy(full if len(chunk) == COLS else single)
            texts = [printable(text) for label in chunk for text, _, _ in _lines(label)]
            for element, text in zip(row.iter(qn("w:t")), texts, strict=True):
                element.text = text
            tbl.append(row)
    props = doc.core_properties
    props.author = props.last_modified_by = "uchet"
    props.title = "Ярлыки папок и коробок архива"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue())


def write_labels(archive_root: Path, only: Collection[str] | None = None) -> list[Path]:
    """Write each year's labels-<год>.docx from its bags, only where its labels changed; give the files written.

    A file left from a year that no longer has bags, and the labels.docx of earlier versions, are removed.
    `only`: the years (folder names) to look at, as for pipeline.archive.index.write_index.
    """
    written = []
    for year in years(archive_root, only):
        labels = collect_year(year)
        path = archive_root / labels_name(year.name)
        if write_view(path, content_key(_LAYOUT, labels), partial(labels_bytes, labels)):
            written.append(path)
    remove_stale(archive_root, {p.name for p in label_paths(archive_root)}, is_labels_name)
    return written
