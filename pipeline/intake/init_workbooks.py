"""`uchet init DIR`: blank workbooks staff start from (the writer lives in `pipeline.intake.workbooks`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.errors import UchetError
from pipeline.intake import workbooks
from schemas import LEARNERS_FILE, ORGANIZATION_FILE

TARGETS = (ORGANIZATION_FILE, LEARNERS_FILE, workbooks.GROUP_TEMPLATE)


def write_blank(directory: Path) -> None:
    """Write organization.xlsx, learners.xlsx and «Образец книги группы.xlsx» with no records into `directory`.

    Refuses to overwrite: pointed at a folder with real workbooks (say, input/), it would wipe the staff's data.
    """
    directory = Path(directory)
    existing = [name for name in TARGETS if (directory / name).exists()]
    if existing:
        raise UchetError(
            f"В папке «{directory}» уже есть «{existing[0]}»: пустые книги не записываются поверх рабочих. "
            "Укажите новую (пустую) папку или удалите старые книги сами."
        )
    workbooks.write_blank(directory)
