"""Expected vs achieved: for each learner in each group, was the program's expectation met, and why not.

The expectation is what «Программы» states: attend at least «Мин. посещаемость, %» of the hours held,
pass every module that has an intermediate attestation (form other than «нет»), pass the final
attestation. A group still in training gets a verdict by `as_of` instead: «обучается», or «в группе
риска» with the reasons, so staff can act before the end.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from pipeline.core.dataset import Dataset, FinalResult, Group, IssuedDocument, Member, Module, Program, Result
from schemas import codes

MET = "выполнены"
NOT_MET = "не выполнены"
EXPELLED = "отчислен досрочно"
STUDYING = "обучается"
AT_RISK = "в группе риска"
NOT_STARTED = "не начато"


@dataclass(frozen=True)
class ModuleOutcome:
    """One module of a learner's program: its latest intermediate result, if any."""

    module: Module
    result: Result | None
    date: dt.date | None

    @property
    def required(self) -> bool:
        """A module with form «нет» has no intermediate attestation to pass."""
        return self.module.form != "нет"

    @property
    def passed(self) -> bool:
        return self.result is not None and self.result.positive


@dataclass(frozen=True)
class Progress:
    """A learner's course through one group, judged against the program's expectation on `as_of`."""

    group: Group
    program: Program
    member: Member
    as_of: dt.date
    hours_planned: int
    """The plan: the program's volume, or the journal's total when the journal lists more."""
    hours_held: int
    """Hours of lessons held up to `as_of` (up to the expulsion date for one expelled early)."""
    hours_missed: int
    """Of those, hours with an absence mark («н», «б», «у»; «д» counts as attended)."""
    modules: tuple[ModuleOutcome, ...]
    final: FinalResult | None
    issued: IssuedDocument | None
    state: str
    """MET, NOT_MET, EXPELLED, STUDYING, AT_RISK or NOT_STARTED."""
    reasons: tuple[str, ...]
    """Why the expectation is not (or may not be) met, in Russian, for staff."""
    female: bool = False
    """The learner's «Пол» is «Жен»: «не явилась», «отчислена»."""

    def words(self, result: Result) -> str:
        """«5 (отлично)», «зачтено»; «не явилась» for a woman who did not appear."""
        return ("не явилась" if self.female else "не явился") if result.absent else result.words

    @property
    def learner_id(self) -> str:
        return self.member.learner_id

    @property
    def hours_attended(self) -> int:
        return self.hours_held - self.hours_missed

    @property
    def attendance(self) -> float | None:
        """Percent of held hours attended; None before the first lesson."""
        return percent(self.hours_attended, self.hours_held)

    @property
    def miss_limit(self) -> int:
        """Most hours of the plan one may miss and still meet the minimum attendance."""
        return math.floor(self.hours_planned * (100 - self.program.min_attendance) / 100)

    @property
    def finished(self) -> bool:
        """The outcome is known: met, not met or expelled."""
        return self.state in (MET, NOT_MET, EXPELLED)

    @property
    def interim_grades(self) -> list[int]:
        return [m.result.grade for m in self.modules if m.result is not None and m.result.grade is not None]

    @property
    def final_grade(self) -> int | None:
        """The grade of the final attestation, if it has one («зачтено» has none)."""
        return self.final.result.grade if self.final is not None else None

    @property
    def verdict(self) -> Verdict:
        """What the reports count of this progress (Verdict)."""
        return Verdict(self.group, self.program, self.state, self.hours_held, self.hours_missed, self.final_grade)


@dataclass(frozen=True)
class Verdict:
    """What the reports count of one learner's progress in one group: the verdict, the hours, the final
    grade, with the group and program they belong to. Counting figures needs no more than this, so the
    reports can keep it per group between runs (pipeline.reports.shares) instead of assessing everyone again.
    """

    group: Group
    program: Program
    state: str
    hours_held: int
    hours_missed: int
    final_grade: int | None

    @property
    def hours_attended(self) -> int:
        return self.hours_held - self.hours_missed


class _GroupIndex:
    """A group's records by learner, so that assessing all its members does not scan them once per member."""

    def __init__(self, group: Group):
        self.interim: dict[tuple[str, int], object] = {}
        for r in group.interim:
            latest = self.interim.get((r.learner_id, r.module))
            if latest is None or r.date > latest.date:  # the first of equally late results, as max() gives
                self.interim[(r.learner_id, r.module)] = r
        self.absent: dict[str, list[int]] = {}
        for m in group.marks:
            if m.mark in codes.ABSENCE_MARKS:
                self.absent.setdefault(m.learner_id, []).append(m.lesson)
        self.final: dict[str, FinalResult] = {}
        for f in group.final:
            self.final.setdefault(f.learner_id, f)
        self.issued: dict[str, list[IssuedDocument]] = {}
        for d in group.issued:
            self.issued.setdefault(d.learner_id, []).append(d)
        self.planned_hours = sum(lesson.hours for lesson in group.lessons)
        self._group = group
        self._held: dict[dt.date, dict[int, int]] = {}

    def held(self, until: dt.date) -> dict[int, int]:
        """Hours by lesson number of the lessons dated on or before `until` (most members share one date)."""
        if until not in self._held:
            self._held[until] = {lesson.number: lesson.hours for lesson in self._group.lessons if lesson.date <= until}
        return self._held[until]


