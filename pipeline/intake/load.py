"""Read the staff's workbooks into one text frame per sheet, keeping the Excel row of every record.

Every workbook is read once with calamine (raw cell values, no header guessing), every cell is
normalised per its column's kind (`pipeline.intake.normalise`), and problems with files, sheets and headers
are collected as `Problem` records instead of stopping. Nothing here judges the values themselves:
that is the schemas' job (`pipeline.intake.workbook_check`, `pipeline.intake.validate`).

Frame layout (what `pipeline.intake.validate` and `pipeline.intake.model` read):
- columns are the schema's headers in schema order (a missing column is present and all None), then,
  for the attendance grid, the lesson columns in sheet order headed «1», «2», …; plus the int column
  `__row__`, the Excel row (1-based) of each record;
- `frame.attrs["cols"]`: header -> 1-based column number in the workbook (for cell addresses);
- `frame.attrs["missing"]`: headers the sheet lacks (their checks are not run: one problem is enough);
- keyvalue sheets («Организация», «Группа») are ONE row; `__row__` holds the first parameter's row and
  `frame.attrs["rows"]` maps each parameter (header) to its own Excel row.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

from pipeline.core import faults
from pipeline.core.errors import UchetError
from pipeline.core.links import refuse_input_links
from pipeline.core.problems import Problem, mask_snils
from pipeline.core.xlsx_writer import column_letter
from pipeline.intake import moodle
from pipeline.intake.formulas import unseen
from pipeline.intake.normalise import clean_text, normalise, normalise_column
from schemas import GROUP_FILE, GROUPS_DIR, LEARNERS_FILE, ORGANIZATION_FILE, SHEETS, SheetSpec, columns

ROW = "__row__"
LESSON_HEADER = re.compile(r"^\d+$")
KEYVALUE_HEADER = ("Параметр", "Значение")
KEYVALUE_VALUE_COLUMN = 2
# Spreadsheet formats staff may save a group in by mistake; they are reported as errors, not read
# (.xlsm too: macros have no place in the records, and one format keeps the marked copies simple).
FOREIGN_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".csv")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"

SheetKey = tuple[str, str]


class Fixed(dict):
    """A read-only dict that deep-copies as itself.

    pandas deep-copies a frame's `attrs` into every column and slice taken from it; with a lesson grid
    that was a hundred copies per column access, about a second of each validation at 400 groups.
    """

    def __deepcopy__(self, memo: dict) -> Fixed:
        return self

    def __reduce__(self):
        return Fixed, (dict(self),)

    def _read_only(self, *args, **kwargs):
        raise TypeError("frame.attrs maps are read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only  # type: ignore[assignment]


def discover(input_dir: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Give the workbooks of input_dir to read, as (relative path, kind), and the problems with the folder.

    Kinds are ORGANIZATION_FILE, LEARNERS_FILE and GROUP_FILE. A missing input folder is an operational
    failure (UchetError); a missing workbook, lock files and foreign spreadsheet formats are problems.
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise UchetError(f"Папка с данными «{input_dir}» не найдена. Укажите ее в --input или создайте командой uchet init.")
    refuse_input_links(input_dir)
    problems: list[Problem] = []
    lock_files(input_dir, problems)
    workbooks: list[tuple[str, str]] = []
    for name in (ORGANIZATION_FILE, LEARNERS_FILE):
        if (input_dir / name).is_file():
            workbooks.append((name, name))
        else:
            problems.append(missing_workbook(input_dir, name))
    workbooks += [(rel, GROUP_FILE) for rel in group_workbooks(input_dir, problems)]
    return workbooks, problems


# --- files ---------------------------------------------------------------------------------------

DAMAGED = "файл поврежден или это не книга Excel"


def unreadable_file(rel: str, exc: OSError, code: str) -> Problem:
    """The problem of a file the system would not let us read: locked by another program, or no rights."""
    if isinstance(exc, PermissionError):
        return Problem(rel, None, None, None, "file_locked")
    return Problem(rel, None, None, None, code, params={"reason": exc.strerror or DAMAGED})



def missing_workbook(input_dir: Path, name: str) -> Problem:
    """The problem of a reference workbook that is not in input_dir, naming a file with a close name."""
    present = [p.name for p in input_dir.iterdir()] if input_dir.is_dir() else []
    close = difflib.get_close_matches(name, present, n=1, cutoff=0.6)
    return Problem(
        name, None, None, None, "workbook_missing",
        params={"folder": str(input_dir), "suggestion": _suggest(close)},
    )


def group_workbooks(input_dir: Path, problems: list[Problem]) -> list[str]:
    """Give the group workbooks of input/groups/ (relative paths, sorted), adding the problems met there:
    no folder, no workbook, lock files, spreadsheets in a format other than .xlsx."""
    folder = input_dir / GROUPS_DIR
    if not folder.is_dir():
        problems.append(Problem(GROUPS_DIR, None, None, None, "groups_missing", params={"folder": str(input_dir)}))
        return []
    found: list[str] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        rel = f"{GROUPS_DIR}/{path.name}"
        name, suffix = path.name, path.suffix.lower()
        if not path.is_file():
            continue
        if name.startswith("~$") or name.startswith(".~lock."):
            # Excel/LibreOffice lock file: someone has the workbook open; the workbook itself is read.
            problems.append(Problem(rel, None, None, None, "lock_file", "warning"))
        elif moodle.group_workbook_of(name) is not None:
            continue  # a Moodle grade export beside its group workbook: read by pipeline.intake.moodle
        elif suffix == ".xlsx" and not name.startswith("."):
            found.append(rel)
        elif suffix in FOREIGN_SPREADSHEETS:
            problems.append(Problem(rel, None, None, None, "unsupported_format", params={"suffix": suffix}))
    if not found:
        problems.append(Problem(GROUPS_DIR, None, None, None, "no_groups", "warning"))
    return found


def read_workbook(input_dir: Path, rel: str, kind: str,
                  hashes: dict[str, str]) -> tuple[dict[SheetKey, pd.DataFrame], dict[SheetKey, SheetSpec], list[Problem]]:
    """Give the text frames, their contract sheets and the problems met reading one workbook of `kind`.

    The hash of the workbook's bytes goes into `hashes` under `rel` (not when the file cannot be read).
    """
    frames: dict[SheetKey, pd.DataFrame] = {}
    specs: dict[SheetKey, SheetSpec] = {}
    problems: list[Problem] = []
    try:
        data = (input_dir / rel).read_bytes()
    except OSError as exc:
        if faults.is_environmental(exc):  # no rights, a disk error: not a problem of the workbook's content
            raise UchetError(faults.unreadable_input(input_dir / rel, exc)) from exc
        problems.append(unreadable_file(rel, exc, "workbook_unreadable"))
        return frames, specs, problems
    hashes[rel] = hashlib.sha256(data).hexdigest()
    # Before calamine opens the file: the sheets' XML is measured (a bomb would take the run down) while
    # formulas without a value and hidden rows are looked for.
    hidden, hidden_rows, refused = unseen(data, {spec.name for spec in SHEETS if spec.workbook == kind})
    book = open_workbook(data, rel, problems, refused)
    if book is None:
        return frames, specs, problems
    present = book.sheet_names
    for spec in SHEETS:
        if spec.workbook != kind:
            continue
        if spec.name not in present:
            if spec.required:
                problems.append(_missing_sheet(rel, spec.name, present))
            continue
        try:
            sheet = book.get_sheet_by_name(spec.name)
            rows = sheet.to_python(skip_empty_area=False)
        except python_calamine.CalamineError:  # the sheet's XML is broken (a damaged or hand-made file)
            problems.append(Problem(rel, spec.name, None, None, "workbook_unreadable", params={"reason": DAMAGED}))
            continue
        reader = _read_keyvalue if spec.layout == "keyvalue" else _read_table
        start = len(problems)
        frames[(rel, spec.name)] = reader(rows, spec, rel, problems)
        specs[(rel, spec.name)] = spec
        merged = sheet.merged_cell_ranges or ()
        if spec.layout != "keyvalue" and any(r0 == 0 and c1 > c0 for (r0, c0), (_r1, c1) in merged):
            problems[start:] = _merged_header(rel, spec, rows, merged, problems[start:])
            merged = [m for m in merged if not (m[0][0] == 0 and m[1][1] > m[0][1])]
        problems += _hidden_problems(rel, spec, rows, hidden.get(spec.name, ()))
        problems += _merged_problems(rel, spec, rows, merged)
        problems += _hidden_rows_problems(rel, spec, rows, hidden_rows.get(spec.name, ()))
    return frames, specs, problems


def open_workbook(data: bytes, rel: str, problems: list[Problem], refused: str | None):
    """Give the calamine workbook of `rel`, or None after recording why it cannot be read.

    `refused`: why pipeline.intake.xlsx_guard will not let a reader see the file (None: it may).
    """
    if data.startswith(OLE_MAGIC):
        # A password-protected .xlsx is an encrypted OLE container, as is an old .xls renamed .xlsx.
        problems.append(Problem(rel, None, None, None, "workbook_protected"))
        return None
    if not data.startswith(XLSX_MAGIC):
        problems.append(Problem(rel, None, None, None, "workbook_unreadable", params={"reason": "не формат .xlsx"}))
        return None
    if refused is not None:
        # Checked before calamine sees the file: a bomb would take the whole run down with no message.
        problems.append(Problem(rel, None, None, None, "workbook_too_large", params={"reason": refused}))
        return None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError:
        # calamine's own words («Cannot detect file format», «invalid Zip archive») are English and
        # say nothing staff can act on.
        problems.append(Problem(rel, None, None, None, "workbook_unreadable", params={"reason": DAMAGED}))
        return None
    return book


def _hidden_problems(rel: str, spec: SheetSpec, rows: list[list], cells) -> list[Problem]:
    """A problem for every formula cell that calamine reads as empty (no saved value, or an error)."""
    out = []
    for cell in cells:
        if spec.layout == "keyvalue":
            line = rows[cell.row - 1] if cell.row <= len(rows) else []
            header = clean_text(line[0]) if line and cell.col == KEYVALUE_VALUE_COLUMN else None
        else:
            head = rows[0] if rows else []
            header = clean_text(head[cell.col - 1]) if cell.row > 1 and cell.col <= len(head) else None
        code = "formula_no_value" if cell.error is None else "formula_error"
        out.append(_at(rel, spec.name, cell.row, header, code, cell.col - 1, value=cell.error))
    return out


def _merged_problems(rel: str, spec: SheetSpec, rows: list[list], ranges) -> list[Problem]:
    """A warning per merged range: only its first cell holds the value, the others read as empty."""
    if not ranges:
        return []

    out = []
    for (row0, col0), (row1, col1) in ranges:
        if spec.layout == "keyvalue":
            line = rows[row0] if row0 < len(rows) else []
            header = clean_text(line[0]) if line and col0 == KEYVALUE_VALUE_COLUMN - 1 else None
        else:
            head = rows[0] if rows else []
            header = clean_text(head[col0]) if row0 > 0 and col0 < len(head) else None
        area = f"{column_letter(col0 + 1)}{row0 + 1}:{column_letter(col1 + 1)}{row1 + 1}"
        out.append(_at(rel, spec.name, row0 + 1, header, "merged_cells", col0, "warning", value=area))
    return out


def _hidden_rows_problems(rel: str, spec: SheetSpec, rows: list[list], hidden: list[int]) -> list[Problem]:
    """One warning per sheet whose filled rows are hidden (a filter or «Скрыть»): they are read all the same,
    while whoever looks at the sheet believes she sees all of it."""
    filled = [n for n in sorted(set(hidden)) if 1 < n <= len(rows) and _filled(rows[n - 1])]
    if not filled:
        return []
    return [Problem(rel, spec.name, filled[0], None, "hidden_rows", "warning", _ranges(filled),
                    {"count": len(filled)})]


def _ranges(numbers: list[int]) -> str:
    """«3, 5–7, 10» from sorted row numbers."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def _merged_header(rel: str, spec: SheetSpec, rows: list[list], merged, found: list[Problem]) -> list[Problem]:
    """Header cells merged together (a common way to make a heading look nice): one error per merge that
    names the columns left without a header, instead of «missing column» plus «data without a header»."""
    ranges = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in merged if r0 == 0 and c1 > c0]
    lost = {c for (_r0, c0), (_r1, c1) in ranges for c in range(c0 + 1, c1 + 1)}
    missing = [p for p in found if p.code == "missing_column"]
    folded = [p for p in found if p.code == "value_without_header" and p.params.get("col", 0) - 1 in lost]
    if len(missing) <= len(lost):
        folded += missing  # the merged-away header cells held them
    names = ", ".join(f"«{p.column}»" for p in missing if p in folded) or "—"
    out = [p for p in found if p not in folded]
    for (_r0, c0), (_r1, c1) in ranges:
        area = f"{column_letter(c0 + 1)}1:{column_letter(c1 + 1)}1"
        head = rows[0][c0] if rows and c0 < len(rows[0]) else None
        out.append(_at(rel, spec.name, 1, clean_text(head), "merged_header", c0, value=area, missing=names))
    return out


