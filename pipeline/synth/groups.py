"""The groups: who studies when, lessons, attendance, results, and their dated orders and documents.

This is the first pass; `numbering` then gives the numbers that run across groups per calendar year.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from pipeline.core.dataset import (
    FinalResult,
    InterimResult,
    Learner,
    Lesson,
    Mark,
    Result,
    Source,
    TestResult,
)
from pipeline.intake.workbooks import group_file
from pipeline.synth import schedule
from pipeline.synth.calendar import add_working_days, previous_working_day
from pipeline.synth.reference import ProgramPlan

ENROL = "о зачислении"
COMMISSION = "об утверждении состава аттестационной комиссии"
GRADUATE = "об окончании обучения и отчислении"
EXPEL = "об отчислении"
ORDER_RANK = {ENROL: 0, COMMISSION: 1, EXPEL: 2, GRADUATE: 3}
CERTIFICATE = "Справка об обучении"
_GRADED_FINAL = ("итоговый экзамен", "квалификационный экзамен", "защита итоговой работы")
_GRADED_MODULE = ("дифференцированный зачет", "экзамен")
# Program index per group slot: every program early, the long ones twice, the duplicates last.
_PATTERN = (0, 1, 2, 3, 4, 0, 1, 3, 2, 4)


@dataclass
class Draft:
    """A group while it is being built (mutable); `freeze` turns it into a Group."""

    index: int
    plan: ProgramPlan
    start: dt.date
    planned: tuple[schedule.Session, ...]
    in_training: bool
    number: str = ""
    members: list[str] = field(default_factory=list)
    expelled: dict[str, dt.date] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    # Filled by build(): records without the numbers that run across groups.
    orders: list[tuple[str, dt.date]] = field(default_factory=list)
    contracts: dict[str, dt.date] = field(default_factory=dict)
    documents: list[tuple[str, str, dt.date]] = field(default_factory=list)  # learner, kind, issued on

    @property
    def end(self) -> dt.date:
        return self.planned[-1].date

    @property
    def final_date(self) -> dt.date | None:
        return None if self.in_training else self.end

    @property
    def file(self) -> str:
        return group_file(self.number)


def plan_groups(plans: tuple[ProgramPlan, ...], count: int, years: tuple[int, int], as_of: dt.date) -> list[Draft]:
    """Give the groups in time: most completed before `as_of`, a few in training, one across New Year."""
    first, last = years
    slots = [plans[_PATTERN[i % len(_PATTERN)] % len(plans)] for i in range(count)]
    training = 1 if count < 4 else max(2, count // 20)
    drafts: list[Draft] = []
    completed = count - training
    t0 = dt.date(first, 1, 20)
    finish_before = as_of - dt.timedelta(days=10)
    span_days = max((finish_before - t0).days, 1)
    # The first completed ПП group starts in December, so its journal runs across New Year.
    december = schedule.spanning_start(first)
    spanning = next(
        (i for i in range(completed) if last > first and slots[i].program.kind == "ПП"
         and schedule.sessions(slots[i], december)[-1].date < finish_before),
        None,
    )
    for i in range(completed):
        plan = slots[i]
        if i == spanning:
            start = december
        else:
            start = schedule.completed_start(plan, t0 + dt.timedelta(days=span_days * i // completed), finish_before)
        drafts.append(Draft(i, plan, start, schedule.sessions(plan, start), in_training=False))
    for i in range(count - training, count):
        start = schedule.in_training_start(slots[i], as_of)
        drafts.append(Draft(i, slots[i], start, schedule.sessions(slots[i], start), in_training=True))
    drafts.sort(key=lambda d: (d.start, d.index))
    sequence: dict[tuple[str, int], int] = {}
    for d in drafts:
        key = (d.plan.program.kind, d.start.year)
        sequence[key] = sequence.get(key, 0) + 1
        d.number = f"{key[0]}-{key[1]}-{sequence[key]:02d}"
    return drafts


def assign_learners(rng: random.Random, drafts: list[Draft], learner_ids: list[str], years: tuple[int, int]) -> None:
    """Seat every learner once; some (a tenth) also attend a second, different program the next year."""
    pool = list(learner_ids)
    rng.shuffle(pool)
    first, last = years
    earlier = [d for d in drafts if not d.in_training and d.end.year == first]
    later = [d for d in drafts if d.start.year == last and last > first]
    repeaters = round(len(pool) * 0.12) if earlier and later else 0
    seats = len(pool) + repeaters
    capacity = {d.index: seats // len(drafts) + (1 if k < seats % len(drafts) else 0) for k, d in enumerate(drafts)}
    cursor = 0
    for r in range(repeaters):
        one = earlier[r % len(earlier)]
        two = next(
            (c for k in range(len(later)) if (c := later[(r * 3 + k) % len(later)]).plan is not one.plan
             and c.start > one.end and len(c.members) < capacity[c.index]),
            None,
        )
        if two is None or len(one.members) >= capacity[one.index]:
            continue
        one.members.append(pool[cursor])
        two.members.append(pool[cursor])
        cursor += 1
    for d in drafts:
        while len(d.members) < capacity[d.index] and cursor < len(pool):
            d.members.append(pool[cursor])
            cursor += 1
    leftover = pool[cursor:]
    for k, learner_id in enumerate(leftover):
        drafts[k % len(drafts)].members.append(learner_id)


def sort_members(drafts: list[Draft], learners: dict[str, Learner]) -> None:
    """Order each group list alphabetically, as staff keep it («ё» sorts with «е»)."""
    def key(learner_id: str) -> tuple[str, str]:
        return learners[learner_id].person.full_name.lower().replace("ё", "е"), learner_id

    for d in drafts:
        d.members.sort(key=key)


def pick_special_cases(rng: random.Random, drafts: list[Draft]) -> None:
    """Mark one learner expelled early, one failing and one absent at the final attestation (more when large)."""
    done = [d for d in drafts if not d.in_training]
    if not done:
        return
    per_kind = max(1, len(drafts) // 40)
    long_first = sorted(done, key=lambda d: (-d.plan.program.hours, d.start))
    used: set[str] = set()
    seen: set[str] = set()
    repeaters = set()
    for d in drafts:
        repeaters |= seen.intersection(d.members)
        seen.update(d.members)

    def take(group: Draft) -> str | None:
        candidates = [m for m in group.members if m not in used and m not in repeaters]
        if not candidates:
            return None
        chosen = candidates[rng.randrange(len(candidates))]
        used.add(chosen)
        return chosen

    for k in range(per_kind):
        group = long_first[k % len(long_first)]
        if (learner := take(group)) is not None:
            days = sorted({s.date for s in group.planned})
            group.expelled[learner] = days[len(days) * 2 // 5]
    others = sorted(done, key=lambda d: (d.plan.program.final_form not in _GRADED_FINAL, d.start))
    for k in range(per_kind):
        group = others[(2 * k + 1) % len(others)]
        if (learner := take(group)) is not None:
            group.failed.add(learner)
        group = others[(2 * k + 2) % len(others)]
        if (learner := take(group)) is not None:
            group.absent.add(learner)


@dataclass
class Built:
    """A group's records whose numbers do not depend on other groups."""

    lessons: list[Lesson]
    marks: list[Mark]
    interim: list[InterimResult]
    final: list[FinalResult]
    tests: list[TestResult]
    teachers: dict[int, str]  # module -> teacher


