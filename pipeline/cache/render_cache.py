"""What the last render wrote (output/cache/render.json and the listings of each carrier), and which documents a
new run must rebuild.

The manifest lists every document of the last run: its carrier, its spec without the context, its
path under output/build/, the hash of its bytes and of its inputs (template + context), and the file's
size and mtime as written; each carrier's documents in PARTS files, so an edit rewrites the parts it
touched. A document is rendered again only when its inputs hash differs or its file
is not what the run left there.

Building contexts costs time too (a learner card walks the person's whole history), so the plan also
says which documents need their contexts built at all, from which input workbooks changed:
- nothing changed (inputs, templates, code): no context is built, the manifest is the result;
- only group workbooks changed: group- and module-scoped documents of those groups, learner-scoped
  documents of their learners (before and after the edit), and the year-scoped documents of every
  year those groups contribute to now or did last time (none, for a group that issued nothing yet);
- learners.xlsx changed: the learners whose own record changed (pipeline.cache.learner_digests) count
  as changed, and every group that names one of them counts as changed for its group-, module- and
  year-scoped documents (a name is printed in the group's protocol and orders and in the year's book;
  the books marked `facts_only` count only learners whose facts changed, a new phone or e-mail aside);
  of the learner-scoped documents, only those of the changed learners are built;
- anything else (the organisation's workbook, a new Moodle export, a template, the code): that
  carrier in full (its unchanged documents are still not rendered again).
A document's `sources` (DocumentSpec) name the workbooks it is built from; tests compare an
incremental build with a full one byte for byte.

Beside each part of a carrier's listing, a plain one (`written_name`: path, size, mtime of every file) that any
version of the program reads: after an upgrade the manifest is another version's and cannot be used, and
this still tells which files under output/build/ a run of ours wrote, so the documents the data no longer
gives are removed then too (pipeline.render.stage).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline import cache
from pipeline.cache.collector import paused_gc
from pipeline.cache.learner_digests import digests_of, facts_changed, named_of, other_rows_digest
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.core.dataset import Dataset
from pipeline.core.fsutil import atomic_write_bytes
from schemas import GROUPS_DIR, LEARNERS_FILE

MANIFEST = "render.json"


def as_left(build_dir: Path, path: str, size: int, mtime_ns: int) -> bool:
    """Tell whether the file at `path` (relative, «/») is as a run left it: that size and mtime."""
    try:
        stat = os.stat(f"{build_dir}/{path}")  # no Path objects: 14,000 of them at 400 groups
    except OSError:
        return False
    return stat.st_size == size and stat.st_mtime_ns == mtime_ns


@dataclass(frozen=True)
class Entry:
    """One document of the last run, as the manifest keeps it."""

    carrier: str
    spec: DocumentSpec  # without its context
    path: str  # relative to the build folder, with «/»
    sha256: str
    inputs_hash: str
    size: int
    mtime_ns: int

    def still_there(self, build_dir: Path) -> bool:
        """Tell whether the file is as the run left it (size and mtime; a deleted or edited file is not)."""
        return as_left(build_dir, self.path, self.size, self.mtime_ns)

    def document(self, carrier: Carrier, build_dir: Path, spec: DocumentSpec | None = None) -> RenderedDocument:
        """The RenderedDocument this entry stands for; without a fresh spec, its context is empty. Its
        location is text, made a Path only if asked for (RenderedDocument.path)."""
        return RenderedDocument(carrier, spec or self.spec, f"{build_dir}/{self.path}",
                                self.sha256, self.inputs_hash, fresh=False)


@dataclass(frozen=True)
class Manifest:
    sources: dict[str, str]
    templates: dict[str, str]
    entries: dict[str, Entry]  # by doc_id
    learners: dict[str, str] | None = None
    """{learner id: digest of the record} as the last run read learners.xlsx (learner_digests)."""
    other_rows: str | None = None
    """The digest of the rest of learners.xlsx (learner_digests.other_rows_digest)."""
    shards: dict[str, str] = dataclasses.field(default_factory=dict)
    """{listing file: sha256 of its bytes}: each carrier's documents, in PARTS files (shard_name)."""
    facts: dict[str, str] = dataclasses.field(default_factory=dict)
    """{group number: digest of its facts} as the last run's dataset gave them (Dataset.group_facts)."""
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    """{listing file: how many documents it lists}, as read (not kept: the listings tell it)."""
    parts: dict[str, int] = dataclasses.field(default_factory=dict)
    """{doc_id: the part of its carrier's listing it was read from} (part_of its spec, as written)."""

    @cached_property
    def by_carrier(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            out.setdefault(entry.carrier, []).append(entry)
        return out

    @cached_property
    def group_sources(self) -> set[str]:
        """The group workbooks any document of the last run was built from."""
        return {s for e in self.entries.values() for s in e.spec.sources if s.startswith(f"{GROUPS_DIR}/")}


PARTS = 16
"""Files a carrier's listing is kept in, by group (else learner, else document): an edit of a group or of a
learner's phone rewrites the part that lists them, not the 50,000 learner cards' 27 MB."""
_SHARD = re.compile(r"render-[a-z0-9_]+-(\d\d)\.json")  # a carrier key: nothing that leaves the folder


def part_of(spec: DocumentSpec) -> int:
    """The part of its carrier's listing a document is kept in."""
    return zlib.crc32((spec.group or spec.learner_id or spec.doc_id).encode("utf-8", "surrogatepass")) % PARTS


def shard_name(carrier: str, part: int) -> str:
    """A file listing part of one carrier's documents of the last run (render.json names it with its hash)."""
    return f"render-{carrier}-{part:02d}.json"


WRITTEN_FORMAT = 1
_WRITTEN = "written-"


def written_name(carrier: str, part: int) -> str:
    """The plain list of the files of one part of a carrier as the last run left them, in a form every
    version reads («written-<carrier>.json», a whole carrier's, as versions before the parts wrote it)."""
    return f"{_WRITTEN}{carrier}-{part:02d}.json"


def _write_written(path: Path, entries: Sequence[Entry]) -> None:
    text = json.dumps({"format": WRITTEN_FORMAT, "files": [[e.path, e.size, e.mtime_ns] for e in entries]},
                      ensure_ascii=False, separators=(",", ":"))
    atomic_write_bytes(path, text.encode("utf-8"), durable=False)


def _carrier_of_written(name: str) -> str:
    """The carrier a plain listing's file name names, with a part («written-journal-03.json») or without."""
    middle = name[len(_WRITTEN):-len(".json")]
    carrier, _, part = middle.rpartition("-")
    return carrier if carrier and len(part) == 2 and part.isdigit() else middle


def read_written(cache_dir: Path) -> Iterator[tuple[str, str, int, int]]:
    """Give (carrier, path, size, mtime_ns) of every file the last run listed as written, whichever version of
    the program that was. A path that is not a plain relative one («..», absolute, a drive) is skipped: the
    caller removes files by it."""
    for listing in sorted(cache_dir.glob(f"{_WRITTEN}*.json")):
        carrier = _carrier_of_written(listing.name)
        try:
            found = json.loads(listing.read_bytes())
        except (OSError, ValueError):
            continue
        files = found.get("files") if isinstance(found, dict) and found.get("format") == WRITTEN_FORMAT else None
        for row in files if isinstance(files, list) else ():
            if (isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and _plain_relative(row[0])
                    and type(row[1]) is int and type(row[2]) is int):
                yield carrier, row[0], row[1], row[2]


def _plain_relative(path: str) -> bool:
    parts = path.split("/")
    return not any(c in path for c in "\\:\0") and all(part not in ("", ".", "..") for part in parts)


def read_manifest(cache_dir: Path) -> Manifest | None:
    """Give the last run's manifest, or None (first run, cache deleted, other code version).

    render.json holds what the run read and the sha256 of each file listing part of a carrier's documents
    (shard_name): a listing left by another run (one stopped between two writes) is not the one named,
    and the whole manifest is then a miss.
    """
    with paused_gc():
        head = cache.read_value(cache_dir / MANIFEST, MANIFEST)
        try:
            rows = []
            counts = {}
            parts = []
            for name, sha in head["shards"].items():
                found = _SHARD.fullmatch(name)
                listed = cache.read_value(cache_dir / name, name, sha) if found else None
                if not isinstance(listed, list):
                    return None
                rows += listed
                counts[name] = len(listed)
                parts += [int(found[1])] * len(listed)
        except (KeyError, TypeError, AttributeError):
            return None
    try:
        if not all(entry.__class__ is Entry and entry.spec.__class__ is DocumentSpec for entry in rows):
            return None
        entries = {entry.spec.doc_id: entry for entry in rows}
        return Manifest(dict(head["sources"]), dict(head["templates"]), entries,
                        dict(head.get("learners") or {}), head.get("other_rows"), dict(head["shards"]),
                        dict(head.get("facts") or {}), counts,
                        dict(zip(entries, parts, strict=True)) if len(entries) == len(rows) else {})
    except (KeyError, TypeError, IndexError, AttributeError):
        return None


def write_manifest(cache_dir: Path, build_dir: Path, sources: dict[str, str], templates: dict[str, str],
                   documents: Sequence[RenderedDocument], previous: Manifest | None = None,
                   dataset: Dataset | None = None) -> dict[str, tuple[int, int]]:
    """Record this run's documents, with each file's size and mtime as it is now, and (given the
    `dataset`) the digest of each learner's record; give those states by absolute resolved path
    (BuildCache.file_states).

    A document kept from `previous` (not rendered by this run) was found as that run left it, so its
    size and mtime are taken from there instead of asking the file system again. A part of a carrier's
    listing whose documents are all kept, as the last run listed them, keeps its file: a one-group edit
    rewrites the parts listing that group's documents, not 25,000 rows (0.8 s at 400 groups).
    """
    root = build_dir.resolve()
    rows: dict[tuple[str, int], list[Entry]] = {}  # by carrier and part
    unchanged: dict[tuple[str, int], bool] = {}
    states: dict[str, tuple[int, int]] = {}
    parts = previous.parts if previous is not None else {}
    for doc in documents:
        key = doc.carrier.key
        old = previous.entries.get(doc.spec.doc_id) if previous is not None and not doc.fresh else None
        if (old is not None and old.spec is doc.spec and old.carrier == key and old.sha256 == doc.sha256
                and old.inputs_hash == doc.inputs_hash and doc.spec.doc_id in parts):
            # Kept as the last run listed it (Entry.document): its entry stands as it is, in the part it was
            # read from (25,000 at 400 groups).
            where = (key, parts[doc.spec.doc_id])
            rows.setdefault(where, []).append(old)
            states[f"{root}/{old.path}"] = (old.size, old.mtime_ns)
            unchanged.setdefault(where, True)
            continue
        where = (key, part_of(doc.spec))
        # A kept document's path is the build folder joined with the entry's (Entry.document).
        path = old.path if old is not None else Path(doc.path).relative_to(root).as_posix()
        if old is not None:
            size, mtime_ns = old.size, old.mtime_ns
        else:
            stat = Path(doc.path).stat()
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        # Specs are kept as they are (reading them back field by field is cheaper than rebuilding them).
        spec = doc.spec if not doc.spec.context else dataclasses.replace(doc.spec, context={})
        rows.setdefault(where, []).append(Entry(key, spec, path, doc.sha256, doc.inputs_hash, size, mtime_ns))
        states[f"{root}/{path}"] = (size, mtime_ns)
        unchanged[where] = unchanged.get(where, True) and old is not None and old.spec == spec
    shards = {}
    given = set()
    with paused_gc():
        for (carrier, part), listed in rows.items():
            name = shard_name(carrier, part)
            sha = previous.shards.get(name) if previous is not None else None
            plain = cache_dir / written_name(carrier, part)
            # Every entry is the last run's, each listed in this same part then: the same count, the same list.
            if sha is None or not unchanged[(carrier, part)] or len(listed) != previous.counts.get(name):
                sha = cache.write_value(cache_dir / name, name, listed)
                _write_written(plain, listed)
            elif not plain.is_file():  # kept from a version that wrote none
                _write_written(plain, listed)
            shards[name] = sha
            given |= {name, plain.name}
        cache.write_value(cache_dir / MANIFEST, MANIFEST, {
            "sources": sources, "templates": templates, "shards": shards,
            "learners": digests_of(dataset) if dataset is not None else None,
            "other_rows": other_rows_digest(dataset) if dataset is not None else None,
            "facts": dataset.group_facts if dataset is not None else {},
        })
    for path in [*cache_dir.glob("render-*.json"), *cache_dir.glob(f"{_WRITTEN}*.json")]:
        if path.name not in given:  # the listings of parts this run did not give, and those of earlier versions
            path.unlink(missing_ok=True)
    return states


@dataclass(frozen=True)
class CarrierPlan:
    """For one carrier: the dataset to build contexts from (None: build none) and which old documents stand."""

    view: Dataset | None
    kept: list[Entry]


@dataclass(frozen=True)
class Changes:
    """What changed since the last run, worked out once for every carrier."""

    files: frozenset[str]
    """Input files whose hash differs (added and removed ones too); learners.xlsx not, when its change was
    traced to `learners`."""
    whole: bool
    """A change no group can be blamed for (the organisation's workbook, a new file): build everything."""
    edited: frozenset[str] = frozenset()
    """Group numbers whose own files changed (their workbook, or a file their documents came from)."""
    named: frozenset[str] = frozenset()
    """Group numbers that name a learner whose record changed in learners.xlsx."""
    learners: frozenset[str] = frozenset()
    """Learners whose record in learners.xlsx changed (added and removed ones too)."""
    facts: frozenset[str] = frozenset()
    """Of `learners`, those whose facts changed (learner_digests.CONTACTS aside: a new phone is not among them)."""

    @property
    def groups(self) -> frozenset[str]:
        return self.edited | self.named


def changes(dataset: Dataset, previous: Manifest) -> Changes:
    """Give what changed between the last run's inputs (its manifest) and this dataset."""
    changed = frozenset(s for s in previous.sources.keys() | dataset.source_hashes.keys()
                        if previous.sources.get(s) != dataset.source_hashes.get(s))
    if not changed:
        return Changes(changed, False)
    # Only a change confined to group workbooks (present now or read last time) and learners' records can be
    # traced to groups; anything else (the organisation's workbook, a new Moodle export) rebuilds the carrier.
    group_files = {g.file for g in dataset.groups.values()} | previous.group_sources
    rest = changed - group_files
    learners: frozenset[str] = frozenset()
    facts: frozenset[str] = frozenset()
    if LEARNERS_FILE in rest and previous.learners and previous.other_rows == other_rows_digest(dataset):
        # Traced to the learners whose records changed: learners.xlsx itself no longer counts as a changed
        # source (every learner's card names it), the learners do.
        now = digests_of(dataset)
        learners = frozenset(i for i in now.keys() | previous.learners.keys() if now.get(i) != previous.learners.get(i))
        facts = facts_changed(previous.learners, now, learners)
        rest, changed = rest - {LEARNERS_FILE}, changed - {LEARNERS_FILE}
    if rest:
        return Changes(changed, True)
    if not changed and not learners:
        return Changes(changed, False)
    edited = {n for n, g in dataset.groups.items() if g.file in changed}
    edited |= {e.spec.group for e in previous.entries.values() if e.spec.group and changed & set(e.spec.sources)}
    named = {n for n in dataset.groups if learners and named_of(dataset, n) & learners}
    return Changes(changed, False, frozenset(edited), frozenset(named - edited), learners, facts)


def _same_facts(number: str, dataset: Dataset, previous: Manifest) -> bool:
    """Tell whether a group's facts are known now and are what the last run's dataset gave."""
    now = dataset.group_facts.get(number)
    return now is not None and previous.facts.get(number) == now


def plan(carrier: Carrier, dataset: Dataset, template_sha: str, previous: Manifest | None,
         build_dir: Path, found: Changes | None = None) -> CarrierPlan:
    """Give what this run must build for one carrier, given the last run's manifest (and what changed
    since, when the caller worked it out for every carrier at once)."""
    if previous is None or previous.templates.get(carrier.key) != template_sha:
        return CarrierPlan(dataset, [])
    old = previous.by_carrier.get(carrier.key, [])
    found = found or changes(dataset, previous)
    if not found.files and not found.learners:
        return CarrierPlan(None, old)
    if found.whole:
        return CarrierPlan(dataset, [])
    groups = {n: g for n, g in dataset.groups.items() if n in found.groups}
    # The files a document of a changed group may name as its source: a changed file, or a group's workbook.
    files = found.files | {g.file for g in groups.values()}
    if carrier.scope == "year":
        # A year's book is built from every group of the year: rebuilt whole, but only when a changed
        # group is among its sources now (what the changed groups alone give) or was last time.
        if carrier.facts_only and found.files <= {g.file for g in dataset.groups.values()}:
            # ...and whose facts changed: a lesson's topic corrected in a group keeps the books. (Only
            # workbooks of present groups changed: a deleted workbook or a Moodle export is not traced.)
            # A group that names a learner whose facts changed counts, its workbook edited or not; a
            # learner's new phone or e-mail keeps the books (learner_digests.CONTACTS).
            groups = {n: g for n, g in groups.items()
                      if g.file in found.files and not _same_facts(n, dataset, previous)
                      or found.facts and not found.facts.isdisjoint(named_of(dataset, n))}
            files = {g.file for g in groups.values()}
        alone = dataclasses.replace(dataset, groups=groups)
        years = {spec.year for spec in carrier.build(alone) if files & set(spec.sources)}
        years |= {e.spec.year for e in old if files & set(e.spec.sources)}
        return CarrierPlan(dataset, []) if years else CarrierPlan(None, old)
    if carrier.scope in ("group", "module"):
        kept = [e for e in old if e.spec.group not in groups and not found.files & set(e.spec.sources)]
        return CarrierPlan(dataclasses.replace(dataset, groups=groups), kept)
    # Learner-scoped: the learners of the groups whose workbooks changed, those whose documents came from
    # a changed file, and those whose own record changed — not every learner of a group that names one.
    learners = {m.learner_id for n in found.edited if n in dataset.groups for m in dataset.groups[n].members}
    learners |= {e.spec.learner_id for e in old if found.files & set(e.spec.sources)} - {None}
    learners |= found.learners
    view = dataclasses.replace(
        dataset,
        learners={i: lr for i, lr in dataset.learners.items() if i in learners},
        # Who each group names is kept (named_of): only a group that names one of them has its members read.
        groups={n: g for n, g in dataset.groups.items()
                if not learners.isdisjoint(named_of(dataset, n)) and any(m.learner_id in learners for m in g.members)},
    )
    return CarrierPlan(view, [e for e in old if e.spec.learner_id not in learners])