def lock_files(input_dir: Path, problems: list[Problem]) -> None:
    """Warn about Excel («~$…») and LibreOffice («.~lock.…#») lock files beside the reference workbooks."""
    for path in sorted(input_dir.iterdir(), key=lambda p: p.name):
        if path.is_file() and (path.name.startswith("~$") or path.name.startswith(".~lock.")):
            problems.append(Problem(path.name, None, None, None, "lock_file", "warning"))


def _missing_sheet(rel: str, sheet: str, present: list[str]) -> Problem:
    close = difflib.get_close_matches(sheet, present, n=1, cutoff=0.5)
    return Problem(rel, sheet, None, None, "missing_sheet", params={"suggestion": _suggest(close)})


def _suggest(close: list[str]) -> str:
    """The «did you mean» clause of a message, empty when nothing is close."""
    return f" Похоже, это «{close[0]}»." if close else ""


# --- sheets --------------------------------------------------------------------------------------


def _fields(spec: SheetSpec) -> tuple[list[tuple[str, dict]], dict | None]:
    """Give the fixed (header, metadata) columns of a sheet and the metadata of its lesson columns."""
    fixed, repeated = [], None
    for _attr, header, meta in columns(spec):
        if spec.layout == "grid" and header.startswith("^"):
            repeated = meta
        else:
            fixed.append((header, meta))
    return fixed, repeated


