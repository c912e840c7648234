"""When each group studies: the order of groups in time and the lessons of each group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.synth.calendar import add_working_days, next_working_day, previous_working_day
from pipeline.synth.reference import ProgramPlan

MAX_LESSON_HOURS = 4
MAX_DAY_HOURS = 8


@dataclass(frozen=True)
class Session:
    """One planned lesson: a day, its hours, the module."""

    date: dt.date
    hours: int
    module: int


def sessions(plan: ProgramPlan, start: dt.date) -> tuple[Session, ...]:
    """Give the lessons of a whole program from `start`, module after module, at most 8 h a day.

    The final attestation (the last module) gets a day of its own, so the final date is its lesson date.
    """
    per_day = plan.hours_per_day
    modules = plan.program.modules
    day = next_working_day(start)
    left = per_day
    out = []
    for module in modules:
        remaining = module.hours
        if module is modules[-1] and left < per_day:
            day, left = next_working_day(day + dt.timedelta(days=1)), max(per_day, min(module.hours, MAX_DAY_HOURS))
        elif module is modules[-1]:
            left = max(per_day, min(module.hours, MAX_DAY_HOURS))
        while remaining:
            if left == 0:
                day, left = next_working_day(day + dt.timedelta(days=1)), per_day
            hours = min(MAX_LESSON_HOURS, remaining, left)
            out.append(Session(day, hours, module.number))
            remaining -= hours
            left -= hours
    return tuple(out)


def working_days(plan: ProgramPlan) -> int:
    """Give how many distinct class days a program takes."""
    return len({s.date for s in sessions(plan, dt.date(2001, 2, 5))})


def completed_start(plan: ProgramPlan, wanted: dt.date, finish_before: dt.date) -> dt.date:
    """Give the working day nearest to `wanted` from which the program ends before `finish_before`."""
    start = next_working_day(wanted)
    while sessions(plan, start)[-1].date >= finish_before:
        start = previous_working_day(start - dt.timedelta(days=7))
    return start


def in_training_start(plan: ProgramPlan, as_of: dt.date) -> dt.date:
    """Give a start from which `as_of` falls about halfway through the program (some lessons after it)."""
    start = next_working_day(as_of) if as_of.weekday() >= 5 else as_of
    for _ in range(working_days(plan) // 2):
        start = previous_working_day(start)
    return start


def spanning_start(year: int) -> dt.date:
    """Give the first working day of December: a long program started then ends in the next year."""
    return add_working_days(dt.date(year, 12, 1), 0)
