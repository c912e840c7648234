"""Личная карточка слушателя: one card per person, across every program and year the person attended.

The card is filed with the person's LAST group (year and folder of that group), so the archive keeps
the newest card where staff would look for the person now. It is built without a clock: a group still
in training is described as of the last lesson, result or order on record (dynamics.data_date), so an
unchanged input gives an unchanged card.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.assessment.dynamics import HistoryRow, data_date, enrolled, history
from pipeline.assessment.expectations import EXPELLED, MET, fmt_pct
from pipeline.carriers import common
from pipeline.carriers.registry import BY_GROUP, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, Learner

KEY = "learner_card"
ORDER_ENROLMENT = "о зачислении"
ORDER_GRADUATION = "об окончании обучения и отчислении"


def _education_document(learner: Learner) -> str:
    parts = [p for p in (learner.edu_series, learner.edu_number) if p]
    text = f"серия и номер: {' '.join(parts)}" if parts else "не указан"
    if learner.edu_surname:
        text += f" (выдан на фамилию {learner.edu_surname})"
    return text


def _learner_context(learner: Learner) -> dict[str, str]:
    work = ", ".join(p for p in (learner.workplace, learner.position) if p)
    contacts = ", ".join(p for p in (learner.phone, learner.email) if p)
    return {
        "id": learner.id,
        "full_name": learner.person.full_name,
        "birth_date": ru.date_short(learner.birth_date),
        "sex": "мужской" if learner.person.sex == "Муж" else "женский",
        "snils": learner.snils,
        "citizenship": "Российская Федерация" if learner.citizenship == "643" else f"код ОКСМ {learner.citizenship}",
        "education_level": learner.education_level,
        "education_document": _education_document(learner),
        "work": work or "—",
        "contacts": contacts or "—",
    }


def _order_text(order) -> str:
    return f"приказ от {ru.date_short(order.date)} №{common.NBSP}{order.number}" if order else "приказа нет"


def _ending(group: Group, row: HistoryRow, learner: Learner) -> str:
    """How the studies ended, in the words of the order: the row is headed «Окончание обучения»."""
    member = row.progress.member
    expelled = common.person_verb(learner.person, "отчислен", "отчислена")
    if member.expelled_early:
        when = ru.date_short(member.expelled_on) if member.expelled_on else "дата не указана"
        order = common.expulsion_order(group, member.expel_order)
        ref = f", {_order_text(order)}" if order else (
            f", приказ №{common.NBSP}{member.expel_order}" if member.expel_order else "")
        reason = f" ({member.expel_reason})" if member.expel_reason else ""
        return f"{expelled} досрочно {when}{reason}{ref}"
    order = group.order(ORDER_GRADUATION)
    if order is None:
        return "обучение продолжается"
    final = row.progress.final
    if final is not None and final.result.positive:
        return f"{expelled} в связи с завершением обучения, {_order_text(order)}"
    return f"{expelled} без прохождения итоговой аттестации, {_order_text(order)}"


def _document(group: Group, row: HistoryRow, learner: Learner) -> str:
    """The document issued for this program: the qualification document, or for an early leaver and a learner
    who did not pass the справка with the number the issue book gives it."""
    member, final = row.progress.member, row.progress.final
    if member.expelled_early or (final is not None and not final.result.positive):
        doc = common.certificate_registration(group, learner.id)
        if doc is None:
            return "справка об обучении (не зарегистрирована на листе «Выдача документов»)"
        number = " ".join(p for p in (doc.series, doc.number) if p)
        return f"{doc.document} № {number}, рег. № {doc.reg_no} от {ru.date_short(doc.issued_on)}"
    return row.document_text if row.progress.issued is not None else "—"


def _expected(row: HistoryRow) -> str:
    program = row.progress.program
    required = sum(m.required for m in row.progress.modules)
    parts = [
        f"посещаемость не ниже {program.min_attendance} %",
        f"сданы модули с промежуточной аттестацией ({required})",
        f"итоговая аттестация ({program.final_form}) пройдена",
    ]
    if program.prof_standard:
        parts.append(f"профессиональный стандарт: {program.prof_standard}")
    if program.qualification:
        parts.append(f"квалификация: {program.qualification}")
    return "; ".join(parts)


def _verdict(row: HistoryRow) -> str:
    p = row.progress
    text = "требования программы выполнены" if p.state == MET else p.state
    if p.state == EXPELLED and p.reasons:
        return "; ".join(p.reasons)  # «отчислена досрочно 24.12.2025: …» already says the state
    return f"{text}: {'; '.join(p.reasons)}" if p.reasons else text


def _program_context(n: int, row: HistoryRow, learner: Learner) -> dict[str, Any]:
    p = row.progress
    group, program = p.group, p.program
    final = p.final
    modules = [
        {
            "n": str(m.module.number),
            "name": m.module.name,
            "hours": str(m.module.hours),
            "form": m.module.form,
            "result": p.words(m.result) if m.result else ("не предусмотрена" if not m.required else "—"),
            "date": ru.date_short(m.date) if m.date else "",
        }
        for m in p.modules
    ]
    return {
        "n": str(n),
        "title": f"{program.kind_title}: «{program.name}»",
        "group": group.number,
        "period": f"{ru.date_short(group.start)} – {ru.date_short(group.end)}",
        "hours": ru.hours_acad(program.hours),
        "enrolment": _order_text(group.order(ORDER_ENROLMENT)),
        "ending": _ending(group, row, learner),
        "attendance": f"посещено {p.hours_attended} из {p.hours_held} ак. ч. проведенных занятий "
                      f"({fmt_pct(p.attendance)} %), пропущено {p.hours_missed} ак. ч.",
        "final": f"{p.words(final.result)}, {ru.date_short(final.date)}" if final else "—",
        "document": _document(group, row, learner),
        "expected": _expected(row),
        "verdict": _verdict(row),
        "modules": modules,
    }


def awards_context(learner: Learner) -> list[dict[str, str]]:
    """The person's поощрения, by date: kind, for what, date, the order (decision), the group."""
    return [{"n": str(n), "kind": ru.upper_first(a.kind), "reason": a.reason or "—", "date": ru.date_short(a.date),
             "basis": f"от {ru.date_short(a.basis_date)} №{common.NBSP}{a.basis_no}", "group": a.group or "—"}
            for n, a in enumerate(learner.awards, 1)]


