"""The expert commission's sheets of organization.xlsx as model objects: «Экспертная комиссия», «Заседания ЭК».

Intake only (belongs with pipeline.intake.model in the intake stage): rows that passed their schema checks
become ExpertOrder (one per order number: the composition it appointed) and ExpertMeeting. The cross-sheet
rules (staff on «Сотрудники», a chair and a secretary, a composition in force on the meeting's day, the
indexes of the номенклатура) are in pipeline.intake.rules.expert; the disposal guard in pipeline.archive.expert.

Until a workbook has the sheet «Экспертная комиссия», a commission coded «ЭК» on «Комиссии» (how the ЭК
was entered before the sheet existed) stands for it, so an older organization.xlsx keeps working.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable

from pipeline.core.dataset import Commission, CommissionMember, ExpertMeeting, ExpertOrder, Source
from pipeline.core.problems import Problem
from pipeline.intake.frames import BadRows, Loaded, as_date, records, shown, text
from schemas import ORGANIZATION_FILE, headers
from schemas.organization import ExpertCommissionSheet, ExpertMeetingsSheet

ORDERS_SHEET = "Экспертная комиссия"
MEETINGS_SHEET = "Заседания ЭК"
LEGACY_CODE = "ЭК"
"""The «Код комиссии» the ЭК had on «Комиссии» before its own sheet."""

_SEPARATORS = re.compile(r"[,;\s]+|\bи\b")


def split_list(value: str | None) -> list[str]:
    """«1, 2», «1; 2», «№ 1 и 2» → ["1", "2"]; «03-01, 03-02» → ["03-01", "03-02"]."""
    if not value:
        return []
    return [p for p in _SEPARATORS.split(value.replace("№", " ")) if p]


def build_orders(loaded: Loaded, bad_rows: BadRows, problems: list[Problem]) -> tuple[ExpertOrder, ...]:
    """Give one ExpertOrder per order number, by date; rows of one order must agree on its date."""
    s = headers(ExpertCommissionSheet)
    rows: dict[str, list[tuple[Source, dict]]] = defaultdict(list)
    for src, r in records(loaded, ORGANIZATION_FILE, ORDERS_SHEET, bad_rows):
        number = text(r.get(s.order_no))
        if number is not None:
            rows[number].append((src, r))
    out = []
    for number, members in rows.items():
        first_src, first = members[0]
        date = as_date(first.get(s.order_date))
        if date is None:
            continue
        for src, r in members[1:]:
            other = as_date(r.get(s.order_date))
            if other != date:
                problems.append(Problem(src.file, src.sheet, src.row, s.order_date, "expert_order_date_mismatch",
                                        "error", shown(other), {"order": number, "expected": shown(date)}))
        out.append(ExpertOrder(number, date, tuple(
            CommissionMember(text(r.get(s.staff)) or "", text(r.get(s.role)) or "", src) for src, r in members),
            first_src))
    return tuple(sorted(out, key=lambda o: (o.order_date, o.src.row)))


def build_meetings(loaded: Loaded, bad_rows: BadRows, problems: list[Problem]) -> tuple[ExpertMeeting, ...]:
    """Give the recorded meetings by date; a list of acts that is not numbers is reported and the row skipped."""
    s = headers(ExpertMeetingsSheet)
    out = []
    for src, r in records(loaded, ORGANIZATION_FILE, MEETINGS_SHEET, bad_rows):
        number, date = text(r.get(s.protocol_no)), as_date(r.get(s.date))
        if number is None or date is None:
            continue
        typed = text(r.get(s.acts))
        acts = split_list(typed)
        bad = [a for a in acts if not (a.isascii() and a.isdigit())]
        if bad:
            problems.append(Problem(src.file, src.sheet, src.row, s.acts, "expert_acts_bad", "error", typed,
                                    {"bad": bad[0]}))
            continue
        out.append(ExpertMeeting(number, date, tuple(dict.fromkeys(int(a) for a in acts)),
                                 tuple(dict.fromkeys(split_list(text(r.get(s.case_indexes))))), src))
    return tuple(sorted(out, key=lambda m: (m.date, m.src.row)))


def in_force(orders: Iterable[ExpertOrder], day: dt.date) -> ExpertOrder | None:
    """Give the composition appointed by the latest order dated on or before `day` (None: no ЭК yet)."""
    before = [o for o in orders if o.order_date <= day]
    return max(before, key=lambda o: o.order_date) if before else None


def from_legacy(commissions: dict[str, Commission]) -> tuple[ExpertOrder, ...]:
    """The ЭК as an older workbook entered it: the commission coded «ЭК» on «Комиссии»."""
    ek = next((c for cid, c in commissions.items() if cid.strip().upper() == LEGACY_CODE), None)
    if ek is None or not ek.members:
        return ()
    return (ExpertOrder(ek.order_no, ek.order_date, ek.members, ek.members[0].src),)


def build_expert(loaded: Loaded, bad_rows: BadRows, problems: list[Problem],
                 commissions: dict[str, Commission]) -> dict[str, tuple]:
    """Give {"expert_orders": …, "expert_meetings": …} for the Dataset."""
    orders = build_orders(loaded, bad_rows, problems) or from_legacy(commissions)
    return {"expert_orders": orders, "expert_meetings": build_meetings(loaded, bad_rows, problems)}


__all__ = ["LEGACY_CODE", "MEETINGS_SHEET", "ORDERS_SHEET", "build_expert", "build_meetings", "build_orders",
           "from_legacy", "in_force", "split_list"]
