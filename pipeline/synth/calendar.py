"""Working days of the fictional institution: weekdays that are not Russian public holidays."""

from __future__ import annotations

import datetime as dt

# Fixed-date non-working days (ТК РФ ст. 112); moved days off of a given year are ignored on purpose,
# the sample only needs plausible class days.
_HOLIDAYS = {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}


def is_working_day(day: dt.date) -> bool:
    """Tell whether classes can take place on this day."""
    return day.weekday() < 5 and (day.month, day.day) not in _HOLIDAYS


def next_working_day(day: dt.date) -> dt.date:
    """Give `day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_working_day(day: dt.date) -> dt.date:
    """Give the last working day strictly before `day`."""
    day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """Give the working day `count` working days after `day` (`day` itself when count is 0)."""
    day = next_working_day(day)
    for _ in range(count):
        day = next_working_day(day + dt.timedelta(days=1))
    return day
