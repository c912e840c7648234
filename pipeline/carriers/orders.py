"""Приказы: о зачислении, об утверждении состава аттестационной комиссии, об окончании обучения и
отчислении, об отчислении (досрочно). A document exists only once its order is in the group's
«Приказы» sheet: the tool never invents an order number.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline import ru
from pipeline.carriers import common
from pipeline.carriers.registry import Carrier, DocumentSpec
from pipeline.dataset import Dataset, Group, Member, Order


def _order_context(ds: Dataset, group: Group, order: Order) -> dict[str, Any]:
    return {
        **common.base_context(ds, group),
        "doc_date": common.date_long(order.date),
        "doc_date_short": ru.date_short(order.date),
        "doc_number": order.number,
        "signer": common.signer(ds, order.signatory_id),
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
            **_order_context(ds, group, order),
            "learners": rows,
            "learners_count": ru.count(len(rows), "слушатель", "слушателя", "слушателей"),
            "curator_accusative": ru.accusative(curator.person) if curator else "",
        }
        yield _spec(group, "order_enrolment", order, "о зачислении", context)


def _commission_members(ds: Dataset, commission) -> list[dict[str, str]]:
    titles = {"председатель": "Председатель комиссии", "заместитель председателя": "Заместитель председателя",
              "член комиссии": "Член комиссии", "секретарь": "Секретарь комиссии"}
    order = {role: i for i, role in enumerate(titles)}
    rows = []
    for member in sorted(commission.members, key=lambda m: order.get(m.role, 9)):
        staff = ds.staff.get(member.staff_id)
        if staff is None:
            continue
        rows.append({
            "role": titles.get(member.role, ru.upper_first(member.role)),
            "name": staff.person.full_name,
            "short": common.staff_name(staff),
            "position": staff.position,
        })
    return rows


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
        context = {
            **_order_context(ds, group, order),
            "members": _commission_members(ds, commission),
            "final_date": common.date_long(group.final_date) if group.final_date else "в установленный срок",
        }
        yield _spec(group, "order_commission", order, "об утверждении состава аттестационной комиссии", context)


def build_graduation(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        order = group.order(common.ORDER_GRADUATION)
        if order is None:
            continue
        program = ds.program_of(group)
        winners, losers = common.graduates(ds, group), common.failed(ds, group)
        passed = []
        for n, learner in enumerate(winners, 1):
            doc = common.issued_document(group, learner.id, program.document)
            passed.append({"n": str(n), "name": learner.person.full_name,
                           "document": common.series_number(doc) or "—", "reg_no": doc.reg_no if doc else "—"})
        not_passed = []
        for n, learner in enumerate(losers, 1):
            doc = common.issued_document(group, learner.id, common.CERTIFICATE)
            result = group.final_of(learner.id).result
            not_passed.append({"n": str(n), "name": learner.person.full_name,
                               "result": common.result_words(result, learner.person), "reg_no": doc.reg_no if doc else "—"})
        final_dates = [f.date for f in group.final]
        protocol_date = group.final_date or (max(final_dates) if final_dates else None)
        one, many = common.DOCUMENT_ACCUSATIVE[program.document]
        certificate_one, certificate_many = common.DOCUMENT_ACCUSATIVE[common.CERTIFICATE]
        context = {
            **_order_context(ds, group, order),
            "graduates": passed,
            "failed": not_passed,
            # Word forms agree with the number (and, for one person, the sex) of those listed.
            "graduates_whom": common.agreeing(winners, "слушателя", "слушателя", "слушателей"),
            "graduates_passed": common.agreeing(winners, "прошедшего", "прошедшего", "прошедших"),
            "graduates_pronoun": common.agreeing(winners, "ему", "ей", "им"),
            "document_plural": one if len(winners) == 1 else many,
            "failed_whom": common.agreeing(losers, "слушателя", "слушателя", "слушателей"),
            "failed_passed": common.agreeing(losers, "не прошедшего", "не прошедшего", "не прошедших"),
            "failed_pronoun": common.agreeing(losers, "ему", "ей", "им"),
            "failed_document": certificate_one if len(losers) == 1 else certificate_many,
            "protocol_number": group.protocol_no or "____",
            "protocol_date": common.date_long(protocol_date),
            "control_item": "3" if not_passed else "2",
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


def build_expulsion(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        for order in (o for o in group.orders if o.kind == common.ORDER_EXPULSION):
            ids = {m.learner_id for m in _leavers(group) if m.expel_order == order.number}
            if not ids:
                continue
            rows = []
            leavers = common.learners_of(ds, group, ids)
            for n, learner in enumerate(leavers, 1):
                member = group.member(learner.id)
                rows.append({"n": str(n), "name": learner.person.full_name,
                             "date": ru.date_short(member.expelled_on), "reason": member.expel_reason or ""})
            context = {
                **_order_context(ds, group, order),
                "learners": rows,
                "whom": "слушателя" if len(rows) == 1 else "слушателей",
                "studying": common.agreeing(leavers, "обучающегося", "обучающегося", "обучающихся"),
                # «Выдать Комарову Александру Никитичу справку…»: one person is named in the dative.
                "issue_to": ru.dative(leavers[0].person) if len(leavers) == 1 else "отчисленным слушателям",
                "certificate": "справку об обучении" if len(leavers) == 1 else "справки об обучении",
            }
            yield _spec(group, "order_expulsion", order, "об отчислении", context, suffix=f"/{order.number}")


def missing_enrolment(ds: Dataset, group: Group) -> list[str]:
    """Every group is enrolled by an order."""
    return _order_lacking(group, common.ORDER_ENROLMENT)


def missing_graduation(ds: Dataset, group: Group) -> list[str]:
    """Every group ends with a graduation order; until then the group is in training."""
    return _order_lacking(group, common.ORDER_GRADUATION)


CARRIERS = (
    Carrier("order_enrolment", "Приказ о зачислении", "order_enrolment.docx", "group", "order_enrolment",
            build_enrolment, missing=missing_enrolment),
    Carrier("order_commission", "Приказ об утверждении состава аттестационной комиссии", "order_commission.docx",
            "group", "order_commission", build_commission, missing=missing_commission),
    Carrier("order_graduation", "Приказ об окончании обучения и отчислении", "order_graduation.docx", "group",
            "order_graduation", build_graduation, missing=missing_graduation),
    Carrier("order_expulsion", "Приказ об отчислении (досрочно)", "order_expulsion.docx", "group",
            "order_expulsion", build_expulsion, missing=missing_expulsion),
)
