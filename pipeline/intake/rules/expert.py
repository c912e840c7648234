"""The expert commission's sheets: members on «Сотрудники», one chair and a secretary per order, a composition
in force on each meeting's day, approved periods that name rows of the номенклатура."""

from __future__ import annotations

from collections import Counter

from pipeline.archive.expert import CHAIR, SECRETARY
from pipeline.intake.expert_sheets import LEGACY_CODE, in_force
from pipeline.intake.rules.context import Context
from schemas import ORGANIZATION_FILE, headers
from schemas.organization import ExpertCommissionSheet, ExpertMeetingsSheet, StaffSheet

_STAFF_ID = headers(StaffSheet).id


def expert_members(ctx: Context) -> None:
    """Every member is on «Сотрудники»; each order appoints one chair and a secretary."""
    for order in ctx.dataset.expert_orders:
        if order.src.sheet != "Экспертная комиссия":
            continue  # the ЭК of an older workbook, coded «ЭК» on «Комиссии»: checked as a commission there
        for member in order.members:
            if member.staff_id and ctx.missing(member.staff_id, ctx.dataset.staff, ORGANIZATION_FILE, "Сотрудники",
                                               _STAFF_ID):
                ctx.at("ref_staff_unknown", member.src, ExpertCommissionSheet.staff, member.staff_id)
        roles = Counter(m.role for m in order.members)
        if roles[CHAIR] == 0:
            ctx.at("expert_no_chair", order.src, ExpertCommissionSheet.role, order.order_no)
        elif roles[CHAIR] > 1:
            second = [m for m in order.members if m.role == CHAIR][1]
            ctx.at("commission_two_chairs", second.src, ExpertCommissionSheet.role, second.role)
        if roles[SECRETARY] == 0:
            ctx.at("expert_no_secretary", order.src, ExpertCommissionSheet.role, order.order_no)


def expert_meetings(ctx: Context) -> None:
    """A meeting is held by a composition appointed before it; its approved periods are rows of the номенклатура."""
    orders = ctx.dataset.expert_orders
    indexes = {rule.case_index for rule in ctx.dataset.nomenclature.values()}
    approved_here: set[str] = set()
    for meeting in ctx.dataset.expert_meetings:
        if in_force(orders, meeting.date) is None:
            first = min((o.order_date for o in orders), default=None)
            ctx.at("expert_meeting_before_order", meeting.src, ExpertMeetingsSheet.date, meeting.date,
                   first=first or "—", protocol=meeting.protocol_no)
        for index in meeting.case_indexes:
            if index not in indexes:
                ctx.at("expert_index_unknown", meeting.src, ExpertMeetingsSheet.case_indexes, index)
            approved_here.add(index)
    for rule in ctx.dataset.nomenclature.values():
        if not rule.approved and rule.case_index in approved_here:
            ctx.at("nomenclature_approved_by_protocol", rule.src, "Статус", rule.case_index)


GROUP_RULES = ()
GLOBAL_RULES = (expert_members, expert_meetings)

__all__ = ["GLOBAL_RULES", "GROUP_RULES", "LEGACY_CODE", "expert_meetings", "expert_members"]