def card_context(ds: Dataset, learner: Learner, rows: list[HistoryRow]) -> dict[str, Any]:
    """Give every variable of the card template for one person (all text, lists of text)."""
    dynamics = []
    for n, row in enumerate(rows, 1):
        p = row.progress
        avg = row.interim_average
        dynamics.append({
            "n": str(n),
            "period": row.period,
            "program": f"{p.program.kind} «{p.program.name}»",
            "attendance": fmt_pct(p.attendance),
            "interim": "—" if avg is None else fmt_pct(avg),
            "final": row.final_text,
            "state": p.state,
        })
    return {
        "org": {"full_name": ds.organization.full_name, "short_name": ds.organization.short_name},
        "learner": _learner_context(learner),
        "programs": [_program_context(n, row, learner) for n, row in enumerate(rows, 1)],
        "dynamics": dynamics,
        "awards": awards_context(learner),
        "as_of": ru.date_short(rows[-1].progress.as_of) if rows else "",
        "keeper": common.records_keeper(ds),
    }


def build(ds: Dataset) -> Iterator[DocumentSpec]:
    """One card per person who has been a member of at least one group."""
    for learner in ds.learners.values():
        rows = history(ds, learner.id, data_date(ds, learner.id))
        if not rows:
            continue
        last = rows[-1].progress.group
        yield DocumentSpec(
            doc_id=f"learner/{learner.id}/{KEY}",
            file_name=f"Личная карточка слушателя {learner.id}.docx",
            title=f"Личная карточка слушателя {ru.short_name(learner.person)} (ID {learner.id})",
            context=card_context(ds, learner, rows),
            year=last.year,
            group=last.number,
            learner_id=learner.id,
            date=rows[-1].progress.as_of,
            sources=("learners.xlsx", *sorted({r.progress.group.file for r in rows})),
        )


def count(ds: Dataset) -> int:
    """How many cards `build` gives: one per person with a history."""
    return sum(1 for learner_id in ds.learners if enrolled(ds, learner_id))


def missing(ds: Dataset, group: Group) -> list[str]:
    """A card needs only the person in «Слушатели» and a row in «Состав»."""
    if not group.members:
        return ["в листе «Состав» нет ни одного слушателя"]
    absent = [m.learner_id for m in group.members if m.learner_id not in ds.learners]
    return [f"нет в списке слушателей: {', '.join(absent)}"] if absent else []



CASE = Case("03-08", "Личные карточки слушателей", "50",
            "В Перечне 236 не найден; по аналогии с личными делами работников (50 лет ЭПК).", epk=True,
            formation=BY_GROUP)


CARRIERS = (
    # A running record of the learner, not one of the group's signed papers: a new phone number or a later
    # program gives it a new version, without a basis and without stopping the run.
    Carrier(KEY, "Личная карточка слушателя", "learner_card.docx", "learner", KEY, build, missing=missing,
            signed=False, case=CASE, count=count),
)
