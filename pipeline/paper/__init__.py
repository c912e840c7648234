"""The paper archive: дела as the номенклатура defines them, their folders, PDF/A copies and описи.

Modules: `formation` (how a case of the номенклатура is formed by default), `cases` (archive records →
дела, a pure function), `renditions` (PDF/A preservation copies beside the bags, `uchet pdfa`), `papers`
(template contexts of the обложка, the внутренняя опись, the лист-заверитель, the описи дел, the
номенклатура and the spine labels), `folders` (rendering, converting and assembling them: `output/cases/`),
`commands` (`uchet case`, `uchet cases`, `uchet pdfa`).
"""
