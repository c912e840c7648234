"""What every cross-sheet rule works with: the Dataset, the loaded sheets, and a way to report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.dataset import Dataset, Group, Program, Source
from pipeline.core.problems import Problem
from pipeline.intake.frames import ROW, Loaded, keyvalue_row, raw_column, shown, text
from schemas.group import AttendanceSheet

# Codes that are worth a look but do not stop the run (exit 0 unless --strict).
WARNINGS = frozenset({
    "name_yo_mismatch",
    "final_date_after_end",
    "expel_date_not_expelled",
    "status_completed_early",
    "certificate_to_graduate",
    "certificate_not_registered",
    "award_group_unknown",  # the group's workbook may have left input/ (an old year): the поощрение stands
    "attendance_below_minimum",
    "learner_too_old",
    "nomenclature_approved_by_protocol",  # the протокол stands; the номенклатура's status only lags behind it
})

GROUP_SHEET = "Группа"
ATTENDANCE_SHEET = "Посещаемость"


class _Everything:
    """A container that holds every value: what an unread column may contain."""

    def __contains__(self, _value: object) -> bool:
        return True


EVERYTHING = _Everything()


@dataclass
class Context:
    """The Dataset under check, the raw sheets behind it, and the problems found so far."""

    dataset: Dataset
    loaded: Loaded
    problems: list[Problem] = field(default_factory=list)
    raw_cache: dict[tuple[str, str, str], set[str] | None] = field(default_factory=dict)
    """Columns as typed, by (file, sheet, header); contexts over one input may share it."""
    columns: Mapping[tuple[str, str], Mapping[str, int]] = field(default_factory=dict)
    """Header -> column number of sheets whose frames `loaded` does not hold (cell addresses only)."""

    def report(self, code: str, file: str, sheet: str, row: int | None, column: str | None,
               value: Any = None, **params: Any) -> None:
        """Record one problem; its severity follows from its code."""
        severity = "warning" if code in WARNINGS else "error"
        params = {k: shown(v) for k, v in params.items()}
        frame = self.loaded.frames.get((file, sheet))
        cols = frame.attrs.get("cols", {}) if frame is not None else self.columns.get((file, sheet), {})
        if column in cols:
            params["col"] = cols[column]  # the report turns it into a cell address
        self.problems.append(Problem(file, sheet, row, column, code, severity, shown(value), params))

    def at(self, code: str, src: Source, column: str, value: Any = None, **params: Any) -> None:
        """Record a problem in the cell of a record's row."""
        self.report(code, src.file, src.sheet, src.row, column, value, **params)

    def at_group(self, code: str, group: Group, header: str, value: Any = None, **params: Any) -> None:
        """Record a problem in one parameter of a group's «Группа» sheet."""
        row = keyvalue_row(self.loaded, group.file, GROUP_SHEET, header)
        self.report(code, group.file, GROUP_SHEET, row, header, value, **params)

    def raw(self, file: str, sheet: str, header: str) -> set[str] | None:
        """Give every value of a column as typed, bad rows included; None when it was not read."""
        key = (file, sheet, header)
        if key not in self.raw_cache:
            self.raw_cache[key] = raw_column(self.loaded, file, sheet, header)
        return self.raw_cache[key]

    def typed(self, file: str, sheet: str, header: str):
        """Give the values of a column as typed, or a set holding everything when it was not read,
        so that «not there» is never concluded from a sheet that is missing altogether."""
        raw = self.raw(file, sheet, header)
        return EVERYTHING if raw is None else raw

    def missing(self, value: str, registry: Any, file: str, sheet: str, header: str) -> bool:
        """Tell whether an id names nothing: absent from the registry and from the sheet it comes from.

        An id whose row was skipped for its own problem, or whose sheet was not read at all, is not
        reported again here.
        """
        if value in registry:
            return False
        raw = self.raw(file, sheet, header)
        return raw is not None and value not in raw

    def group_raw(self, group: Group, header: str) -> str | None:
        """Give a «Группа» parameter as typed (to tell «empty» from «skipped as invalid»)."""
        frame = self.loaded.frames.get((group.file, GROUP_SHEET))
        if frame is None or header not in frame.columns or frame.empty:
            return None
        return text(frame[header].iloc[0])

    def program(self, group: Group) -> Program | None:
        return self.dataset.programs.get(group.program_code)


def groups(ctx: Context) -> list[Group]:
    """Give the groups in workbook order, so problems come out in a stable order."""
    return sorted(ctx.dataset.groups.values(), key=lambda g: g.file)


def grid_rows(ctx: Context, group: Group) -> list[tuple[str, Source]]:
    """Give (learner id, source) of every row of a group's attendance grid, as typed.

    Read from the sheet rather than the Dataset: a learner with no marks has no Mark records.
    """
    frame = ctx.loaded.frames.get((group.file, ATTENDANCE_SHEET))
    if frame is None or AttendanceSheet.learner not in frame.columns:
        return []
    out = []
    for learner_id, row in zip(frame[AttendanceSheet.learner], frame[ROW], strict=True):
        learner_id = text(learner_id)
        if learner_id is not None:
            out.append((learner_id, Source(group.file, ATTENDANCE_SHEET, int(row))))
    return out
