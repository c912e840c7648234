"""The schemas at work: every pandera failure of a sheet as a Problem at its file, row and header.

Cells reach pandera as normalised text (pipeline.intake.load); what cannot be read is the loader's problem and
is not reported twice. Uniqueness holds within one workbook, so it is checked here per frame.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from functools import cache

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from pipeline.core.problems import Problem, mask_snils
from pipeline.intake.frames import ROW
from schemas import SheetSpec, codes, columns

# pandera check name -> problem code; str_matches is named by the column's kind (format_date, ...),
# isin is not_in_list, custom checks keep their own names (snils_checksum, ...); uniqueness is ours.
CHECK_CODES = {"not_nullable": "required"}
CHECKSUM_CODES = ("snils_checksum", "inn_checksum", "ogrn_checksum")
MAX_LISTED_VALUES = 12
TEXT_DTYPE = pd.StringDtype("python")  # what the schemas' `str` columns are (pandera's STRING)


def sheet_problems(spec: SheetSpec, frames: dict[tuple[str, str], pd.DataFrame], flagged: set) -> list[Problem]:
    """Give the problems the schema finds in these frames of one sheet kind, each at its file, row and header.

    pandera's cost is per call and per check, not per row, so the frames of every group workbook are
    checked in one call; uniqueness, which holds within one workbook, is checked per frame here.
    """
    frames = {key: frame for key, frame in frames.items() if not frame.empty}
    if not frames:
        # An empty object column fails pandera's str dtype check; with no records nothing else can fail.
        return []
    keys = list(frames)
    combined = pd.concat(list(frames.values()), ignore_index=True)
    # pandera checks an object column's str dtype cell by cell; as pandas' own string dtype the check
    # is one comparison, which halves the time of a large validation. Absent lesson columns become NA.
    combined = combined.astype({c: TEXT_DTYPE for c in combined.columns if c != ROW})
    owner = [key for key in keys for _ in range(len(frames[key]))]
    try:
        _schema_without_unique(spec).validate(combined, lazy=True)
        cases = None
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases

    meta = {header: m for _a, header, m in columns(spec)}
    lesson_meta = next((m for h, m in meta.items() if h.startswith("^")), None)
    out: list[Problem] = []
    for case in () if cases is None else cases.itertuples(index=False):
        column, index = case.column, case.index
        if not isinstance(column, str) or column == ROW or str(case.check).startswith("dtype("):
            # Every cell is text by construction; a dtype complaint could only be about an empty column.
            continue
        if index is None or pd.isna(index):
            continue
        key = owner[int(index)]
        frame = frames[key]
        if column in frame.attrs.get("missing", ()):
            continue
        rows_of = frame.attrs.get("rows")  # keyvalue sheets
        row = rows_of.get(column) if rows_of is not None else int(combined[ROW].iloc[int(index)])
        column_meta = meta.get(column) or lesson_meta or {}
        value = None if case.failure_case is pd.NA else case.failure_case
        code, params = _code(case.check, column_meta, value)
        out.append(_problem(key, row, column, code, value, column_meta, frame, params))
    for key, frame in frames.items():
        out += _duplicates(key, frame, meta, _unique_columns(spec))
    out = [p for p in out if (p.file, p.sheet, p.row, p.column) not in flagged]
    # A value in the wrong format also fails its check-digit rule; the format problem alone says it.
    malformed = {(p.file, p.row, p.column) for p in out if p.code.startswith("format_")}
    return [p for p in out if not (p.code in CHECKSUM_CODES and (p.file, p.row, p.column) in malformed)]


@cache
def _schema_without_unique(spec: SheetSpec) -> pa.DataFrameSchema:
    schema = spec.model.to_schema()
    for name, column in schema.columns.items():
        if column.unique:
            schema = schema.update_column(name, unique=False)
    return schema


@cache
def _unique_columns(spec: SheetSpec) -> tuple[str, ...]:
    return tuple(name for name, column in spec.model.to_schema().columns.items() if column.unique)


def _duplicates(key, frame: pd.DataFrame, meta: dict[str, dict], unique: tuple[str, ...]) -> list[Problem]:
    """Give a not_unique problem for every repeat of a value in a unique column, naming the first row."""
    out = []
    for column in unique:
        if column not in frame.columns or column in frame.attrs.get("missing", ()):
            continue
        first: dict[str, int] = {}
        for value, row in zip(frame[column], frame[ROW], strict=True):
            if value is None:
                continue
            if value in first:
                params = {"first_row": first[value]}
                out.append(_problem(key, int(row), column, "not_unique", value, meta[column], frame, params))
            else:
                first[value] = int(row)
    return out


def _problem(key, row, column, code, value, column_meta, frame, params) -> Problem:
    if column_meta.get("kind") == "snils":
        value = mask_snils(value)
    cols = frame.attrs.get("cols", {})
    if column in cols:
        params["col"] = cols[column]
    return Problem(key[0], key[1], row, column, code, "error", value, params)


def _code(check: str, meta: dict, value) -> tuple[str, dict]:
    """Give the problem code and message parameters of one pandera failure."""
    check, kind = str(check), meta.get("kind", "text")
    if check in CHECK_CODES:
        return CHECK_CODES[check], {}
    if check.startswith("str_matches"):
        return f"format_{kind}", {}
    if check.startswith("isin"):
        allowed = [str(v) for v in meta.get("values") or ()]
        alias = codes.CODE_ALIASES.get(" ".join(str(value).casefold().split()))
        close = [alias] if alias in allowed else difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        listed = (
            ", ".join(f"«{v}»" for v in allowed)
            if len(allowed) <= MAX_LISTED_VALUES
            else "значения из выпадающего списка (его содержит книга, созданная командой uchet init)"
        )
        return "not_in_list", {"allowed": listed, "suggestion": f" Похоже, имелось в виду «{close[0]}»." if close else ""}
    return check, {}


def bad_rows_of(frames: Mapping[tuple[str, str], pd.DataFrame], problems: Iterable[Problem]) -> set[tuple[str, str, int]]:
    """Give (file, sheet, Excel row) of every record with an error; a missing column spoils every row."""
    problems = list(problems)
    bad: set[tuple[str, str, int]] = set()
    spoiled = {(p.file, p.sheet) for p in problems if p.is_error and p.code in ("missing_column", "missing_parameter")}
    for p in problems:
        if p.is_error and p.sheet is not None and p.row is not None:
            bad.add((p.file, p.sheet, p.row))
    for key in spoiled:
        frame = frames.get(key)
        if frame is not None:
            bad.update((key[0], key[1], int(r)) for r in frame[ROW])
    return bad
