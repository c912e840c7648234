"""How each case of the номенклатура is formed when the «Формируется» column is left empty.

Practice [B, NOTES §4.2 and §12]: orders are one chronological дело per year, numbered through the year,
whatever group they concern; the register of issued documents is a year book; copies of справки are
kept chronologically per year. A group's own papers (journal, ведомости, протокол, выписка, test
results, learners' cards) are usually kept together per group, one дело per group within the year.
The institution's номенклатура overrides any of these with «за год» / «по группам».
"""

from __future__ import annotations

BY_YEAR = "за год"
BY_GROUP = "по группам"

DEFAULT_FORMATION: dict[str, str] = {
    "order_enrolment": BY_YEAR,
    "order_commission": BY_YEAR,
    "order_graduation": BY_YEAR,
    "order_expulsion": BY_YEAR,
    "issue_register": BY_YEAR,
    "study_certificate": BY_YEAR,
    "disposal_act": BY_YEAR,
    "order_expert_commission": BY_YEAR,
    "expert_protocol": BY_YEAR,
    "archive_inventory": BY_YEAR,
    "journal": BY_GROUP,
    "interim_sheet": BY_GROUP,
    "protocol": BY_GROUP,
    "issue_extract": BY_GROUP,
    "testing": BY_GROUP,
    "learner_card": BY_GROUP,
}


def formation_of(carrier: str, typed: str | None) -> str:
    """Give what the номенклатура row says, or the carrier's default; an unknown carrier is formed by year."""
    return typed or DEFAULT_FORMATION.get(carrier, BY_YEAR)
