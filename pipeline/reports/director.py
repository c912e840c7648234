"""The director's page: one A4 page of key figures and a chart picture, as DOCX.

The chart is drawn with matplotlib (Agg backend, no display needed) into a PNG that is embedded in
the page and also kept beside it, so it can be sent on its own. The page is a management document:
dated, with the risk list (groups whose training period is over with no final attestation or
graduation order are overdue, not «обучаются») and signed by the person who keeps the records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline import cache
from pipeline.assessment.expectations import AT_RISK, STUDYING, fmt_pct
from pipeline.carriers import common
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group
from pipeline.core.fsutil import atomic_write, atomic_write_bytes
from pipeline.reports import figures

FONT = "Times New Roman"
SIGN_LINE = "_" * 16
"""The line to sign on (34 mm of 12 pt Times New Roman), in a 40 mm column."""


CHART_KEY = "uchet-chart"
"""The PNG text field that carries the key of the figures the chart was drawn from."""


def chart_values(yearly: list[tuple[int, figures.Outcome]]) -> list[tuple[str, float, float]]:
    """The chart's figures: per year, the pass rate and the attendance as printed (one decimal)."""
    return [(str(y), round(o.pass_rate or 0, 1), round(o.attendance or 0, 1)) for y, o in yearly]


def chart_key(values: list[tuple[str, float, float]]) -> str:
    """The key of a chart: its figures, the code that draws it and matplotlib's version (a change of
    either draws it again)."""
    drawn_by = (cache.code_version(), metadata.version("matplotlib"))
    return hashlib.sha256(repr((drawn_by, values)).encode("utf-8")).hexdigest()


def drawn_key(path: Path) -> str | None:
    """The key a chart file was drawn under, or None (no file, a file drawn elsewhere, or not a PNG)."""
    # lazy: start-up — Pillow, only when the director's page is written
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.info.get(CHART_KEY)
    except (OSError, UnidentifiedImageError, SyntaxError, ValueError):  # Pillow's word for a broken PNG
        return None


def chart_png(yearly: list[tuple[int, figures.Outcome]], *, reuse: Path | None = None) -> bytes:
    """Give a PNG: pass rate and attendance by year, as paired bars with their values written on.

    `reuse`: a chart file already drawn from the same figures is given back as it is, without
    matplotlib, which takes most of a second to load (a new group in training changes the director's
    key figures, seldom the yearly rates as printed).
    """
    values = chart_values(yearly)
    key = chart_key(values)
    if reuse is not None and drawn_key(reuse) == key:
        return reuse.read_bytes()
    # lazy: start-up — matplotlib (0.7 s) only when the director's chart is redrawn
    import matplotlib

    matplotlib.use("Agg")
    # lazy: start-up — matplotlib (0.7 s) only when the director's chart is redrawn
    from matplotlib import pyplot as plt

    years = [year for year, _, _ in values]
    pass_rate = [rate for _, rate, _ in values]
    attendance = [share for _, _, share in values]
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
    fig.savefig(buf, format="png", metadata={"Software": None, CHART_KEY: key})
    plt.close(fig)
    return buf.getvalue()


def overdue(group: Group, today: dt.date) -> bool:
    """The training period is over, yet no graduation order closes the group (no attestation on record)."""
    return group.end < today and not group.completed


def overdue_groups(progress: Sequence[figures.Counted], today: dt.date) -> list[tuple[Group, int]]:
    """Give the overdue groups, by end date, with the number of learners still listed as studying in each."""
    counts: dict[str, list] = {}
    for p in progress:
        if overdue(p.group, today):
            entry = counts.setdefault(p.group.number, [p.group, 0])
            entry[1] += p.state in (STUDYING, AT_RISK)
    return sorted(((g, n) for g, n in counts.values()), key=lambda e: (e[0].end, e[0].number))


