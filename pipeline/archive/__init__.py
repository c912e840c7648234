"""The archive: year/group BagIt bags of filed documents, versions, the index, find and verify.

Modules: `names` (safe unique folder and file names), `records` (each bag's document list), `bag`
(writing bags crash-safely), `filing` (archive_documents), `index` (опись and find), `verify`.
"""

from __future__ import annotations

from pipeline.archive.filing import ArchiveReport, FiledDocument, archive_documents
from pipeline.archive.index import find, write_index
from pipeline.archive.verify import VerifyReport, verify_archive

__all__ = ["ArchiveReport", "FiledDocument", "VerifyReport", "archive_documents", "find", "verify_archive",
           "write_index"]
