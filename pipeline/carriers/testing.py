"""Результаты тестирования (ЭО/ДОТ), per group that has test results (an optional carrier)."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline import ru
from pipeline.carriers import common
from pipeline.carriers.registry import Carrier, DocumentSpec
from pipeline.dataset import Dataset, Group


def _number(value: float) -> str:
    """«18», «17,5»: points as a Russian reader writes them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def missing(ds: Dataset, group: Group) -> list[str]:
    """Test results are needed where the program uses ЭО/ДОТ; a group without them and without ЭО/ДОТ needs none."""
    if group.tests or not ds.program_of(group).distance:
        return []
    return ["нет результатов на листе «Тестирование» (программа с ЭО/ДОТ)"]


def build(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if not group.tests:
            continue
        order = {learner.id: i for i, learner in enumerate(common.learners_of(ds, group))}
        tests = sorted(group.tests, key=lambda t: (order.get(t.learner_id, len(order)), t.date, t.test))
        rows = []
        for n, test in enumerate(tests, 1):
            learner = ds.learners.get(test.learner_id)
            rows.append({
                "n": str(n), "name": ru.short_name(learner.person) if learner else test.learner_id,
                "test": test.test, "date": ru.date_short(test.date),
                "score": f"{_number(test.score)} из {_number(test.max_score)}",
                "threshold": _number(test.threshold), "result": "сдан" if test.passed else "не сдан",
            })
        date = max(t.date for t in group.tests)
        curator = ds.staff.get(group.curator_id)
        context = {
            **common.base_context(ds, group),
            "doc_date": common.date_long(date),
            "rows": rows,
            "passed": str(sum(t.passed for t in group.tests)),
            "total": str(len(group.tests)),
            "signer": {"position": ru.upper_first(curator.position) if curator else "Куратор группы",
                       "name": common.staff_name(curator)},
        }
        yield DocumentSpec(
            doc_id=f"{group.number}/testing",
            file_name=f"{group.number} Результаты тестирования.docx",
            title=f"Результаты тестирования (ЭО/ДОТ) группы {group.number}",
            context=context, year=group.year, group=group.number, date=date, sources=(group.file,),
        )


CARRIERS = (
    Carrier("testing", "Результаты тестирования (ЭО/ДОТ)", "testing.docx", "group", "testing", build, missing=missing),
)
