"""Check the input folder: every workbook against its schemas, then build and cross-check the Dataset.

Every problem is collected in one pass: the loader's (files, sheets, headers, cells it could not
normalise), every pandera failure case of every sheet, then the model builder's and the cross-sheet
rules'. The Dataset is returned only when there is no error at all.

The work is split by what it depends on, so that a run with a cache folder redoes only what changed
(pipeline.cache.input_cache), and a run without one does the same steps with nothing kept:
1. each workbook on its own: read, schemas, model objects (pipeline.intake.workbook_check);
2. each group against the reference workbooks: the per-group cross-sheet rules (pipeline.intake.crosscheck);
3. the whole dataset: groups against each other and the reference workbooks' own rules (kept while
   no group's facts and no reference workbook changed: pipeline.core.group_facts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.cache import BuildCache
from pipeline.cache.collector import paused_gc
from pipeline.cache.input_cache import Store, file_sha256
from pipeline.cache.learner_digests import (
    facts_of,
    group_learners_digest,
    learner_digests,
    named_learners,
    other_rows_digest,
)
from pipeline.core import root_cause
from pipeline.core.dataset import Dataset, Group
from pipeline.core.problems import Problem
from pipeline.core.progress import progress
from pipeline.intake import crosscheck, load, moodle
from pipeline.intake.workbook_check import CheckedWorkbook, Frames, read_workbooks
from schemas import GROUP_FILE, LEARNERS_FILE, ORGANIZATION_FILE
from schemas.group import GroupSheet

SheetKey = tuple[str, str]
NOT_MEMBER = "ref_not_member"
SHEETS_NOT_KEPT = frozenset({LEARNERS_FILE})
"""Workbooks whose sheets the cache does not keep: the rules read learners.xlsx's sheets only to tell an id that
names no one from one on a row skipped for its own problem, and a run that must reads the workbook again
(_LazyFrames). At 50,000 learners they were 16 of the 37 MB a changed phone wrote into the cache (0.3 s)."""


@dataclass(frozen=True)
class Validation:
    """The outcome of validation: the Dataset (None whenever there is an error) and every problem found."""

    dataset: Dataset | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def sort_key(p: Problem) -> tuple:
    """Order problems as staff read them: a whole file or sheet that could not be read first (the root
    cause of what follows), then by file, sheet, row, column."""
    return (not root_cause.is_root(p), p.file, p.sheet or "", p.row or 0, p.column or "", p.code, str(p.value))


def validate_input(input_dir: Path, build_cache: BuildCache | None = None) -> Validation:
    """Give the validated Dataset of input_dir (or None) and every problem found, sorted by position.

    `build_cache`: what was found for unchanged workbooks and groups is taken from there, and what this
    run found is kept there once the build commits it.
    """
    input_dir = Path(input_dir)
    store = Store(build_cache)
    # Reading builds millions of small objects and no garbage cycles; the cyclic collector, walking
    # them again and again as they age, took a fifth of the time of a large validation.
    with paused_gc():
        result = _validate(input_dir, store)
    store.prune()
    return result


def _validate(input_dir: Path, store: Store) -> Validation:
    # 1. Each workbook on its own; those whose bytes were checked before come from the store.
    workbooks, problems = load.discover(input_dir)
    checked: dict[str, CheckedWorkbook] = {}
    with paused_gc():
        for rel, kind in workbooks:
            hit = store.checked(rel, file_sha256(input_dir / rel))
            if hit is not None and hit.kind == kind:
                checked[rel] = hit
    fresh, read = read_workbooks(input_dir, [(rel, kind) for rel, kind in workbooks if rel not in checked])
    for book in fresh:
        checked[book.rel] = book
        own = read.by_book.get(book.rel, {})
        store.put(book, None if book.kind in SHEETS_NOT_KEPT else own)
    books = [checked[rel] for rel, _kind in workbooks]
    hashes = {b.rel: b.sha256 for b in books if b.sha256 is not None}
    exports, export_problems = moodle.read_exports(input_dir, [b.rel for b in books if b.kind == GROUP_FILE], hashes)
    problems += [p for b in books for p in b.load_problems] + export_problems
    if any(b.has_frames for b in books) and all(b.blank for b in books) and not any(p.is_error for p in problems):
        # Freshly initialised workbooks: a well-formed empty dataset, not a wall of «required» errors.
        return Validation(Dataset.empty(), sorted(problems, key=sort_key))
    # A group workbook with nothing in it (the template copied and not filled yet): one error, not one per
    # empty parameter.
    blank_groups = {b.rel for b in books if b.kind == GROUP_FILE and b.has_frames and b.blank}
    problems += [Problem(rel, None, None, None, "group_blank") for rel in sorted(blank_groups)]
    problems += [p for b in books if b.rel not in blank_groups for p in b.problems]

    # 2. The Dataset: the reference workbooks' objects, and every group a workbook claims first (made below,
    #    with each group's input key).
    reference = {b.kind: b.built or {} for b in books if b.kind != GROUP_FILE}
    org, people = reference.get(ORGANIZATION_FILE, {}), reference.get(LEARNERS_FILE, {})
    groups: dict[str, Group] = {}
    for book in sorted((b for b in books if b.kind == GROUP_FILE and b.has_frames), key=lambda b: b.rel):
        group = book.built
        if group is None:
            continue
        if group.number in groups:
            problems.append(Problem(book.rel, "Группа", book.number_row, GroupSheet.number, "group_duplicate",
                                    "error", group.number, {"other_file": groups[group.number].file}))
            continue
        groups[group.number] = group
    groups, unmatched = moodle.attach(groups, people.get("learners", {}), exports)
    problems += unmatched
    learners_book = next((b for b in books if b.kind == LEARNERS_FILE and b.has_frames), None)
    if learners_book is not None:
        problems += root_cause.learners_empty(groups.values(), len(people.get("learners", {})), learners_book.blank)
    if org.get("organization") is None:
        return _result(None, problems)

    # 3. Cross-sheet rules: per group (kept while the group and the reference workbooks stay), then global.
    by_rel = {b.rel: b for b in books}
    frames = _LazyFrames(input_dir, store, by_rel, read)
    references = [b.rel for b in books if b.kind != GROUP_FILE]
    raw_cache: dict = {}
    stored = store.group_checks()
    # learners.xlsx enters a group's key through the records of the learners the group names (a phone
    # edited for one learner re-checks the groups of that learner, not all of them); the whole file's
    # hash only when the group names an unknown id (the rules then look at the sheet's raw ids).
    reference_key = "\0".join(f"{rel}={hashes.get(rel)}" for rel in references if rel != LEARNERS_FILE)
    learners = people.get("learners", {})
    digests = store.digests(LEARNERS_FILE, hashes.get(LEARNERS_FILE))
    if digests is None or digests.keys() != learners.keys():
        digests = learner_digests(learners)
        store.put_digests(LEARNERS_FILE, hashes.get(LEARNERS_FILE), digests)
    keys: dict[str, str] = {}
    # Who a group names is kept with its workbook (the group's rows are read only when asked for:
    # pipeline.core.deferred); a Moodle export names more, and its group was read whole to attach it.
    group_learners = {group.number: frozenset(named_learners(group)) if group.file in exports
                      else by_rel[group.file].named for group in groups.values()}
    for group in groups.values():
        export = exports.get(group.file)
        named, known = group_learners_digest(group_learners[group.number], digests)
        people_key = named if known else f"{named}\0{hashes.get(LEARNERS_FILE)}"
        keys[group.number] = (f"{hashes.get(group.file)}\0{export and hashes.get(export.file)}\0{reference_key}"
                              f"\0{people_key}")
    dataset = Dataset(
        organization=org["organization"], programs=org["programs"], staff=org["staff"],
        commissions=org["commissions"], nomenclature=org["nomenclature"], learners=learners,
        groups=groups, source_hashes=hashes, awards=people.get("awards", ()),
        expert_orders=org.get("expert_orders", ()), expert_meetings=org.get("expert_meetings", ()),
        learner_digests=digests, group_inputs=keys, group_learners=group_learners,
        group_facts={group.number: by_rel[group.file].facts for group in groups.values()
                     if group.file not in exports and by_rel[group.file].facts is not None},
    )
    checks: dict[str, tuple[str, tuple] | None] = {}  # None: checked again below
    stale: list[tuple[Group, str]] = []
    for group in sorted(groups.values(), key=lambda g: g.file):
        key = keys[group.number]
        found = stored.get(group.file)
        # A non-member named on a sheet is looked up by a rule that the named learners' key does not cover.
        if found is None or found[0] != key or any(p.code == NOT_MEMBER for p in found[1]):
            stale.append((group, key))
            found = None
        checks[group.file] = found
    # Groups cost about the same to check: the pace so far tells the time left (2,000 groups: half a minute).
    with progress("Проверка связей между листами", len(stale), what="группа") as advance:
        for group, key in stale:
            view = Frames(_Restricted(frames, {*references, group.file}), hashes, exports)
            checks[group.file] = (key, tuple(crosscheck.check_group(dataset, group, view, raw_cache)))
            advance(1)
    problems += [p for found in checks.values() for p in found[1]]
    if checks != stored:
        store.put_group_checks(checks)
    problems += _global_problems(dataset, books, by_rel, exports, hashes, frames, raw_cache, store)
    problems = root_cause.fold_ids(problems, dataset.learners, groups.values())
    return _result(dataset, problems)


def _global_problems(dataset: Dataset, books: list[CheckedWorkbook], by_rel: dict[str, CheckedWorkbook],
                     exports: dict, hashes: dict[str, str], frames: Mapping, raw_cache: dict, store: Store) -> list[Problem]:
    """The findings of the rules across groups; kept from the last run while the reference workbooks (of
    learners.xlsx, what the rules read of it: _learners_key), the Moodle exports and every group's facts
    (pipeline.core.group_facts) are what they were then."""
    facts = [(group.number, by_rel[group.file].facts) for group in dataset.groups.values()]
    references = [b.rel for b in books if b.kind != GROUP_FILE]
    key = None
    if all(digest is not None for _, digest in facts):
        inputs = ([(rel, _learners_key(dataset, by_rel[rel]) if rel == LEARNERS_FILE else hashes.get(rel))
                   for rel in references]
                  + sorted((export.file, hashes.get(export.file)) for export in exports.values()))
        key = hashlib.sha256(repr((inputs, facts)).encode("utf-8")).hexdigest()
        kept = store.global_checks(key)
        if kept is not None:
            return list(kept)
    columns = {sheet: cols for b in books for sheet, cols in b.columns.items()}
    view = Frames(_Restricted(frames, set(references)), hashes, exports)
    found = crosscheck.check_global(dataset, view, columns, raw_cache)
    if key is not None:
        store.put_global_checks(key, tuple(found))
    return found


def _learners_key(dataset: Dataset, book: CheckedWorkbook) -> str | None:
    """What the rules across groups read of learners.xlsx: every learner's facts (a phone or an e-mail
    aside: pipeline.cache.learner_digests.CONTACTS), the поощрения of unknown ids and the sheets' cell
    addresses. A workbook with a problem of its own gives its bytes' hash instead: a rule also looks ids up
    in the rows skipped for their problems (Context.raw)."""
    if (book.problems or book.load_problems or book.bad_rows
            or dataset.learner_digests.keys() != dataset.learners.keys()):
        return book.sha256
    # Joined rather than a repr of pairs: taken on every run, 50,000 learners at a time.
    key = hashlib.sha256("\0".join(dataset.learner_digests).encode("utf-8", "surrogatepass"))
    key.update("".join([facts_of(digest) for digest in dataset.learner_digests.values()]).encode("ascii"))
    cells = sorted((sheet, sorted(cols.items())) for sheet, cols in book.columns.items())
    key.update(repr((other_rows_digest(dataset), cells)).encode("utf-8", "surrogatepass"))
    return key.hexdigest()


def _result(dataset: Dataset | None, problems: list[Problem]) -> Validation:
    # The same problem found twice (e.g. by two rules) is listed once; the first found stays.
    problems = root_cause.fold(sorted(dict.fromkeys(problems), key=sort_key))
    return Validation(None if any(p.is_error for p in problems) else dataset, problems)


class _LazyFrames(Mapping):
    """The sheets of every workbook, read from the store only when a rule asks for that workbook's sheets."""

    def __init__(self, input_dir: Path, store: Store, books: dict[str, CheckedWorkbook], read: Frames):
        self._input_dir, self._store, self._books = input_dir, store, books
        self._frames: dict[SheetKey, pd.DataFrame] = dict(read.frames)
        self._loaded = {key[0] for key in read.frames} | {rel for rel, b in books.items() if not b.has_frames}

    def _load(self, rel: str) -> None:
        if rel in self._loaded or rel not in self._books:
            return
        self._loaded.add(rel)
        book = self._books[rel]
        stored = self._store.frames(rel, book.sha256) if book.sha256 else None
        if stored is None:  # not kept (SHEETS_NOT_KEPT), or the frames file was removed: read the workbook again
            _, read = read_workbooks(self._input_dir, [(rel, book.kind)])
            stored = read.frames
        self._frames.update(stored)

    def __getitem__(self, key: SheetKey) -> pd.DataFrame:
        self._load(key[0])
        return self._frames[key]

    def __iter__(self) -> Iterator[SheetKey]:
        for rel in self._books:
            self._load(rel)
        return iter(self._frames)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Restricted(Mapping):
    """Only the sheets of some workbooks (what one group's rules may see)."""

    def __init__(self, frames: Mapping[SheetKey, pd.DataFrame], files: set[str]):
        self._frames, self._files = frames, files

    def __getitem__(self, key: SheetKey) -> pd.DataFrame:
        if key[0] not in self._files:
            raise KeyError(key)
        return self._frames[key]

    def __iter__(self) -> Iterator[SheetKey]:
        return (key for key in self._frames if key[0] in self._files)

    def __len__(self) -> int:
        return sum(1 for _ in self)

