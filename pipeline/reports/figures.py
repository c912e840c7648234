"""The management figures: outcomes by year, program, group and teacher, computed from assessments.

Definitions (the summary's «Пояснения» sheet prints the same, so staff and tests agree):
- enrolled: members of the groups; studying: in a group not yet finished, not expelled;
- met / not met: the program's expectation (see expectations.py); expelled: «отчислен досрочно»;
- pass rate: met ÷ (met + not met + expelled), i.e. over learners whose outcome is known;
- average grade: mean of numeric final attestation grades («5».. «2»);
- attendance: hours attended ÷ hours held up to the report date (up to the expulsion date for one
  expelled early), summed over learners.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from pipeline.assessment.expectations import (
    AT_RISK,
    EXPELLED,
    MET,
    NOT_MET,
    NOT_STARTED,
    STUDYING,
    Progress,
    Verdict,
    average,
    percent,
)
from pipeline.core.dataset import Dataset, Group, Program, Staff
from schemas import codes

Counted = Progress | Verdict
"""What the figures count: a learner's progress, or its verdict as the reports keep it."""


@dataclass
class Outcome:
    """Counts and rates over a set of learners' progress."""

    enrolled: int = 0
    studying: int = 0
    at_risk: int = 0
    met: int = 0
    not_met: int = 0
    expelled: int = 0
    hours_held: int = 0
    hours_attended: int = 0
    final_grades: list[int] = field(default_factory=list)

    def add(self, p: Counted) -> None:
        self.enrolled += 1
        self.studying += p.state in (STUDYING, AT_RISK, NOT_STARTED)
        self.at_risk += p.state == AT_RISK
        self.met += p.state == MET
        self.not_met += p.state == NOT_MET
        self.expelled += p.state == EXPELLED
        self.hours_held += p.hours_held
        self.hours_attended += p.hours_attended
        if p.final_grade is not None:
            self.final_grades.append(p.final_grade)

    @property
    def finished(self) -> int:
        return self.met + self.not_met + self.expelled

    @property
    def pass_rate(self) -> float | None:
        return percent(self.met, self.finished)

    @property
    def average_grade(self) -> float | None:
        return average(self.final_grades)

    @property
    def attendance(self) -> float | None:
        return percent(self.hours_attended, self.hours_held)


def outcome(progress: Sequence[Counted]) -> Outcome:
    result = Outcome()
    for p in progress:
        result.add(p)
    return result


def merged(outcomes: Iterable[Outcome]) -> Outcome:
    """Give the outcome of the learners of several outcomes together (grades in the order given)."""
    result = Outcome()
    for o in outcomes:
        for name in _COUNTS:
            setattr(result, name, getattr(result, name) + getattr(o, name))
        result.final_grades.extend(o.final_grades)
    return result


_COUNTS = tuple(f.name for f in fields(Outcome) if f.name != "final_grades")
"""The Outcome fields that add up (all but the grades, which are listed)."""


Tally = list[tuple[Group, Program, Outcome]]
"""Each group's outcome, groups in the order their learners first come (tally)."""


def tally(progress: Sequence[Counted]) -> Tally:
    """Count each group's outcome once: the figures by year, program and group are sums of these (each
    learner counted once, not once per table: 14,000 learners at 400 groups)."""
    found: dict[str, tuple[Group, Program, Outcome]] = {}
    for p in progress:
        entry = found.get(p.group.number)
        if entry is None:
            entry = found[p.group.number] = (p.group, p.program, Outcome())
        entry[2].add(p)
    return list(found.values())


def by_year(progress: Sequence[Counted], tallied: Tally | None = None) -> list[tuple[int, Outcome]]:
    """Give outcomes per archive year (the year a group ends), earliest first; `tallied`: tally(progress)
    when already counted."""
    groups: dict[int, list[Outcome]] = defaultdict(list)
    for group, _program, o in tally(progress) if tallied is None else tallied:
        groups[group.year].append(o)
    return [(year, merged(items)) for year, items in sorted(groups.items())]


def by_program_year(dataset: Dataset, progress: Sequence[Counted],
                    tallied: Tally | None = None) -> list[tuple[Program, int, Outcome]]:
    """Give outcomes per program and year, programs in the order of «Программы», years ascending."""
    groups: dict[tuple[str, int], list[Outcome]] = defaultdict(list)
    for group, program, o in tally(progress) if tallied is None else tallied:
        groups[(program.code, group.year)].append(o)
    order = {code: i for i, code in enumerate(dataset.programs)}
    keys = sorted(groups, key=lambda k: (order[k[0]], k[1]))
    return [(dataset.programs[code], year, merged(groups[(code, year)])) for code, year in keys]


