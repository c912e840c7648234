"""What validation keeps under output/cache/ between runs, so that a run re-reads only what changed.

- checked/<name>.pickle: each workbook read and checked on its own (pipeline.intake.workbook_check), under
  its path and the hash of its bytes; checked/<name>.frames.pickle beside it: its sheets, read again
  only when a cross-sheet rule must look at them;
- group_checks.pickle: the findings of the per-group cross-sheet rules, per group workbook, under the
  hashes of that workbook, its Moodle export and the reference workbooks.

Every entry is stamped with the code version (pipeline.cache), so changed code starts from scratch;
a missing or damaged file is a cache miss. Unpickling many small objects is dominated by the cyclic
garbage collector, which has nothing to find in freshly unpickled data: it is paused meanwhile.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import cache, file_memo

if TYPE_CHECKING:
    from pipeline.intake.validate import Validation
    from pipeline.intake.workbook_check import CheckedWorkbook

CHECKED = "checked"
GROUP_CHECKS = "group_checks.pickle"
_LEGACY = ("validation.pickle",)  # whole-folder cache of earlier versions: 20 MB nobody reads any more


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body without the cyclic garbage collector, then leave what it allocated out of later collections.

    Re-enabled, the collector would walk every object unpickled meanwhile (millions, none garbage) as
    they age through its generations; gc.freeze() spares that. The cost: a reference cycle among them
    is never collected, which a run that ends soon does not notice.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def file_sha256(path: Path) -> str | None:
    """Give the hash of a file's bytes (None when unreadable); hashed again only when the file changed
    (pipeline.file_memo: within a run, and across the runs of a build)."""
    try:
        return INPUT_HASHES.get(path.resolve(), None)
    except OSError:
        return None


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


INPUT_HASHES = file_memo.FileMemo("input_hashes.pickle", _sha256_of)
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


def validate_cached(input_dir: Path, cache_dir: Path) -> Validation:
    """Give validate_input(input_dir), re-reading and re-checking only what changed since cache_dir was written."""
    from pipeline.intake.validate import validate_input

    return validate_input(input_dir, cache_dir)


class Store:
    """The validation cache of one output folder; with no folder, it keeps nothing and finds nothing."""

    def __init__(self, cache_dir: Path | None):
        self.folder = None if cache_dir is None else Path(cache_dir)
        self._used: set[str] = set()

    @staticmethod
    def _key(rel: str, sha: str) -> str:
        return f"{rel}\0{sha}"

    def _path(self, rel: str, sha: str, suffix: str) -> Path:
        name = hashlib.sha256(self._key(rel, sha).encode("utf-8")).hexdigest()[:40]
        self._used.add(name)
        return self.folder / CHECKED / f"{name}{suffix}"

    def _read(self, path: Path, key: str) -> Any:
        return cache.read_pickle(path, key)

    def _write(self, path: Path, key: str, value: Any) -> None:
        with paused_gc():
            cache.write_pickle(path, key, value)

    def checked(self, rel: str, sha: str | None) -> CheckedWorkbook | None:
        """Give the stored result of checking this workbook's bytes, else None."""
        if self.folder is None or sha is None:
            return None
        return self._read(self._path(rel, sha, ".pickle"), self._key(rel, sha))

    def frames(self, rel: str, sha: str) -> tuple[dict, dict] | None:
        """Give the stored (frames, specs) of this workbook's bytes, else None."""
        if self.folder is None:
            return None
        return self._read(self._path(rel, sha, ".frames.pickle"), self._key(rel, sha))

    def put(self, checked: CheckedWorkbook, frames: dict, specs: dict) -> None:
        if self.folder is None or checked.sha256 is None:
            return
        key = self._key(checked.rel, checked.sha256)
        self._write(self._path(checked.rel, checked.sha256, ".frames.pickle"), key, (frames, specs))
        self._write(self._path(checked.rel, checked.sha256, ".pickle"), key, checked)

    def group_checks(self) -> dict[str, tuple[str, tuple]]:
        """Give {group workbook: (inputs key, problems)} of the last run."""
        found = self._read(self.folder / GROUP_CHECKS, GROUP_CHECKS) if self.folder is not None else None
        return found if isinstance(found, dict) else {}

    def put_group_checks(self, checks: dict[str, tuple[str, tuple]]) -> None:
        if self.folder is not None:
            self._write(self.folder / GROUP_CHECKS, GROUP_CHECKS, checks)

    def prune(self) -> None:
        """Remove what this run did not use: workbooks edited or deleted since (call at the end of a run)."""
        if self.folder is None:
            return
        for name in _LEGACY:
            (self.folder / name).unlink(missing_ok=True)
        folder = self.folder / CHECKED
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.split(".", 1)[0] not in self._used:
                path.unlink(missing_ok=True)
