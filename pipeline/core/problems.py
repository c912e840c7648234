"""Problems as data: what validation (and the ФРДО pre-flight) found, each pointing at a cell.

Tests assert (code, file, sheet, row, column); the Russian wording lives in `pipeline.core.messages`
and can be improved freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing staff must fix (error) or should look at (warning)."""

    file: str
    """Workbook path relative to the input folder, e.g. «groups/ПК-2025-01.xlsx»; «» for the folder itself."""
    sheet: str | None
    row: int | None
    """Excel row number (1-based, as Excel shows it), None when the problem is about a whole sheet or file."""
    column: str | None
    """The column header as staff see it."""
    code: str
    """Stable code, e.g. «snils_checksum»; the key of its message in pipeline.core.messages."""
    severity: Severity = "error"
    value: Any = None
    """The offending value as typed (masked when it is personal data)."""
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Extra values the message template needs (a suggestion, an expected number, ...)."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def mask_snils(value: str | None) -> str | None:
    """«***-***-*** 95»: enough for staff to find the row, not enough to leak the number."""
    if not value:
        return value
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return f"***-***-*** {digits[-2:]}" if len(digits) >= 2 else "***"


BIRTH_DATE_COLUMNS = ("Дата рождения",)


def mask_birth_date(value) -> str | None:
    """«**.**.1990»: the year is enough to spot a typo on the console; the full date stays in the files."""
    if value is None or value == "":
        return value
    year = re.search(r"(?<!\d)(\d{4})(?!\d)", str(value))
    return f"**.**.{year.group(1)}" if year else "***"
