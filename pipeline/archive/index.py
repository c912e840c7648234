"""The archive index (опись, `index-<год>.xlsx`, one per year) and `find`: where every document is.

The index is rebuilt from the bags' own document lists, never from the build, so it shows exactly what
the archive holds, tombstones of destroyed documents included. A second sheet lists the learners of
every bag, so a learner's documents can be found by СНИЛС or name. It holds personal data: it lives
under output/, which git ignores, and `find` prints no СНИЛС.

Why one file per year, and why written as text (pipeline.core.xlsx_stream) rather than through openpyxl
or xlsxwriter: the index grows with the whole archive (70,000 rows at 50,000 learners), and a one-group
edit must not pay for all of it. A year's file is rewritten only when its rows changed: the hash of its
rows is kept in the file itself (the zip comment, which Excel drops when it saves, so an index edited by
hand is written again too). And when it is rewritten, it is at the speed of joining strings: every cell
is text (inline strings, text format «@»), which is all the index holds. openpyxl (write-only) and
xlsxwriter both take 10-25 µs a cell, 8-15 s for a large year: longer than the whole edit may take.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from functools import partial
from pathlib import Path

from python_calamine import CalamineWorkbook

from pipeline.archive import records as rec
from pipeline.archive.bag import read_bag_info
from pipeline.core import xlsx_stream
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import atomic_write_bytes

LEGACY_INDEX = "index.xlsx"
"""The whole-archive index of earlier versions: removed when the yearly files are written."""
INDEX_PATTERN = re.compile(r"index-(\d{4})\.xlsx")
DOC_SHEET = "Опись"
LEARNER_SHEET = "Слушатели"
_LAYOUT = "index 3"  # part of every file's hash: a change of columns or styles rewrites every year

# (header, Record field or a computed key, width)
COLUMNS = (
    ("Год", "year", 6), ("Группа", "group", 16), ("Путь", "path", 60), ("Версия", "version", 7),
    ("Статус", "status", 11), ("Носитель", "carrier_title", 34), ("Документ", "title", 50), ("Дата", "date", 11),
    ("Индекс дела", "case_index", 10), ("Заголовок дела", "case_title", 40), ("Срок хранения", "retention", 14),
    ("Статья перечня", "article", 12), ("ЭПК", "epk", 5), ("Решение ЭК", "approved", 8),
    ("Уничтожить не ранее", "destroy_not_before", 12), ("Слушатель (ID)", "learner_id", 12),
    ("Слушатель", "learner_name", 30), ("Подписан", "signed", 8), ("Основание исправления", "correction", 30),
    ("Акт об уничтожении", "disposal_act", 18), ("Ключ носителя", "carrier", 16), ("Ид. документа", "doc_id", 30),
    ("SHA-256", "sha256", 20),
)
LEARNER_COLUMNS = (("Год", "year", 6), ("Группа", "group", 16), ("Папка", "folder", 24), ("ID", "learner_id", 12),
                   ("ФИО", "name", 34), ("СНИЛС", "snils", 16))
_RECORD_KEYS = tuple(key for _, key, _ in COLUMNS[3:])  # after year, group and path: Record fields


def index_name(year: str) -> str:
    return f"index-{year}.xlsx"


def is_index_name(name: str) -> bool:
    return name == LEGACY_INDEX or INDEX_PATTERN.fullmatch(name) is not None


def years(archive_root: Path, only: Collection[str] | None = None) -> list[Path]:
    """Give the year folders of the archive, in order (those named in `only`, when given)."""
    if not archive_root.is_dir():
        return []
    return sorted(p for p in archive_root.iterdir()
                  if p.is_dir() and p.name.isdigit() and (only is None or p.name in only))


def year_bags(year: Path) -> list[Path]:
    """Give the bag folders of one year folder, by name (staging folders excluded)."""
    return sorted(p for p in year.iterdir() if p.is_dir() and not p.name.startswith("."))


def bags(archive_root: Path) -> Iterator[Path]:
    """Give every bag folder of the archive, by year and folder name (staging folders excluded)."""
    for year in years(archive_root):
        yield from year_bags(year)


def index_paths(archive_root: Path) -> list[Path]:
    """Give the index file each year of the archive has (whether it exists yet or not)."""
    return [archive_root / index_name(year.name) for year in years(archive_root)]


Row = tuple[str, ...]


def year_rows(year: Path) -> tuple[list[Row], list[Row]]:
    """Give (document rows, learner rows) of one year folder, in the order of COLUMNS and LEARNER_COLUMNS."""
    docs: list[Row] = []
    learners: list[Row] = []
    for bag in year_bags(year):
        group = read_bag_info(bag).get("Group-Number", "")
        folder = f"{year.name}/{bag.name}"
        for r in sorted(rec.read_documents(bag), key=lambda r: (r.doc_id, r.version)):
            values = vars(r)
            docs.append((year.name, group, f"{folder}/{r.file}", *(str(values[k]) for k in _RECORD_KEYS)))
        learners += [(year.name, ln.group, folder, ln.learner_id, ln.name, ln.snils) for ln in rec.read_learners(bag)]
    return docs, learners


def rows(archive_root: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Give (document rows, learner rows) of the whole archive, keyed like COLUMNS and LEARNER_COLUMNS."""
    doc_keys, learner_keys = [k for _, k, _ in COLUMNS], [k for _, k, _ in LEARNER_COLUMNS]
    docs, learners = [], []
    for year in years(archive_root):
        d, ln = year_rows(year)
        docs += [dict(zip(doc_keys, row, strict=True)) for row in d]
        learners += [dict(zip(learner_keys, row, strict=True)) for row in ln]
    return docs, learners


