"""The archive: year/group BagIt bags of filed documents, versions, the index, find and verify.

Modules: `names` (safe unique folder and file names), `records` (each bag's document list), `bag`
(writing bags crash-safely), `filing` (archive_documents), `index` (опись and find), `verify`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pipeline.archive.bag import BAG_INFO_MEMO
from pipeline.archive.filing import ArchiveReport, FiledDocument, archive_documents
from pipeline.archive.index import find, write_index
from pipeline.archive.integrity import TAG_HASHES
from pipeline.archive.records import DOCUMENT_LISTS, LEARNER_LISTS
from pipeline.archive.verify import VerifyReport, verify_archive
from pipeline.cache import BuildCache


@contextmanager
def archive_memos(build_cache: BuildCache) -> Iterator[None]:
    """The bags' documents.csv and bag-info.txt as an earlier run parsed them, kept for the next (file_memo)."""
    with DOCUMENT_LISTS.persisted(build_cache), LEARNER_LISTS.persisted(build_cache), \
            BAG_INFO_MEMO.persisted(build_cache), TAG_HASHES.persisted(build_cache):
        yield


__all__ = ["ArchiveReport", "FiledDocument", "VerifyReport", "archive_documents", "archive_memos", "find",
           "verify_archive", "write_index"]
