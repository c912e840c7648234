"""The archive's views (yearly index and labels) are written in proportion to what changed (issue 18)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
from archive_fixture import dataset, rendered
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm, Pt

from pipeline.archive.filing import archive_documents
from pipeline.archive.index import find, write_index
from pipeline.archive.labels import Label, labels_bytes, write_labels
from pipeline.archive.records import DOCUMENTS, LEARNERS, documents_bytes, read_documents
from pipeline.archive.verify import verify_archive

TODAY = dt.date(2026, 3, 1)  # as tests/test_archive.py: 2024 filed, 2025's year book closed


def filed(tmp_path: Path) -> Path:
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "archive", today=TODAY)
    return tmp_path / "archive"


def test_a_change_in_one_year_rewrites_only_that_years_index_and_labels(tmp_path):
    root = filed(tmp_path)
    views = sorted(p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("."))
    assert views == ["index-2024.xlsx", "index-2025.xlsx", "labels-2024.docx", "labels-2025.docx"]
    before = {name: (root / name).read_bytes() for name in views}
    assert write_index(root) == [] and write_labels(root) == []  # nothing changed: nothing written
    bag = root / "2024/ПК-2024-01"
    records = read_documents(bag)
    records[0] = dataclasses.replace(records[0], title=records[0].title + " (исправлено) <&>\x01")
    (bag / DOCUMENTS).write_bytes(documents_bytes(records))
    assert write_index(root) == [root / "index-2024.xlsx"]
    assert write_labels(root) == []  # a title is not on a label: the labels of 2024 stay as they were
    assert (root / "index-2025.xlsx").read_bytes() == before["index-2025.xlsx"]
    titles = [r["title"] for r in find(root, year=2024)]
    assert records[0].title.replace("\x01", "\ufffd") in titles  # escaped as XML wants; a control character shown


def test_an_index_saved_by_hand_or_left_by_an_earlier_version_is_replaced(tmp_path):
    root = filed(tmp_path)
    wb = openpyxl.load_workbook(root / "index-2024.xlsx")
    wb["Опись"]["G2"] = "правка от руки"
    wb.save(root / "index-2024.xlsx")  # Excel (and openpyxl) drop the zip comment that holds the content hash
    (root / "index.xlsx").write_bytes(b"old whole-archive index")
    (root / "labels.docx").write_bytes(b"old whole-archive labels")
    assert write_index(root) == [root / "index-2024.xlsx"]
    write_labels(root)
    assert "правка от руки" not in {r["title"] for r in find(root)}
    assert not (root / "index.xlsx").exists() and not (root / "labels.docx").exists()
    assert verify_archive(root).clean


def test_find_in_a_year_the_archive_does_not_have_finds_nothing(tmp_path):
    root = filed(tmp_path)
    assert find(root, year=1999) == []
    assert {r["year"] for r in find(root)} == {"2024", "2025"}


LABEL = Label("ПАПКА", "ЧОУ ДПО «Пример & <Ко>»", "03-05", "Журналы учета занятий групп за 2024 г., группа ПК\u20112024\u201101",
              "10.01.2024 – 30.06.2024", "5 лет, ст. 123", 7, 12)


def reference_labels_xml(labels: list[Label]) -> bytes:
    """The labels built cell by cell through python-docx, as before issue 18: the fast copy must match it."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(10)
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(10)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for start in range(0, len(labels), 2):
        row = table.add_row()
        row.height, row.height_rule = Mm(68), WD_ROW_HEIGHT_RULE.EXACTLY
        for col, label in enumerate(labels[start:start + 2]):
            cell = row.cells[col]
            cell.width = Mm(95)
            lines = [(label.organization, False, 9), (f"{label.kind} · Дело № {label.case_index}", True, 12),
                     (label.heading, True, 11), (f"Крайние даты: {label.dates}", False, 10),
                     (f"Срок хранения: {label.retention}", False, 10),
                     (f"Документов: {label.count}" + (f"; записей в книге: {label.entries}" if label.entries else ""),
                      False, 10)]
            cell.paragraphs[0].text = ""
            for i, (text, bold, size) in enumerate(lines):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                run = p.add_run(text)
                run.bold, run.font.size = bold, Pt(size)
                p.paragraph_format.space_after = Pt(3)
    buf = io.BytesIO()
    doc.save(buf)
    return zipfile.ZipFile(buf).read("word/document.xml")


