"""One workbook on its own: read, checked against its sheets' schemas, and built into model objects.

Everything here depends on the workbook's bytes alone (and the code), so its result can be kept under
the workbook's hash (pipeline.cache.input_cache) and a run re-reads and re-checks only the workbooks that
changed. What needs several workbooks at once (the cross-sheet rules, two workbooks naming one group,
Moodle exports) is pipeline.intake.validate's job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.cache.learner_digests import named_learners
from pipeline.core.dataset import Group
from pipeline.core.group_facts import group_facts
from pipeline.core.problems import Problem
from pipeline.core.progress import progress
from pipeline.intake import load, model, nomenclature
from pipeline.intake.expert_sheets import build_expert
from pipeline.intake.frames import ROW, keyvalue_row
from pipeline.intake.sheet_check import bad_rows_of, sheet_problems
from schemas import GROUP_FILE, LEARNERS_FILE, ORGANIZATION_FILE, SheetSpec
from schemas.group import GroupSheet

SheetKey = tuple[str, str]


@dataclass(frozen=True)
class Frames:
    """A set of loaded sheets, as pipeline.intake.frames.Loaded (what the model and the rules read)."""

    frames: Mapping[SheetKey, pd.DataFrame]
    hashes: Mapping[str, str] = field(default_factory=dict)
    exports: Mapping[str, Any] = field(default_factory=dict)
    specs: Mapping[SheetKey, SheetSpec] = field(default_factory=dict)

    @cached_property
    def by_book(self) -> dict[str, dict[SheetKey, pd.DataFrame]]:
        """The frames of each workbook (one pass, not a scan of all frames per workbook)."""
        out: dict[str, dict[SheetKey, pd.DataFrame]] = defaultdict(dict)
        for key, frame in self.frames.items():
            out[key[0]][key] = frame
        return dict(out)


@dataclass(frozen=True)
class CheckedWorkbook:
    """What one workbook gives on its own; small enough to keep for every workbook (no frames)."""

    rel: str
    kind: str
    """ORGANIZATION_FILE, LEARNERS_FILE or GROUP_FILE."""
    sha256: str | None
    """None when the file could not be read at all."""
    load_problems: tuple[Problem, ...]
    problems: tuple[Problem, ...]
    """Schema problems, then the model's problems of this workbook alone."""
    bad_rows: frozenset[tuple[str, str, int]]
    columns: dict[SheetKey, dict[str, int]]
    """Header -> column number of each sheet (cell addresses in cross-sheet problems)."""
    has_frames: bool
    blank: bool
    """No sheet holds a single value (what `uchet init` writes)."""
    built: Any = None
    """A group workbook: its Group (None when «Группа» lacks what a group needs), before Moodle results.
    organization.xlsx: {"organization", "programs", "staff", "commissions", "nomenclature"};
    learners.xlsx: {"learners"}."""
    number_row: int | None = None
    """A group workbook: the Excel row of the group number on «Группа»."""
    named: frozenset[str] = frozenset()
    """A group workbook: every learner id its sheets name (pipeline.cache.learner_digests.named_learners),
    kept so that a later run traces a learner's change to the group without reading the group's rows."""
    facts: str | None = None
    """A group workbook: the digest of what the global cross-sheet rules may read of its group
    (pipeline.core.group_facts), before Moodle results."""


@dataclass(frozen=True)
class Checked:
    """Workbooks loaded and checked against their schemas (the load and validate stages), before any model."""

    frames: dict[SheetKey, pd.DataFrame]
    specs: dict[SheetKey, SheetSpec]
    hashes: dict[str, str]
    load_problems: dict[str, list[Problem]]
    """Per workbook: what the loader found (unreadable cells, missing sheets and columns, ...)."""
    schema_problems: dict[str, list[Problem]]
    """Per workbook: what the pandera schemas found."""


