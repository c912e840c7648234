"""Report files left alone when what they would say has not changed (output/cache/reports.json).

A report is a whole-dataset aggregate, but most edits (a lesson's topic, a document's number) leave
most reports' content as it was. Each report's digest is taken over exactly the values its writer puts
into the file; when the digest and the file (size, mtime) are as the last run left them, the file is
not written again. A deleted or hand-edited report is written again; the cache is safe to delete.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline import cache

DIGESTS = "reports.json"


def digest(*values: Any) -> str:
    """A hash of the values' repr (text, numbers, dates and tuples of them: stable across runs)."""
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


def _state(paths: Sequence[Path]) -> list[list[int]] | None:
    try:
        return [[(s := p.stat()).st_size, s.st_mtime_ns] for p in paths]
    except OSError:
        return None


class ReportDigests:
    """The digests of the report files as last written into one output folder."""

    def __init__(self, output_dir: Path):
        self._path = cache.cache_dir(output_dir) / DIGESTS
        stored = cache.read_value(self._path, DIGESTS)
        self._stored: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self._now: dict[str, Any] = {}

    def recorded(self) -> bool:
        """Tell whether an earlier run recorded any report here (a first build has nothing to compare)."""
        return bool(self._stored)

    def current(self, paths: Sequence[Path], value: str) -> bool:
        """Tell whether `paths` hold what `value` stands for, as the last run wrote them."""
        old = self._stored.get(paths[0].name)
        state = _state(paths)
        return old is not None and state is not None and old == {"digest": value, "files": state}

    def keep(self, paths: Sequence[Path]) -> None:
        """Carry the record of `paths` over unchanged (they were found current)."""
        key = paths[0].name
        if key in self._stored:
            self._now[key] = self._stored[key]

    def record(self, paths: Sequence[Path], value: str) -> None:
        """Remember that `paths`, as they are now, hold what `value` stands for (written elsewhere)."""
        self._now[paths[0].name] = {"digest": value, "files": _state(paths)}

    def write(self, paths: Sequence[Path], value: str, writer: Callable[[], Any]) -> bool:
        """Call `writer` (which writes `paths`) unless they hold what `value` stands for; tell whether it wrote."""
        if self.current(paths, value):
            self.keep(paths)
            return False
        writer()
        self.record(paths, value)
        return True

    def save(self) -> None:
        if self._now != self._stored:
            cache.write_value(self._path, DIGESTS, self._now)
