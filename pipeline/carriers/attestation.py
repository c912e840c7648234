"""Ведомость промежуточной аттестации (per group and module) and протокол заседания итоговой
аттестационной комиссии (per group, once final results exist).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pipeline.carriers import common
from pipeline.carriers.registry import BY_GROUP, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, InterimResult, Module, Program


def _module_results(group: Group, module: Module) -> list[InterimResult]:
    return [r for r in group.interim if r.module == module.number]


def missing_interim(ds: Dataset, group: Group) -> list[str]:
    """The modules with an intermediate attestation that have no results yet; empty when none has one."""
    modules = [m for m in common.attested_modules(ds.program_of(group)) if not _module_results(group, m)]
    if not modules:
        return []
    numbers = ", ".join(str(m.number) for m in modules)
    what = "модулю" if len(modules) == 1 else "модулям"
    return [f"нет результатов по {what} {numbers} на листе «Промежуточная аттестация»"]


def build_interim(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        program = ds.program_of(group)
        for module in program.modules:
            results = _module_results(group, module)
            if not results:
                continue
            by_learner = {r.learner_id: r for r in results}
            rows = []
            for n, learner in enumerate(common.learners_of(ds, group, set(by_learner)), 1):
                rows.append({"n": str(n), "name": learner.person.full_name,
                             "result": common.result_words(by_learner[learner.id].result, learner.person)})
            dates = Counter(r.date for r in results)
            date = max(dates, key=lambda d: (dates[d], d))  # the sitting most results come from
            examiners = Counter(r.examiner_id for r in results)
            examiner = ds.staff.get(examiners.most_common(1)[0][0])
            totals = {
                "attested": str(sum(r.result.positive for r in results)),
                "not_attested": str(sum(not r.result.positive and not r.result.absent for r in results)),
                "absent": str(sum(r.result.absent for r in results)),
            }
            context = {
                **common.base_context(ds, group),
                "doc_number": ru.unbroken(f"{group.number}/{module.number}"),
                "doc_date": common.date_long(date),
                "module": {"number": str(module.number), "name": module.name, "hours_text": ru.hours_acad(module.hours),
                           "form": module.form},
                "examiner": {"position": ru.upper_first(examiner.position) if examiner else "",
                             "position_text": common.in_text(examiner.position) if examiner else "",
                             "name": common.staff_name(examiner), "full_name": examiner.person.full_name
                             if examiner else ""},
                "rows": rows,
                "totals": totals,
            }
            yield DocumentSpec(
                doc_id=f"{group.number}/interim_sheet/{module.number}",
                file_name=f"{group.number} Ведомость промежуточной аттестации, модуль {module.number}.docx",
                title=f"Ведомость промежуточной аттестации группы {group.number}, модуль {module.number}",
                context=context, year=group.year, group=group.number, date=date, sources=(group.file,),
            )


def pass_decision(program: Program, count: int) -> str:
    """What the commission decides for everyone who passed: the qualification (ПП, ПО) and the document."""
    one, many = common.DOCUMENT_ACCUSATIVE[program.document]
    document = one if count == 1 else many
    whom = "слушателя" if count == 1 else "слушателей"
    passed = "прошедшим" if count == 1 else "прошедшими"
    head = f"Признать {whom}, получивших положительную оценку, {passed} итоговую аттестацию" if count != 1 else \
        f"Признать {whom}, получившего положительную оценку, {passed} итоговую аттестацию"
    if program.kind == "ПО" and program.qualification:
        rank = f" {common.rank_genitive(program.rank)}" if program.rank else ""
        return f"{head}, присвоить квалификацию «{program.qualification}»{rank} и выдать {document}."
    if program.kind == "ПП" and program.qualification:
        return f"{head} и выдать {document} с присвоением квалификации «{program.qualification}»."
    return f"{head} и выдать {document}."


def fail_decision(exceptions: list[str]) -> str:
    """The exceptions, named: «Признать не прошедшими итоговую аттестацию: Тимофееву Е.Д. (не явилась); …»."""
    one = len(exceptions) == 1
    return (f"Признать не {'прошедшим' if one else 'прошедшими'} итоговую аттестацию: {'; '.join(exceptions)}; "
            f"выдать {'справку' if one else 'справки'} об обучении.")


def _signers(ds: Dataset, group: Group) -> list[dict[str, str]]:
    commission = ds.commissions.get(group.commission_id or "")
    if commission is None:
        return []
    titles = {"председатель": "Председатель", "заместитель председателя": "Заместитель председателя",
              "член комиссии": "Член комиссии", "секретарь": "Секретарь"}
    return [{"role": titles.get(member.role, member.role),
             "position": common.in_text(common.position_only(staff.position)),
             "name": common.staff_name(staff), "full_name": staff.person.full_name}
            for member, staff in common.seated(ds, commission)]


def missing_protocol(ds: Dataset, group: Group) -> list[str]:
    """The commission sits once results are recorded; every group needs its protocol."""
    return [] if group.final else ["нет результатов на листе «Итоговая аттестация»"]


def appointing_order(ds: Dataset, group: Group) -> str:
    """«от 30.01.2026 № 1-о»: the order that appointed the commission (the group's, else the one on «Комиссии»)."""
    order = group.order(common.ORDER_COMMISSION)
    if order is not None:
        return common.order_ref(order)
    commission = ds.commissions.get(group.commission_id or "")
    if commission is None or not commission.order_no:
        return ""
    return f"от {ru.date_short(commission.order_date)} №{common.NBSP}{ru.unbroken(commission.order_no)}"


def build_protocol(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if missing_protocol(ds, group):
            continue
        program = ds.program_of(group)
        by_learner = {r.learner_id: r for r in group.final}
        rows, exceptions, absent = [], [], []
        for n, learner in enumerate(common.learners_of(ds, group, set(by_learner)), 1):
            result = by_learner[learner.id].result
            words = common.result_words(result, learner.person)
            rows.append({"n": str(n), "name": learner.person.full_name, "topic": by_learner[learner.id].topic or "",
                         "result": words, "positive": "да" if result.positive else ""})
            if result.absent:
                absent.append(learner.person.full_name)
            if not result.positive:
                exceptions.append(f"{ru.accusative(learner.person)} — {words}")
        date = group.final_date or max(r.date for r in group.final)
        signers = _signers(ds, group)
        passed = sum(r.result.positive for r in group.final)
        sat = sum(not r.result.absent for r in group.final)
        context = {
            **common.base_context(ds, group),
            "doc_number": ru.unbroken(group.protocol_no) if group.protocol_no else "____",
            "doc_date": common.date_long(date),
            "chair": [s for s in signers if s["role"] in ("Председатель", "Заместитель председателя")],
            "members": [s for s in signers if s["role"] == "Член комиссии"],
            "secretary": [s for s in signers if s["role"] == "Секретарь"],
            "signers": signers,
            "rows": rows,
            "appointed_by": appointing_order(ds, group),
            # Only those who appeared sat the attestation; who did not is named apart.
            "present": ru.count(sat, "слушатель", "слушателя", "слушателей"),
            "present_verb": "проходил" if sat == 1 else "проходили",
            "absent": ", ".join(absent),
            "absent_verb": "не явился" if len(absent) == 1 and not _female(ds, group, absent) else (
                "не явилась" if len(absent) == 1 else "не явились"),
            "passed": str(passed),
            "failed": str(len(rows) - passed),
            "pass_decision": pass_decision(program, passed) if passed else "",
            "fail_decision": fail_decision(exceptions) if exceptions else "",
        }
        yield DocumentSpec(
            doc_id=f"{group.number}/protocol",
            file_name=f"{group.number} Протокол итоговой аттестации.docx",
            title=f"Протокол заседания итоговой аттестационной комиссии № {group.protocol_no or '____'} "
                  f"от {ru.date_long(date)} (группа {group.number})",
            context=context, year=group.year, group=group.number, date=date, sources=(group.file,),
        )


def _female(ds: Dataset, group: Group, absent_names: list[str]) -> bool:
    """Whether the one learner who did not appear is a woman (the verb agrees: «не явилась»)."""
    for result in group.final:
        learner = ds.learners.get(result.learner_id)
        if result.result.absent and learner is not None:
            return learner.person.sex == "Жен"
    return False



INTERIM_CASE = Case("03-02", "Ведомости промежуточной аттестации", "5",
                    "В Перечне 236 не найден; 5 лет — по практике; итоговые результаты хранятся дольше в протоколах.",
                    formation=BY_GROUP)
PROTOCOL_CASE = Case("03-03", "Протоколы заседаний итоговых аттестационных комиссий", "до ликвидации организации",
                     "В Перечне 236 не найден; протоколы подтверждают квалификацию, поэтому предложен долгий срок.",
                     formation=BY_GROUP)


CARRIERS = (
    Carrier("interim_sheet", "Ведомость промежуточной аттестации", "interim_sheet.docx", "module", "interim_sheet",
            build_interim, missing=missing_interim, case=INTERIM_CASE),
    Carrier("protocol", "Протокол заседания аттестационной комиссии", "protocol.docx", "group", "protocol",
            build_protocol, missing=missing_protocol, case=PROTOCOL_CASE),
)
