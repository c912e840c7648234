"""The archive: year/group BagIt bags of filed documents, versions, the index, find and verify.

Modules: `names` (safe unique folder and file names), `records` (each bag's document list), `bag`
(writing bags crash-safely), `filing` (archive_documents), `index` (опись and find), `verify`,
`memos` (parsed lists kept in the build cache). The package itself imports nothing, so importing
one module (say `retention`, which the carriers read) does not load the whole archive.
"""