def by_group(dataset: Dataset, progress: Sequence[Counted],
             tallied: Tally | None = None) -> list[tuple[Group, Outcome]]:
    """Give outcomes per group, by start date."""
    groups = {group.number: o for group, _program, o in (tally(progress) if tallied is None else tallied)}
    ordered = sorted(dataset.groups.values(), key=lambda g: (g.start, g.number))
    return [(g, merged([groups[g.number]]) if g.number in groups else Outcome()) for g in ordered]


@dataclass
class TeacherFigures:
    """A teacher's load and what the learners did on it."""

    staff: Staff
    groups: set[str] = field(default_factory=set)
    lessons: int = 0
    hours: int = 0
    learner_hours: int = 0
    learner_hours_missed: int = 0
    results: int = 0
    positive: int = 0
    grades: list[int] = field(default_factory=list)

    @property
    def attendance(self) -> float | None:
        return percent(self.learner_hours - self.learner_hours_missed, self.learner_hours)

    @property
    def pass_share(self) -> float | None:
        return percent(self.positive, self.results)

    @property
    def average_grade(self) -> float | None:
        return average(self.grades)


TeacherCounts = dict[str, list]
"""A group's share of the teachers' figures: {staff id: [lessons, hours, learner hours, learner hours
missed, intermediate results, positive ones, [grades]]} (plain values, kept between runs)."""


def teacher_counts(g: Group, as_of: dt.date) -> TeacherCounts:
    """Give one group's share of the teachers' figures: lessons held by `as_of`, attendance on them,
    intermediate results examined."""
    counts: TeacherCounts = {}

    def row(staff_id: str) -> list:
        return counts.setdefault(staff_id, [0, 0, 0, 0, 0, 0, []])

    # A member counts on a lesson unless expelled early before its date; counted per lesson from
    # indexes rather than by walking every member on every lesson (400 groups × 40 lessons × 28).
    until: dict[str, list[dt.date | None]] = {}
    for m in g.members:
        until.setdefault(m.learner_id, []).append(m.expelled_on if m.expelled_early and m.expelled_on else None)
    expelled = [day for days in until.values() for day in days if day is not None]
    absent_on: dict[int, set[str]] = {}
    for m in g.marks:
        if m.mark in codes.ABSENCE_MARKS:
            absent_on.setdefault(m.lesson, set()).add(m.learner_id)
    for lesson in g.lessons:
        if lesson.date > as_of:
            continue
        t = row(lesson.teacher_id)
        t[0] += 1
        t[1] += lesson.hours
        present = len(g.members) - sum(lesson.date > day for day in expelled)
        t[2] += lesson.hours * present
        for lid in absent_on.get(lesson.number, ()):
            missed = sum(day is None or lesson.date <= day for day in until.get(lid, ()))
            t[3] += lesson.hours * missed
    for r in g.interim:
        t = row(r.examiner_id)
        t[4] += 1
        t[5] += r.result.positive
        if r.result.grade is not None:
            t[6].append(r.result.grade)
    return counts


def teachers(dataset: Dataset, shares: Iterable[tuple[Group, TeacherCounts]]) -> list[TeacherFigures]:
    """Give every teacher's figures from the groups' shares (teacher_counts), by surname."""
    rows: dict[str, TeacherFigures] = {}
    for g, counts in shares:
        for staff_id, (lessons, hours, learner_hours, missed, results, positive, grades) in counts.items():
            t = rows.setdefault(staff_id, TeacherFigures(dataset.staff[staff_id]))
            if lessons:
                t.groups.add(g.number)
            t.lessons += lessons
            t.hours += hours
            t.learner_hours += learner_hours
            t.learner_hours_missed += missed
            t.results += results
            t.positive += positive
            t.grades.extend(grades)
    return sorted(rows.values(), key=lambda t: (t.staff.person.surname, t.staff.person.name, t.staff.id))


def by_teacher(dataset: Dataset, as_of: dt.date) -> list[TeacherFigures]:
    """Give per teacher: lessons held by `as_of`, attendance on them, intermediate results examined."""
    return teachers(dataset, ((g, teacher_counts(g, as_of)) for g in dataset.groups.values()))