def _lesson_kind(plan: ProgramPlan, module_number: int, position: int, last: bool) -> str:
    module = plan.program.module(module_number)
    if module is plan.program.modules[-1]:
        return "итоговая аттестация"
    if last and position > 0 and module.form != "нет":
        return "промежуточная аттестация"
    if plan.program.distance:
        return "ЭО/ДОТ"
    if module.name == "Стажировка":
        return "стажировка"
    return ("лекция", "практическое занятие", "семинар")[position % 3]


def build(rng: random.Random, draft: Draft, teacher_ids: tuple[str, ...], as_of: dt.date) -> Built:
    """Give a group's lessons, marks and results, and record its dated orders, contracts and documents."""
    plan, program, file = draft.plan, draft.plan.program, draft.file
    held = [s for s in draft.planned if s.date <= as_of] if draft.in_training else list(draft.planned)
    teachers = {m.number: teacher_ids[(draft.index * 3 + m.number * 7) % len(teacher_ids)] for m in program.modules}
    by_module: dict[int, list[int]] = {}
    for k, s in enumerate(held):
        by_module.setdefault(s.module, []).append(k)
    lessons = []
    for k, s in enumerate(held):
        positions = by_module[s.module]
        position = positions.index(k)
        complete = len(positions) == sum(1 for p in draft.planned if p.module == s.module)
        last = complete and position == len(positions) - 1
        topics = plan.topics[s.module]
        kind = _lesson_kind(plan, s.module, position, last)
        topic = (f"Промежуточная аттестация по модулю «{program.module(s.module).name}»"
                 if kind == "промежуточная аттестация" else topics[position % len(topics)])
        lessons.append(Lesson(k + 1, s.date, s.hours, s.module, topic, kind, teachers[s.module],
                              Source(file, "Занятия", k + 2)))
    module_done = {
        m.number: held[by_module[m.number][-1]].date
        for m in program.modules
        if m.number in by_module and len(by_module[m.number]) == sum(1 for p in draft.planned if p.module == m.number)
    }
    final_module = program.modules[-1].number
    marks: list[Mark] = []
    interim: list[InterimResult] = []
    tests: list[TestResult] = []
    absence_cap = program.hours // 10
    mark_choices = ("н", "б", "д") if program.distance else ("н", "б", "у")
    for row, learner in enumerate(draft.members, start=2):
        left_on = draft.expelled.get(learner)
        missed = 0
        for lesson in lessons:
            if left_on is not None and lesson.date >= left_on:
                break
            if lesson.module == final_module:
                if learner in draft.absent:
                    marks.append(Mark(learner, lesson.number, "н", Source(file, "Посещаемость", row)))
                continue
            if rng.random() < 0.03 and missed + lesson.hours <= absence_cap:
                mark = rng.choice(mark_choices)
                missed += lesson.hours if mark != "д" else 0
                marks.append(Mark(learner, lesson.number, mark, Source(file, "Посещаемость", row)))
    interim_row = test_row = 2
    for module in program.modules:
        if module.form == "нет" or module.number not in module_done:
            continue
        on = module_done[module.number]
        for learner in draft.members:
            if learner in draft.expelled and draft.expelled[learner] <= on:
                continue
            if module.form in _GRADED_MODULE:
                value = rng.choices(("5", "4", "3"), (4, 4, 2))[0]
            else:
                value = "зачтено"
            interim.append(InterimResult(learner, module.number, on, Result(value), teachers[module.number],
                                         Source(file, "Промежуточная аттестация", interim_row)))
            interim_row += 1
            if program.distance and module.form == "тестирование":
                score = rng.randint(26, 40) / 2  # 13.0 .. 20.0 of 20, threshold 12
                tests.append(TestResult(learner, f"Тест по модулю {module.number} «{module.name}»", on, score, 20.0,
                                        12.0, Source(file, "Тестирование", test_row)))
                test_row += 1
    final: list[FinalResult] = []
    enrol_on = previous_working_day(draft.start)
    draft.orders.append((ENROL, enrol_on))
    for learner in draft.members:
        draft.contracts[learner] = enrol_on - dt.timedelta(days=rng.randint(0, 14))
    for on in sorted(set(draft.expelled.values())):
        draft.orders.append((EXPEL, on))
    # An early leaver gets a справка on the day of the order, registered in the issue book like any document.
    for learner, on in sorted(draft.expelled.items(), key=lambda e: (e[1], draft.members.index(e[0]))):
        draft.documents.append((learner, CERTIFICATE, on))
    if not draft.in_training:
        final_on = draft.end
        draft.orders.append((COMMISSION, max(draft.start, previous_working_day(final_on - dt.timedelta(days=4)))))
        graduation_on = add_working_days(final_on + dt.timedelta(days=1), 0)
        draft.orders.append((GRADUATE, graduation_on))
        graded = program.final_form in _GRADED_FINAL
        for learner in draft.members:
            if learner in draft.expelled:
                continue
            if learner in draft.absent:
                value = "н/я"
            elif learner in draft.failed:
                value = "2" if graded else "не зачтено"
            elif graded:
                value = rng.choices(("5", "4", "3"), (4, 4, 2))[0]
            else:
                value = "зачтено"
            topic = rng.choice(plan.final_topics) if plan.final_topics else None
            final.append(FinalResult(learner, final_on, Result(value), topic,
                                     Source(file, "Итоговая аттестация", len(final) + 2)))
            if program.final_form == "тестирование" and value != "н/я":
                score = rng.randint(30, 50) if value == "зачтено" else rng.randint(12, 29)
                tests.append(TestResult(learner, "Итоговое тестирование", final_on, float(score), 50.0, 30.0,
                                        Source(file, "Тестирование", test_row)))
                test_row += 1
            if Result(value).positive:
                draft.documents.append((learner, program.document, graduation_on))
            else:  # did not pass, or did not appear: a справка (273-ФЗ ст. 60 ч. 12)
                draft.documents.append((learner, CERTIFICATE, graduation_on))
    return Built(lessons, marks, interim, final, tests, teachers)