def _read_table(rows: list[list], spec: SheetSpec, rel: str, problems: list[Problem]) -> pd.DataFrame:
    fixed, repeated = _fields(spec)
    expected = {header for header, _meta in fixed}
    first = _header_index(rows, expected)
    if first:
        # A title or blank rows above the headers: one error naming the cause, and the table read by
        # the headers where they are (not a dozen «missing column» errors and a sheet of nonsense).
        problems.append(Problem(rel, spec.name, first + 1, None, "header_not_first_row"))
    header_row = [clean_text(v) for v in rows[first]] if rows else []

    positions: dict[str, int] = {}
    for index, header in enumerate(header_row):
        if header is None:
            continue
        if header in positions:
            problems.append(_at(rel, spec.name, first + 1, header, "duplicate_column", index))
        else:
            positions[header] = index
    is_lesson = (lambda h: bool(LESSON_HEADER.match(h))) if repeated else (lambda h: False)
    unknown = [h for h in positions if h not in expected and not is_lesson(h)]
    missing = [(h, m) for h, m in fixed if h not in positions]

    if not positions:
        if not first:
            problems.append(Problem(rel, spec.name, 1, None, "sheet_no_header"))
    else:
        for header, meta in missing:
            if meta.get("required"):
                close = difflib.get_close_matches(header, unknown, n=1, cutoff=0.6)
                problems.append(
                    Problem(rel, spec.name, first + 1, header, "missing_column", params={"suggestion": _suggest(close)})
                )
        for header in unknown:
            close = difflib.get_close_matches(header, [h for h, _m in missing], n=1, cutoff=0.6)
            problems.append(
                _at(rel, spec.name, first + 1, header, "unknown_column", positions[header], "warning", suggestion=_suggest(close))
            )

    lessons = [h for h in positions if is_lesson(h)]
    out = [(h, m) for h, m in fixed] + [(h, repeated) for h in lessons]

    # Column by column: each column's kind is looked up once and its distinct values normalised
    # once; problems are then put back in the order a row-by-row reading finds them.
    numbers = [n for n, raw in enumerate(rows[first + 1:], start=first + 2) if _filled(raw)]
    body = [rows[n - 1] for n in numbers]
    width = max(map(len, body), default=0)
    if any(len(raw) != width for raw in body):
        body = [list(raw) + [None] * (width - len(raw)) for raw in body]
    cells = list(zip(*body, strict=True)) if body else []
    found: list[tuple[int, int, Problem]] = []  # (record, slot in the row, problem)
    values: list[list] = []
    for slot, (header, meta) in enumerate(out):
        position = positions.get(header)
        if position is None or position >= width:
            values.append([None] * len(body))
            continue
        kind = meta.get("kind", "text")
        column, issues = normalise_column(cells[position], kind, meta.get("values"))
        values.append(column)
        for record, issue in issues:
            shown = clean_text(cells[position][record])
            if kind == "snils":
                shown = mask_snils(shown)
            found.append((record, slot, _at(rel, spec.name, numbers[record], header, issue.code, position,
                                            issue.severity, value=shown, **(issue.params or {}))))
    for index in range(width):
        if index < len(header_row) and header_row[index] is not None:
            continue
        for record, raw in enumerate(cells[index]):
            value = clean_text(raw)
            if value is not None:
                found.append((record, len(out) + index, _at(rel, spec.name, numbers[record], None,
                                                            "value_without_header", index, "warning", value=value)))
                break
    found.sort(key=lambda item: (item[0], item[1]))
    problems += [problem for _record, _slot, problem in found]

    frame = _frame([h for h, _m in out], values, numbers)
    frame.attrs["cols"] = Fixed({h: positions[h] + 1 for h, _m in out if h in positions})
    frame.attrs["missing"] = tuple(h for h, _m in missing)
    return frame


