"""The archive stage of a run that has nothing to file, known before it reads a bag.

Filing looks at every bag's lists to find what is new: at 10,000 learners a fifth of a second's reading and
comparing, at 50,000 two seconds, on every edit, although most edits (a group still in training, a new
group) give the archive nothing. What filing decides depends on:
- the archive itself, file by file;
- of each document the render gave for the archive: which bag it goes to and its bytes and inputs (sha256,
  inputs hash); a document that waits (its group is not completed, its year not over) only gives a line
  of the report, made again by every run;
- of each completed group: its number, year, whether it is signed, and its «Основание исправления»;
- the date, and the scans in input/scans/.

A run that changed nothing in the archive is remembered under all of these (output/cache/archive_settled.json),
with what it reported, the (document, path) pairs of the archive and the count of documents waiting for
their PDF/A copy. A later run whose inputs give the same key, on an archive that is file for file (path, size,
mtime) as that run found it, would decide the same again: nothing to write. It reports what that run reported,
and reads no bag: an edit of a group in training, a new group of learners the archive does not hold yet. A
document of a group in the archive that changed (a learner's card moves to the new group of its learner,
out of the bag of a completed one), a bag touched by hand, a scan added, a new day: the key or the archive
differs, and the stage runs in full. So does every run after one that wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import cache
from pipeline.cache import BuildCache
from pipeline.carriers.registry import RenderedDocument
from pipeline.core.dataset import Dataset
from pipeline.core.tree_state import archive_state, tree_state

SETTLED = "archive_settled.json"
PAIRS = "archive_settled_pairs.json"


@dataclass(frozen=True)
class Replay:
    """What a run that had nothing to file reported, to be told again."""

    unchanged: int
    destroyed: list[tuple[str, str, str, int, str]]
    """FiledDocument fields of the documents an act destroyed (pipeline.archive.filing.FiledDocument)."""
    scans_not_filed: list[str]
    pairs: list[tuple[str, str]]
    """(doc_id, path) of every kept document of the archive (pipeline.reports.stage.archive_pairs)."""
    copies: int
    """Documents waiting for their PDF/A copy (pipeline.paper.renditions.pending_copies)."""


class SettledArchive:
    """The key of one run's archive stage, what the last settled run left under it, and the archive's state
    as this run found it (set by filing, under the archive's lock)."""

    def __init__(self, build_cache: BuildCache, key: str | None, waiting: list[str]):
        self.cache, self.key = build_cache, key
        self.waiting = waiting
        """The lines of the documents that wait (their group in training, their year not over), in filing's order."""
        self.state: str | None = None
        """The archive as filing found it (archive_state), when its key was the last settled run's or it wrote nothing."""
        self.wrote = True
        """Whether filing wrote into the archive, or may have (set False only by a run that wrote nothing)."""
        self.replayed: Replay | None = None
        """The last settled run's report, when recall found this run's key and archive to be its."""

    @classmethod
    def of(cls, build_cache: BuildCache, dataset: Dataset, documents: Sequence[RenderedDocument], *,
           today: dt.date, scans_dir: Path | None,
           destination: Callable[[RenderedDocument], tuple[int, str | None] | str | None]) -> SettledArchive:
        """The key of filing `documents` on `today`; `destination(doc)` is where filing would put a document:
        (year, group number or None), the line telling why it waits, or None (a carrier not archived)."""
        # input/scans/ as filing reads it (each group's folder, its files); a link or an unreadable folder
        # gives no key: such a run is never told again, nor remembered.
        scans = tree_state(scans_dir) if scans_dir is not None and os.path.isdir(scans_dir) else ""
        digest = hashlib.sha256(f"{today.isoformat()}\0{scans}\n".encode())
        for number, group in sorted(dataset.groups.items()):
            if group.completed:  # a group in training gives the archive nothing but lines of what waits
                digest.update(f"{number}\0{group.file}\0{group.year}\0{group.signed}\0{group.correction}\n"
                              .encode("utf-8", "surrogatepass"))
        waiting = []
        for doc in documents:
            where = destination(doc)
            if where is None:
                continue
            if isinstance(where, str):  # told, never filed: the line is made again by every run
                waiting.append(where)
                continue
            spec = doc.spec
            digest.update(f"{doc.carrier.key}\0{spec.doc_id}\0{where}\0{doc.sha256}\0{doc.inputs_hash}\0"
                          f"{spec.title}\n".encode("utf-8", "surrogatepass"))
        return cls(build_cache, digest.hexdigest() if scans is not None else None, waiting)

    def recall(self, archive_root: Path) -> Replay | None:
        """Give the last settled run's report when this run's key is its and the archive is as it found it.

        The archive is walked only when the key is the same: an edit that changes a filed document pays nothing.
        """
        found = cache.read_value(self.cache.folder / SETTLED, SETTLED) if self.key is not None else None
        try:
            if found["key"] != self.key:
                return None
            self.state = archive_state(archive_root)
            if self.state is None or found["state"] != self.state:
                return None
            pairs = cache.read_value(self.cache.folder / PAIRS, PAIRS, found["pairs"])
            self.replayed = Replay(int(found["unchanged"]), [tuple(d) for d in found["destroyed"]],
                                   list(found["scans_not_filed"]), [tuple(p) for p in pairs], int(found["copies"]))
        except (KeyError, TypeError, ValueError):
            return None
        self.wrote = False  # told again: nothing is written, the archive stays as `state` measured it
        return self.replayed

    def filed(self, archive_root: Path, *, wrote: bool) -> None:
        """Note whether filing wrote into the archive; when it did not, the archive's state, as it found it
        (called by filing under the archive's lock)."""
        self.wrote = wrote
        if not wrote and self.state is None:
            self.state = archive_state(archive_root)

    def remember(self, replay: Replay | None) -> None:
        """Keep what this run reported (None: it stopped on a problem), when it wrote nothing into the archive
        it found; else forget what the last settled run left."""
        path = self.cache.folder / SETTLED
        if replay is None or self.wrote or self.state is None or self.key is None:
            path.unlink(missing_ok=True)
            return
        # The pairs (100,000 at 50,000 learners) in a file of their own: a run whose key differs reads the small one.
        pairs = cache.write_value(self.cache.folder / PAIRS, PAIRS, [list(p) for p in replay.pairs])
        cache.write_value(path, SETTLED, {
            "key": self.key, "state": self.state, "unchanged": replay.unchanged,
            "destroyed": [list(d) for d in replay.destroyed], "scans_not_filed": replay.scans_not_filed,
            "pairs": pairs, "copies": replay.copies,
        })
