"""Tell staff what to fix: a Russian console summary, `errors.xlsx`, and marked copies of their workbooks.

Only this stage writes when validation fails, and only `output/errors.xlsx` and `output/errors/` (a copy
of each workbook that has problems, offending cells filled and commented). The staff's own workbooks
are read, never written. A clean run removes the error report of a previous run.
"""

from __future__ import annotations

import dataclasses
import io
import shutil
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import click

from pipeline.core import xlsx_writer as xw
from pipeline.core.fsutil import inside
from pipeline.core.messages import render
from pipeline.core.paths import ERRORS_FILE
from pipeline.core.problems import BIRTH_DATE_COLUMNS, Problem, mask_birth_date
from pipeline.core.ru import plural
from pipeline.intake.normalise import clean_text
from schemas import SHEETS

MARKED_DIR = "errors"
MAX_CONSOLE_LINES = 200
ERROR_COLOR, WARNING_COLOR = "FFFF9999", "FFFFEB9C"  # cell fills of the marked copies
SEVERITY = {"error": "ошибка", "warning": "предупреждение"}
REPORT_COLUMNS = (
    ("Файл", 28), ("Лист", 24), ("Ячейка", 9), ("Столбец", 26), ("Значение", 24),
    ("Что не так", 60), ("Как исправить", 60), ("Серьезность", 15),
)
KEYVALUE_SHEETS = {s.name for s in SHEETS if s.layout == "keyvalue"}
KEYVALUE_VALUE_COLUMN = 2
PARAMETER_CODES = frozenset({"missing_parameter", "duplicate_parameter", "unknown_parameter"})


def report(problems: Iterable[Problem], input_dir: Path, output_dir: Path, *, strict: bool,
           title: str = "Проверка рабочих книг") -> int:
    """Give the exit code for these problems (1 on errors, or on warnings when strict), after reporting them.

    `title` heads the console list: the workbooks' check, or a later stage that found problems in them
    (the archive refusing a changed signed document) — never «Проверка пройдена» followed by errors.
    """
    problems = list(problems)
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    errors = sum(p.is_error for p in problems)
    warnings_ = len(problems) - errors
    if not problems:
        _remove_stale(output_dir)
        click.echo("Проверка пройдена: в рабочих книгах ошибок и предупреждений нет.")
        return 0
    cells, copies = _write_marked_copies(problems, input_dir, output_dir / MARKED_DIR)
    _write_errors_workbook(problems, cells, output_dir / ERRORS_FILE, copies)
    _print(problems, output_dir, title, copies)
    return 1 if errors or (strict and warnings_) else 0


# --- console -------------------------------------------------------------------------------------


def _counted(errors: int, warnings_: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} {plural(errors, 'ошибка', 'ошибки', 'ошибок')}")
    if warnings_:
        parts.append(f"{warnings_} {plural(warnings_, 'предупреждение', 'предупреждения', 'предупреждений')}")
    return ", ".join(parts)


def line(p: Problem) -> str:
    """One problem as staff read it: «Лист «…», строка N, столбец «…»: что не так. Как исправить».

    This is the console line: a birth date shows its year only (personal data stays in output/).
    """
    if p.column in BIRTH_DATE_COLUMNS:
        p = dataclasses.replace(p, value=mask_birth_date(p.value))
    what, fix = render(p)
    where = []
    if p.sheet:
        where.append(f"Лист «{p.sheet}»")
    if p.row:
        where.append(f"строка {p.row}")
    if p.column:
        # A «Параметр | Значение» sheet holds a parameter per row: its name is not a column's.
        kind = "параметр" if p.sheet in KEYVALUE_SHEETS and p.row != 1 or p.code in PARAMETER_CODES else "столбец"
        where.append(f"{kind} «{p.column}»")
    head = ", ".join(where)
    return f"{head}: {what} {fix}" if head else f"{what} {fix}"


def _print(problems: list[Problem], output_dir: Path, title: str, copies: set[str]) -> None:
    errors = sum(p.is_error for p in problems)
    click.echo(click.style(f"{title}: {_counted(errors, len(problems) - errors)}.", bold=True))
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        by_file[p.file].append(p)
    for file, items in by_file.items():
        click.echo(f"  {file or 'папка с данными'}")
        sheets = Counter((p.sheet, p.is_error) for p in items)
        for sheet in dict.fromkeys(p.sheet for p in items):
            text = _counted(sheets[(sheet, True)], sheets[(sheet, False)])
            click.echo(f"    {'лист «' + sheet + '»' if sheet else 'книга в целом'}: {text}")
    click.echo("")
    shown = 0
    for file, items in by_file.items():
        if shown >= MAX_CONSOLE_LINES:
            break
        click.echo(click.style(file or "папка с данными", bold=True))
        for p in items:
            if shown >= MAX_CONSOLE_LINES:
                break
            label = "Ошибка" if p.is_error else "Предупреждение"
            click.echo(click.style(f"  {label}. {line(p)}", fg="red" if p.is_error else "yellow"))
            shown += 1
    if shown < len(problems):
        click.echo(f"… и еще {len(problems) - shown}: полный список — в таблице.")
    # The marked copies are named only when some were written (a problem with no cell, or an unreadable
    # workbook, gets none).
    where = f"Список всех замечаний: {output_dir / ERRORS_FILE}"
    if copies:
        where += f"; копии книг с отмеченными ячейками: {output_dir / MARKED_DIR}"
    click.echo(where)


