"""One ЭО/ДОТ group of the sample keeps its test results in Moodle: a grade export beside its workbook."""

from __future__ import annotations

from dataclasses import replace

from pipeline.core.dataset import Group, Source, TestResult
from pipeline.intake.moodle import MARK


def moodle_group(groups: dict[str, Group]) -> str | None:
    """The group whose results come from Moodle: the last one with test results, when another keeps a sheet."""
    tested = [g.number for g in groups.values() if g.tests]
    return tested[-1] if len(tested) >= 2 else None


def from_moodle(group: Group) -> Group:
    """Give the group with its test results as the loader reads them back from its Moodle export.

    The export has a row per member in the group's order, a points column per test, no attempt dates,
    no maxima and no pass marks; it is dated the day of the last test.
    """
    file = group.file.removesuffix(".xlsx") + MARK + ".csv"
    row_of = {m.learner_id: row for row, m in enumerate(group.members, start=2)}
    column_of = {test: k for k, test in enumerate(dict.fromkeys(t.test for t in group.tests))}
    exported = max(t.date for t in group.tests)
    ordered = sorted(group.tests, key=lambda t: (row_of[t.learner_id], column_of[t.test]))
    tests = tuple(
        TestResult(t.learner_id, f"Тест: {t.test}", None, t.score, None, None,
                   Source(file, "", row_of[t.learner_id]), exported=exported)
        for t in ordered
    )
    return replace(group, tests=tests)
