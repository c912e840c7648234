"""Журнал учета занятий, one per group: title page, learners, attendance grid, lessons conducted,
hours missed, results of intermediate and final attestation, legend of marks, control block.

The attendance grid is cut into near-equal tables of at most GRID_COLUMNS lessons each, and the
results of intermediate attestation into tables of at most RESULT_COLUMNS modules. The template holds
one fixed-width table per column count and shows the one each part needs (`size`), so every column
printed has a heading and data, the layout stays fixed and Word-editable, and there are no column
loops (docxtpl #84, #547).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.carriers import common
from pipeline.carriers.registry import Carrier, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group
from schemas import codes

GRID_COLUMNS = 16
RESULT_COLUMNS = 8
AFTER_EXPULSION = "—"


def _chunks(items: list, size: int) -> list[list]:
    """Near-equal parts of at most `size` items (85 lessons: 15, 14, 14, 14, 14, 14, not 16 × 5 + 5)."""
    if not items:
        return []
    parts = -(-len(items) // size)
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _attendance(ds: Dataset, group: Group, learners) -> list[dict[str, Any]]:
    marks = {(m.learner_id, m.lesson): m.mark for m in group.marks}
    lessons = sorted(group.lessons, key=lambda lesson: lesson.number)
    chunks = []
    for part in _chunks(lessons, GRID_COLUMNS):
        rows = []
        for n, learner in enumerate(learners, 1):
            member = group.member(learner.id)
            cells = []
            for lesson in part:
                if member and member.expelled_on and lesson.date > member.expelled_on:
                    cells.append(AFTER_EXPULSION)
                else:
                    cells.append(marks.get((learner.id, lesson.number), ""))
            rows.append({"n": str(n), "name": ru.short_name(learner.person), "m": cells})
        heads = [f"{lesson.date:%d.%m}\n{lesson.hours} ч" for lesson in part]
        title = f"Занятия № {part[0].number}–{part[-1].number}"
        chunks.append({"title": title, "size": str(len(part)), "heads": heads, "rows": rows})
    return chunks


def _results(ds: Dataset, group: Group, learners) -> list[dict[str, Any]]:
    program = ds.program_of(group)
    results = {(r.learner_id, r.module): r.result.value for r in group.interim}
    # Only modules already attested: a column for a module still to come would be empty in every row.
    held = {module for _, module in results}
    modules = [m for m in common.attested_modules(program) if m.number in held]
    chunks = []
    for part in _chunks(modules, RESULT_COLUMNS):
        rows = []
        for n, learner in enumerate(learners, 1):
            member = group.member(learner.id)
            gone = AFTER_EXPULSION if member is not None and member.expelled_early else ""
            rows.append({"n": str(n), "name": ru.short_name(learner.person),
                         "r": [results.get((learner.id, m.number), gone) for m in part]})
        chunks.append({"size": str(len(part)), "heads": [f"Модуль {m.number}" for m in part], "rows": rows})
    return chunks


def build(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        program = ds.program_of(group)
        learners = common.learners_of(ds, group)
        enrolment = group.order(common.ORDER_ENROLMENT)
        rows = []
        for n, learner in enumerate(learners, 1):
            member = group.member(learner.id)
            expelled = ""
            if member.expelled_early and member.expelled_on:
                expelled = f"{ru.date_short(member.expelled_on)}" + (f", приказ №{common.NBSP}{member.expel_order}"
                                                                     if member.expel_order else "")
            rows.append({"n": str(n), "name": learner.person.full_name,
                         "contract": f"№{common.NBSP}{member.contract_no} от {ru.date_short(member.contract_date)}",
                         "expelled": expelled})
        lessons = sorted(group.lessons, key=lambda lesson: lesson.number)
        lesson_rows = [{
            "n": str(lesson.number), "date": ru.date_short(lesson.date), "hours": str(lesson.hours),
            "module": str(lesson.module), "topic": lesson.topic, "kind": lesson.kind,
            "teacher": common.staff_short(ds.staff.get(lesson.teacher_id)),
        } for lesson in lessons]
        hours = {lesson.number: lesson.hours for lesson in lessons}
        missed = []
        for n, learner in enumerate(learners, 1):
            excused = sum(hours.get(m.lesson, 0) for m in group.marks
                          if m.learner_id == learner.id and m.mark in ("б", "у"))
            missed.append({"n": str(n), "name": learner.person.full_name,
                           "missed": str(group.hours_missed(learner.id)), "excused": str(excused)})
        final = []
        for n, learner in enumerate(learners, 1):
            result = group.final_of(learner.id)
            member = group.member(learner.id)
            if result is None and member is not None and member.expelled_early:
                # The row tells why there is no result, as the expulsion order says.
                final.append({"n": str(n), "name": learner.person.full_name, "date": AFTER_EXPULSION,
                              "result": common.expelled_note(member, learner.person), "protocol": AFTER_EXPULSION})
                continue
            final.append({"n": str(n), "name": learner.person.full_name,
                          "date": ru.date_short(result.date) if result else "",
                          "result": common.result_words(result.result, learner.person) if result else "",
                          "protocol": (f"№{common.NBSP}{group.protocol_no}" if group.protocol_no else "") if result else ""})
        context = {
            **common.base_context(ds, group),
            "enrolment_order": common.order_ref(enrolment) or "—",
            "learners": rows,
            "grid": _attendance(ds, group, learners),
            "lessons": lesson_rows,
            "hours_conducted": ru.hours(sum(hours.values())),
            "missed": missed,
            # «форма аттестации: нет» is not printed: a module without attestation just shows its hours.
            "modules": [{"number": str(m.number), "name": m.name,
                         "about": ru.hours(m.hours) + ("" if m.form == "нет" else f"; форма аттестации: {m.form}")}
                        for m in program.modules],
            "results": _results(ds, group, learners),
            "final": final,
            "legend": [{"mark": k, "meaning": v} for k, v in codes.ATTENDANCE_MARK.items()]
            + [{"mark": AFTER_EXPULSION, "meaning": "слушатель отчислен"},
               {"mark": "пусто", "meaning": "присутствовал"}],
            "grades": [{"mark": k, "meaning": v} for k, v in codes.GRADE_WORDS.items()]
            + [{"mark": "н/я", "meaning": "не явился"}],
            "started": ru.date_short(lessons[0].date) if lessons else "",
            "finished": ru.date_short(lessons[-1].date) if group.completed and lessons else "",
            "keeper": common.records_keeper(ds),
        }
        yield DocumentSpec(
            doc_id=f"{group.number}/journal",
            file_name=f"{group.number} Журнал учета занятий.docx",
            title=f"Журнал учета занятий группы {group.number}",
            context=context, year=group.year, group=group.number, date=group.end, sources=(group.file,),
            first_date=min((lesson.date for lesson in lessons), default=group.start),
        )


def missing(ds: Dataset, group: Group) -> list[str]:
    """Nothing: the journal is kept from the first day, so every group has one (empty pages until data come)."""
    return []


CARRIERS = (
    Carrier("journal", "Журнал учета занятий", "journal.docx", "group", "journal", build, missing=missing),
)
