"""output/reports/learners.xlsx: expected vs achieved for every learner, and who is at risk today.

It holds names, so it lives under output/ like every document with personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.assessment.dynamics import award_text
from pipeline.assessment.expectations import AT_RISK, Progress
from pipeline.core.dataset import Dataset
from pipeline.reports.workbook import PERCENT_FORMAT, rounded, stream_sheet, write_sheets

HEADERS = [
    "Группа", "Программа", "ID слушателя", "ФИО", "Посещено, ак. ч.", "Проведено, ак. ч.", "Посещаемость, %",
    "Мин. посещаемость, %", "Модули сданы", "Итоговая аттестация", "Ожидаемый результат", "Причины", "Поощрения",
]
WIDTHS = [16, 40, 12, 34, 10, 10, 12, 12, 10, 20, 18, 80, 50]


def learner_row(dataset: Dataset, p: Progress) -> list:
    """Give one learner's row, as both sheets show it."""
    required = [m for m in p.modules if m.required]
    return [
        p.group.number,
        f"{p.program.code} {p.program.name}",
        p.learner_id,
        dataset.learners[p.learner_id].person.full_name,
        p.hours_attended,
        p.hours_held,
        rounded(p.attendance),
        p.program.min_attendance,
        f"{sum(m.passed for m in required)} из {len(required)}",
        p.words(p.final.result) if p.final else "—",
        p.state,
        "; ".join(p.reasons),
        # The поощрения of this group, and those tied to no group, in every row of the person.
        "; ".join(award_text(a) for a in dataset.learners[p.learner_id].awards if a.group in (None, p.group.number)),
    ]


STATE = HEADERS.index("Ожидаемый результат")
"""Where a row holds the learner's state (expectations.AT_RISK for the at-risk sheet)."""


def write_learners(rows: list[list], path: Path, *, today: dt.date, advance: Callable[[int], None] | None = None) -> None:
    """Write the at-risk list (by `today`) and every learner's verdict from every learner's row
    (learner_row, in assessment order); `advance(n)` is told the rows written."""
    risky = [row for row in rows if row[STATE] == AT_RISK]
    write_sheets(path, [
        stream_sheet("Группа риска", HEADERS, risky, widths=WIDTHS,
                     formats={6: PERCENT_FORMAT}, title=f"Слушатели в группе риска на {today:%d.%m.%Y}: {len(risky)}",
                     advance=advance),
        stream_sheet("Результаты обучения", HEADERS, rows, widths=WIDTHS,
                     formats={6: PERCENT_FORMAT}, advance=advance),
    ], title=f"Результаты обучения на {today:%d.%m.%Y}")
