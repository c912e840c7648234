"""Dynamics: one person's results across every program and year, in date order."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.assessment.expectations import Progress, assess, average, fmt_pct
from pipeline.core.dataset import Award, Dataset, Group, Learner, Member


@dataclass(frozen=True)
class HistoryRow:
    """One program a person attended, as a row of the dynamics table."""

    progress: Progress

    @property
    def period(self) -> str:
        g = self.progress.group
        return f"{g.start:%d.%m.%Y} – {g.end:%d.%m.%Y}"

    @property
    def interim_average(self) -> float | None:
        grades = self.progress.interim_grades
        return average(grades)

    @property
    def modules_passed(self) -> str:
        """«2 из 3»: required modules passed out of required modules."""
        required = [m for m in self.progress.modules if m.required]
        return f"{sum(m.passed for m in required)} из {len(required)}"

    @property
    def final_text(self) -> str:
        final = self.progress.final
        return self.progress.words(final.result) if final else "—"

    @property
    def document_text(self) -> str:
        doc = self.progress.issued
        if doc is None:
            return "—"
        number = " ".join(p for p in (doc.series, doc.number) if p)
        return f"{doc.document} № {number}, рег. № {doc.reg_no} от {doc.issued_on:%d.%m.%Y}"

    def cells(self) -> list[str]:
        """The row as the terminal table and the card print it."""
        p = self.progress
        avg = self.interim_average
        return [
            self.period,
            p.group.number,
            f"{p.program.kind} «{p.program.name}», {p.program.hours} ак. ч.",
            f"{p.hours_attended} из {p.hours_held} ({fmt_pct(p.attendance)} %)",
            self.modules_passed,
            "—" if avg is None else fmt_pct(avg),
            self.final_text,
            p.state + (": " + "; ".join(p.reasons) if p.reasons else ""),
        ]


HISTORY_HEADERS = [
    "Период", "Группа", "Программа", "Посещено, ак. ч.", "Модули сданы", "Ср. балл модулей",
    "Итоговая аттестация", "Ожидаемый результат",
]

AWARD_HEADERS = ["Дата", "Вид поощрения", "За что", "Приказ (решение)", "Группа"]


def award_cells(award: Award) -> list[str]:
    """A поощрение as the terminal table prints it."""
    return [f"{award.date:%d.%m.%Y}", award.kind, award.reason or "—",
            f"от {award.basis_date:%d.%m.%Y} № {award.basis_no}", award.group or "—"]


def award_text(award: Award) -> str:
    """«благодарность 06.02.2026 (приказ (решение) от 06.02.2026 № 2-сл)» for one cell of a report."""
    return f"{award.kind} {award.date:%d.%m.%Y} ({award.basis.replace(chr(0xa0), ' ')})"


_SNILS_DIGITS = re.compile(r"\d")


def find_learner(dataset: Dataset, query: str) -> Learner | None:
    """Give the learner whose id or СНИЛС (any spacing or dashes) is `query`, or None."""
    query = query.strip()
    if query in dataset.learners:
        return dataset.learners[query]
    digits = "".join(_SNILS_DIGITS.findall(query))
    if len(digits) == 11:
        return next(
            (lr for lr in dataset.learners.values() if "".join(_SNILS_DIGITS.findall(lr.snils)) == digits), None
        )
    return None


def history(dataset: Dataset, learner_id: str, as_of: dt.date) -> list[HistoryRow]:
    """Give every enrolment of the learner, earliest first (by start date, then end date, then group)."""
    found = list(_enrolments(dataset).get(learner_id, ()))
    found.sort(key=lambda gm: (gm[0].start, gm[0].end, gm[0].number))
    return [HistoryRow(assess(dataset, g, m, as_of)) for g, m in found]


def enrolled(dataset: Dataset, learner_id: str) -> bool:
    """Whether the person has been a member of any group (has a history at all), without assessing it."""
    return bool(_enrolments(dataset).get(learner_id))


def data_date(dataset: Dataset, learner_id: str) -> dt.date:
    """Give the latest date recorded for the person: what a card built without a clock is «as of».

    Documents must not change just because the clock moved, so the card judges groups in training
    by the last lesson, result or order on record, not by today.
    """
    dates = [dt.date.min]
    for g in {id(g): g for g, _m in _enrolments(dataset).get(learner_id, ())}.values():
        dates += [lesson.date for lesson in g.lessons]
        dates += [o.date for o in g.orders]
        dates += [r.date for r in g.interim if r.learner_id == learner_id]
        dates += [r.date for r in g.final if r.learner_id == learner_id]
        dates += [d.issued_on for d in g.issued if d.learner_id == learner_id]
    return max(dates)


_ENROLMENTS: list = [None, {}]  # [the dataset last asked about, its index]


def _enrolments(dataset: Dataset) -> dict[str, list[tuple[Group, Member]]]:
    """Give each learner's (group, member) pairs in group and member order, indexed once per dataset.

    Cards and reports ask person by person; scanning every group each time is quadratic at 10,000 people.
    """
    if _ENROLMENTS[0] is not dataset:
        index: dict[str, list[tuple[Group, Member]]] = defaultdict(list)
        for g in dataset.groups.values():
            for m in g.members:
                index[m.learner_id].append((g, m))
        _ENROLMENTS[:] = [dataset, dict(index)]
    return _ENROLMENTS[1]
