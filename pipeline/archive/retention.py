"""Retention: when a filed document may be destroyed, and which cases an act may list.

Periods run from 1 January of the year after the case (дело) closes (Инструкция по применению
Перечня 236). A document filed for year Y under a rule of N years may therefore be listed in an act
made on or after 1 January of Y + 1 + N: `destroy_not_before`. Documents kept «постоянно» or «до
ликвидации организации» get no date at all. The period is recorded on every document when it is filed,
because one group folder holds documents of several cases with different periods.
"""

from __future__ import annotations

import datetime as dt

from pipeline.core.dataset import CaseRule


def destroy_not_before(closing_year: int, rule: CaseRule | None) -> dt.date | None:
    """Give the first day an act may list a case closed in closing_year, or None if it is kept for good."""
    if rule is None or rule.retention_years is None:
        return None
    return dt.date(closing_year + 1 + rule.retention_years, 1, 1)


def expired(destroy_date: dt.date | None, as_of: dt.date) -> bool:
    """True when an act made on as_of may list the case: its term ended by 1 January of as_of's year."""
    return destroy_date is not None and destroy_date <= dt.date(as_of.year, 1, 1)


def years_text(n: int) -> str:
    """«1 год», «3 года», «5 лет», «21 год», «50 лет»."""
    if n % 10 == 1 and n % 100 != 11:
        word = "год"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = "года"
    else:
        word = "лет"
    return f"{n} {word}"


def retention_label(retention: str, article: str = "", epk: bool = False) -> str:
    """«5 лет, ст. 19 «б»», «50 лет ЭПК», «постоянно» — as printed on labels and acts."""
    text = years_text(int(retention)) if retention.isdigit() else retention
    if epk:
        text += " ЭПК"
    if article:
        text += f", ст. {article}" if not article.lower().startswith("ст") else f", {article}"
    return text