HEADER_SEARCH_ROWS = 10


def _header_index(rows: list[list], expected: set[str]) -> int:
    """The 0-based row of the headers: 0 unless row 1 has none of them and a row below has at least two."""
    if not rows or any(clean_text(v) in expected for v in rows[0]):
        return 0
    need = min(2, len(expected))
    for index in range(1, min(len(rows), HEADER_SEARCH_ROWS)):
        if sum(clean_text(v) in expected for v in rows[index]) >= need:
            return index
    return 0


def _filled(raw: list) -> bool:
    """Tell whether a row holds anything but empty cells (spaces and invisible characters are empty)."""
    for value in raw:
        if value.__class__ is str:
            if value.isprintable():  # only plain spaces can be blank here: see clean_text
                if value.strip(" "):
                    return True
                continue
        elif value is None:
            continue
        if clean_text(value) is not None:
            return True
    return False


def _frame(headers: list[str], columns: list[list], rows: list[int]) -> pd.DataFrame:
    """Give a text frame (object dtype: pandas would infer its own string type) from its columns, with ROW last.

    ROW (the Excel row numbers, as ints) shares the one object block: inserting it as an int64 column
    afterwards doubled the cost of building the 3,300 frames of a large input.
    """
    block = np.empty((len(rows), len(headers) + 1), dtype=object)
    for index, column in enumerate(columns):
        block[:, index] = column
    block[:, len(headers)] = rows
    return pd.DataFrame(block, columns=[*headers, ROW], dtype=object, copy=False)


