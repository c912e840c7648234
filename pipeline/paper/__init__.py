"""The paper archive: дела as the номенклатура defines them, their folders, PDF/A copies and описи.

Modules: `formation` (how a case of the номенклатура is formed by default), `cases` (archive records →
дела, a pure function), `renditions` (PDF/A preservation copies beside the bags), `papers` (the обложка,
the внутренняя опись, the лист-заверитель, the описи дел and the printable номенклатура as DOCX/PDF),
`commands` (`uchet case`, `uchet cases`).
"""
