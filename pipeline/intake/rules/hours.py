"""Hours agree: module hours add up to the program, lessons add up to the modules, legal minimums hold.

Lessons of a group still in training (no graduation order yet) are compared with what is planned so
far: they may fall short of a module's hours but never exceed them. Once the graduation order exists
the group is complete and the hours must match exactly, module by module; the total is compared
only when every module agrees, so that one wrong lesson gives one problem rather than two.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pipeline.core.dataset import Group, Program
from pipeline.intake.frames import text
from pipeline.intake.rules.context import Context, groups
from schemas import ORGANIZATION_FILE, codes
from schemas.group import LessonsSheet
from schemas.organization import ModulesSheet, ProgramsSheet


def _module_rows(ctx: Context) -> Counter | None:
    """Give how many rows of «Модули» name each program, bad rows included; None when the sheet or its
    «Код программы» column is missing (reported once, where it is: no curriculum can be compared then)."""
    if ctx.raw(ORGANIZATION_FILE, "Модули", ModulesSheet.program) is None:
        return None
    frame = ctx.loaded.frames[(ORGANIZATION_FILE, "Модули")]
    return Counter(v for v in (text(x) for x in frame[ModulesSheet.program]) if v)


def _curriculum_complete(program: Program, rows: Counter | None) -> bool:
    """Tell whether every «Модули» row of the program made it into the Dataset (none skipped)."""
    return rows is not None and rows.get(program.code, 0) == len(program.modules)


def program_hours(ctx: Context) -> None:
    """ПК has at least 16 hours, ПП at least 250; a program has modules and they add up to its volume."""
    rows = _module_rows(ctx)
    for program in sorted(ctx.dataset.programs.values(), key=lambda p: p.src.row):
        minimum = codes.MIN_HOURS.get(program.kind)
        if minimum and program.hours < minimum:
            ctx.at("program_hours_min", program.src, ProgramsSheet.hours, program.hours,
                   kind=program.kind, minimum=minimum)
        if not program.modules:
            if rows is not None and rows.get(program.code, 0) == 0:
                ctx.at("program_no_modules", program.src, ProgramsSheet.code, program.code)
            continue
        total = sum(m.hours for m in program.modules)
        if total != program.hours and _curriculum_complete(program, rows):
            ctx.at("program_hours_sum", program.src, ProgramsSheet.hours, program.hours, modules_total=total)


def _lessons_complete(ctx: Context, group: Group) -> bool:
    """Tell whether every «Занятия» row made it into the Dataset (a skipped one would skew the sums)."""
    frame = ctx.loaded.frames.get((group.file, "Занятия"))
    return frame is not None and len(frame) == len(group.lessons)


def lesson_hours(ctx: Context) -> None:
    """Lesson hours per module and in total agree with the program (exactly once the group is complete)."""
    rows = _module_rows(ctx)
    for group in groups(ctx):
        program = ctx.program(group)
        if program is None or not _lessons_complete(ctx, group) or not _curriculum_complete(program, rows):
            continue
        done = group.completed
        by_module: dict[int, int] = defaultdict(int)
        last_lesson = {}
        for lesson in group.lessons:
            by_module[lesson.module] += lesson.hours
            last_lesson[lesson.module] = lesson
        reported = False
        for module in program.modules:
            actual = by_module.get(module.number, 0)
            if actual == module.hours or (not done and actual < module.hours):
                continue
            reported = True
            code = "lesson_hours_module" if done else "lesson_hours_module_exceeded"
            lesson = last_lesson.get(module.number)
            if lesson is None:
                ctx.report(code, group.file, "Занятия", None, LessonsSheet.module, module.number,
                           module=module.number, actual=0, expected=module.hours)
            else:
                ctx.at(code, lesson.src, LessonsSheet.hours, lesson.hours,
                       module=module.number, actual=actual, expected=module.hours)
        total = sum(by_module.values())
        if program.modules and sum(m.hours for m in program.modules) != program.hours:
            continue  # the program disagrees with itself: reported once, as program_hours_sum
        if reported or total == program.hours or (not done and total < program.hours) or not group.lessons:
            continue
        code = "lesson_hours_total" if done else "lesson_hours_total_exceeded"
        last = group.lessons[-1]
        ctx.at(code, last.src, LessonsSheet.hours, last.hours, actual=total, expected=program.hours)


GROUP_RULES = (lesson_hours,)
GLOBAL_RULES = (program_hours,)
