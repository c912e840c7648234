"""Russian office formatting for documents: dates, plural agreement, short and declined names.

Every function here is also a Jinja filter (`FILTERS`), so templates write
`{{ order.date|date_long }}`, `{{ program.hours|hours }}` or `{{ learner|dative }}`.
Well-kept libraries do the language work: babel (CLDR month names and plural rules), pytrovich
(petrovich rules for declension of names), num2words (numbers in words). Gender for declension comes
from the person's «Пол» («Муж»/«Жен»), never from guessing by the name.

None renders as an empty string in every formatter: an optional field that staff left empty
(validated upstream) must not print «None» in a signed document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date
from num2words import num2words
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

_LOCALE = Locale("ru")


class PersonLike(Protocol):
    """What the name helpers need: `pipeline.core.dataset.Person` or anything shaped like it."""

    surname: str
    name: str
    patronymic: str | None
    sex: str


# --- dates -------------------------------------------------------------------------------------


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # ISO text, as the load stage normalises dates
        return dt.date.fromisoformat(value)
    return value


def date_long(value: dt.date | str | None) -> str:
    """«10 января 2022 г.», «5 января 2022 г.» (no leading zero), as ГОСТ Р 7.0.97 writes the date in words."""
    d = _as_date(value)
    # CLDR's "long" pattern puts U+202F before «г.»; Times New Roman in older Word lacks that glyph,
    # so the pattern is spelt out with an ordinary space.
    return "" if d is None else format_date(d, "d MMMM y 'г'.", locale=_LOCALE)


def date_short(value: dt.date | str | None) -> str:
    """«10.01.2022», «05.01.2022» (the numeric form of ГОСТ Р 7.0.97)."""
    d = _as_date(value)
    return "" if d is None else f"{d.day:02d}.{d.month:02d}.{d.year}"


def date_quoted(value: dt.date | str | None) -> str:
    """«10» января 2022 г.; the day keeps two digits («05»), as printed forms («__» ____ 20__ г.) have it."""
    d = _as_date(value)
    return "" if d is None else format_date(d, "«dd» MMMM y 'г'.", locale=_LOCALE)


def period(start: dt.date | str | None, end: dt.date | str | None) -> str:
    """«с 10.01.2022 по 20.01.2022»."""
    return f"с {date_short(start)} по {date_short(end)}"


def period_long(start: dt.date | str | None, end: dt.date | str | None) -> str:
    """«с 10 января 2022 г. по 20 января 2022 г.»."""
    return f"с {date_long(start)} по {date_long(end)}"


# --- numbers and plural agreement ----------------------------------------------------------------


def plural(n: int | float | str, one: str, few: str, many: str) -> str:
    """The word form that agrees with n: plural(21, "час", "часа", "часов") gives «час».

    CLDR's «other» (fractions: «1,5 часа») takes the genitive singular, the same form as «few».
    """
    form = _LOCALE.plural_form(abs(_as_number(n)))
    return {"one": one, "few": few, "many": many}.get(form, few)


def count(n: int | float | str | None, one: str, few: str, many: str) -> str:
    """«25 слушателей», «1 слушатель», «3 слушателя»."""
    if n is None or n == "":
        return ""
    return f"{n} {plural(n, one, few, many)}"


def hours(n: int | str | None) -> str:
    """«72 часа», «16 часов», «21 час»."""
    return count(n, "час", "часа", "часов")


def hours_acad(n: int | str | None) -> str:
    """«72 академических часа», «1 академический час», «16 академических часов»."""
    return count(n, "академический час", "академических часа", "академических часов")


def number_words(n: int | str | None) -> str:
    """«семьдесят два» (num2words, Russian)."""
    if n is None or n == "":
        return ""
    return num2words(_as_number(n), lang="ru")


def hours_full(n: int | str | None) -> str:
    """«72 (семьдесят два) часа», the way certificates state the programme's volume."""
    if n is None or n == "":
        return ""
    return f"{n} ({number_words(n)}) {plural(n, 'час', 'часа', 'часов')}"


def _as_number(n: int | float | str) -> int | float:
    if isinstance(n, str):
        n = n.strip().replace(",", ".")
        return float(n) if "." in n else int(n)
    return n


# --- names ---------------------------------------------------------------------------------------


def _parts(person: PersonLike | str) -> tuple[str, str, str]:
    """(surname, name, patronymic) of a Person, or of «Фамилия Имя Отчество» text."""
    if isinstance(person, str):
        words = person.split()
        words += [""] * (2 - len(words))
        return words[0], words[1], " ".join(words[2:])
    return person.surname or "", person.name or "", person.patronymic or ""


def _initials(name: str, patronymic: str) -> list[str]:
    # «Анна-Мария» → «А.-М.»; «Рамиз оглы» → «Р.»: the initial is the first letter of each
    # hyphenated component of the first word, as personnel departments write it.
    result = []
    for part in (name, patronymic):
        word = part.split()[0] if part.split() else ""
        if word:
            result.append("-".join(piece[:1] + "." for piece in word.split("-") if piece))
    return result


