"""The bags' tag files (documents.csv, bag-info.txt), parsed once per change of the file.

A large archive has hundreds of bags and every build reads all their lists to decide what to file and
what is archived: parsing them took half a second of each run. A parsed file is kept under its path and
(inode, size, mtime); an atomic rewrite changes the inode, an edit in place the mtime. `persisted` keeps
what was parsed in output/cache/ for the next run (safe to delete, like the rest of the cache).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pipeline import cache

T = TypeVar("T")
_PARSED: dict[str, tuple[tuple[int, int, int], object]] = {}


def parsed(path: Path, parse: Callable[[Path], T], missing: T) -> T:
    """Give parse(path), from memory while the file is unchanged; `missing` when there is no such file."""
    try:
        stat = os.stat(path)
    except OSError:
        return copy.copy(missing)
    state = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    key = str(path)
    hit = _PARSED.get(key)
    if hit is None or hit[0] != state:
        hit = (state, parse(path))
        _PARSED[key] = hit
    return copy.copy(hit[1])  # a shallow copy: callers may add to the list or dict they get


@contextmanager
def persisted(cache_file: Path) -> Iterator[None]:
    """Start from what an earlier run parsed (kept in cache_file) and keep what this run parsed."""
    stored = cache.read_pickle(cache_file, "tags")
    if isinstance(stored, dict):
        for key, value in stored.items():
            _PARSED.setdefault(key, value)
    before = dict(_PARSED)
    yield
    if _PARSED != before or set(_PARSED) != set(stored or ()):
        live = {key: value for key, value in _PARSED.items() if os.path.exists(key)}
        cache.write_pickle(cache_file, "tags", live)
