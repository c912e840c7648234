"""How each case of the номенклатура is formed when the «Формируется» column is left empty.

Practice [B, NOTES §4.2 and §12]: orders are one chronological дело per year, numbered through the year,
whatever group they concern; the register of issued documents is a year book; copies of справки are
kept chronologically per year. A group's own papers (journal, ведомости, протокол, выписка, test
results, learners' cards) are usually kept together per group, one дело per group within the year.
The institution's номенклатура overrides any of these with «за год» / «по группам»; each default is
declared with the carrier's case in the registry (`Carrier.case.formation`).
"""

from __future__ import annotations

from pipeline.carriers.registry import BY_GROUP, BY_YEAR
from pipeline.intake.nomenclature import recommended_cases

__all__ = ["BY_GROUP", "BY_YEAR", "DEFAULT_FORMATION", "formation_of"]

DEFAULT_FORMATION: dict[str, str] = {key: case.formation for key, case in recommended_cases().items()}


def formation_of(carrier: str, typed: str | None) -> str:
    """Give what the номенклатура row says, or the carrier's default; an unknown carrier is formed by year."""
    return typed or DEFAULT_FORMATION.get(carrier, BY_YEAR)