def test_labels_copied_from_one_row_are_the_document_python_docx_builds_cell_by_cell():
    labels = [LABEL, dataclasses.replace(LABEL, kind="КОРОБКА", entries=0, count=31),
              dataclasses.replace(LABEL, case_index="03-09", heading="Книга «выдачи» & <учета>")]  # odd: a half row
    fast = zipfile.ZipFile(io.BytesIO(labels_bytes(labels))).read("word/document.xml")
    assert fast == reference_labels_xml(labels)


def test_a_folder_that_lost_its_learners_list_keeps_every_document_in_the_index(tmp_path):
    """learners.csv deleted by hand: the yearly index still lists every document of the folder (the опись must
    never lose a filed record) and verify names the loss."""
    root = filed(tmp_path)
    bag = root / "2024/ПК-2024-01"
    documents = {f"2024/ПК-2024-01/{r.file}" for r in read_documents(bag)}
    (bag / LEARNERS).unlink()
    assert write_index(root) == [root / "index-2024.xlsx"]
    assert {r["path"] for r in find(root, year=2024)} >= documents
    assert not verify_archive(root).clean


def _set_time(paths, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    for path in paths:
        os.utime(path, (when, when))


def test_every_year_whose_views_are_behind_is_rewritten_whatever_year_before_it_lost_a_view(tmp_path):
    """docs/archive.md «Опись и поиск»: a year's index and labels are rewritten when what is filed that year
    changed. A run that files nothing finds those years by the files' times: 2024 has lost its labels, and a bag
    of 2025 was written (by something else) after 2025's views; both years get their views again."""
    root = filed(tmp_path)
    (root / "labels-2024.docx").unlink()
    index = root / "index-2025.xlsx"
    fresh = index.read_bytes()
    index.write_bytes(b"left alone")
    _set_time([index, root / "labels-2025.docx"], 3600)
    filed(tmp_path)
    assert (root / "labels-2024.docx").is_file() and index.read_bytes() == fresh


def test_a_bag_file_rewritten_in_place_after_the_views_makes_its_year_behind(tmp_path):
    """A bag's file rewritten in place (repair writes documents.csv again) changes no folder's time, only the
    file's: the views of its year are behind and are rewritten by a run that files nothing."""
    root = filed(tmp_path)
    _set_time([p for p in (root / "2024").rglob("*")], 7200)
    index = root / "index-2024.xlsx"
    fresh = index.read_bytes()
    index.write_bytes(b"left alone")
    _set_time([index, root / "labels-2024.docx"], 3600)
    _set_time([root / "2024/ПК-2024-01" / DOCUMENTS], 0)
    filed(tmp_path)
    assert index.read_bytes() == fresh


def test_a_bag_file_as_old_as_the_views_does_not_make_its_year_behind(tmp_path):
    """_stale_views: a year is behind when a bag's file is newer than its index or labels. The run that wrote the
    views wrote its bags just before, often within the same tick of the file-system clock: a file as old as the
    views is not newer, and a run that files nothing leaves the year's views alone."""
    root = filed(tmp_path)
    index = root / "index-2024.xlsx"
    index.write_bytes(b"left alone")
    tick = index.stat().st_mtime_ns
    for path in [index, root / "labels-2024.docx", *(root / "2024").rglob("*")]:
        os.utime(path, ns=(tick, tick))
    filed(tmp_path)
    assert index.read_bytes() == b"left alone"