def full_name(person: PersonLike | str | None) -> str:
    """«Иванов Иван Иванович»; «Ким Ирина» when there is no patronymic."""
    if person is None:
        return ""
    return " ".join(p for p in _parts(person) if p)


NBSP = "\u00a0"
"""A non-breaking space: the surname never leaves its initials at a line end."""
NB_HYPHEN = "\u2011"
"""A non-breaking hyphen (Liberation Serif and Times New Roman both have the glyph)."""


def short_name(person: PersonLike | str | None) -> str:
    """«Иванов И.И.» for lists and tables; «Ким И.» without a patronymic.

    As ГОСТ Р 7.0.97 writes initials: no space between them, a non-breaking space before the surname.
    """
    if person is None:
        return ""
    surname, name, patronymic = _parts(person)
    initials = "".join(_initials(name, patronymic))
    return NBSP.join(p for p in (surname, initials) if p)


def initials_surname(person: PersonLike | str | None) -> str:
    """«И.И. Иванов», the расшифровка подписи of ГОСТ Р 7.0.97 («должность — подпись — И.О. Фамилия»)."""
    if person is None:
        return ""
    surname, name, patronymic = _parts(person)
    initials = "".join(_initials(name, patronymic))
    return NBSP.join(p for p in (initials, surname) if p)


def unbroken(text: Any) -> str:
    """«ПП‑2025‑01», «12‑сл»: hyphens made non-breaking, so a number never wraps at its hyphen."""
    return "" if text is None else str(text).replace("-", NB_HYPHEN)


_CASES = {
    "nominative": Case.NOMINATIVE,
    "genitive": Case.GENITIVE,
    "dative": Case.DATIVE,
    "accusative": Case.ACCUSATIVE,
    "instrumental": Case.INSTRUMENTAL,
    "prepositional": Case.PREPOSITIONAL,
}
_GENDERS = {"Муж": Gender.MALE, "Жен": Gender.FEMALE}


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=65536)
def _decline_part(part: NamePart, gender: Gender, case: Case, text: str) -> str:
    if not text:
        return text
    try:
        result = _maker().make(part, gender, case, text)
    except Exception:  # noqa: BLE001 - a name the rules cannot handle prints as written, never crashes a run
        return text
    # The rules append lower-case endings; a name typed in capitals stays in capitals.
    return result.upper() if text.isupper() else result


def declined(person: PersonLike | None, case: str) -> str:
    """The full name in a case: declined(Иванов Иван Иванович, "dative") gives «Иванову Ивану Ивановичу».

    Sex comes from the person's «Пол»; a person without a known sex, or a name the rules do not
    know, comes out in the nominative rather than guessed.
    """
    if person is None:
        return ""
    if isinstance(person, str) or _GENDERS.get(getattr(person, "sex", None)) is None:
        return full_name(person)
    return _declined(*_parts(person), person.sex, case)


@lru_cache(maxsize=65536)
def _declined(surname: str, name: str, patronymic: str, sex: str, case: str) -> str:
    # Cached whole: a protocol declines the same few dozen names in every document of a run.
    gender = _GENDERS[sex]
    grammatical_case = _CASES[case]
    words = (
        _decline_part(NamePart.LASTNAME, gender, grammatical_case, surname),
        _decline_part(NamePart.FIRSTNAME, gender, grammatical_case, name),
        _decline_part(NamePart.MIDDLENAME, gender, grammatical_case, patronymic),
    )
    return " ".join(w for w in words if w)


def genitive(person: PersonLike | None) -> str:
    """«Иванова Ивана Ивановича» (кого: «отчислить»)."""
    return declined(person, "genitive")


def dative(person: PersonLike | None) -> str:
    """«Иванову Ивану Ивановичу» (кому: «выдать»)."""
    return declined(person, "dative")


def accusative(person: PersonLike | None) -> str:
    """«Иванова Ивана Ивановича» (кого: «зачислить»)."""
    return declined(person, "accusative")


def instrumental(person: PersonLike | None) -> str:
    """«Ивановым Иваном Ивановичем» (кем)."""
    return declined(person, "instrumental")


def prepositional(person: PersonLike | None) -> str:
    """«Иванове Иване Ивановиче» (о ком)."""
    return declined(person, "prepositional")


# --- text ----------------------------------------------------------------------------------------

_FIRST_LETTER = re.compile(r"\w")


def upper_first(text: Any) -> str:
    """The text with its first letter capitalised and the rest untouched («ПК-2025» stays as is)."""
    if text is None:
        return ""
    text = str(text)
    m = _FIRST_LETTER.search(text)
    return text if m is None else text[: m.start()] + text[m.start()].upper() + text[m.start() + 1 :]


FILTERS: dict[str, Callable[..., str]] = {
    f.__name__: f
    for f in (
        date_long,
        date_short,
        date_quoted,
        period,
        period_long,
        plural,
        count,
        hours,
        hours_acad,
        hours_full,
        number_words,
        full_name,
        short_name,
        initials_surname,
        unbroken,
        declined,
        genitive,
        dative,
        accusative,
        instrumental,
        prepositional,
        upper_first,
    )
}
"""The Jinja filters every template may use, by name."""
