"""Identifier check numbers (СНИЛС, ИНН, ОГРН), each expected value computed here from the published rule.

СНИЛС (ПФР, Информационное сообщение от 20.12.2011, п. 8): the check runs only for numbers above
001-001-998; the 9 digits are weighted 9…1 from the left and summed; a sum under 100 is the check
number, 100 and 101 give «00», a larger sum is reduced mod 101 and the same two rules applied.
The reference below follows those steps literally (no `% 101` shortcut), so it is independent of
`schemas.fields`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from builders import broken
from hypothesis import given
from hypothesis import strategies as st
from pandera.typing import Series

from pipeline.intake.validate import validate_input
from schemas.fields import column, inn_ok, ogrn_ok, snils_check_digits_ok


def published_check_number(nine: str) -> int | None:
    """The check number the published steps give, or None where no check applies (≤ 001-001-998)."""
    if int(nine) <= 1_001_998:
        return None
    total = sum(int(d) * weight for d, weight in zip(nine, (9, 8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    while True:
        if total < 100:
            return total
        if total in (100, 101):
            return 0
        total = total % 101


def formatted(nine: str, check: int) -> str:
    return f"{nine[:3]}-{nine[3:6]}-{nine[6:]} {check:02d}"


def weighted_sum(nine: str) -> int:
    return sum(int(d) * w for d, w in zip(nine, range(9, 0, -1), strict=True))


def first_with_sum(total: int) -> str:
    """A 9-digit number above 001-001-998 whose weighted sum is `total` (greedy, highest weight first:
    searching upwards from 001-001-999 takes minutes for sums past 200)."""
    digits, rest = [], total
    for weight in range(9, 0, -1):
        digit = min(9, rest // weight)
        digits.append(str(digit))
        rest -= digit * weight
    nine = "".join(digits)
    assert rest == 0 and weighted_sum(nine) == total and int(nine) > 1_001_998, (total, nine)
    return nine


def test_published_example_is_valid():
    # NOTES §6.1 step 5: 112-233-445 → 95
    assert published_check_number("112233445") == 95
    assert snils_check_digits_ok("112-233-445 95")
    assert not snils_check_digits_ok("112-233-445 94")


def test_numbers_up_to_001_001_998_are_not_checked():
    # 001-001-998 is the last number without a check: any two digits are accepted
    for check in (0, 1, 64, 99):
        assert snils_check_digits_ok(formatted("001001998", check)), check
    assert snils_check_digits_ok("000-000-001 00") and snils_check_digits_ok("001-001-000 77")


def test_001_001_999_is_the_first_number_checked():
    assert published_check_number("001001999") == 65  # 1·7 + 1·4 + 9·3 + 9·2 + 9·1
    assert snils_check_digits_ok("001-001-999 65")
    for wrong in (0, 64, 66, 99):
        assert not snils_check_digits_ok(formatted("001001999", wrong)), wrong


@pytest.mark.parametrize(("total", "check"), [(99, 99), (100, 0), (101, 0), (102, 1), (201, 0), (202, 0)])
def test_sums_of_100_and_101_give_00(total, check):
    nine = first_with_sum(total)
    assert published_check_number(nine) == check
    assert snils_check_digits_ok(formatted(nine, check))
    assert not snils_check_digits_ok(formatted(nine, (check + 1) % 100))
    if total == 101:
        # «00», not the sum cut to its last two digits
        assert not snils_check_digits_ok(formatted(nine, 1))


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(min_value=0, max_value=99))
def test_any_number_and_check_agree_with_the_published_rule(n, check):
    nine = f"{n:09d}"
    expected = published_check_number(nine)
    assert snils_check_digits_ok(formatted(nine, check)) == (expected is None or expected == check)


@pytest.mark.parametrize("value", ["112-233-445 9", "112-233-445 951", "112-233-445 9a", ""])
def test_snils_without_eleven_digits_is_not_valid(value):
    # (separators are the format check's business: the SNILS pattern of schemas.fields)
    assert not snils_check_digits_ok(value)


def test_snils_with_digits_other_than_ascii_is_refused(make_input):
    """Full-width digits look like digits on screen but are other characters: ФИС ФРДО refuses them."""
    assert not snils_check_digits_ok("112-233-445 9\uff15")
    result = validate_input(make_input(broken("learners.xlsx", "Слушатели", 2, "СНИЛС", "112-233-445 9\uff15")))
    assert [(p.code, p.row, p.column) for p in result.problems] == [("format_snils", 2, "СНИЛС")]


def test_validation_applies_the_threshold_to_the_learners_sheet(make_input):
    """Through the whole check: 001-001-998 with any check number passes, 001-001-999 must be exact."""
    ok = validate_input(make_input(broken("learners.xlsx", "Слушатели", 2, "СНИЛС", "001-001-998 00"), name="a"))
    assert [p.code for p in ok.problems] == []
    bad = validate_input(make_input(broken("learners.xlsx", "Слушатели", 2, "СНИЛС", "001-001-999 00"), name="b"))
    assert [(p.code, p.sheet, p.row, p.column) for p in bad.problems] == [
        ("snils_checksum", "Слушатели", 2, "СНИЛС")]


def published_inn_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


@pytest.mark.parametrize("value", ["7707083893", "7830002293", "500100732259", "1027700132195", "304500116000157"])
def test_published_inn_and_ogrn_examples(value):
    if len(value) == 10:
        assert published_inn_digit(value[:9], (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[9])
        assert inn_ok(value)
    elif len(value) == 12:
        assert published_inn_digit(value[:10], (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[10])
        assert published_inn_digit(value[:11], (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[11])
        assert inn_ok(value)
    else:
        assert int(value[:-1]) % (11 if len(value) == 13 else 13) % 10 == int(value[-1])
        assert ogrn_ok(value)
    # a changed last digit is always caught
    wrong = value[:-1] + str((int(value[-1]) + 1) % 10)
    assert not (inn_ok(wrong) or ogrn_ok(wrong))


@pytest.mark.parametrize("value", ["770708389", "77070838930", "770708389a", "102770013219", "30450011600015"])
def test_inn_and_ogrn_of_wrong_length_or_not_digits(value):
    assert not inn_ok(value) and not ogrn_ok(value)


def _sheet_model(**fields):
    """A sheet model built from column() at run time, as schemas/*.py build theirs at import time."""
    return type("Sheet", (pa.DataFrameModel,), {"__annotations__": dict.fromkeys(fields, Series[str]), **fields})


def test_column_declarations_check_what_their_kind_promises():
    model = _sheet_model(
        code=column("Код", "id", unique=True),
        flag=column("Да/нет", "bool", required=False),
        snils=column("СНИЛС", "snils", required=False),
        sex=column("Пол", "code", values=("Муж", "Жен"), required=False),
        note=column("Примечание", required=False),
    )
    good = pd.DataFrame({"Код": ["A", "B"], "Да/нет": ["да", "нет"], "СНИЛС": ["112-233-445 95", None],
                         "Пол": ["Жен", None], "Примечание": [None, "любой текст"]})
    model.validate(good)

    def failing_checks(**changes) -> set[str]:
        frame = good.copy()
        for header, values in changes.items():
            frame[header] = values
        try:
            model.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            return {f"{c}:{k}" for c, k in zip(err.failure_cases["column"], err.failure_cases["check"], strict=True)}
        return set()

    assert not failing_checks(**{"Да/нет": ["да", None]})  # optional: empty is allowed
    assert "Да/нет:isin(('да', 'нет'))" in failing_checks(**{"Да/нет": ["да", "Да"]})
    assert any(c.startswith("СНИЛС:str_matches") for c in failing_checks(СНИЛС=["11223344595", None]))
    assert any(c.startswith("Пол:isin") for c in failing_checks(Пол=["Ж", None]))
    assert any(c.startswith("Код:") for c in failing_checks(Код=["A", "A"]))  # unique
    assert any(c.startswith("Код:") for c in failing_checks(Код=["A", None]))  # required: not nullable
    # what `uchet init` and docs/input-contract.md read from a column
    assert model.to_schema().columns["Код"].metadata == {
        "kind": "id", "required": True, "values": None, "width": 18, "hint": "код (текст без пробелов по краям)"}
    assert model.to_schema().columns["Да/нет"].metadata["values"] == ("да", "нет")
    assert model.to_schema().columns["Пол"].metadata["values"] == ("Муж", "Жен")
    assert model.to_schema().columns["Примечание"].metadata == {
        "kind": "text", "required": False, "values": None, "width": 18, "hint": "текст"}


# ИНН (ФНС, приказ о порядке присвоения ИНН): each check digit is the weighted sum mod 11, then mod 10;
# ОГРН: the first 12 digits as a number mod 11, then mod 10; ОГРНИП: the first 14 mod 13, then mod 10.
INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN12_WEIGHTS = ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(min_value=0, max_value=9))
def test_any_ten_digit_inn_agrees_with_the_published_rule(n, last):
    nine = f"{n:09d}"
    check = published_inn_digit(nine, INN10_WEIGHTS)
    assert inn_ok(nine + str(check))
    assert inn_ok(nine + str(last)) == (last == check)


@given(st.integers(min_value=0, max_value=9_999_999_999), st.integers(min_value=0, max_value=99))
def test_any_twelve_digit_inn_agrees_with_the_published_rule(n, last_two):
    ten = f"{n:010d}"
    eleventh = published_inn_digit(ten, INN12_WEIGHTS[0])
    twelfth = published_inn_digit(ten + str(eleventh), INN12_WEIGHTS[1])
    assert inn_ok(f"{ten}{eleventh}{twelfth}")
    value = ten + f"{last_two:02d}"
    assert inn_ok(value) == (value[10:] == f"{eleventh}{twelfth}")


@given(st.integers(min_value=0, max_value=10**14 - 1), st.integers(min_value=0, max_value=9), st.booleans())
def test_any_ogrn_or_ogrnip_agrees_with_the_published_rule(n, last, individual):
    body = f"{n:014d}" if individual else f"{n % 10**12:012d}"
    expected = int(body) % (13 if individual else 11) % 10
    assert ogrn_ok(body + str(expected))
    assert ogrn_ok(body + str(last)) == (last == expected)


def published_inn_digit_raw(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def test_check_sums_of_ten_give_the_check_digit_0():
    """A weighted sum whose remainder mod 11 is 10 gives the check digit 0 (the «mod 10» step)."""
    inn10 = next(f"{n:09d}" for n in range(10**6) if published_inn_digit_raw(f"{n:09d}", INN10_WEIGHTS) == 10)
    assert inn_ok(inn10 + "0") and not inn_ok(inn10 + "1")
    ogrn = next(f"{n:012d}" for n in range(10**6) if n % 11 == 10)
    assert ogrn_ok(ogrn + "0") and not ogrn_ok(ogrn + "1")


def test_a_column_is_unique_only_when_declared_so():
    """Two learners may share a sex, a note or an empty cell; only an id column (unique=True) may not repeat."""
    model = _sheet_model(
        code=column("Код", "id", unique=True),
        sex=column("Пол", "code", values=("Муж", "Жен")),
        note=column("Примечание", required=False),
    )
    model.validate(pd.DataFrame({"Код": ["A", "B"], "Пол": ["Жен", "Жен"], "Примечание": ["то же", "то же"]}))
    assert model.to_schema().columns["Пол"].unique is False
    assert model.to_schema().columns["Код"].unique is True


@pytest.mark.parametrize("value", ["102770013219X", "1027700132 95", "30450011600015Б"])
def test_an_ogrn_of_the_right_length_with_a_character_other_than_a_digit_is_not_valid(value):
    assert len(value) in (13, 15)
    assert not ogrn_ok(value)


def test_an_inn_or_ogrn_in_full_width_digits_is_not_valid():
    """Full-width digits (pasted from a PDF) look like digits but would be printed as other characters."""
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    assert inn_ok("7707083893") and not inn_ok("7707083893".translate(full_width))
    assert inn_ok("500100732259") and not inn_ok("500100732259".translate(full_width))
    assert ogrn_ok("1027700132195") and not ogrn_ok("1027700132195".translate(full_width))
