"""Column declarations shared by the sheet models.

Every cell reaches pandera as normalised text (see `pipeline.intake.load`): real Excel dates and «ДД.ММ.ГГГГ»
text become ISO «ГГГГ-ММ-ДД», whole numbers lose a trailing «.0», СНИЛС becomes «XXX-XXX-XXX YY».
Anything that could not be normalised stays as typed, so the format check below fails on it and the
report shows the staff member's own value. The `metadata` of each field tells the loader how to
normalise, `uchet init` how to format the column, and docs/input-contract.md what to type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandera.pandas as pa

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
WHOLE = r"^\d+$"
NUMBER = r"^\d+(\.\d+)?$"
# ASCII digits only: «\d» also matches full-width and other scripts' digits, which ФИС ФРДО rejects.
SNILS = r"^[0-9]{3}-[0-9]{3}-[0-9]{3} [0-9]{2}$"
DIGITS = r"^\d+$"

# kind -> (pattern the normalised value must match, what to type, in Russian)
KINDS: dict[str, tuple[str | None, str]] = {
    "text": (None, "текст"),
    "id": (None, "код (текст без пробелов по краям)"),
    "date": (ISO_DATE, "дата ДД.ММ.ГГГГ"),
    "int": (WHOLE, "целое число"),
    "number": (NUMBER, "число"),
    "code": (None, "значение из списка"),
    "snils": (SNILS, "СНИЛС XXX-XXX-XXX YY"),
    "docno": (None, "номер как текст (ведущие нули сохраняются)"),
    "bool": (None, "да или нет"),
}


class SheetModel(pa.DataFrameModel):
    """The base of every sheet's model: staff may add their own columns, validation passes over them."""

    class Config:
        strict = False


def column(
    alias: str,
    kind: str = "text",
    *,
    required: bool = True,
    values: Sequence[str] | None = None,
    unique: bool = False,
    width: int = 18,
    hint: str = "",
) -> Any:
    """Give a pandera Field for one staff-facing column, with the loader's metadata attached."""
    pattern, typed = KINDS[kind]
    checks: dict[str, Any] = {}
    if pattern:
        checks["str_matches"] = pattern
    if kind == "bool":
        values = ("да", "нет")
    if values is not None:
        checks["isin"] = tuple(values)
    return pa.Field(
        alias=alias,
        nullable=not required,
        unique=unique,
        metadata={
            "kind": kind,
            "required": required,
            "values": tuple(values) if values is not None else None,
            "width": width,
            "hint": hint or typed,
        },
        **checks,
    )


def snils_check_digits_ok(value: str) -> bool:
    """Tell whether a «XXX-XXX-XXX YY» СНИЛС has the right check number (ПФР rule, NOTES §6.1)."""
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 11 or not (digits.isascii() and digits.isdigit()):
        return False
    number, check = digits[:9], int(digits[9:])
    if int(number) <= 1001998:  # the rule applies only above 001-001-998
        return True
    total = sum(int(d) * w for d, w in zip(number, range(9, 0, -1), strict=True))
    expected = total % 101
    return check == (0 if expected == 100 else expected)


def inn_ok(value: str) -> bool:
    """Tell whether a 10- or 12-digit ИНН has the right check digits."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (10, 12):
        return False

    def digit(weights: tuple[int, ...]) -> int:
        return sum(int(d) * w for d, w in zip(value, weights, strict=False)) % 11 % 10

    if len(value) == 10:
        return digit((2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[9])
    return digit((7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[10]) and digit(
        (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    ) == int(value[11])


def ogrn_ok(value: str) -> bool:
    """Tell whether a 13-digit ОГРН (or 15-digit ОГРНИП) has the right check digit."""
    if not (value.isascii() and value.isdigit()) or len(value) not in (13, 15):
        return False
    modulus = 11 if len(value) == 13 else 13
    return int(value[:-1]) % modulus % 10 == int(value[-1])
