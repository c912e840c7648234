"""Результаты тестирования (ЭО/ДОТ), per group that has test results (an optional carrier)."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.carriers import common
from pipeline.carriers.registry import BY_GROUP, Carrier, Case, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group


def _number(value: float) -> str:
    """«18», «17,5»: points as a Russian reader writes them."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def missing(ds: Dataset, group: Group) -> list[str]:
    """Test results are needed where the program uses ЭО/ДОТ; a group without them and without ЭО/ДОТ needs none."""
    if not ds.program_of(group).distance or group.tests:  # the program first: a group's rows are read on demand
        return []
    return ["нет результатов на листе «Тестирование» или в выгрузке Moodle (программа с ЭО/ДОТ)"]


def _summary(tests, gaps=()) -> str:
    """How many attempts passed, saying so honestly where the pass mark is unknown (Moodle exports),
    and how many learners have no result at all."""
    without = f" Без результата: {len(gaps)} (см. «не оценено», «нет в выгрузке»)." if gaps else ""
    if not tests:
        return "Оценок нет ни у одного слушателя." + without
    return _passed(tests) + without


def _passed(tests) -> str:
    known = [t for t in tests if t.passed is not None]
    passed = sum(1 for t in known if t.passed)
    unknown = len(tests) - len(known)
    if not unknown:
        return f"Сдано попыток: {passed} из {len(tests)}."
    reason = "проходной балл в выгрузке из системы дистанционного обучения не указан"
    if not known:
        return f"Результатов: {len(tests)}; {reason}, поэтому отметка «сдан / не сдан» не ставится."
    return f"Сдано попыток: {passed} из {len(known)}; еще для {unknown} результатов {reason}."


def _test_name(name: str) -> str:
    """«Тест: Итоговое тестирование» → «Итоговое тестирование»: the column is already headed «Тест»."""
    return name.split(":", 1)[1].strip() if name.startswith("Тест:") else name


def _date(test) -> str:
    if test.date is not None:
        return ru.date_short(test.date)
    return f"на {ru.date_short(test.exported)}" if test.exported else ""


def _score(test) -> str:
    """«13,5 из 20» with non-breaking spaces: the score never wraps away from its maximum."""
    if test.max_score is None:
        return _number(test.score)
    return f"{_number(test.score)}{common.NBSP}из{common.NBSP}{_number(test.max_score)}"


def source_note(group: Group) -> str:
    """Where the results came from, as it really was: a Moodle export, or the sheet staff typed in.

    A member without a result (a test gap) comes from a Moodle export too: a group whose every learner
    is «не оценено» or «нет в выгрузке» still states the export and its date, not a typed sheet."""
    exports = [t for t in group.tests if t.src.file != group.file]
    typed = len(exports) < len(group.tests)
    dates = [t.exported for t in exports if t.exported] + [g.exported for g in group.test_gaps if g.exported]
    exported = "Результаты выгружены из СДО (Moodle)" + (
        f" {common.date_long(max(dates))}" if dates else ".")
    if not exports and not group.test_gaps:
        return "Результаты внесены в ведомость по данным тестирования."
    if typed:
        return f"{exported} Остальные результаты внесены в ведомость по данным тестирования."
    return exported


def _gap_row(ds: Dataset, gap) -> dict:
    """A member with no result in the Moodle export: a row saying so, never a silent omission."""
    learner = ds.learners.get(gap.learner_id)
    return {
        # The state goes in the wide «Тест» column: in «Баллы» it would break over three lines.
        "n": "", "name": ru.short_name(learner.person) if learner else gap.learner_id, "test": gap.state,
        "date": f"на {ru.date_short(gap.exported)}" if gap.exported else "", "score": "—",
        "threshold": "—", "result": "—",
    }


def build(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if not group.tests and not group.test_gaps:
            continue
        order = {learner.id: i for i, learner in enumerate(common.learners_of(ds, group))}
        # Stable: results of one learner and day keep their sheet rows' or export columns' order.
        tests = sorted(group.tests, key=lambda t: (order.get(t.learner_id, len(order)), t.date or t.exported or group.end))
        rows = []
        for n, test in enumerate(tests, 1):
            learner = ds.learners.get(test.learner_id)
            rows.append({
                "n": str(n), "name": ru.short_name(learner.person) if learner else test.learner_id,
                "test": _test_name(test.test), "date": _date(test), "score": _score(test),
                # A dash, not a blank: the summary says why a Moodle export has no pass mark.
                "threshold": "—" if test.threshold is None else _number(test.threshold),
                "result": {True: "сдан", False: "не сдан", None: "—"}[test.passed],
            })
        rows += [_gap_row(ds, gap) for gap in group.test_gaps]
        for n, row in enumerate(rows, 1):
            row["n"] = str(n)
        # The date the data really have: the latest test date or Moodle export date (validation makes
        # sure an export has one); the group's end date only for a sheet without dates, which cannot be.
        dates = [t.date or t.exported for t in group.tests] + [g.exported for g in group.test_gaps]
        date = max((d for d in dates if d), default=group.end)
        curator = ds.staff.get(group.curator_id)
        context = {
            **common.base_context(ds, group),
            "doc_date": common.date_long(date),
            "summary": _summary(group.tests, group.test_gaps),
            "source_note": source_note(group),
            # The last two rows keep with the summary and the signature (a table of their own).
            "rows": rows[:-2],
            "tail": rows[-2:],
            "signer": {"position": ru.upper_first(curator.position) if curator else "Куратор группы",
                       "name": common.staff_name(curator)},
        }
        # A Moodle export is a source of its own: a changed export re-files the document.
        sources = tuple(dict.fromkeys((group.file, *(t.src.file for t in group.tests),
                                       *(g.src.file for g in group.test_gaps))))
        yield DocumentSpec(
            doc_id=f"{group.number}/testing",
            file_name=f"{group.number} Результаты тестирования.docx",
            title=f"Результаты тестирования (ЭО/ДОТ) группы {group.number}",
            context=context, year=group.year, group=group.number, date=date, sources=sources,
        )



CASE = Case("03-06", "Результаты тестирования с применением ЭО и ДОТ", "5",
            "В Перечне 236 не найден; срок как у ведомостей, которые они заменяют.", formation=BY_GROUP)


CARRIERS = (
    Carrier("testing", "Результаты тестирования (ЭО/ДОТ)", "testing.docx", "group", "testing", build, missing=missing,
            case=CASE),
)
