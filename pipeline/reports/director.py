"""The director's page: one A4 page of key figures and a chart picture, as DOCX.

The chart is drawn with matplotlib (Agg backend, no display needed) into a PNG that is embedded in
the page and also kept beside it, so it can be sent on its own.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from pipeline.dataset import Dataset
from pipeline.fsutil import atomic_write, atomic_write_bytes
from pipeline.reports import figures
from pipeline.reports.expectations import Progress, at_risk, fmt_pct

FONT = "Times New Roman"


def chart_png(yearly: list[tuple[int, figures.Outcome]]) -> bytes:
    """Give a PNG: pass rate and attendance by year, as paired bars with their values written on."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    years = [str(y) for y, _ in yearly]
    pass_rate = [o.pass_rate or 0 for _, o in yearly]
    attendance = [o.attendance or 0 for _, o in yearly]
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=150)
    x = range(len(years))
    width = 0.38
    bars1 = ax.bar([i - width / 2 for i in x], pass_rate, width, label="Доля освоивших программу, %", color="#2E75B6")
    bars2 = ax.bar([i + width / 2 for i in x], attendance, width, label="Посещаемость, %", color="#A9D18E")
    for bars in (bars1, bars2):
        ax.bar_label(bars, labels=[fmt_pct(b.get_height()) for b in bars], fontsize=8, padding=2)
    ax.set_xticks(list(x), years)
    ax.set_ylim(0, 110)
    ax.set_ylabel("%")
    ax.set_title("Итоги обучения по годам окончания", fontsize=11)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.32), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    # No «Software» stamp: the same figures give the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def key_figures(progress: list[Progress], today: dt.date) -> list[tuple[str, str]]:
    """Give (label, value) pairs for the page: the current year against the previous one."""
    yearly = dict(figures.by_year(progress))
    year = today.year
    this, last = yearly.get(year, figures.Outcome()), yearly.get(year - 1, figures.Outcome())
    studying = [p for p in progress if p.state in ("обучается", "в группе риска")]

    def pair(get, fmt=str) -> str:
        a, b = get(this), get(last)
        return f"{fmt(a) if a is not None else '—'} (в {year - 1} г.: {fmt(b) if b is not None else '—'})"

    return [
        (f"Зачислено в группы, оканчивающие обучение в {year} г.", pair(lambda o: o.enrolled)),
        ("Освоили программу", pair(lambda o: o.met)),
        ("Не освоили", pair(lambda o: o.not_met)),
        ("Отчислено досрочно", pair(lambda o: o.expelled)),
        ("Доля освоивших программу, %", pair(lambda o: o.pass_rate, fmt_pct)),
        ("Средний балл итоговой аттестации", pair(lambda o: o.average_grade, lambda v: f"{v:.2f}".replace(".", ","))),
        ("Посещаемость занятий, %", pair(lambda o: o.attendance, fmt_pct)),
        (f"Обучаются на {today:%d.%m.%Y}", str(len(studying))),
        ("Из них в группе риска (пропуски, неудовлетворительные оценки)", str(len(at_risk(progress)))),
    ]


def write_director_page(dataset: Dataset, progress: list[Progress], path: Path, *, today: dt.date) -> bytes:
    """Write the one-page DOCX for the director; give the chart PNG it embeds."""
    png = chart_png(figures.by_year(progress))
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    style.paragraph_format.space_after = Pt(2)
    props = doc.core_properties
    props.title, props.author = "Итоги обучения: справка для руководителя", "uchet"
    props.created = props.modified = dt.datetime.combine(today, dt.time())

    def para(text: str, *, bold=False, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, after=2):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
        p.alignment, p.paragraph_format.space_after = align, Pt(after)
        return p

    para(dataset.organization.short_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("СПРАВКА", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"об итогах обучения слушателей на {today:%d.%m.%Y}", align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    rows = key_figures(progress, today)
    tbl = doc.add_table(rows=len(rows), cols=2)
    tbl.style = doc.styles["Table Grid"]
    for row, (label, value) in zip(tbl.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Mm(105), Mm(65)
    para("", after=4)
    doc.add_picture(io.BytesIO(png), width=Mm(165))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para("Подробно: output/reports/summary.xlsx (по программам, группам, преподавателям, с диаграммами); "
         "список группы риска: output/reports/learners.xlsx.", size=10, after=0)
    atomic_write(path, lambda tmp: doc.save(tmp))
    atomic_write_bytes(path.with_suffix(".png"), png)
    return png
