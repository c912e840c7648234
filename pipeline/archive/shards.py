"""The archive's file memos split by bag, so that a run which changed one bag rewrites a sixteenth of them.

A FileMemo (pipeline.cache.file_memo) keeps its results in one cache file, written again as a whole
whenever one result changed. The archive's memos hold every bag's lists (70,000 records at 50,000
learners): a one-group edit rewrote all of them to remember one bag's new documents.csv. Split by the
bag a file belongs to (its folder), a one-bag change rewrites one shard of each memo.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TypeVar

from pipeline.cache import BuildCache, file_memo

T = TypeVar("T")

SHARDS = 16


class ShardedMemo:
    """FileMemo's `get` and `persisted`, over SHARDS memos chosen by the file's folder (its bag)."""

    def __init__(self, name: str, parse: Callable[[Path], T]):
        stem, dot, suffix = name.partition(".")
        self.shards = [file_memo.FileMemo(f"{stem}-{i:02d}{dot}{suffix}", parse) for i in range(SHARDS)]

    def shard(self, path: Path) -> file_memo.FileMemo:
        """The memo that keeps the results of files in path's folder."""
        return self.shards[zlib.crc32(os.path.abspath(os.path.dirname(path)).encode("utf-8", "surrogatepass"))
                           % SHARDS]

    def get(self, path: Path, missing: T) -> T:
        return self.shard(path).get(path, missing)

    @contextmanager
    def persisted(self, build_cache: BuildCache) -> Iterator[None]:
        with ExitStack() as stack:
            for memo in self.shards:
                stack.enter_context(memo.persisted(build_cache))
            yield
