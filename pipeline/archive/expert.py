"""The expert commission (ЭК) in the disposal cycle: which composition sat, and which протокол approves an act.

The cycle (NOTES §4.1, §12 [B]): the director's order appoints the ЭК; `uchet disposal` draws up the act;
the ЭК meets and its протокол approves the act; the director approves it (УТВЕРЖДАЮ); only then are the
documents destroyed. Staff record the meeting as a row of «Заседания ЭК» (протокол №, date, the acts it
approves). `dispose` refuses an act no valid протокол approves (approving_meeting). A протокол counts for
an act only when:
- it lists the act's number (a протокол of another act proves nothing about this one);
- it is dated on or after the act (a meeting cannot approve a list not yet drawn up);
- it is dated no later than the day the act is carried out (a протокол «from the future» is a typo or a
  forgery);
- a composition of the ЭК was in force on the meeting's day (an order dated on or before it) and had a chair
  and a secretary, who sign the протокол; a commission appointed after the meeting could not have held it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.core.dataset import ExpertMeeting, ExpertOrder
from pipeline.intake.expert_sheets import in_force

CHAIR = "председатель"
SECRETARY = "секретарь"


def roles(order: ExpertOrder) -> set[str]:
    return {m.role for m in order.members}


@dataclass(frozen=True)
class ExpertRecord:
    """What organization.xlsx records of the ЭК: its compositions and its meetings."""

    orders: tuple[ExpertOrder, ...] = ()
    meetings: tuple[ExpertMeeting, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """Why a recorded meeting does or does not approve an act: `meeting` when it does, else `reasons`."""

    meeting: ExpertMeeting | None
    reasons: tuple[str, ...]


def _d(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def meeting_flaw(meeting: ExpertMeeting, act_date: dt.date, today: dt.date,
                 orders: Iterable[ExpertOrder]) -> str | None:
    """Give why this meeting's протокол cannot approve an act of act_date carried out today (None: it can)."""
    where = (f"протокол № {meeting.protocol_no} от {_d(meeting.date)} (лист «{meeting.src.sheet}», строка "
             f"{meeting.src.row})")
    if meeting.date < act_date:
        return f"{where} датирован раньше самого акта ({_d(act_date)}): комиссия не могла утвердить акт, которого еще не было"
    if meeting.date > today:
        return f"{where} датирован позже сегодняшнего дня ({_d(today)})"
    orders = tuple(orders)
    sat = in_force(orders, meeting.date)
    if sat is None:
        first = min((o.order_date for o in orders), default=None)
        return (f"{where}: в день заседания экспертной комиссии еще не было" + (
            f" — первый приказ о ее составе датирован {_d(first)}" if first else
            " — состав комиссии не внесен на лист «Экспертная комиссия»"))
    missing = [r for r in (CHAIR, SECRETARY) if r not in roles(sat)]
    if missing:
        return f"{where}: в составе комиссии по приказу № {sat.order_no} нет роли «{'» и «'.join(missing)}»"
    return None


def approving_meeting(act_number: int, act_date: dt.date, today: dt.date, expert: ExpertRecord) -> Verdict:
    """Give the earliest recorded meeting whose протокол validly approves the act (see the module doc)."""
    orders = expert.orders
    listing = [m for m in expert.meetings if act_number in m.acts]
    reasons = []
    for meeting in sorted(listing, key=lambda m: m.date):
        flaw = meeting_flaw(meeting, act_date, today, orders)
        if flaw is None:
            return Verdict(meeting, ())
        reasons.append(flaw)
    return Verdict(None, tuple(reasons))


def refusal(act_number: int, act_label: str, verdict: Verdict) -> str:
    """The message `dispose` stops with when no протокол approves the act: root cause first, then the fix."""
    if verdict.reasons:
        why = (f"Акт {act_label} не утвержден протоколом экспертной комиссии: " + "; ".join(verdict.reasons) + ". ")
    else:
        why = (f"Акт {act_label} не утвержден экспертной комиссией: на листе «Заседания ЭК» (organization.xlsx) нет "
               f"протокола, в столбце «Утверждены акты №» которого указан акт № {act_number}. ")
    return (why + "Ничего не удалено. Уничтожать документы можно только после заседания ЭК, утвердившего акт: внесите "
            "строку заседания (номер и дата протокола, в «Утверждены акты №» — номер акта; дата — не раньше даты "
            "акта, состав комиссии — по приказу, изданному не позже заседания), выполните «make», подпишите протокол "
            "и повторите.")


__all__ = ["CHAIR", "SECRETARY", "ExpertRecord", "Verdict", "refusal", "approving_meeting", "in_force", "meeting_flaw", "roles"]
