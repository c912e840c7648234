"""uchet: individual accounting of learners' results at a ЧОУ ДПО, from Excel to signed-ready DOCX and an archive."""

__version__ = "0.1.0"
