"""The build cache's format gives back exactly what was kept, whatever shape a column of values takes.

A learners.xlsx of 50,000 rows is kept column by column (pipeline.cache.codec); a column whose values are
mostly empty tuples, a few holding awards, or that mixes text with numbers and dates, must come back as
it was, field for field — a learner read back with another's award or a text made a number would print
on a document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pipeline.cache import codec
from pipeline.core.dataset import Award, Person, Source


@dataclasses.dataclass(frozen=True)
class Unlisted:
    value: int


def _person(n: int) -> Person:
    return Person(surname=f"Иванова{n}", name="Анна", patronymic=None if n % 3 else "Петровна", sex="Жен")


def _award(n: int) -> Award:
    return Award(learner_id=f"{n:05d}", kind="Благодарность", reason=None, date=dt.date(2025, 3, n % 28 + 1),
                 basis_no=str(n), basis_date=dt.date(2025, 3, 1), group=None,
                 src=Source("learners.xlsx", "Поощрения", n + 1))


@pytest.mark.parametrize("value", [
    # a column of tuples: empty but for a few holding dataclasses (a learner's awards)
    [() if n % 7 else (_award(n),) for n in range(30)],
    # tuples of plain values, and tuples some of which hold a date
    [("a", 1, None), ("b", 2.5, True)],
    [("a", dt.date(2025, 1, 2)), ()],
    # plain values of several kinds, bool beside int, and one non-plain value among them
    ["текст", 1, 2.5, None, True, False],
    ["текст", 1, dt.date(2024, 2, 29)],
    [dt.date(2025, 1, 1), dt.date(2025, 12, 31)],
    # dataclasses of one class (kept as columns), of two classes, and one alone
    [_person(n) for n in range(10)],
    [_person(1), Source("a.xlsx", "Лист", 3)],
    [_person(1)],
    {f"{n:05d}": _person(n) for n in range(5)},
    {"один": (), "два": (_award(2),), "три": ("x",)},
    (), [], {}, [()], [(), ()],
    frozenset({("a", 1), ("b", 2)}),
])
def test_every_shape_of_column_comes_back_as_it_was_kept(value):
    back = codec.loads(codec.dumps(value))

    assert back == value
    assert type(back) is type(value)
    if isinstance(value, list):
        assert [type(v) for v in back] == [type(v) for v in value]
        for kept, read in zip(value, back, strict=True):
            if isinstance(kept, tuple):
                assert [type(x) for x in read] == [type(x) for x in kept]


def test_a_value_of_a_class_the_cache_may_not_name_is_refused_when_written():
    with pytest.raises(TypeError):
        codec.dumps([Unlisted(1), Unlisted(2)])
    with pytest.raises(TypeError):
        codec.dumps({"x": (Unlisted(1),)})