def risk_lines(progress: Sequence[figures.Counted], today: dt.date) -> list[str]:
    """The risk list: what the director must act on, one line per overdue group."""
    lines = []
    for group, n in overdue_groups(progress, today):
        final = "итоговая аттестация не проведена" if not group.final else "итоговая аттестация проведена"
        lines.append(f"Группа {group.number}: срок обучения истек {ru.date_short(group.end)}, {final}, "
                      f"приказа об окончании обучения нет; слушателей: {n}.")
    return lines


def key_figures(progress: Sequence[figures.Counted], today: dt.date,
                yearly: list[tuple[int, figures.Outcome]] | None = None) -> list[tuple[str, str]]:
    """Give (label, value) pairs for the page: the current year against the previous one (`yearly`:
    figures.by_year of the same progress, when already counted)."""
    yearly = dict(yearly if yearly is not None else figures.by_year(progress))
    year = today.year
    this, last = yearly.get(year, figures.Outcome()), yearly.get(year - 1, figures.Outcome())
    # Learners of an overdue group are not «обучаются»: they are counted in the risk list.
    studying = [p for p in progress if p.state in (STUDYING, AT_RISK) and not overdue(p.group, today)]
    late = overdue_groups(progress, today)

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
        ("Из них в группе риска (пропуски, неудовлетворительные оценки)",
         str(sum(p.state == AT_RISK for p in studying))),
        ("Группы с истекшим сроком обучения без итоговой аттестации и приказа об окончании",
         f"{len(late)} (слушателей: {sum(n for _, n in late)})"),
    ]


def write_director_page(dataset: Dataset, progress: Sequence[figures.Counted], path: Path, *, today: dt.date) -> bytes:
    """Write the one-page DOCX for the director; give the chart PNG it embeds."""
    png = chart_png(figures.by_year(progress), reuse=path.with_suffix(".png"))
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    grid = doc.styles["Table Grid"]
    grid.font.name = FONT  # the figures in the page's own font, not the theme's
    for slot in ("eastAsia", "cs"):
        grid.element.rPr.rFonts.set(qn(f"w:{slot}"), FONT)
    style.paragraph_format.space_after = Pt(2)
    props = doc.core_properties
    # The author is the person who compiles and signs the справка: the one who keeps the records.
    props.title, props.author = "Итоги обучения: справка для руководителя", common.records_keeper(dataset)["name"]
    props.created = props.modified = dt.datetime.combine(today, dt.time())

    def para(text: str, *, bold=False, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, after=2):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
        p.alignment, p.paragraph_format.space_after = align, Pt(after)
        return p

    para(dataset.organization.short_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("СПРАВКА", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"об итогах обучения слушателей на {today:%d.%m.%Y}", align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    para(f"{common.date_long(today)}    {common.org_context(dataset)['place']}", after=8)
    rows = key_figures(progress, today)
    tbl = doc.add_table(rows=len(rows), cols=2)
    tbl.style = doc.styles["Table Grid"]
    for row, (label, value) in zip(tbl.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
        row.cells[0].width, row.cells[1].width = Mm(105), Mm(65)
    para("", after=4)
    doc.add_picture(io.BytesIO(png), width=Mm(165))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    risks = risk_lines(progress, today)
    para("Требуют решения:" if risks else "Групп с истекшим сроком обучения без итоговой аттестации нет.",
         bold=bool(risks), after=2)
    for line in risks:
        para(line, after=1)
    para("Подробные сведения по программам, группам и преподавателям — в сводном отчете; поименный список "
         "группы риска — в отчете по слушателям.", size=10, after=10)
    keeper = common.records_keeper(dataset)
    sign = doc.add_table(rows=1, cols=3)  # no table style, no borders: the line to sign on is typed, as in the acts
    for cell, text, width, align in zip(
            sign.rows[0].cells, (keeper["position"], SIGN_LINE, keeper["name"]), (Mm(75), Mm(40), Mm(55)),
            (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT), strict=True):
        cell.width = width
        cell.paragraphs[0].text = text
        cell.paragraphs[0].alignment = align
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    atomic_write(path, lambda tmp: doc.save(tmp))
    atomic_write_bytes(path.with_suffix(".png"), png)
    return png
