"""What validation keeps under output/cache/ between runs, so that a run re-reads only what changed.

- checked/<name>.json: each workbook read and checked on its own (pipeline.intake.workbook_check), under
  its path and the hash of its bytes; checked/<name>.frames.json beside it: its sheets, read again
  only when a cross-sheet rule must look at them (not kept for learners.xlsx: pipeline.intake.validate.
  SHEETS_NOT_KEPT); for learners.xlsx, checked/<name>.digests.json: each learner's digest
  (pipeline.cache.learner_digests; 10,000 records take 0.1 s to digest);
- group_checks.json: the findings of the per-group cross-sheet rules, per group workbook, under the
  hashes of that workbook, its Moodle export and the reference workbooks;
- global_checks.json: the findings of the rules across groups, under the hashes of the reference
  workbooks and Moodle exports and each group's facts (pipeline.core.group_facts); of learners.xlsx, its
  learners' facts, a phone or e-mail aside (pipeline.intake.validate).

Every entry is stamped with the code version (pipeline.cache), so changed code starts from scratch;
a missing or damaged file is a cache miss. Reading back many small objects is dominated by the cyclic
garbage collector, which has nothing to find in them: it is paused meanwhile
(pipeline.cache.collector). What a run finds is written only once its input has passed validation
(BuildCache.commit): a run stopped by bad input leaves the cache as it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import cache
from pipeline.cache import BuildCache, file_memo
from pipeline.cache.collector import paused_gc
from pipeline.core.fsutil import sha256_file

if TYPE_CHECKING:
    from pipeline.intake.workbook_check import CheckedWorkbook

CHECKED = "checked"
GROUP_CHECKS = "group_checks.json"
GLOBAL_CHECKS = "global_checks.json"


def file_sha256(path: Path) -> str | None:
    """Give the hash of a file's bytes (None when unreadable); hashed again only when the file changed
    (pipeline.cache.file_memo: within a run, and across the runs of a build)."""
    try:
        return INPUT_HASHES.get(path.resolve(), None)
    except OSError:
        return None


INPUT_HASHES = file_memo.FileMemo("input_hashes", sha256_file)
"""The input files' hashes (the build keeps them between runs: every run, the no-op one too, needs them)."""


def input_fingerprint(input_dir: Path) -> str:
    """Give a hash of the input folder: its resolved path, and every file's relative path and bytes."""
    input_dir = Path(input_dir)
    digest = hashlib.sha256(str(input_dir.resolve()).encode("utf-8") + b"\0")
    for path in sorted(p for p in input_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(input_dir).as_posix().encode("utf-8") + b"\0")
        sha = file_sha256(path)
        digest.update(bytes.fromhex(sha) if sha else b"unreadable")  # the loader reports it; the next run retries
    return digest.hexdigest()


class Store:
    """The validation part of a BuildCache; with no cache, it keeps nothing and finds nothing."""

    def __init__(self, build_cache: BuildCache | None):
        self._cache = build_cache
        self.folder = None if build_cache is None else build_cache.folder
        self._used: set[str] = set()

    @staticmethod
    def _key(rel: str, sha: str) -> str:
        return f"{rel}\0{sha}"

    def _path(self, rel: str, sha: str, suffix: str) -> Path:
        name = hashlib.sha256(self._key(rel, sha).encode("utf-8")).hexdigest()[:40]
        self._used.add(name)
        return self.folder / CHECKED / f"{name}{suffix}"

    def _read(self, path: Path, key: str) -> Any:
        return cache.read_value(path, key)

    def _write(self, path: Path, key: str, value: Any) -> None:
        def write() -> None:
            with paused_gc():
                cache.write_value(path, key, value)

        self._cache.write(write)

    def checked(self, rel: str, sha: str | None) -> CheckedWorkbook | None:
        """Give the stored result of checking this workbook's bytes, else None."""
        if self.folder is None or sha is None:
            return None
        return self._read(self._path(rel, sha, ".json"), self._key(rel, sha))

    def frames(self, rel: str, sha: str) -> dict | None:
        """Give the stored frames of this workbook's bytes, else None."""
        if self.folder is None:
            return None
        return self._read(self._path(rel, sha, ".frames.json"), self._key(rel, sha))

    def put(self, checked: CheckedWorkbook, frames: dict | None) -> None:
        """Keep a workbook's check, and its sheets unless `frames` is None (then `frames` gives None for it)."""
        if self.folder is None or checked.sha256 is None:
            return
        key = self._key(checked.rel, checked.sha256)
        if frames is not None:
            self._write(self._path(checked.rel, checked.sha256, ".frames.json"), key, frames)
        self._write(self._path(checked.rel, checked.sha256, ".json"), key, checked)

    def digests(self, rel: str, sha: str | None) -> dict[str, str] | None:
        """Give the stored learner digests (pipeline.cache.learner_digests) of these learners.xlsx bytes, else None."""
        if self.folder is None or sha is None:
            return None
        found = self._read(self._path(rel, sha, ".digests.json"), self._key(rel, sha))
        return found if isinstance(found, dict) else None

    def put_digests(self, rel: str, sha: str | None, digests: dict[str, str]) -> None:
        if self.folder is not None and sha is not None:
            self._write(self._path(rel, sha, ".digests.json"), self._key(rel, sha), digests)

    def group_checks(self) -> dict[str, tuple[str, tuple]]:
        """Give {group workbook: (inputs key, problems)} of the last run."""
        found = self._read(self.folder / GROUP_CHECKS, GROUP_CHECKS) if self.folder is not None else None
        return found if isinstance(found, dict) else {}

    def put_group_checks(self, checks: dict[str, tuple[str, tuple]]) -> None:
        if self.folder is not None:
            self._write(self.folder / GROUP_CHECKS, GROUP_CHECKS, checks)

    def global_checks(self, key: str) -> tuple | None:
        """Give the problems the global rules found for inputs of this key, when the last run kept them."""
        found = self._read(self.folder / GLOBAL_CHECKS, GLOBAL_CHECKS) if self.folder is not None else None
        if isinstance(found, list) and len(found) == 2 and found[0] == key and isinstance(found[1], tuple):
            return found[1]
        return None

    def put_global_checks(self, key: str, problems: tuple) -> None:
        if self.folder is not None:
            self._write(self.folder / GLOBAL_CHECKS, GLOBAL_CHECKS, [key, problems])

    def prune(self) -> None:
        """Remove what this run did not use: workbooks edited or deleted since (call at the end of validation)."""
        if self.folder is not None:
            self._cache.write(self._prune)

    def _prune(self) -> None:
        folder = self.folder / CHECKED
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.split(".", 1)[0] not in self._used:
                path.unlink(missing_ok=True)