def _read_keyvalue(rows: list[list], spec: SheetSpec, rel: str, problems: list[Problem]) -> pd.DataFrame:
    fixed, _ = _fields(spec)
    expected = {header: meta for header, meta in fixed}
    start = 1 if rows and clean_text(rows[0][0] if rows[0] else None) == KEYVALUE_HEADER[0] else 0
    if not start:
        below = next((i for i, raw in enumerate(rows[1:HEADER_SEARCH_ROWS], start=1)
                      if raw and clean_text(raw[0]) == KEYVALUE_HEADER[0]), None)
        if below is not None:  # a title above «Параметр | Значение»: told once, the parameters read below it
            problems.append(Problem(rel, spec.name, below + 1, None, "header_not_first_row"))
            start = below + 1

    found: dict[str, tuple[int, object]] = {}
    unknown: list[tuple[str, int]] = []
    for number, raw in enumerate(rows[start:], start=start + 1):
        name = clean_text(raw[0]) if raw else None
        if name is None:
            continue
        value = raw[1] if len(raw) > 1 else None
        if name in found:
            problems.append(_at(rel, spec.name, number, name, "duplicate_parameter", 0))
        elif name in expected:
            found[name] = (number, value)
        else:
            unknown.append((name, number))

    missing = [h for h in expected if h not in found]
    for header in missing:
        if expected[header].get("required"):
            close = difflib.get_close_matches(header, [n for n, _r in unknown], n=1, cutoff=0.6)
            problems.append(
                Problem(rel, spec.name, None, header, "missing_parameter", params={"suggestion": _suggest(close)})
            )
    for name, number in unknown:
        close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
        problems.append(_at(rel, spec.name, number, name, "unknown_parameter", 0, "warning", suggestion=_suggest(close)))

    record, row_of = {}, {}
    for header, meta in fixed:
        if header not in found:
            record[header] = None
            continue
        number, raw = found[header]
        value, issue = normalise(raw, meta.get("kind", "text"), meta.get("values"))
        if issue is not None:
            problems.append(
                _at(rel, spec.name, number, header, issue.code, KEYVALUE_VALUE_COLUMN - 1, issue.severity,
                    value=clean_text(raw), **(issue.params or {}))
            )
        record[header] = value
        row_of[header] = number
    frame = _frame([h for h, _m in fixed], [[record[h]] for h, _m in fixed], [min(row_of.values(), default=start + 1)])
    frame.attrs["rows"] = Fixed(row_of)
    frame.attrs["cols"] = Fixed({h: KEYVALUE_VALUE_COLUMN for h in row_of})
    frame.attrs["missing"] = tuple(missing)
    return frame


def _at(rel, sheet, row, column, code, index, severity="error", *, value=None, **params) -> Problem:
    """A Problem at a known cell; `index` is the 0-based column position, kept for the cell address."""
    return Problem(rel, sheet, row, column, code, severity, value, params={"col": index + 1, **params})
