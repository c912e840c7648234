"""Rules about persons: names written in groups, plausible ages, one enrolment at a time, statuses."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.core.dataset import Group, Member, Source
from pipeline.intake.frames import ROW, text
from pipeline.intake.rules.context import ATTENDANCE_SHEET, Context, groups
from schemas import headers
from schemas.group import AttendanceSheet, MembersSheet
from schemas.learners import LearnersSheet

MIN_AGE = 16  # ДПО needs СПО or ВО (or study towards it); ПО admits from 16 too
MAX_AGE = 90  # older than this is almost certainly a typo in the year

COMPLETED = "завершил обучение"
LEARNING = "обучается"


def _norm(name: str) -> str:
    """A name as compared: case, runs of spaces and spaces around a hyphen do not matter."""
    return re.sub(r"\s*-\s*", "-", " ".join(name.split())).casefold()


def compare_name(ctx: Context, written: str | None, learner_id: str, src: Source, column: str) -> None:
    """Report a full name written in a group that is not the registry's; «е» for «ё» is only a warning."""
    learner = ctx.dataset.learners.get(learner_id)
    if written is None or learner is None:
        return
    expected = learner.person.full_name
    if written == expected:  # nearly always: spares normalising 20,000 names at 10,000 learners
        return
    a, b = _norm(written), _norm(expected)
    if a == b:
        return
    code = "name_yo_mismatch" if a.replace("ё", "е") == b.replace("ё", "е") else "name_mismatch"
    ctx.at(code, src, column, written, expected=expected, learner=learner_id)


def written_names(ctx: Context) -> None:
    """«ФИО (для проверки)» of «Состав» and «ФИО» of «Посещаемость» match «Слушатели»."""
    for group in groups(ctx):
        for sheet, model in (("Состав", MembersSheet), (ATTENDANCE_SHEET, AttendanceSheet)):
            frame = ctx.loaded.frames.get((group.file, sheet))
            column = headers(model)
            if frame is None or column.full_name not in frame.columns:
                continue
            for lid, name, row in zip(frame[column.learner], frame[column.full_name], frame[ROW], strict=True):
                if text(lid):
                    compare_name(ctx, text(name), text(lid), Source(group.file, sheet, int(row)), column.full_name)


def plausible_ages(ctx: Context) -> None:
    """A learner is at least 16 when the first group starts, and not implausibly old."""
    first_start = {}
    for group in ctx.dataset.groups.values():
        for member in group.members:
            known = first_start.get(member.learner_id)
            if known is None or group.start < known[0]:
                first_start[member.learner_id] = (group.start, group.number)
    for lid, (start, number) in sorted(first_start.items()):
        learner = ctx.dataset.learners.get(lid)
        if learner is None:
            continue
        born = learner.birth_date
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        if age < MIN_AGE:
            ctx.at("learner_too_young", learner.src, LearnersSheet.birth_date, born, age=age, group=number)
        elif age > MAX_AGE:
            ctx.at("learner_too_old", learner.src, LearnersSheet.birth_date, born, age=age, group=number)


def _studies_until(group: Group, member: Member):
    return member.expelled_on if member.expelled_early and member.expelled_on else group.end


def no_overlapping_enrolment(ctx: Context) -> None:
    """A person is not enrolled twice in groups of one program whose periods overlap."""
    spans: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for group in ctx.dataset.groups.values():
        for member in group.members:
            spans[(member.learner_id, group.program_code)].append(
                (group.start, _studies_until(group, member), group.file, group.number, member)
            )
    for _key, items in sorted(spans.items()):
        if len(items) < 2:
            continue
        items.sort(key=lambda item: (item[0], item[2]))
        latest = items[0]
        for item in items[1:]:
            if item[0] <= latest[1]:
                ctx.at("enrolment_overlap", item[4].src, MembersSheet.learner, item[4].learner_id,
                       other_group=latest[3], other_file=latest[2])
            if item[1] > latest[1]:
                latest = item


def statuses(ctx: Context) -> None:
    """Nobody is still «обучается» once the graduation order exists; «завершил» before it is suspect."""
    for group in groups(ctx):
        done = group.completed
        for member in group.members:
            if done and member.status == LEARNING:
                ctx.at("status_in_completed_group", member.src, MembersSheet.status, member.status)
            elif not done and member.status == COMPLETED:
                ctx.at("status_completed_early", member.src, MembersSheet.status, member.status)


def dative_overrides(ctx: Context) -> None:
    """«ФИО в дательном падеже», where written, has as many words as the name: it replaces the whole name."""
    column = headers(LearnersSheet).dative
    for learner in ctx.dataset.learners.values():
        if learner.dative and len(learner.dative.split()) != len(learner.person.full_name.split()):
            ctx.at("dative_words", learner.src, column, learner.dative, expected=learner.person.full_name)


GROUP_RULES = (written_names, statuses)
GLOBAL_RULES = (plausible_ages, no_overlapping_enrolment, dative_overrides)