# --- views written only when their content changed ------------------------------------------------


def content_key(*parts: object) -> str:
    """Give the hash of a view's content (its rows, its layout), as kept in the file it was written to.

    The hash of `repr(parts)`, taken list item by list item: a year of 23,000 rows as one repr string
    (and its bytes) held two more copies of the year's rows at once.
    """
    digest = hashlib.sha256()
    for piece in _repr_pieces(parts):
        digest.update(piece.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


_CHUNK = 1000
"""Items of a list made into text at a time."""


def _repr_pieces(value: object) -> Iterator[str]:
    """Give repr(value) in pieces whose concatenation is repr(value): a long list a thousand items at a time
    (each piece made by repr itself), a container holding such a list item by item."""
    kind = type(value)
    if kind is not list and kind is not tuple:
        yield repr(value)
        return
    nested = any(type(v) in (list, tuple) and len(v) > _CHUNK for v in value)
    if len(value) <= _CHUNK and not nested or kind is tuple and len(value) == 1:
        yield repr(value)  # a one-item tuple keeps its trailing comma
        return
    yield "[" if kind is list else "("
    for start in range(0, len(value), _CHUNK):
        if start:
            yield ", "
        chunk = list(value[start:start + _CHUNK])
        if nested:
            for i, item in enumerate(chunk):
                if i:
                    yield ", "
                yield from _repr_pieces(item)
        else:
            yield repr(chunk)[1:-1]
    yield "]" if kind is list else ")"


def view_key(path: Path) -> str | None:
    """Give the content hash a view file carries (its zip comment), or None when it carries none."""
    try:
        with zipfile.ZipFile(path) as z:
            comment = z.comment.decode("ascii", "replace")
    except (OSError, zipfile.BadZipFile):
        return None
    return comment.removeprefix("uchet ") if comment.startswith("uchet ") else None


def write_view(path: Path, key: str, make: Callable[[], bytes]) -> bool:
    """Write make()'s zip to path, carrying key, unless the file already carries it; give whether it wrote."""
    if view_key(path) == key:
        # Marked as checked now: a bag written since the view's content last changed must not make
        # every later run read the whole archive again (pipeline.archive.filing._stale_views).
        os.utime(path)
        return False
    buf = io.BytesIO(make())
    with zipfile.ZipFile(buf, "a") as z:
        z.comment = f"uchet {key}".encode("ascii")
    atomic_write_bytes(path, buf.getvalue())
    return True


def index_bytes(docs: list[Row], learners: list[Row], year: str) -> bytes:
    """Give a year's index: two text-only sheets (pipeline.core.xlsx_stream) with a plain bold header."""
    return xlsx_stream.workbook_bytes(
        [xlsx_stream.Sheet(name, [xlsx_stream.Column(title, width) for title, _, width in columns], data,
                           text_only=True, filled_header=False, one_page_wide=False)
         for name, columns, data in ((DOC_SHEET, COLUMNS, docs), (LEARNER_SHEET, LEARNER_COLUMNS, learners))],
        title=f"Опись архива за {year} год")


def write_index(archive_root: Path, only: Collection[str] | None = None) -> list[Path]:
    """Write each year's index-<год>.xlsx from its bags, only where its rows changed; give the files written.

    A year's index is a view of its bags: a file left from a year that no longer has bags, and the
    whole-archive index.xlsx of earlier versions, are removed. `only`: the years (folder names) to look
    at, when the caller knows no other year's bags changed (filing: the years it wrote into).
    """
    written = []
    for year in years(archive_root, only):
        docs, learners = year_rows(year)
        path = archive_root / index_name(year.name)
        key = content_key(_LAYOUT, COLUMNS, LEARNER_COLUMNS, docs, learners)
        if write_view(path, key, partial(index_bytes, docs, learners, year.name)):
            written.append(path)
    remove_stale(archive_root, {p.name for p in index_paths(archive_root)}, is_index_name)
    return written


def remove_stale(archive_root: Path, current: set[str], is_view: Callable[[str], bool]) -> None:
    """Remove the view files (is_view by name) at the archive's top level that are not in current."""
    if archive_root.is_dir():
        for path in archive_root.iterdir():
            if path.is_file() and is_view(path.name) and path.name not in current:
                path.unlink(missing_ok=True)


# --- find --------------------------------------------------------------------------------------------


def _read_sheet(book, name: str, columns) -> list[dict[str, str]]:
    values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    if not values:
        return []
    keys = {h: k for h, k, _ in columns}
    header = [str(v) for v in values[0]]
    return [{keys[h]: "" if v is None else str(v) for h, v in zip(header, row, strict=False) if h in keys}
            for row in values[1:]]


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _matches_name(query: str, name: str) -> bool:
    words = _norm(name).split()
    return all(any(w.startswith(q) for w in words) for q in _norm(query).split())


def find(archive_root: Path, year: int | None = None, group: str | None = None,
         learner: str | None = None) -> list[dict[str, str]]:
    """Give the index rows (keyed like COLUMNS) matching every filter given, read from the yearly indexes.

    learner is a СНИЛС (any punctuation) or a name, whole or in part («Иванов», «Иванов Ив»); a learner
    matches their own documents, their groups' documents and the year books of the years they studied.
    """
    every = index_paths(archive_root)
    paths = [p for p in every if year is None or p.name == index_name(str(year))]
    missing = [p for p in paths if not p.is_file()]
    if not every or missing:
        where = missing[0] if missing else archive_root / index_name("<год>")
        raise UchetError(f"Опись архива «{where}» не найдена. Сначала выполните «uchet build» (make).")
    docs, learners = [], []
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        docs += _read_sheet(book, DOC_SHEET, COLUMNS)
        learners += _read_sheet(book, LEARNER_SHEET, LEARNER_COLUMNS)
    if year is not None:
        docs = [d for d in docs if d["year"] == str(year)]
    if group:
        g = _norm(group)
        docs = [d for d in docs if _norm(d["group"]) == g or _norm(d["path"].split("/")[1]) == g]
    if learner:
        digits = re.sub(r"\D", "", learner)
        if len(digits) == 11:
            found = [ln for ln in learners if re.sub(r"\D", "", ln["snils"]) == digits]
        else:
            found = [ln for ln in learners if _matches_name(learner, ln["name"]) or ln["learner_id"] == learner.strip()]
        ids = {ln["learner_id"] for ln in found}
        groups = {ln["group"] for ln in found if ln["group"]}
        found_years = {ln["year"] for ln in found}
        docs = [
            d for d in docs
            if d["learner_id"] in ids
            or (not d["learner_id"] and d["group"] in groups)
            or (not d["learner_id"] and not d["group"] and d["year"] in found_years)
        ]
    return docs
