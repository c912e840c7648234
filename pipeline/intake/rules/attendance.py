"""The attendance grid matches the lessons and the members, and says nothing after an expulsion."""

from __future__ import annotations

from collections import defaultdict

from pipeline.intake.frames import is_lesson_column
from pipeline.intake.rules.context import ATTENDANCE_SHEET, Context, grid_rows, groups
from schemas import codes
from schemas.group import FinalSheet, LessonsSheet, MembersSheet


def grid_columns(ctx: Context) -> None:
    """Every lesson of «Занятия» has its column in «Посещаемость», and no column names a lesson that is not."""
    for group in groups(ctx):
        frame = ctx.loaded.frames.get((group.file, ATTENDANCE_SHEET))
        if frame is None:
            continue
        columns = [c for c in frame.columns if is_lesson_column(c)]
        present = {int(c) for c in columns}
        for lesson in group.lessons:
            if lesson.number not in present:
                ctx.at("attendance_lesson_missing", lesson.src, LessonsSheet.number, lesson.number)
        typed = ctx.typed(group.file, "Занятия", LessonsSheet.number)
        numbers = {lesson.number for lesson in group.lessons}
        for column in columns:
            if int(column) not in numbers and column not in typed:
                # the lesson numbers head the grid in row 1, the only header row the loader accepts
                ctx.report("attendance_lesson_extra", group.file, ATTENDANCE_SHEET, 1, column, column)


def grid_members(ctx: Context) -> None:
    """Every member has a row in the grid (an empty cell means present, so a missing row would too)."""
    for group in groups(ctx):
        if not group.lessons or (group.file, ATTENDANCE_SHEET) not in ctx.loaded.frames:
            continue
        in_grid = {lid for lid, _src in grid_rows(ctx, group)}
        for member in group.members:
            if member.learner_id not in in_grid:
                ctx.at("attendance_member_missing", member.src, MembersSheet.learner, member.learner_id)


def marks_after_expulsion(ctx: Context) -> None:
    """A learner expelled early has no mark on a lesson after the expulsion date."""
    for group in groups(ctx):
        expelled = {m.learner_id: m.expelled_on for m in group.members if m.expelled_early and m.expelled_on}
        if not expelled:
            continue
        dates = {lesson.number: lesson.date for lesson in group.lessons}
        for mark in group.marks:
            until = expelled.get(mark.learner_id)
            day = dates.get(mark.lesson)
            if until and day and day > until:
                ctx.at("mark_after_expulsion", mark.src, str(mark.lesson), mark.mark,
                       lesson_date=day, expelled_on=until)


def minimum_attendance(ctx: Context) -> None:
    """A learner who passed the final attestation attended at least the program's minimum share of hours."""
    for group in groups(ctx):
        program = ctx.program(group)
        if program is None or not program.min_attendance or not group.lessons:
            continue
        hours = {lesson.number: lesson.hours for lesson in group.lessons}
        planned = sum(hours.values())
        missed: dict[str, int] = defaultdict(int)
        for mark in group.marks:
            if mark.mark in codes.ABSENCE_MARKS:
                missed[mark.learner_id] += hours.get(mark.lesson, 0)
        for result in group.final:
            if not result.result.positive:
                continue
            share = 100 * (planned - missed[result.learner_id]) / planned
            if share < program.min_attendance:
                ctx.at("attendance_below_minimum", result.src, FinalSheet.result, result.result.value,
                       share=round(share), minimum=program.min_attendance)


GROUP_RULES = (grid_columns, grid_members, marks_after_expulsion, minimum_attendance)
GLOBAL_RULES = ()
