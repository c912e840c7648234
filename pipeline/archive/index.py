"""The archive index (опись, `index.xlsx`) and `find`: where every document is, answered from the index.

The index is rebuilt from the bags' own document lists, never from the build, so it shows exactly what
the archive holds, tombstones of destroyed documents included. A second sheet lists the learners of
every bag, so a learner's documents can be found by СНИЛС or name. It holds personal data: it lives
under output/, which git ignores, and `find` prints no СНИЛС.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.archive import records as rec
from pipeline.archive.bag import read_bag_info
from pipeline.core.errors import UchetError
from pipeline.core.stable import FIXED_TIME, stable_zip, write_if_changed

INDEX = "index.xlsx"
DOC_SHEET = "Опись"
LEARNER_SHEET = "Слушатели"

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


def bags(archive_root: Path) -> Iterator[Path]:
    """Give every bag folder of the archive, by year and folder name (staging folders excluded)."""
    if not archive_root.is_dir():
        return
    for year in sorted(p for p in archive_root.iterdir() if p.is_dir() and p.name.isdigit()):
        yield from sorted(p for p in year.iterdir() if p.is_dir() and not p.name.startswith("."))


def rows(archive_root: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Give (document rows, learner rows) of the whole archive, keyed like COLUMNS and LEARNER_COLUMNS."""
    docs, learners = [], []
    for bag in bags(archive_root):
        group = read_bag_info(bag).get("Group-Number", "")
        folder = bag.relative_to(archive_root).as_posix()
        for r in sorted(rec.read_documents(bag), key=lambda r: (r.doc_id, r.version)):
            row = {k: str(v) for k, v in vars(r).items()}
            docs.append(row | {"year": bag.parent.name, "group": group, "path": f"{folder}/{r.file}",
                               "folder": folder})
        for ln in rec.read_learners(bag):
            learners.append({"year": bag.parent.name, "group": ln.group, "folder": folder,
                             "learner_id": ln.learner_id, "name": ln.name, "snils": ln.snils})
    return docs, learners


def _sheet(ws, columns, data: list[dict[str, str]]) -> None:
    # openpyxl only where a workbook is written or read: a build that files nothing never imports it.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for col, (header, _, width) in enumerate(columns, 1):
        ws.cell(1, col, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(data, 2):
        for col, (_, key, _) in enumerate(columns, 1):
            cell = ws.cell(r, col)
            cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", row.get(key, ""))
            # Everything is text: a value like «=1+1», «+7…» or «-05» must never turn into a formula or number.
            cell.data_type = "s"
            cell.number_format = "@"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(data) + 1)}"


def index_bytes(archive_root: Path) -> bytes:
    import openpyxl

    docs, learners = rows(archive_root)
    wb = openpyxl.Workbook()
    _sheet(wb.active, COLUMNS, docs)
    wb.active.title = DOC_SHEET
    _sheet(wb.create_sheet(LEARNER_SHEET), LEARNER_COLUMNS, learners)
    wb.properties.creator = "uchet"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def write_index(archive_root: Path) -> Path:
    """Rewrite index.xlsx from the bags (only when its content changed); give its path."""
    path = archive_root / INDEX
    write_if_changed(path, index_bytes(archive_root))
    return path


def _read_sheet(ws, columns) -> list[dict[str, str]]:
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    keys = {h: k for h, k, _ in columns}
    out = []
    for values in ws.iter_rows(min_row=2, values_only=True):
        out.append({keys[h]: "" if v is None else str(v) for h, v in zip(header, values, strict=False) if h in keys})
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def _matches_name(query: str, name: str) -> bool:
    words = _norm(name).split()
    return all(any(w.startswith(q) for w in words) for q in _norm(query).split())


def find(archive_root: Path, year: int | None = None, group: str | None = None,
         learner: str | None = None) -> list[dict[str, str]]:
    """Give the index rows (keyed like COLUMNS) matching every filter given.

    learner is a СНИЛС (any punctuation) or a name, whole or in part («Иванов», «Иванов Ив»); a learner
    matches their own documents, their groups' documents and the year books of the years they studied.
    """
    path = archive_root / INDEX
    if not path.is_file():
        raise UchetError(f"Опись архива «{path}» не найдена. Сначала выполните «uchet build» (make).")
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        docs = _read_sheet(wb[DOC_SHEET], COLUMNS)
        learners = _read_sheet(wb[LEARNER_SHEET], LEARNER_COLUMNS)
    finally:
        wb.close()
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
        years = {ln["year"] for ln in found}
        docs = [
            d for d in docs
            if d["learner_id"] in ids
            or (not d["learner_id"] and d["group"] in groups)
            or (not d["learner_id"] and not d["group"] and d["year"] in years)
        ]
    return docs