def load_and_check(input_dir: Path, todo: Iterable[tuple[str, str]]) -> Checked:
    """Read each (relative path, kind) of `todo` and check its sheets against their schemas.

    pandera's cost is per call, not per row, so the sheets of all these workbooks are checked together
    (pipeline.intake.sheet_check); its findings for a workbook do not depend on the others.
    """
    frames: dict[SheetKey, pd.DataFrame] = {}
    specs: dict[SheetKey, SheetSpec] = {}
    hashes: dict[str, str] = {}
    load_problems: dict[str, list[Problem]] = {}
    todo = list(todo)
    with progress("Чтение рабочих книг", len(todo), what="книга") as advance:
        for rel, kind in todo:
            book_frames, book_specs, found = load.read_workbook(input_dir, rel, kind, hashes)
            frames.update(book_frames)
            specs.update(book_specs)
            load_problems[rel] = found
            advance(1)

    flagged = {(p.file, p.sheet, p.row, p.column) for found in load_problems.values() for p in found
               if p.is_error and p.row is not None}
    by_spec: dict[SheetSpec, list[SheetKey]] = defaultdict(list)
    for key, spec in specs.items():
        by_spec[spec].append(key)
    checked: dict[str, list[Problem]] = defaultdict(list)
    for spec, keys in by_spec.items():
        for problem in sheet_problems(spec, {key: frames[key] for key in keys}, flagged):
            checked[problem.file].append(problem)
    return Checked(frames, specs, hashes, load_problems, checked)


def read_workbooks(input_dir: Path, todo: Iterable[tuple[str, str]]) -> tuple[list[CheckedWorkbook], Frames]:
    """Read and check each (relative path, kind) of `todo` and build its model objects.

    Gives the results in the order of `todo`, and the frames read.
    """
    todo = list(todo)
    checked = load_and_check(input_dir, todo)
    frames, specs, hashes, load_problems = checked.frames, checked.specs, checked.hashes, checked.load_problems
    view = Frames(frames, hashes, specs=specs)
    out = []
    for rel, kind in todo:
        own = view.by_book.get(rel, {})
        problems = list(checked.schema_problems.get(rel, ()))
        bad = bad_rows_of(own, load_problems[rel] + problems)
        built, number_row = build_objects(view, rel, kind, bad, problems)
        columns = {key: dict(frame.attrs.get("cols", {})) for key, frame in own.items()}
        out.append(CheckedWorkbook(
            rel=rel, kind=kind, sha256=hashes.get(rel), load_problems=tuple(load_problems[rel]),
            problems=tuple(problems), bad_rows=frozenset(bad), columns=columns,
            has_frames=bool(own), blank=all(_blank(frame) for key, frame in own.items() if key[1] != nomenclature.SHEET),
            built=built, number_row=number_row,
            named=frozenset(named_learners(built)) if isinstance(built, Group) else frozenset(),
            facts=group_facts(built, columns) if isinstance(built, Group) else None,
        ))
    return out, view


def build_objects(view: Frames, rel: str, kind: str, bad: set, problems: list[Problem]) -> tuple[Any, int | None]:
    """Give the model objects of one workbook (see CheckedWorkbook.built) and, for a group workbook, the
    Excel row of its number; rows in `bad` (file, sheet, row) are left out; the problems met are added."""
    if kind == GROUP_FILE:
        return model.build_group(view, rel, bad), keyvalue_row(view, rel, "Группа", GroupSheet.number)
    if kind == LEARNERS_FILE:
        awards = model.build_awards(view, bad)
        return {"learners": model.with_awards(model.build_learners(view, bad), awards), "awards": awards}, None
    if kind == ORGANIZATION_FILE:
        commissions = model.build_commissions(view, bad, problems)
        return {
            "organization": model.build_organization(view, bad),
            "programs": model.build_programs(view, bad, problems),
            "staff": model.build_staff(view, bad),
            "commissions": commissions,
            "nomenclature": model.build_nomenclature(view, bad),
            **build_expert(view, bad, problems, commissions),
        }, None
    return None, None


def _blank(frame: pd.DataFrame) -> bool:
    # Column by column, stopping at the first value: dropping ROW from each frame cost a third of a second at 400 groups.
    return not any(frame[column].notna().any() for column in frame.columns if column != ROW)
