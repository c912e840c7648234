"""Russian formatting: dates, plural agreement, short and declined names (pipeline.core.ru)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core import ru
from pipeline.core.dataset import Person


def P(full: str, sex: str) -> Person:
    surname, name, *rest = full.split()
    return Person(surname, name, " ".join(rest) or None, sex)


# --- dates ---


def test_date_long_has_no_leading_zero_and_genitive_month():
    assert ru.date_long(dt.date(2022, 1, 10)) == "10 января 2022 г."
    assert ru.date_long(dt.date(2022, 1, 5)) == "5 января 2022 г."
    assert ru.date_long(dt.date(2025, 3, 1)) == "1 марта 2025 г."
    assert ru.date_long(dt.date(2024, 5, 31)) == "31 мая 2024 г."
    assert ru.date_long("2022-12-31") == "31 декабря 2022 г."
    assert ru.date_long(None) == ""


def test_date_short_and_quoted():
    assert ru.date_short(dt.date(2022, 1, 5)) == "05.01.2022"
    assert ru.date_short("2022-11-20") == "20.11.2022"
    assert ru.date_quoted(dt.date(2022, 1, 10)) == "«10» января 2022 г."
    assert ru.date_quoted(dt.date(2025, 3, 5)) == "«05» марта 2025 г."
    assert ru.date_short(None) == ru.date_quoted(None) == ""


def test_periods():
    a, b = dt.date(2022, 1, 10), dt.date(2022, 1, 20)
    assert ru.period(a, b) == "с 10.01.2022 по 20.01.2022"
    assert ru.period_long(a, b) == "с 10 января 2022 г. по 20 января 2022 г."


# --- plural agreement ---

HOURS = {
    0: "0 часов", 1: "1 час", 2: "2 часа", 4: "4 часа", 5: "5 часов", 11: "11 часов", 12: "12 часов",
    14: "14 часов", 16: "16 часов", 21: "21 час", 22: "22 часа", 25: "25 часов", 72: "72 часа",
    101: "101 час", 111: "111 часов", 250: "250 часов", 256: "256 часов",
}  # fmt: skip


@pytest.mark.parametrize("n", sorted(HOURS))
def test_hours_agree_with_the_number(n):
    assert ru.hours(n) == HOURS[n]
    assert ru.hours(str(n)) == HOURS[n]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "0 слушателей"), (1, "1 слушатель"), (2, "2 слушателя"), (4, "4 слушателя"), (5, "5 слушателей"),
     (11, "11 слушателей"), (12, "12 слушателей"), (14, "14 слушателей"), (21, "21 слушатель"),
     (22, "22 слушателя"), (25, "25 слушателей"), (101, "101 слушатель"), (111, "111 слушателей")],
)  # fmt: skip
def test_count_generic_noun(n, expected):
    assert ru.count(n, "слушатель", "слушателя", "слушателей") == expected


def test_plural_fraction_takes_genitive_singular():
    assert ru.plural(1.5, "час", "часа", "часов") == "часа"
    assert ru.plural("2,5", "час", "часа", "часов") == "часа"


def test_hours_acad_and_words():
    assert ru.hours_acad(72) == "72 академических часа"
    assert ru.hours_acad(1) == "1 академический час"
    assert ru.hours_acad(16) == "16 академических часов"
    assert ru.number_words(72) == "семьдесят два"
    assert ru.hours_full(72) == "72 (семьдесят два) часа"
    assert ru.hours_full(256) == "256 (двести пятьдесят шесть) часов"
    assert ru.hours_full(21) == "21 (двадцать один) час"
    assert ru.hours(None) == ru.hours_full(None) == ""


# --- names ---


NB = "\u00a0"


def test_short_forms_follow_gost_r_7_0_97():
    """«И.И. Иванов»: no space inside the initials, a non-breaking space before the surname."""
    p = P("Иванов Иван Иванович", "Муж")
    assert ru.full_name(p) == "Иванов Иван Иванович"
    assert ru.short_name(p) == f"Иванов{NB}И.И."
    assert ru.initials_surname(p) == f"И.И.{NB}Иванов"


def test_short_forms_without_patronymic_hyphen_and_yo():
    assert ru.short_name(Person("Ким", "Ирина", None, "Жен")) == f"Ким{NB}И."
    assert ru.initials_surname(Person("Ким", "Ирина", None, "Жен")) == f"И.{NB}Ким"
    assert ru.short_name(Person("Шмидт-Ёлкина", "Анна-Мария", "Петровна", "Жен")) == f"Шмидт-Ёлкина{NB}А.-М.П."
    assert ru.short_name(P("Ёлкина Алёна Фёдоровна", "Жен")) == f"Ёлкина{NB}А.Ф."
    assert ru.short_name(P("Гусейнов Эльдар Рамиз оглы", "Муж")) == f"Гусейнов{NB}Э.Р."
    assert ru.short_name("Петров Пётр Петрович") == f"Петров{NB}П.П."
    assert ru.full_name(None) == ru.short_name(None) == ru.initials_surname(None) == ""


def test_short_forms_never_hold_a_breakable_space():
    for person in (P("Орлов-Давыдов Кирилл Олегович", "Муж"), Person("Ким", "Ирина", None, "Жен")):
        assert " " not in ru.short_name(person) and " " not in ru.initials_surname(person)


def test_unbroken_keeps_numbers_whole():
    assert ru.unbroken("ПП-2025-01") == "ПП\u20112025\u201101"
    assert ru.unbroken("12-сл") == "12\u2011сл"
    assert ru.unbroken(None) == ""


DECLENSION = [
    # (nominative, sex, case, expected)
    ("Иванов Иван Иванович", "Муж", "dative", "Иванову Ивану Ивановичу"),
    ("Иванов Иван Иванович", "Муж", "genitive", "Иванова Ивана Ивановича"),
    ("Иванов Иван Иванович", "Муж", "accusative", "Иванова Ивана Ивановича"),
    ("Иванов Иван Иванович", "Муж", "instrumental", "Ивановым Иваном Ивановичем"),
    ("Иванов Иван Иванович", "Муж", "prepositional", "Иванове Иване Ивановиче"),
    ("Петрова Анна Сергеевна", "Жен", "dative", "Петровой Анне Сергеевне"),
    ("Петрова Анна Сергеевна", "Жен", "genitive", "Петровой Анны Сергеевны"),
    ("Петрова Анна Сергеевна", "Жен", "accusative", "Петрову Анну Сергеевну"),
    ("Ким Ирина Юрьевна", "Жен", "dative", "Ким Ирине Юрьевне"),
    ("Ким Олег Юрьевич", "Муж", "dative", "Киму Олегу Юрьевичу"),
    ("Черных Анна Петровна", "Жен", "dative", "Черных Анне Петровне"),
    ("Черных Олег Петрович", "Муж", "genitive", "Черных Олега Петровича"),
    ("Римский-Корсаков Николай Андреевич", "Муж", "dative", "Римскому-Корсакову Николаю Андреевичу"),
    ("Ёлкина Алёна Фёдоровна", "Жен", "dative", "Ёлкиной Алёне Фёдоровне"),
    ("Ёлкина Алёна Фёдоровна", "Жен", "genitive", "Ёлкиной Алёны Фёдоровны"),
    ("Гусейнов Эльдар Рамиз оглы", "Муж", "dative", "Гусейнову Эльдару Рамиз оглы"),
    ("д'Артаньян Шарль", "Муж", "dative", "д'Артаньяну Шарлю"),
    ("Шмидт-Ёлкина Анна-Мария Петровна", "Жен", "dative", "Шмидт-Ёлкиной Анне-Марии Петровне"),
    ("ИВАНОВ ИВАН ИВАНОВИЧ", "Муж", "dative", "ИВАНОВУ ИВАНУ ИВАНОВИЧУ"),
]


@pytest.mark.parametrize(("nominative", "sex", "case", "expected"), DECLENSION)
def test_declension(nominative, sex, case, expected):
    assert ru.declined(P(nominative, sex), case) == expected
    assert ru.FILTERS[case](P(nominative, sex)) == expected


def test_declension_uses_the_recorded_sex_not_a_guess():
    # «Саша» is either; the recorded «Пол» decides the surname's ending.
    assert ru.dative(Person("Смирнов", "Саша", None, "Муж")) == "Смирнову Саше"
    assert ru.dative(Person("Смирнова", "Саша", None, "Жен")) == "Смирновой Саше"


def test_declension_falls_back_to_nominative_never_crashes():
    assert ru.dative(Person("Иванов", "Иван", None, "")) == "Иванов Иван"  # sex unknown
    assert ru.dative("Иванов Иван Иванович") == "Иванов Иван Иванович"  # text has no sex
    assert ru.dative(Person("Иванов", "", None, "Муж")) == "Иванову"
    assert isinstance(ru.dative(Person("X-", "-", "--", "Муж")), str)  # degenerate parts do not raise
    assert ru.dative(None) == ""


def test_upper_first():
    assert ru.upper_first("повышение квалификации") == "Повышение квалификации"
    assert ru.upper_first("«охрана» труда") == "«Охрана» труда"
    assert ru.upper_first("") == ""
    assert ru.upper_first(None) == ""


def test_filters_registry_names_each_function():
    for name in (
        "date_long",
        "date_short",
        "date_quoted",
        "period",
        "hours",
        "plural",
        "count",
        "short_name",
        "initials_surname",
        "dative",
        "genitive",
        "upper_first",
        "hours_full",
    ):
        assert ru.FILTERS[name] is getattr(ru, name)
