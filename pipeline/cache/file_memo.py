"""Files parsed (or hashed) once per change of the file, and remembered from one run to the next.

A run reads the same files again and again: every input workbook is hashed to fingerprint the input,
every bag's documents.csv and bag-info.txt is parsed to decide what to file and what is archived. At
400 groups that cost most of a second of each run. A FileMemo keeps a result under the file's absolute
path with the file's (inode, size, mtime): an atomic rewrite changes the inode, an edit in place the
mtime, as make trusts mtimes. `persisted` keeps the results in output/cache/ for the next run (safe to
delete, like the rest of the cache). Each kind of file has its own memo and cache file: the input
hashes are small and needed by every run, the archive's lists are large and read only when filing.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pipeline import cache
from pipeline.cache import BuildCache

T = TypeVar("T")


class FileMemo:
    """Results of one parser, by file; `name` names its cache file under output/cache/ (kept as «<stem>.json»,
    pipeline.cache.codec, whatever suffix `name` has)."""

    def __init__(self, name: str, parse: Callable[[Path], T]):
        self.name, self._parse = name, parse
        self._results: dict[str, tuple[tuple[int, int, int], object]] = {}
        self._unread: Path | None = None
        """The cache file `persisted` keeps the results in, until the first `get` reads it."""
        self._stored: object = None

    def get(self, path: Path, missing: T) -> T:
        """Give the parser's result for `path`, from memory while the file is unchanged; `missing` when
        there is no such file. A shallow copy: callers may add to the list or dict they get."""
        try:
            stat = os.stat(path)
        except OSError:
            return copy.copy(missing)
        state = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if self._unread is not None:
            self._read_kept()
        key = os.path.abspath(path)
        hit = self._results.get(key)
        if hit is None or hit[0] != state:
            hit = (state, self._parse(path))
            self._results[key] = hit
        return copy.copy(hit[1])

    def _read_kept(self) -> None:
        path, self._unread = self._unread, None
        self._stored = cache.read_value(path, self.name)
        if isinstance(self._stored, dict):
            for key, value in self._stored.items():
                self._results.setdefault(key, value)

    @contextmanager
    def persisted(self, build_cache: BuildCache) -> Iterator[None]:
        """Start from what an earlier run kept in the cache and keep what this run found (once committed).

        The kept file is read when a result is first asked for: a run whose archive stage is replayed
        (pipeline.archive.settled) asks for none, and reads none of the bags' lists (50,000 learners: a second).
        """
        path = build_cache.folder / f"{Path(self.name).stem}.json"
        self._unread, self._stored = path, None
        try:
            yield
        finally:
            unread, self._unread = self._unread, None
        if unread is not None:
            return  # nothing asked for, nothing found: the kept file stands
        stored = self._stored
        if self._results == stored:
            return
        live = {key: value for key, value in self._results.items() if os.path.exists(key)}
        if live != stored and build_cache.committed and path.parent.is_dir():
            cache.write_value(path, self.name, live)
