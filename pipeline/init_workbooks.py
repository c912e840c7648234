"""`uchet init DIR`: blank workbooks staff start from (the writer lives in `pipeline.workbooks`)."""

from __future__ import annotations

from pathlib import Path

from pipeline import workbooks


def write_blank(directory: Path) -> None:
    """Write organization.xlsx, learners.xlsx and groups/Образец группы.xlsx with no records into `directory`."""
    workbooks.write_blank(Path(directory))