# --- marked copies -------------------------------------------------------------------------------


def _remove_stale(output_dir: Path) -> None:
    (output_dir / ERRORS_FILE).unlink(missing_ok=True)
    _remove_stale_copies(output_dir / MARKED_DIR)


def _header_columns(sheet) -> dict[str, int]:
    """Give header text -> 1-based column of row 1, first occurrence."""
    found: dict[str, int] = {}
    for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()):
        text = clean_text(cell.value)
        if text is not None:
            found.setdefault(text, cell.column)
    return found


def _column_of(p: Problem, headers: dict[str, int] | None) -> int | None:
    if "col" in p.params:
        return int(p.params["col"])
    if p.column is None:
        return None
    if p.sheet in KEYVALUE_SHEETS:
        return KEYVALUE_VALUE_COLUMN
    return (headers or {}).get(p.column)


def _write_marked_copies(problems: list[Problem], input_dir: Path,
                         marked_dir: Path) -> tuple[dict[int, str], set[str]]:
    """Copy each workbook with problems into marked_dir, cells filled and commented; give cell addresses.

    The result maps id(problem) -> «C17» for every problem that points at a cell, and names the
    workbooks (relative paths) whose marked copy was written.
    """
    # lazy: start-up — openpyxl (0.3 s), only when there are errors to write
    from openpyxl.comments import Comment

    _remove_stale_copies(marked_dir)
    cells: dict[int, str] = {}
    copies: set[str] = set()
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.sheet is not None:
            by_file[p.file].append(p)
    for rel, items in by_file.items():
        book = _load_copy(input_dir / rel)
        notes: dict[tuple[str, str], list[Problem]] = defaultdict(list)
        headers: dict[str, dict[str, int]] = {}
        for p in items:
            sheet = book[p.sheet] if book is not None and p.sheet in book.sheetnames else None
            if sheet is not None and p.sheet not in headers:
                headers[p.sheet] = _header_columns(sheet)
            col = _column_of(p, headers.get(p.sheet))
            if p.row is None:
                continue
            address = f"{xw.column_letter(col or 1)}{p.row}"
            cells[id(p)] = address
            if sheet is not None:
                notes[(p.sheet, address)].append(p)
        if not notes:
            continue
        for (sheet_name, address), found in notes.items():
            cell = _writable(book[sheet_name], address)
            color = ERROR_COLOR if any(p.is_error for p in found) else WARNING_COLOR
            cell.fill = xw.fill(color)
            text = "\n".join(f"{SEVERITY[p.severity].capitalize()}: {' '.join(render(p))}" for p in found)
            comment = Comment(_safe(text)[:30000], "uchet")
            comment.width, comment.height = 360, 120 + 60 * len(found)
            cell.comment = comment
        target = inside(marked_dir.parent, marked_dir / rel)
        xw.save(book, target)
        copies.add(rel)
    return cells, copies


def _writable(sheet, address: str):
    """Give the cell at address, or the first cell of the merged range it lies in (only that one takes a comment)."""
    # lazy: start-up — openpyxl (0.3 s), only when there are errors to write
    from openpyxl.cell.cell import MergedCell

    cell = sheet[address]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if address in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _remove_stale_copies(marked_dir: Path) -> None:
    if marked_dir.is_dir() and not marked_dir.is_symlink():
        shutil.rmtree(marked_dir)


def _load_copy(path: Path):
    """Give an openpyxl workbook loaded from the bytes of path (the file itself is never opened for writing)."""
    # lazy: start-up — openpyxl (0.3 s), only when there are errors to write
    import openpyxl

    try:
        data = path.read_bytes()
        with warnings.catch_warnings():
            # openpyxl drops data-validation extensions it cannot read; the copy is only for viewing.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - an unreadable workbook is already a reported problem; no copy then
        return None


# --- errors.xlsx ---------------------------------------------------------------------------------


def _safe(text) -> str:
    return xw.printable(text, "")


def _write_errors_workbook(problems: list[Problem], cells: dict[int, str], path: Path, copies: set[str]) -> None:
    book = xw.new_workbook(keep_first_sheet=True)
    sheet = book.active
    sheet.title = "Ошибки"
    rows = ((p.file, p.sheet, cells.get(id(p), ""), p.column, p.value, *render(p), SEVERITY[p.severity])
            for p in problems)
    # every value is shown as text, never evaluated (a value typed as «=…»); empty ones stay empty cells
    xw.text_table(sheet, REPORT_COLUMNS, rows, wrap_text=True, number_format=None)
    for number, p in enumerate(problems, start=2):
        address = cells.get(id(p), "")
        if address and p.sheet and p.file in copies:
            link = sheet.cell(row=number, column=3)
            link.hyperlink = f"{MARKED_DIR}/{p.file}#'{p.sheet}'!{address}"
            link.font = xw.link_font()
    xw.save(book, path)
