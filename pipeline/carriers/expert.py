"""The expert commission's (ЭК) own papers: the приказ о создании (составе) ЭК and the протокол заседания ЭК.

Both come from organization.xlsx: an order per order number on «Экспертная комиссия», a протокол per row
of «Заседания ЭК». They are documents of the year of their date (filed in the year's folder, «за год»).

Wording [B]: the order cites the archive law (125-ФЗ) and the archive rules in force for organisations
(Правила … приказ Росархива от 31.07.2023 № 77 [V: NOTES §12 names them]); the ЭК's duties listed are the
ones NOTES §12 gives it (экспертиза ценности, номенклатура, описи, акты, periods not in the Перечень).
The протокол follows ГОСТ Р 7.0.97 (NOTES §7.2): вводная часть with the chair, secretary and those present,
«ПОВЕСТКА ДНЯ», then «СЛУШАЛИ … РЕШИЛИ» per item; signed by the chair and the secretary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.archive.retention import retention_label
from pipeline.carriers import common
from pipeline.carriers.orders import ORDERS_CASE
from pipeline.carriers.registry import BY_YEAR, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, ExpertMeeting, ExpertOrder
from pipeline.intake.expert_sheets import in_force
from schemas import ORGANIZATION_FILE

BASIS = ("Федеральным законом от 22.10.2004 № 125-ФЗ «Об архивном деле в Российской Федерации» и Правилами "
         "организации хранения, комплектования, учета и использования документов Архивного фонда Российской "
         "Федерации и других архивных документов в государственных органах, органах местного самоуправления и "
         "организациях, утвержденными приказом Росархива от 31.07.2023 № 77")
_ROLE_ORDER = {"председатель": 0, "заместитель председателя": 1, "член комиссии": 2, "секретарь": 3}
_ROLE_TITLE = {"председатель": "Председатель комиссии", "заместитель председателя": "Заместитель председателя",
               "член комиссии": "Член комиссии", "секретарь": "Секретарь комиссии"}


def _members(ds: Dataset, order: ExpertOrder) -> list[dict[str, Any]]:
    rows = []
    for member in sorted(order.members, key=lambda m: _ROLE_ORDER.get(m.role, 9)):
        staff = ds.staff.get(member.staff_id)
        if staff is None:
            continue
        rows.append({"role_key": member.role, "role": _ROLE_TITLE.get(member.role, ru.upper_first(member.role)),
                     "name": staff.person.full_name, "short": common.staff_name(staff),
                     "position": common.in_text(common.position_only(staff.position)), "person": staff.person})
    return rows


def _of_role(rows: list[dict], *roles: str) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "person"} for r in rows if r["role_key"] in roles]


def _order_ref(order: ExpertOrder) -> str:
    return f"от {common.date_long(order.order_date)} №{common.NBSP}{ru.unbroken(order.order_no)}"


def _executor(ds: Dataset) -> dict[str, str]:
    """The archivist (or the records keeper) prepares the ЭК's papers; the organisation's phone to call."""
    staff = ds.staff.get(ds.organization.archivist_id or "") or ds.staff.get(ds.organization.records_id or "")
    phone = ds.organization.phone or ""
    return {"name": ru.full_name(staff.person) if staff else "", "phone": ru.unbroken(phone).replace(" ", ru.NBSP)}


def missing_people(ds: Dataset, order: ExpertOrder) -> list[str]:
    """Why an order (or a meeting of its composition) cannot be printed: nobody of it is on «Сотрудники»."""
    return [] if _members(ds, order) else [f"никого из состава по приказу № {order.order_no} нет на листе «Сотрудники»"]


def build_order(ds: Dataset) -> Iterator[DocumentSpec]:
    earlier: ExpertOrder | None = None
    for order in ds.expert_orders:
        if order.src.sheet != "Экспертная комиссия" or missing_people(ds, order) or ds.organization is None:
            continue  # an older workbook's «ЭК» on «Комиссии» was appointed by an order printed elsewhere
        rows = _members(ds, order)
        context = {
            "org": common.org_context(ds),
            "doc_date": common.date_long(order.order_date),
            "doc_date_short": ru.date_short(order.order_date),
            "doc_number": ru.unbroken(order.order_no),
            "signer": common.signer(ds, None),
            "basis": BASIS,
            "chair": _of_role(rows, "председатель", "заместитель председателя"),
            "members": _of_role(rows, "член комиссии"),
            "secretary": _of_role(rows, "секретарь"),
            "replaces": _order_ref(earlier) if earlier else "",
            "acquainted": [{"name": ru.initials_surname(r["person"])} for r in rows],
            "acquainted_title": "С приказом ознакомлены:" if len(rows) != 1 else "С приказом ознакомлен(а):",
            "executor": _executor(ds),
        }
        earlier = order
        yield DocumentSpec(
            doc_id=f"{order.order_date.year}/order_expert_commission/{order.order_no}",
            file_name=f"{order.order_date.year} Приказ о создании экспертной комиссии № {order.order_no}.docx",
            title=f"Приказ о создании экспертной комиссии № {order.order_no} от {ru.date_long(order.order_date)}",
            context=context, year=order.order_date.year, group=None, date=order.order_date,
            sources=(ORGANIZATION_FILE,),
        )


def _periods(ds: Dataset, meeting: ExpertMeeting) -> list[dict[str, str]]:
    """The номенклатура rows whose periods the meeting approves, one per index (several carriers share one)."""
    rows, seen = [], set()
    for index in meeting.case_indexes:
        rule = next((r for r in ds.nomenclature.values() if r.case_index == index), None)
        if rule is None or index in seen:
            continue
        seen.add(index)
        label = retention_label(rule.retention_text, rule.article or "", rule.epk)
        rows.append({"index": ru.unbroken(index), "title": rule.case_title, "retention": ru.upper_first(label),
                     "note": rule.note or ""})
    return rows


def _acts(meeting: ExpertMeeting) -> str:
    numbers = [f"№{common.NBSP}{n}" for n in meeting.acts]
    return ", ".join(numbers)


def build_protocol(ds: Dataset) -> Iterator[DocumentSpec]:
    for meeting in ds.expert_meetings:
        order = in_force(ds.expert_orders, meeting.date)
        if order is None or missing_people(ds, order) or ds.organization is None:
            continue  # reported by validation (expert_meeting_before_order) or by «Сотрудники»
        rows = _members(ds, order)
        chair, secretary = _of_role(rows, "председатель"), _of_role(rows, "секретарь")
        reporter = secretary[0]["short"] if secretary else (chair[0]["short"] if chair else "")
        periods = _periods(ds, meeting)
        agenda = []
        if periods:
            agenda.append({
                "text": "Об утверждении сроков хранения дел, не установленных перечнем типовых архивных документов.",
                "heard": f"{reporter} — о делах номенклатуры дел, срок хранения которых не установлен перечнем и "
                         "предложен организацией (приложение к протоколу).",
                "decision": "Утвердить сроки хранения дел согласно приложению к протоколу; внести их в номенклатуру "
                            "дел со статусом «утверждено».",
            })
        if meeting.acts:
            word = "акта" if len(meeting.acts) == 1 else "актов"
            agenda.append({
                "text": f"Об утверждении {word} о выделении к уничтожению документов, не подлежащих хранению, "
                        f"{_acts(meeting)}.",
                "heard": f"{reporter} — о документах, отобранных к уничтожению как утратившие практическое значение, "
                         f"срок хранения которых истек ({word} {_acts(meeting)}).",
                "decision": f"Согласовать {'акт' if len(meeting.acts) == 1 else 'акты'} {_acts(meeting)} и представить "
                            "на утверждение руководителю "
                            "организации. Документы уничтожить после утверждения.",
            })
        for n, item in enumerate(agenda, 1):
            item["n"] = str(n)
        present = _of_role(rows, "председатель", "заместитель председателя", "член комиссии", "секретарь")
        context = {
            "org": common.org_context(ds),
            "doc_date": common.date_long(meeting.date),
            "doc_date_short": ru.date_short(meeting.date),
            "doc_number": ru.unbroken(meeting.protocol_no),
            "appointed_by": _order_ref(order),
            "chair": chair, "secretary": secretary,
            "present": [r for r in present if r["role_key"] in ("заместитель председателя", "член комиссии")],
            "agenda": agenda,
            "periods": periods,
            "signers": [{"role": "Председатель экспертной комиссии", "name": r["short"]} for r in chair]
            + [{"role": "Секретарь экспертной комиссии", "name": r["short"]} for r in secretary],
        }
        yield DocumentSpec(
            doc_id=f"{meeting.date.year}/expert_protocol/{meeting.protocol_no}",
            file_name=f"{meeting.date.year} Протокол заседания экспертной комиссии № {meeting.protocol_no}.docx",
            title=f"Протокол заседания экспертной комиссии № {meeting.protocol_no} от {ru.date_long(meeting.date)}",
            context=context, year=meeting.date.year, group=None, date=meeting.date, sources=(ORGANIZATION_FILE,),
        )


def no_group_needs_it(ds: Dataset, group) -> list[str]:
    """A group never waits for the ЭК's papers: they are the organisation's (validation names what they lack)."""
    return []


# [B] Перечень 236 keeps the protocols of an organisation's commissions permanently; the article was not
# verified here, so the row waits for the ЭК like the others without an article.
EXPERT_PROTOCOLS_CASE = Case(
    "01-04", "Протоколы заседаний экспертной комиссии", "до ликвидации организации",
    "Статья Перечня не проверена; протоколы ЭК подтверждают сроки хранения и уничтожение документов — "
    "хранятся до ликвидации организации.", formation=BY_YEAR)

CARRIERS = (
    Carrier("order_expert_commission", "Приказ о создании экспертной комиссии", "order_expert_commission.docx",
            "year", "order_expert_commission", build_order, missing=no_group_needs_it, case=ORDERS_CASE,
            facts_only=True),
    Carrier("expert_protocol", "Протокол заседания экспертной комиссии", "expert_protocol.docx", "year",
            "expert_protocol", build_protocol, missing=no_group_needs_it, case=EXPERT_PROTOCOLS_CASE,
            facts_only=True),
)
