"""Reading the loader's text frames: cells as typed values, rows with their Excel row numbers.

Shared by the Dataset builder (`pipeline.intake.model`) and the cross-sheet rules (`pipeline.intake.rules`).
Cells arrive normalised (ISO dates, whole numbers as digits, None for empty; see `pipeline.intake.load`);
a value that still does not parse gives None here, because its sheet check has already reported it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from itertools import repeat
from typing import Any, Protocol

import pandas as pd

from pipeline.core.dataset import Source

ROW = "__row__"
BadRows = set[tuple[str, str, int]] | frozenset[tuple[str, str, int]]


class Loaded(Protocol):
    """What this module needs of `pipeline.intake.load.LoadedInput`."""

    frames: Mapping[tuple[str, str], pd.DataFrame]
    hashes: Mapping[str, str]
    exports: Mapping[str, Any]  # group workbook -> pipeline.intake.moodle.MoodleExport


# --- cells -----------------------------------------------------------------------------------------


def text(value: Any) -> str | None:
    """Give a cell as text, None when empty (pandas hands missing text over as NaN)."""
    if value.__class__ is str:  # nearly every call: the loader's cells are text or None
        return value if value.strip() else None
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    value = str(value)
    return value if value.strip() else None


def as_date(value: Any) -> dt.date | None:
    """Give an ISO «ГГГГ-ММ-ДД» cell as a date; None when empty or not a date (reported per sheet)."""
    value = text(value)
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def as_int(value: Any) -> int | None:
    value = text(value)
    return int(value) if value and value.isdigit() else None


def as_float(value: Any) -> float | None:
    value = text(value)
    try:
        return float(value.replace(",", ".")) if value else None
    except ValueError:
        return None


def is_lesson_column(header: Any) -> bool:
    """Tell whether a grid column is a lesson (headed by its number)."""
    return isinstance(header, str) and header.isdigit()


# --- rows ------------------------------------------------------------------------------------------


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """Give a frame's rows as dicts, in one conversion (row or column access copies `attrs` each time)."""
    headers = list(frame.columns)
    return list(map(dict, map(zip, repeat(headers), frame.to_numpy(dtype=object).tolist())))


def records(loaded: Loaded, file: str, sheet: str, bad_rows: BadRows) -> Iterator[tuple[Source, dict]]:
    """Give (source, row as {header: value}) for every row of a table sheet that passed its checks."""
    frame = loaded.frames.get((file, sheet))
    if frame is None or frame.empty:
        return
    for record in rows_of(frame):
        row = int(record[ROW])
        if (file, sheet, row) not in bad_rows:
            yield Source(file, sheet, row), record


def keyvalue(loaded: Loaded, file: str, sheet: str, bad_rows: BadRows) -> tuple[Source, dict] | None:
    """Give the one record of a «Параметр | Значение» sheet, its failed parameters blanked out."""
    frame = loaded.frames.get((file, sheet))
    if frame is None or frame.empty:
        return None
    record = rows_of(frame)[0]
    rows: dict[str, int] = frame.attrs.get("rows", {})
    for header, row in rows.items():
        if (file, sheet, row) in bad_rows:
            record[header] = None
    first = int(record[ROW]) if text(record.get(ROW)) else min(rows.values(), default=1)
    return Source(file, sheet, first), record


def keyvalue_row(loaded: Loaded, file: str, sheet: str, header: str) -> int | None:
    """Give the Excel row of one parameter of a keyvalue sheet."""
    frame = loaded.frames.get((file, sheet))
    if frame is None:
        return None
    return frame.attrs.get("rows", {}).get(header)


def raw_column(loaded: Loaded, file: str, sheet: str, header: str) -> set[str] | None:
    """Give every value a column holds, bad rows included; None when the sheet or column is missing.

    Reference rules look ids up here as well as in the Dataset, so that a row skipped for its own
    problem does not also make every row naming it «not found».
    """
    frame = loaded.frames.get((file, sheet))
    if frame is None or header not in frame.columns or header in frame.attrs.get("missing", ()):
        return None
    return {v for v in (text(x) for x in frame[header]) if v is not None}


def shown(value: Any) -> Any:
    """A value as staff see it in a message: dates as ДД.ММ.ГГГГ."""
    return value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else value
