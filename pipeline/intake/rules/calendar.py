"""Dates agree with each other: the group's period, lessons, attestations, expulsions and orders."""

from __future__ import annotations

import datetime as dt

from pipeline.core.dataset import Group
from pipeline.intake.rules.context import Context, groups
from schemas import ORGANIZATION_FILE
from schemas.group import FinalSheet, GroupSheet, InterimSheet, LessonsSheet, MembersSheet, OrdersSheet
from schemas.organization import CommissionsSheet

ENROLMENT = "о зачислении"
COMMISSION = "об утверждении состава аттестационной комиссии"
GRADUATION = "об окончании обучения и отчислении"


def _inside(group: Group, day: dt.date) -> bool:
    return group.start <= day <= group.end


def _valid_period(group: Group) -> bool:
    return group.start <= group.end


def period(ctx: Context) -> None:
    """The group starts before it ends; lessons, interim results and expulsions fall inside the period."""
    for group in groups(ctx):
        if not _valid_period(group):
            ctx.at_group("group_period_reversed", group, GroupSheet.end, group.end, start=group.start)
            continue  # every date below would be «outside» a period that is itself wrong
        for lesson in group.lessons:
            if not _inside(group, lesson.date):
                ctx.at("lesson_outside_period", lesson.src, LessonsSheet.date, lesson.date,
                       start=group.start, end=group.end)
        for result in group.interim:
            if not _inside(group, result.date):
                ctx.at("interim_outside_period", result.src, InterimSheet.date, result.date,
                       start=group.start, end=group.end)
        for member in group.members:
            if member.expelled_on and not _inside(group, member.expelled_on):
                ctx.at("expel_date_outside", member.src, MembersSheet.expelled_on, member.expelled_on,
                       start=group.start, end=group.end)


def final_dates(ctx: Context) -> None:
    """The final attestation is not before the start; after the end it is suspect; with results it is dated."""
    for group in groups(ctx):
        if not _valid_period(group):
            continue
        if group.final_date:
            if group.final_date < group.start:
                ctx.at_group("final_date_before_start", group, GroupSheet.final_date, group.final_date,
                             start=group.start)
            elif group.final_date > group.end:
                ctx.at_group("final_date_after_end", group, GroupSheet.final_date, group.final_date,
                             end=group.end)
        elif group.final and ctx.group_raw(group, GroupSheet.final_date) is None:
            ctx.at_group("final_date_missing", group, GroupSheet.final_date)
        for result in group.final:
            if result.date < group.start:
                ctx.at("final_date_before_start", result.src, FinalSheet.date, result.date, start=group.start)
            elif result.date > group.end:
                ctx.at("final_date_after_end", result.src, FinalSheet.date, result.date, end=group.end)


def last_final_date(group: Group) -> dt.date | None:
    """The day the final attestation ended: the latest result, or the planned date."""
    days = [r.date for r in group.final] + ([group.final_date] if group.final_date else [])
    return max(days, default=None)


def first_final_date(group: Group) -> dt.date | None:
    days = [r.date for r in group.final] + ([group.final_date] if group.final_date else [])
    return min(days, default=None)


def order_dates(ctx: Context) -> None:
    """Contract ≤ enrolment order ≤ start; commission order ≤ final attestation ≤ graduation order."""
    for group in groups(ctx):
        enrolment = group.order(ENROLMENT)
        if enrolment is None:
            kinds = ctx.raw(group.file, "Приказы", OrdersSheet.kind)
            if group.members and kinds is not None and ENROLMENT not in kinds:
                ctx.report("enrolment_order_missing", group.file, "Приказы", None, OrdersSheet.kind, ENROLMENT)
        else:
            if enrolment.date > group.start:
                ctx.at("enrolment_order_after_start", enrolment.src, OrdersSheet.date, enrolment.date,
                       start=group.start)
            for member in group.members:
                if member.contract_date > enrolment.date:
                    ctx.at("contract_after_enrolment", member.src, MembersSheet.contract_date,
                           member.contract_date, order_no=enrolment.number, order_date=enrolment.date)
        first, last = first_final_date(group), last_final_date(group)
        graduation = group.order(GRADUATION)
        if graduation and last and graduation.date < last:
            ctx.at("graduation_before_final", graduation.src, OrdersSheet.date, graduation.date, final=last)
        commission_order = group.order(COMMISSION)
        if commission_order and first and commission_order.date > first:
            ctx.at("commission_order_after_final", commission_order.src, OrdersSheet.date,
                   commission_order.date, final=first)


def commission_order_dates(ctx: Context) -> None:
    """A commission is appointed before the first final attestation it sits on."""
    earliest: dict[str, tuple[dt.date, str]] = {}
    for group in ctx.dataset.groups.values():
        first = first_final_date(group)
        if group.commission_id and first:
            known = earliest.get(group.commission_id)
            if known is None or first < known[0]:
                earliest[group.commission_id] = (first, group.number)
    for cid, (first, number) in sorted(earliest.items()):
        commission = ctx.dataset.commissions.get(cid)
        if commission and commission.members and commission.order_date > first:
            src = commission.members[0].src
            ctx.report("commission_order_after_final", ORGANIZATION_FILE, src.sheet, src.row,
                       CommissionsSheet.order_date, commission.order_date, final=first, group=number)


GROUP_RULES = (period, final_dates, order_dates)
GLOBAL_RULES = (commission_order_dates,)
