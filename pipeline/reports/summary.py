"""output/reports/summary.xlsx: the management summary, with native Excel charts.

Sheets: «Сводка» (by year), «Программы и годы», «Группы», «Преподаватели», «Диаграммы» (the
pivots the charts read, and the charts), «Пояснения» (what each figure means).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.dataset import Dataset, Program
from pipeline.core.xlsx_writer import header_font, new_workbook, put
from pipeline.reports import figures
from pipeline.reports.workbook import GRADE_FORMAT, PERCENT_FORMAT, rounded, save, table

OUTCOME_HEADERS = [
    "Зачислено", "Обучается", "из них в группе риска", "Освоили программу", "Не освоили", "Отчислено досрочно",
    "Доля освоивших, %", "Средний балл ИА", "Посещаемость, %",
]

EXPLANATIONS = [
    ("Год", "Год окончания обучения группы (год архива)."),
    ("Зачислено", "Число слушателей в составе групп (лист «Состав»)."),
    ("Обучается", "Слушатели групп, где нет приказа об окончании обучения и нет итоговой аттестации; "
                  "досрочно отчисленные не входят."),
    ("из них в группе риска", "Обучающиеся, у которых на дату отчета пропуски или неудовлетворительные "
                              "результаты модулей угрожают освоению программы."),
    ("Освоили программу", "Выполнены требования программы: посещаемость не ниже минимума, сданы все модули "
                          "с промежуточной аттестацией, итоговая аттестация пройдена."),
    ("Не освоили", "Обучение завершено, но хотя бы одно требование не выполнено."),
    ("Отчислено досрочно", "Статус «отчислен досрочно» в листе «Состав»."),
    ("Доля освоивших, %", "Освоили ÷ (освоили + не освоили + отчислено досрочно) × 100."),
    ("Средний балл ИА", "Среднее числовых оценок итоговой аттестации (5, 4, 3, 2); «зачтено» не учитывается."),
    ("Посещаемость, %", "Посещенные часы ÷ часы проведенных на дату отчета занятий × 100 по всем слушателям; "
                        "для отчисленного досрочно — по дату отчисления. Отметка «д» — присутствие."),
]


def outcome_cells(o: figures.Outcome) -> list:
    return [
        o.enrolled, o.studying, o.at_risk, o.met, o.not_met, o.expelled,
        rounded(o.pass_rate), rounded(o.average_grade, 2), rounded(o.attendance),
    ]


def _formats(offset: int) -> dict[int, str]:
    return {offset + 6: PERCENT_FORMAT, offset + 7: GRADE_FORMAT, offset + 8: PERCENT_FORMAT}


def _pivot(ws, first_row: int, title: str, programs, years, per_program, get) -> tuple[int, int]:
    """Write a years × programs table of `value(outcome)`; give (header row, last row)."""
    put(ws, first_row, 1, title).font = header_font()
    header = first_row + 1
    put(ws, header, 1, "Год")
    for c, program in enumerate(programs, start=2):
        # The code alone: it is the series name in the chart's legend; the key below gives the names.
        put(ws, header, c, program.code)
    cells = {(p.code, y): o for p, y, o in per_program}
    for r, year in enumerate(years, start=header + 1):
        put(ws, r, 1, str(year))
        for c, program in enumerate(programs, start=2):
            o = cells.get((program.code, year))
            put(ws, r, c, rounded(get(o)) if o else None, PERCENT_FORMAT)
    return header, header + len(years)


def _percent_by_year(chart, title: str, ws, head: int, last: int, n_programs: int) -> None:
    """Title the chart, put % (0–100) against the year, and plot a series per program from the pivot."""
    chart.title = title
    chart.y_axis.title, chart.x_axis.title = "%", "Год"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    data, cats = _chart_refs(ws, head, last, n_programs)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)


def _chart_refs(ws, header: int, last: int, ncols: int):
    # lazy: start-up — openpyxl (0.1-0.2 s), only when summary.xlsx is written (not on an edit that leaves it)
    from openpyxl.chart import Reference

    data = Reference(ws, min_col=2, max_col=1 + ncols, min_row=header, max_row=last)
    cats = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    return data, cats


@dataclass(frozen=True)
class SummaryData:
    """Every figure summary.xlsx shows, computed before anything is written (its digest decides the writing)."""
    today: dt.date
    yearly: list[tuple[int, figures.Outcome]]
    per_program: list[tuple[Program, int, figures.Outcome]]
    total: figures.Outcome
    groups: list[list]
    teachers: list[list]
    programs: list[tuple[str, str]]
    """(code, name) of every program, in registry order (the charts' series)."""

    def values(self) -> tuple:
        """What the workbook shows, as plain values (programs by code, name and kind)."""
        return (self.today, self.yearly, [(p.code, p.name, p.kind, y, o) for p, y, o in self.per_program],
                self.total, self.groups, self.teachers, self.programs)


def summary_rows(data: SummaryData) -> int:
    """The table rows write_summary writes (its share of the report stage's progress bar); the charts'
    tables and the explanations count as a row each of theirs."""
    return (2 * len(data.yearly) + 1 + len(data.per_program) + len(data.groups) + len(data.teachers)
            + 2 * len(data.programs) + len(EXPLANATIONS))


def summary_data(dataset: Dataset, progress: Sequence[figures.Counted], today: dt.date, *,
                 teachers: list[figures.TeacherFigures] | None = None) -> SummaryData:
    """Count every figure of the summary; `teachers`: the teachers' figures when already counted
    (figures.teachers), else counted here."""
    tallied = figures.tally(progress)
    return SummaryData(
        today=today,
        yearly=figures.by_year(progress, tallied),
        per_program=figures.by_program_year(dataset, progress, tallied),
        total=figures.merged(o for _group, _program, o in tallied),
        groups=[
            [g.number, f"{g.program_code} {dataset.programs[g.program_code].name}", g.start, g.end,
             "завершена" if g.completed else ("идет обучение" if g.start <= today else "не начата"),
             *outcome_cells(o)]
            for g, o in figures.by_group(dataset, progress, tallied)
        ],
        teachers=[
            [t.staff.id, t.staff.person.full_name, t.staff.position, len(t.groups), t.lessons, t.hours,
             rounded(t.attendance), t.results, rounded(t.pass_share), rounded(t.average_grade, 2)]
            for t in (teachers if teachers is not None else figures.by_teacher(dataset, today))
        ],
        programs=[(p.code, p.name) for p in dataset.programs.values()],
    )


def write_summary(dataset: Dataset, progress: Sequence[figures.Counted], path: Path, *, today: dt.date,
                  data: SummaryData | None = None) -> None:
    """Write the management summary workbook for the learners' `progress` assessed on `today`."""
    data = data or summary_data(dataset, progress, today)
    wb = new_workbook()
    yearly, per_program = data.yearly, data.per_program

    ws = wb.create_sheet("Сводка")
    put(ws, 1, 1, f"Итоги обучения по годам на {today:%d.%m.%Y}")
    table(ws, ["Год", *OUTCOME_HEADERS], [[str(y), *outcome_cells(o)] for y, o in yearly],
          widths=[8, *[14] * 9], formats=_formats(1), first_row=3)
    ws.freeze_panes = "B4"
    put(ws, 4 + len(yearly), 1, "Всего").font = header_font()
    for c, value in enumerate(outcome_cells(data.total), start=2):
        put(ws, 4 + len(yearly), c, value, _formats(1).get(c - 1))

    ws = wb.create_sheet("Программы и годы")
    table(
        ws, ["Код программы", "Программа", "Вид", "Год", *OUTCOME_HEADERS],
        [[p.code, p.name, p.kind, str(y), *outcome_cells(o)] for p, y, o in per_program],
        widths=[14, 44, 6, 8, *[14] * 9], formats=_formats(4),
    )

    ws = wb.create_sheet("Группы")
    table(
        ws, ["Группа", "Программа", "Начало", "Окончание", "Состояние", *OUTCOME_HEADERS], data.groups,
        widths=[16, 44, 12, 12, 16, *[14] * 9], formats={2: "DD.MM.YYYY", 3: "DD.MM.YYYY", **_formats(5)},
    )

    ws = wb.create_sheet("Преподаватели")
    table(
        ws,
        ["Табельный №", "Преподаватель", "Должность", "Групп", "Занятий", "Часов", "Посещаемость занятий, %",
         "Принято промежуточных аттестаций", "Доля положительных, %", "Средний балл"],
        data.teachers,
        widths=[12, 34, 24, 8, 9, 9, 14, 16, 14, 12],
        formats={6: PERCENT_FORMAT, 8: PERCENT_FORMAT, 9: GRADE_FORMAT},
    )

    _charts(wb.create_sheet("Диаграммы"), dataset, per_program, yearly)

    ws = wb.create_sheet("Пояснения")
    table(ws, ["Показатель", "Как считается"], EXPLANATIONS, widths=[24, 100])
    save(wb, path)


def _charts(ws, dataset: Dataset, per_program, yearly) -> None:
    # lazy: start-up — openpyxl (0.1-0.2 s), only when summary.xlsx is written (not on an edit that leaves it)
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.utils import get_column_letter

    programs = [p for p in dataset.programs.values() if any(q.code == p.code for q, _, _ in per_program)]
    years = sorted({y for _, y, _ in per_program})

    head1, last1 = _pivot(ws, 1, "Доля освоивших программу, %", programs, years,
                          per_program, lambda o: o.pass_rate)
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    _percent_by_year(chart, "Доля освоивших программу, % (по годам окончания)", ws, head1, last1, len(programs))
    # Every flag spelt out: LibreOffice shows series and category names when they are left unset.
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False,
                                     showPercent=False, showLeaderLines=False, numFmt="0")
    _axes(chart)
    chart.height, chart.width = 7, 16
    ws.add_chart(chart, f"{get_column_letter(len(programs) + 3)}1")

    start2 = last1 + 3
    head2, last2 = _pivot(ws, start2, "Посещаемость, %", programs, years, per_program, lambda o: o.attendance)
    line = LineChart()
    _percent_by_year(line, "Посещаемость занятий, % (по годам окончания)", ws, head2, last2, len(programs))
    _axes(line)
    for series in line.series:
        series.marker.symbol = "circle"
        series.smooth = False
    line.height, line.width = 7, 16
    ws.add_chart(line, f"{get_column_letter(len(programs) + 3)}16")

    start3 = last2 + 3
    put(ws, start3, 1, "Итоги по годам, чел.")
    head3 = start3 + 1
    table(ws, ["Год", "Освоили", "Не освоили", "Отчислено досрочно", "Обучается"],
          [[str(y), o.met, o.not_met, o.expelled, o.studying] for y, o in yearly], first_row=head3)
    stack = BarChart()
    stack.type, stack.grouping, stack.overlap = "col", "stacked", 100
    stack.title = "Итоги обучения по годам, чел."
    data = Reference(ws, min_col=2, max_col=5, min_row=head3, max_row=head3 + len(yearly))
    stack.add_data(data, titles_from_data=True)
    stack.set_categories(Reference(ws, min_col=1, min_row=head3 + 1, max_row=head3 + len(yearly)))
    _axes(stack, percent=False)
    stack.height, stack.width = 7, 16
    ws.add_chart(stack, f"{get_column_letter(len(programs) + 3)}31")
    key = head3 + len(yearly) + 3
    put(ws, key, 1, "Программы (обозначения в диаграммах)").font = header_font()
    for r, program in enumerate(programs, start=key + 1):
        put(ws, r, 1, program.code)
        put(ws, r, 2, program.name)
    ws.column_dimensions["A"].width = 12
    for c in range(2, len(programs) + 2):
        ws.column_dimensions[get_column_letter(c)].width = 11
    # One landscape page: the tables and the three charts print together (the print area must reach
    # below the last chart, or LibreOffice clips it at the last filled cell).
    chart_col = len(programs) + 3
    ws.print_area = f"A1:{get_column_letter(chart_col + 10)}{max(46, key + len(programs) + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1


def _axes(chart, *, percent: bool = True) -> None:
    """Show both axes (openpyxl 3.1 marks them deleted by default) with whole-number labels."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    if percent:
        chart.y_axis.majorUnit = 20
