"""Справка об обучении (273-ФЗ ст. 60 ч. 12), one per learner who left early or did not pass the
final attestation. Its number and date are those of its «Выдача документов» row of kind «Справка об
обучении», the row the year's issue register and the graduation order print too (one source, so the
numbers agree). Until staff register it, there is no справка: the tool never invents a number.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.carriers import common
from pipeline.carriers.registry import BY_YEAR, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, Learner


def _modules(ds: Dataset, group: Group, learner: Learner) -> list[dict[str, str]]:
    program = ds.program_of(group)
    results = {r.module: r for r in group.interim if r.learner_id == learner.id}
    rows = []
    for module in program.modules:
        result = results.get(module.number)
        if result is None:
            continue
        rows.append({"n": str(len(rows) + 1), "name": module.name, "hours": str(module.hours),
                     "result": result.result.words})
    return rows


def _hours_attended(group: Group, learner_id: str, until) -> int:
    conducted = sum(lesson.hours for lesson in group.lessons if until is None or lesson.date <= until)
    return max(conducted - group.hours_missed(learner_id), 0)


def _reason(group: Group, learner: Learner) -> tuple[str, object]:
    """(reason text, date the study ended) for an early leaver or a learner who did not pass."""
    member = group.member(learner.id)
    person = learner.person
    if member.expelled_early:
        order = common.expulsion_order(group, member.expel_order)
        ref = f" приказом {common.order_ref(order)}" if order else ""
        why = f" ({member.expel_reason})" if member.expel_reason else ""
        verb = common.person_verb(person, "Отчислен", "Отчислена")
        return f"{verb} досрочно{ref}{why}.", member.expelled_on
    final = group.final_of(learner.id)
    graduation = group.order(common.ORDER_GRADUATION)
    did = common.person_verb(person, "не явился на итоговую аттестацию", "не явилась на итоговую аттестацию") \
        if final.result.absent else common.person_verb(
            person, "Итоговую аттестацию не прошел", "Итоговую аттестацию не прошла") + f" (результат: {final.result.words})"
    text = ru.upper_first(did) + "."
    if graduation is not None:
        text += f" {common.person_verb(person, 'Отчислен', 'Отчислена')} приказом {common.order_ref(graduation)}."
    return text, final.date


def _recipients(group: Group) -> set[str]:
    """IDs of the members who get a справка: early leavers and those who did not pass the final attestation."""
    failed = {r.learner_id for r in group.final if not r.result.positive}
    return {m.learner_id for m in group.members if m.expelled_early or m.learner_id in failed}


def cited_order(group: Group, learner_id: str):
    """The order a справка cites: the learner's order «об отчислении», or the graduation order."""
    member = group.member(learner_id)
    if member is not None and member.expelled_early:
        return common.expulsion_order(group, member.expel_order)
    return group.order(common.ORDER_GRADUATION)


def missing(ds: Dataset, group: Group) -> list[str]:
    """Needed only when someone left early or did not pass: the person, the registration and its date.

    A справка states the order that expelled the learner, so it cannot be dated before that order.
    """
    recipients = _recipients(group)
    reasons = common.not_in_learners({lid for lid in recipients if lid not in ds.learners})
    unregistered, early = [], []
    for learner_id in sorted(recipients):
        issued = common.issued_document(group, learner_id, common.CERTIFICATE)
        order = cited_order(group, learner_id)
        if issued is None:
            unregistered.append(learner_id)
        elif order is not None and issued.issued_on < order.date:
            early.append(f"{learner_id}: справка от {ru.date_short(issued.issued_on)}, приказ "
                         f"{common.order_ref(order)}")
    if unregistered:
        reasons.append("нет записи «Справка об обучении» на листе «Выдача документов» (слушатели "
                       f"{', '.join(unregistered)})")
    if early:
        reasons.append("«Дата выдачи» справки раньше приказа об отчислении, на который она ссылается, "
                       f"на листе «Выдача документов» ({'; '.join(early)})")
    return reasons


def _ready(group: Group, learner_id: str):
    """The справка's registration row, when the справка can be printed as it stands; None otherwise."""
    issued = common.issued_document(group, learner_id, common.CERTIFICATE)
    order = cited_order(group, learner_id)
    if issued is None or (order is not None and issued.issued_on < order.date):
        return None
    return issued


def build(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        for learner in common.learners_of(ds, group, _recipients(group)):
            issued = _ready(group, learner.id)
            if issued is None:
                continue
            reason, ended = _reason(group, learner)
            date = issued.issued_on
            person = learner.person
            context = {
                **common.base_context(ds, group),
                "doc_number": ru.unbroken(issued.reg_no),
                "doc_date": common.date_long(date),
                "learner": {
                    "dative": learner.dative or ru.dative(person),  # the workbook's override first
                    "birth_date": ru.date_short(learner.birth_date),
                    "pronoun": common.person_verb(person, "он", "она"),
                    "studied": common.person_verb(person, "обучался", "обучалась"),
                },
                "period": ru.period(group.start, ended or group.end),
                "hours_attended": ru.hours_acad(_hours_attended(group, learner.id, ended)),
                "modules": _modules(ds, group, learner),
                "reason": reason,
                "signer": common.signer(ds, None),
            }
            yield DocumentSpec(
                doc_id=f"{group.number}/study_certificate/{learner.id}",
                file_name=f"{group.number} Справка об обучении {ru.short_name(person)} ({learner.id}).docx",
                title=f"Справка об обучении: {ru.short_name(person)} (группа {group.number})",
                context=context, year=group.year, group=group.number, learner_id=learner.id, date=date,
                sources=(group.file, ds.learners[learner.id].src.file),
            )



# Copies of справки are kept chronologically per year.
CASE = Case("03-07", "Копии справок об обучении (о периоде обучения)", "50",
            "В Перечне 236 не найден; справка подтверждает период обучения — по аналогии с личными делами.",
            epk=True, formation=BY_YEAR)


CARRIERS = (
    Carrier("study_certificate", "Справка об обучении", "study_certificate.docx", "learner", "study_certificate",
            build, missing=missing, case=CASE),
)
