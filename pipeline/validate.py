"""Check the loaded sheets against the schemas, then build and cross-check the Dataset.

Every problem is collected in one pass: the loader's (files, sheets, headers, cells it could not
normalise), every pandera failure case of every sheet, then the model builder's and the cross-sheet
rules'. The Dataset is returned only when there is no error at all.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pandera.errors

from pipeline.load import ROW, LoadedInput, load_input
from pipeline.problems import Problem, mask_snils
from schemas import SheetSpec, columns

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.dataset import Dataset

# pandera check name -> problem code; str_matches is named by the column's kind (format_date, ...).
CHECK_CODES = {
    "not_nullable": "required",
    "field_uniqueness": "not_unique",
    "unique": "not_unique",
}
CHECKSUM_CODES = ("snils_checksum", "inn_checksum", "ogrn_checksum")
MAX_LISTED_VALUES = 12


@dataclass(frozen=True)
class Validation:
    """The outcome of validation: the Dataset (None whenever there is an error) and every problem found."""

    dataset: Dataset | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def validate_input(input_dir: Path) -> Validation:
    """Give the validated Dataset of input_dir (or None) and every problem found, sorted by position."""
    loaded = load_input(input_dir)
    problems = list(loaded.problems)
    flagged = {(p.file, p.sheet, p.row, p.column) for p in problems if p.is_error and p.row is not None}
    for key, frame in loaded.frames.items():
        problems += sheet_problems(key, loaded.specs[key], frame, flagged)

    bad_rows = _bad_rows(loaded, problems)
    dataset = None
    model, crosscheck = _optional("pipeline.model"), _optional("pipeline.crosscheck")
    if model is not None:
        dataset, built = model.build_dataset(loaded, bad_rows)
        problems += built
        if dataset is not None and crosscheck is not None:
            problems += crosscheck.check(dataset, loaded)
    problems = sorted(set(problems), key=sort_key)
    if any(p.is_error for p in problems):
        dataset = None
    return Validation(dataset, problems)


def sort_key(p: Problem) -> tuple:
    """Order problems as staff read them: file, sheet, row, column."""
    return (p.file, p.sheet or "", p.row or 0, p.column or "", p.code, str(p.value))


def _optional(name: str):
    """Import a later stage if it exists yet (the model and cross-checks land separately)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def sheet_problems(key: tuple[str, str], spec: SheetSpec, frame: pd.DataFrame, flagged: set) -> list[Problem]:
    """Give the problems pandera finds in one sheet's frame, each at its Excel row and column header."""
    if frame.empty:
        # An empty object column fails pandera's str dtype check; with no records nothing else can fail.
        return []
    try:
        spec.model.validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    rel, sheet = key
    meta = {header: m for _a, header, m in columns(spec)}
    lesson_meta = next((m for h, m in meta.items() if h.startswith("^")), None)
    missing = set(frame.attrs.get("missing", ()))
    rows_of = frame.attrs.get("rows")  # keyvalue sheets
    cols = frame.attrs.get("cols", {})
    out: list[Problem] = []
    first_seen: dict[tuple[str, object], int] = {}
    for case in cases.itertuples(index=False):
        column = case.column
        if column in missing or column == ROW or not isinstance(column, str) or str(case.check).startswith("dtype("):
            # Every cell is text by construction; a dtype complaint could only be about an empty column.
            continue
        column_meta = meta.get(column) or lesson_meta or {}
        kind = column_meta.get("kind", "text")
        index = case.index
        if rows_of is not None:
            row = rows_of.get(column)
        elif index is not None and not pd.isna(index):
            row = int(frame[ROW].iloc[int(index)])
        else:
            row = None
        if (rel, sheet, row, column) in flagged:
            continue
        code, params = _code(case.check, kind, column_meta, case.failure_case)
        value = case.failure_case
        if code == "not_unique":
            first = first_seen.setdefault((column, value), row)
            if first == row:
                continue
            params["first_row"] = first
        if kind == "snils":
            value = mask_snils(value)
        if column in cols:
            params["col"] = cols[column]
        out.append(Problem(rel, sheet, row, column, code, "error", value, params))
    # A value in the wrong format also fails its check-digit rule; the format problem alone says it.
    malformed = {(p.row, p.column) for p in out if p.code.startswith("format_")}
    return [p for p in out if not (p.code in CHECKSUM_CODES and (p.row, p.column) in malformed)]


def _code(check: str, kind: str, meta: dict, value) -> tuple[str, dict]:
    """Give the problem code and message parameters of one pandera failure."""
    check = str(check)
    if check in CHECK_CODES:
        return CHECK_CODES[check], {}
    if check.startswith("str_matches"):
        return f"format_{kind}", {}
    if check.startswith("isin"):
        allowed = [str(v) for v in meta.get("values") or ()]
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        listed = (
            ", ".join(f"«{v}»" for v in allowed)
            if len(allowed) <= MAX_LISTED_VALUES
            else "значения из выпадающего списка (его содержит книга, созданная командой uchet init)"
        )
        return "not_in_list", {"allowed": listed, "suggestion": f" Похоже, имелось в виду «{close[0]}»." if close else ""}
    return check, {}


def _bad_rows(loaded: LoadedInput, problems: list[Problem]) -> set[tuple[str, str, int]]:
    """Give (file, sheet, Excel row) of every record with an error; a missing column spoils every row."""
    bad: set[tuple[str, str, int]] = set()
    spoiled = {(p.file, p.sheet) for p in problems if p.is_error and p.code in ("missing_column", "missing_parameter")}
    for p in problems:
        if p.is_error and p.sheet is not None and p.row is not None:
            bad.add((p.file, p.sheet, p.row))
    for key in spoiled:
        frame = loaded.frames.get(key)
        if frame is not None:
            bad.update((key[0], key[1], int(r)) for r in frame[ROW])
    return bad
