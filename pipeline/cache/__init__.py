"""The build cache under output/cache/: what the last run read and wrote, so the next run can skip it.

One `BuildCache` is opened by `pipeline.build` for a run and handed to the stages that keep state in
it: validation (pipeline.cache.input_cache), the render manifest (pipeline.cache.render_cache), the documents'
backup (pipeline.cache.build_backup), the files parsed once per change (pipeline.cache.file_memo), the stamp of
the last clean build (pipeline.cache.build_stamp). It holds every write back until the input has passed
validation (`commit`): a run that stops on bad input writes nothing here.

Everything here is safe to delete (`make clean` does): a missing, unreadable or stale cache file only
makes the next run do the full work. Each entry is versioned by `code_version()`, a hash of the
project's own source and data files, so changing the code (a context builder, a schema, a rule)
invalidates every entry without anyone having to remember to clear the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.cache import codec
from pipeline.core.fsutil import atomic_write_bytes
from pipeline.core.progress import progress

CACHE_DIR = "cache"
_ROOT = Path(__file__).resolve().parents[2]
_CODE = ("pipeline", "schemas")
_CODE_SUFFIXES = (".py", ".json")


@cache
def code_version() -> str:
    """Give a hash of every .py and .json file of the pipeline and schemas packages (paths and bytes)."""
    digest = hashlib.sha256()
    for package in _CODE:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_ROOT).as_posix().encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir(output_dir: Path) -> Path:
    """Give output/cache/ (not created)."""
    return Path(output_dir) / CACHE_DIR


class BuildCache:
    """The cache of one output folder for one run; its writes wait until `commit` (see the module docstring)."""

    def __init__(self, output_dir: Path, *, read_only: bool = False):
        """`read_only`: the run reads what is kept and never writes (`uchet validate` writes nothing but
        the error report)."""
        self.folder = cache_dir(output_dir)
        self.read_only = read_only
        self._held: list[Callable[[], None]] | None = []
        self.file_states: dict[str, tuple[int, int]] = {}
        """Files under output/ whose state this run knows as it left them (absolute resolved path: size,
        mtime_ns), so that the build stamp need not ask the file system for each again: the render
        manifest's documents, each checked or written by this run."""

    @property
    def committed(self) -> bool:
        """Tell whether writes happen at once (the input passed validation)."""
        return self._held is None

    def write(self, action: Callable[[], None]) -> None:
        """Do a write into the cache folder now, or once the input has passed validation."""
        if self._held is None:
            action()
        else:
            self._held.append(action)

    def commit(self) -> None:
        """The input passed validation: do the writes held so far, and every later one at once."""
        if self.read_only:
            self._held = []
            return
        held, self._held = self._held or [], None
        # Two entries per workbook read: at 10,000 learners 800 writes took 7 s, at 50,000 half a minute,
        # which staff would otherwise watch in silence after «Проверка пройдена».
        with progress("Запоминание проверенных книг для следующего запуска", len(held), what="запись") as advance:
            for action in held:
                action()
                advance(1)


def read_value(path: Path, key: str, sha256: str | None = None) -> Any | None:
    """Give the value kept under `key` by this code version, else None (a cache miss).

    The file is JSON (pipeline.cache.codec): reading it gives back data and nothing else, whoever
    wrote it. A file of another code version or key, a truncated or planted one, is a miss; so is one
    whose bytes do not hash to `sha256` when given (a file written by another run than the one that named it).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            return None
        stamp, stored_key, value = codec.loads(data)
    except (OSError, codec.CacheFormatError, TypeError, ValueError):
        return None
    return value if (stamp, stored_key) == (code_version(), key) else None


def write_value(path: Path, key: str, value: Any) -> str:
    """Keep `value` under `key`, stamped with the code version (pipeline.cache.codec's JSON); give the
    sha256 of the bytes written."""
    data = codec.dumps([code_version(), key, value])
    atomic_write_bytes(path, data, durable=False)
    return hashlib.sha256(data).hexdigest()
