"""What the archive parses once per change of a file, kept in the build cache from one run to the next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.archive.bag import BAG_INFO_MEMO
from pipeline.archive.integrity import TAG_HASHES
from pipeline.archive.records import DOCUMENT_LISTS, LEARNER_LISTS
from pipeline.cache import BuildCache


@contextmanager
def archive_memos(build_cache: BuildCache) -> Iterator[None]:
    """The bags' documents.csv, learners.csv, bag-info.txt and tag hashes as an earlier run parsed them."""
    with DOCUMENT_LISTS.persisted(build_cache), LEARNER_LISTS.persisted(build_cache), \
            BAG_INFO_MEMO.persisted(build_cache), TAG_HASHES.persisted(build_cache):
        yield