def _hours(held: dict[int, int], absent: list[int]) -> tuple[int, int]:
    """Give (held, missed) hours, given the lessons held and the learner's absences."""
    return sum(held.values()), sum(held.get(number, 0) for number in absent)


def _hours_text(value: int) -> str:
    return f"{value} ак. ч."


def _attendance_reason(p: Progress) -> str:
    return (
        f"посещаемость {fmt_pct(p.attendance)} % ниже минимума {p.program.min_attendance} %: пропущено "
        f"{_hours_text(p.hours_missed)} из {p.hours_held}"
    )


def percent(part: float, whole: float) -> float | None:
    """`part` as a percent of `whole`; None when the whole is nothing (no hours held, no outcome known)."""
    return 100.0 * part / whole if whole else None


def average(values: list[int]) -> float | None:
    """The mean grade; None when there is no grade."""
    return mean(values) if values else None


def fmt_pct(value: float | None) -> str:
    """«87,5»: one decimal with a Russian comma; «—» when there is nothing to measure."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def _module_reason(p: Progress, m: ModuleOutcome) -> str:
    title = f"модуль {m.module.number} «{m.module.name}»"
    if m.result is None:
        return f"{title}: нет результата промежуточной аттестации"
    return f"{title}: {p.words(m.result)}"


def _final_reason(p: Progress, final: FinalResult | None) -> str:
    if final is None:
        return "нет результата итоговой аттестации"
    return f"итоговая аттестация: {p.words(final.result)}"


def assess(dataset: Dataset, group: Group, member: Member, as_of: dt.date, index: _GroupIndex | None = None) -> Progress:
    """Give one learner's progress in one group on `as_of`, with the verdict and its reasons."""
    index = index or _GroupIndex(group)
    program = dataset.program_of(group)
    lid = member.learner_id
    until = min(as_of, member.expelled_on) if member.expelled_early and member.expelled_on else as_of
    held, missed = _hours(index.held(until), index.absent.get(lid, []))
    planned = max(program.hours, index.planned_hours)
    modules = []
    for module in program.modules:
        row = index.interim.get((lid, module.number))
        modules.append(ModuleOutcome(module, row.result if row else None, row.date if row else None))
    final = index.final.get(lid)
    issued = index.issued.get(lid, [])
    issued_doc = max(issued, key=lambda d: d.issued_on) if issued else None
    progress = Progress(
        group=group, program=program, member=member, as_of=as_of, hours_planned=planned, hours_held=held,
        hours_missed=missed, modules=tuple(modules), final=final, issued=issued_doc, state=STUDYING, reasons=(),
        female=getattr(getattr(dataset.learners.get(lid), "person", None), "sex", None) == "Жен",
    )
    state, reasons = _verdict(progress)
    return Progress(**{**progress.__dict__, "state": state, "reasons": tuple(reasons)})


def _verdict(p: Progress) -> tuple[str, list[str]]:
    if p.member.expelled_early:
        when = f" {p.member.expelled_on:%d.%m.%Y}" if p.member.expelled_on else ""
        why = f": {p.member.expel_reason}" if p.member.expel_reason else ""
        return EXPELLED, [f"{'отчислена' if p.female else 'отчислен'} досрочно{when}{why}"]
    low_attendance = p.attendance is not None and p.attendance < p.program.min_attendance
    failed_modules = [m for m in p.modules if m.required and m.result is not None and not m.result.positive]
    ended = p.group.completed or p.member.status == "завершил обучение" or p.final is not None
    if ended:
        reasons = [_attendance_reason(p)] if low_attendance else []
        reasons += [_module_reason(p, m) for m in p.modules if m.required and not m.passed]
        if p.final is None or not p.final.result.positive:
            reasons.append(_final_reason(p, p.final))
        return (NOT_MET if reasons else MET), reasons
    if p.as_of < p.group.start:
        return NOT_STARTED, []
    # During training: warn about what already endangers the outcome.
    reasons = []
    if p.hours_missed > p.miss_limit:
        reasons.append(
            f"пропущено {_hours_text(p.hours_missed)} — больше допустимых {p.miss_limit} из {p.hours_planned} по плану"
        )
    elif low_attendance:
        reasons.append(_attendance_reason(p))
    reasons += [_module_reason(p, m) for m in failed_modules]
    return (AT_RISK if reasons else STUDYING), reasons


def assess_group(dataset: Dataset, group: Group, as_of: dt.date) -> list[Progress]:
    """Give the progress of every member of one group, in sheet order."""
    index = _GroupIndex(group)
    return [assess(dataset, group, m, as_of, index) for m in group.members]


def in_assessment_order(groups: Iterable[Group]) -> list[Group]:
    """The groups as assess_all takes them: by start date, then number."""
    return sorted(groups, key=lambda g: (g.start, g.number))


def assess_all(dataset: Dataset, as_of: dt.date) -> list[Progress]:
    """Give every learner's progress in every group, groups by start date, members in sheet order."""
    return [p for g in in_assessment_order(dataset.groups.values()) for p in assess_group(dataset, g, as_of)]


def at_risk(progress: list[Progress]) -> list[Progress]:
    """Give the learners still in training whose expectation is in danger on the date they were assessed."""
    return [p for p in progress if p.state == AT_RISK]
