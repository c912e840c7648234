"""Приказы: о зачислении, об утверждении состава аттестационной комиссии, об окончании обучения и
отчислении, об отчислении (досрочно). A document exists only once its order is in the group's
«Приказы» sheet: the tool never invents an order number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pipeline.carriers import common
from pipeline.carriers.registry import BY_YEAR, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, Member, Order, Person


def _order_context(ds: Dataset, group: Group, order: Order, acquainted: list[Person] = ()) -> dict[str, Any]:
    """What every order prints: date, number, signer, the «С приказом ознакомлены» list and the исполнитель.

    ГОСТ Р 7.0.97 puts the отметка об исполнителе (name, phone) at the foot of the last page; the
    group's curator prepares the group's orders, the organisation's phone is the one to call.
    """
    curator = ds.staff.get(group.curator_id)
    phone = ds.organization.phone or ""
    return {
        **common.base_context(ds, group),
        "doc_date": common.date_long(order.date),
        "doc_date_short": ru.date_short(order.date),
        "doc_number": ru.unbroken(order.number),
        "signer": common.signer(ds, order.signatory_id),
        "acquainted": [{"name": ru.initials_surname(p)} for p in acquainted],
        "acquainted_title": ("С приказом ознакомлены:" if len(acquainted) != 1 else
                             common.person_verb(acquainted[0], "С приказом ознакомлен:", "С приказом ознакомлена:")),
        "executor": {"name": ru.full_name(curator.person) if curator else "",
                     "phone": ru.unbroken(phone).replace(" ", ru.NBSP)},
    }


def _spec(group: Group, key: str, order: Order, what: str, context: dict, suffix: str = "") -> DocumentSpec:
    return DocumentSpec(
        doc_id=f"{group.number}/{key}{suffix}",
        file_name=f"{group.number} Приказ {what}{' № ' + order.number if suffix else ''}.docx",
        title=f"Приказ {what} № {order.number} от {ru.date_long(order.date)} (группа {group.number})",
        context=context,
        year=group.year,
        group=group.number,
        date=order.date,
        sources=(group.file,),
    )


def _order_lacking(group: Group, kind: str) -> list[str]:
    """Why the group has no order of `kind` yet: the tool never invents one."""
    return [] if group.order(kind) else [common.no_order(kind)]


def build_enrolment(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        order = group.order(common.ORDER_ENROLMENT)
        if order is None:
            continue
        rows = []
        for n, learner in enumerate(common.learners_of(ds, group), 1):
            member = group.member(learner.id)
            rows.append({
                "n": str(n),
                "name": learner.person.full_name,
                "birth_date": ru.date_short(learner.birth_date),
                "contract": f"договор №{common.NBSP}{member.contract_no} от {ru.date_short(member.contract_date)}",
                "funding": member.funding,
            })
        curator = ds.staff.get(group.curator_id)
        context = {
            **_order_context(ds, group, order, [curator.person] if curator else []),
            "learners": rows,
            "learners_count": ru.count(len(rows), "слушатель", "слушателя", "слушателей"),
            "curator_accusative": ru.accusative(curator.person) if curator else "",
        }
        yield _spec(group, "order_enrolment", order, "о зачислении", context)


def _commission_members(ds: Dataset, commission) -> list[dict[str, str]]:
    titles = {"председатель": "Председатель комиссии", "заместитель председателя": "Заместитель председателя",
              "член комиссии": "Член комиссии", "секретарь": "Секретарь комиссии"}
    return [{
        "role": titles.get(member.role, ru.upper_first(member.role)),
        "role_key": member.role,
        "name": staff.person.full_name,
        "short": common.staff_name(staff),
        "position": common.in_text(common.position_only(staff.position)),
        "person": staff.person,
    } for member, staff in common.seated(ds, commission)]


def missing_commission(ds: Dataset, group: Group) -> list[str]:
    """What the commission order still needs: the commission on «Группа» and «Комиссии», and the order."""
    reasons = []
    if group.commission_id is None:
        reasons.append("не указан код комиссии на листе «Группа»")
    elif group.commission_id not in ds.commissions:
        reasons.append(f"нет комиссии {group.commission_id} на листе «Комиссии» (organization.xlsx)")
    reasons += _order_lacking(group, common.ORDER_COMMISSION)
    return reasons


def build_commission(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if missing_commission(ds, group):
            continue
        commission = ds.commissions[group.commission_id]
        order = group.order(common.ORDER_COMMISSION)
        members = _commission_members(ds, commission)
        # Председатель / Члены комиссии / Секретарь, the layout of the office's commission orders.
        lead = [m for m in members if m["role_key"] in ("председатель", "заместитель председателя")]
        context = {
            **_order_context(ds, group, order, [m.pop("person") for m in members]),
            "chair": lead,
            "members": [m for m in members if m["role_key"] == "член комиссии"],
            "secretary": [m for m in members if m["role_key"] == "секретарь"],
            "others": [m for m in members if m["role_key"] not in
                       ("председатель", "заместитель председателя", "член комиссии", "секретарь")],
            "final_date": common.date_long(group.final_date) if group.final_date else "в установленный срок",
        }
        yield _spec(group, "order_commission", order, "об утверждении состава аттестационной комиссии", context)


def _unregistered(group: Group, learners, kind_of) -> list[str]:
    """IDs of learners whose document has no «Выдача документов» row: an order never prints «—» for a number."""
    return sorted(learner_id for learner_id in learners
                  if common.issued_document(group, learner_id, kind_of(learner_id)) is None)


def _graduation_lists(ds: Dataset, group: Group) -> tuple[list, list]:
    return common.graduates(ds, group), common.failed(ds, group)


def build_graduation(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if missing_graduation(ds, group):
            continue
        order = group.order(common.ORDER_GRADUATION)
        program = ds.program_of(group)
        winners, losers = _graduation_lists(ds, group)
        passed = []
        for n, learner in enumerate(winners, 1):
            doc = common.issued_document(group, learner.id, program.document)
            passed.append({"n": str(n), "name": learner.person.full_name,
                           "document": ru.unbroken(common.series_number(doc)), "reg_no": ru.unbroken(doc.reg_no)})
        not_passed = []
        for n, learner in enumerate(losers, 1):
            doc = common.issued_document(group, learner.id, common.CERTIFICATE)
            result = group.final_of(learner.id).result
            not_passed.append({"n": str(n), "name": learner.person.full_name,
                               "result": common.result_words(result, learner.person),
                               "reg_no": ru.unbroken(doc.reg_no)})
        final_dates = [f.date for f in group.final]
        protocol_date = group.final_date or (max(final_dates) if final_dates else None)
        one, many = common.DOCUMENT_ACCUSATIVE[program.document]
        certificate_one, certificate_many = common.DOCUMENT_ACCUSATIVE[common.CERTIFICATE]
        context = {
            **_order_context(ds, group, order),
            "graduates": passed,
            "failed": not_passed,
            # Word forms agree with the number of those listed; «слушатель» is common gender in office
            # language, and no pronoun («ему/ей») follows, so a woman listed alone reads correctly too.
            "graduates_whom": "слушателя" if len(winners) == 1 else "слушателей",
            "graduates_passed": "прошедшего" if len(winners) == 1 else "прошедших",
            "document_plural": one if len(winners) == 1 else many,
            "assigns": common.assigns_qualification(program),
            "failed_whom": "слушателя" if len(losers) == 1 else "слушателей",
            "failed_passed": "не прошедшего" if len(losers) == 1 else "не прошедших",
            "failed_document": certificate_one if len(losers) == 1 else certificate_many,
            "protocol_number": ru.unbroken(group.protocol_no),
            "protocol_date": common.date_long(protocol_date),
            # Items are numbered as printed: a list nobody is in is left out, with its item.
            "failed_item": "2" if passed else "1",
            "graduates_list": "списку 1" if not_passed else "списку",
            "failed_list": "списку 2" if passed else "списку",
            "graduates_list_title": "Список 1. " if not_passed else "",
            "failed_list_title": "Список 2. " if passed else "",
            "control_item": str(1 + bool(passed) + bool(not_passed)),
        }
        yield _spec(group, "order_graduation", order, "об окончании обучения и отчислении", context)


def _leavers(group: Group) -> list[Member]:
    return [m for m in group.members if m.expelled_early]


def missing_expulsion(ds: Dataset, group: Group) -> list[str]:
    """Why early leavers have no order «об отчислении» to be listed in; empty when nobody left early."""
    no_number = sorted(m.learner_id for m in _leavers(group) if not m.expel_order)
    unknown = sorted({m.expel_order for m in _leavers(group)
                      if m.expel_order and common.expulsion_order(group, m.expel_order) is None})
    reasons = [common.no_order(common.ORDER_EXPULSION, number) for number in unknown]
    if no_number:
        reasons.append(f"не указан «Приказ об отчислении №» на листе «Состав» (слушатели {', '.join(no_number)})")
    return reasons


# Early expulsion (273-ФЗ ст. 61 ч. 2): on the learner's initiative (п. 1), on the organisation's (п. 2:
# disciplinary measure, failure to follow the curriculum, breach of the admission rules), or for
# reasons beyond both (п. 3). Staff write the reason in their words; these stems tell the case.
_ON_LEARNERS_INITIATIVE = re.compile(r"заявлени|собственн|желани|инициатив\w* (слушател|обучающ)|переезд|семейн|здоров",
                                     re.IGNORECASE)
_BEYOND_CONTROL = re.compile(r"не завися|ликвидац|смерт|умер|скончал", re.IGNORECASE)
_ARTICLE_61 = {n: f"пункта {n} части 2 статьи 61" for n in (1, 2, 3)}  # «на основании пункта …»


def expulsion_point(member: Member) -> int:
    """Which point of 273-ФЗ ст. 61 ч. 2 an early expulsion rests on (1, 2 or 3)."""
    said = f"{member.expel_ground or ''} {member.expel_reason or ''}"
    if _ON_LEARNERS_INITIATIVE.search(said):
        return 1
    return 3 if _BEYOND_CONTROL.search(said) else 2


def build_expulsion(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        for order in (o for o in group.orders if o.kind == common.ORDER_EXPULSION):
            ids = {m.learner_id for m in _leavers(group) if m.expel_order == order.number}
            if not ids:
                continue
            rows = []
            leavers = common.learners_of(ds, group, ids)
            members = [group.member(learner.id) for learner in leavers]
            for n, (learner, member) in enumerate(zip(leavers, members, strict=True), 1):
                grounds = "; ".join(x for x in (member.expel_reason, member.expel_ground) if x)
                rows.append({"n": str(n), "name": learner.person.full_name,
                             "date": ru.date_short(member.expelled_on), "reason": ru.upper_first(grounds)})
            points = sorted({expulsion_point(m) for m in members})
            articles = " и ".join(_ARTICLE_61[p] for p in points)
            context = {
                **_order_context(ds, group, order, [learner.person for learner in leavers]),
                "learners": rows,
                "whom": "слушателя" if len(rows) == 1 else "слушателей",
                "studying": "обучающегося" if len(rows) == 1 else "обучающихся",
                "article_61": articles,
                "grounds": ("и документов, указанных в списке" if all(m.expel_ground for m in members)
                            else "по причинам, указанным в списке"),
                # «Выдать Комарову Александру Никитичу справку…»: one person is named in the dative.
                "issue_to": ru.dative(leavers[0].person) if len(leavers) == 1 else "отчисленным слушателям",
                "certificate": "справку об обучении" if len(leavers) == 1 else "справки об обучении",
            }
            yield _spec(group, "order_expulsion", order, "об отчислении", context, suffix=f"/{order.number}")


def missing_enrolment(ds: Dataset, group: Group) -> list[str]:
    """Every group is enrolled by an order."""
    return _order_lacking(group, common.ORDER_ENROLMENT)


def missing_graduation(ds: Dataset, group: Group) -> list[str]:
    """Every group ends with a graduation order; until then the group is in training.

    The order lists each learner's registration number (and the blank of a qualification document):
    until every one is registered on «Выдача документов», the order would go out with blanks to fill by pen.
    """
    reasons = _order_lacking(group, common.ORDER_GRADUATION)
    if reasons:
        return reasons
    if not group.protocol_no:
        reasons.append("не указан «Номер протокола» на листе «Группа»")
    program = ds.program_of(group)
    winners, losers = _graduation_lists(ds, group)
    kinds = {learner.id: program.document for learner in winners} | {learner.id: common.CERTIFICATE for learner in losers}
    unregistered = _unregistered(group, kinds, kinds.get)
    if unregistered:
        reasons.append("нет записи о выданном документе на листе «Выдача документов» (слушатели "
                       f"{', '.join(unregistered)})")
    return reasons



# Orders on learners are filed in the дело of the director's orders on the main activity, one per year.
ORDERS_CASE = Case(
    "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
    "Приказы по контингенту слушателей подшиваются в дело приказов по основной деятельности (ст. 19 «а» "
    "Перечня 236); «постоянно» для организации, не являющейся источником комплектования госархива, — до "
    "ликвидации организации.", article="ст. 19 «а»", formation=BY_YEAR)


CARRIERS = (
    Carrier("order_enrolment", "Приказ о зачислении", "order_enrolment.docx", "group", "order_enrolment",
            build_enrolment, missing=missing_enrolment, case=ORDERS_CASE),
    Carrier("order_commission", "Приказ об утверждении состава аттестационной комиссии", "order_commission.docx",
            "group", "order_commission", build_commission, missing=missing_commission, case=ORDERS_CASE),
    Carrier("order_graduation", "Приказ об окончании обучения и отчислении", "order_graduation.docx", "group",
            "order_graduation", build_graduation, missing=missing_graduation, case=ORDERS_CASE),
    Carrier("order_expulsion", "Приказ об отчислении (досрочно)", "order_expulsion.docx", "group",
            "order_expulsion", build_expulsion, missing=missing_expulsion, case=ORDERS_CASE),
)
