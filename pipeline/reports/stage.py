"""The report stage: monitoring and management reports from the validated Dataset.

Writes under output/reports/: summary.xlsx (with charts), status.xlsx, learners.xlsx (expected vs
achieved, at-risk list), director.docx (+ director.png). Learner cards are a carrier
(`learner_card`) and come out of the render stage; when the stage is run on its own (`uchet report`,
no `rendered` list), it renders the cards itself into output/build/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.carriers.registry import Carrier, RenderedDocument
from pipeline.dataset import Dataset
from pipeline.paths import TEMPLATES_DIR
from pipeline.reports import status as st
from pipeline.reports.digests import ReportDigests, digest
from pipeline.reports.director import key_figures, write_director_page
from pipeline.reports.expectations import Progress, assess_all, at_risk, fmt_pct
from pipeline.reports.figures import by_year, outcome
from pipeline.reports.learners import learner_row, write_learners
from pipeline.reports.summary import summary_data, write_summary

REPORTS = "reports"
SUMMARY = "summary.xlsx"
STATUS = "status.xlsx"
LEARNERS = "learners.xlsx"
DIRECTOR = "director.docx"


@dataclass(frozen=True)
class ReportsResult:
    """What the report stage computed and wrote."""

    today: dt.date
    progress: list[Progress]
    """Every learner in every group, assessed on `today`."""
    status: list[st.StatusRow]
    files: list[Path]
    """Report files written, in the order written."""
    cards: list[Path] = field(default_factory=list)
    """Learner cards rendered by this stage (empty when the render stage supplied them)."""

    @property
    def at_risk(self) -> list[Progress]:
        return at_risk(self.progress)

    def summary_lines(self) -> list[str]:
        """The short console summary at the end of `make` (no personal data)."""
        total = outcome(self.progress)
        lines = [
            f"Отчеты на {self.today:%d.%m.%Y}: слушателей в группах {total.enrolled}, освоили {total.met}, "
            f"не освоили {total.not_met}, отчислено {total.expelled}, обучаются {total.studying}; доля освоивших "
            f"{fmt_pct(total.pass_rate)} %, посещаемость {fmt_pct(total.attendance)} %.",
            f"В группе риска: {len(self.at_risk)} (список: output/{REPORTS}/{LEARNERS}).",
            "Полнота документов по группам:",
        ]
        lines += [f"  {line}" for line in st.console_lines(self.status)]
        lines += [f"Записано: {', '.join(p.name for p in self.files)}."]
        return lines


def _carriers() -> tuple[Carrier, ...]:
    from pipeline.carriers import CARRIERS  # the registry imports the card, which imports this package

    return CARRIERS


def _render_cards(dataset: Dataset, output_dir: Path, carriers: Sequence[Carrier]) -> list[RenderedDocument]:
    from pipeline.render_stage import render_carrier

    card = next(c for c in carriers if c.key == "learner_card")
    return render_carrier(card, list(card.build(dataset)), output_dir / "build", TEMPLATES_DIR)


def run_reports(
    dataset: Dataset,
    output_dir: Path,
    *,
    today: dt.date,
    rendered: Iterable[RenderedDocument] | None = None,
    archive_index: Iterable[tuple[str, str]] | None = None,
) -> ReportsResult:
    """Compute every report for `dataset` on `today` and write them under output_dir/reports/.

    `rendered`: the render stage's documents (else the carriers are built here to see what exists,
    and the learner cards are rendered here). `archive_index`: (doc_id, archived path) pairs from
    the archive index; a document not listed counts as not archived.
    """
    carriers = _carriers()
    reports = output_dir / REPORTS
    cards: list[Path] = []
    rendered_list = list(rendered) if rendered is not None else None
    if rendered_list is None:
        cards = [doc.path for doc in _render_cards(dataset, output_dir, carriers)]

    # 1. Expected vs achieved, once for everyone; every other report reads these verdicts.
    progress = assess_all(dataset, today)

    # 2. Completeness per group and per year.
    specs = st.collect_specs(dataset, carriers, rendered_list)
    archived_ids = {doc_id for doc_id, _ in (archive_index or ())}
    group_rows = st.group_status(dataset, carriers, specs, archived_ids)
    year_rows = st.year_status(carriers, specs, archived_ids)

    # 3. The files; one whose content would not change is left as it is (pipeline.reports.digests).
    files = [reports / SUMMARY, reports / STATUS, reports / LEARNERS, reports / DIRECTOR]
    kept = ReportDigests(output_dir)
    summary = summary_data(dataset, progress, today)
    kept.write([files[0]], digest(*summary.values()),
               lambda: write_summary(dataset, progress, files[0], today=today, data=summary))
    kept.write([files[1]], digest(today, _status_values(group_rows), _status_values(year_rows)),
               lambda: st.write_status(group_rows, year_rows, files[1], today=today))
    kept.write([files[2]], digest(today, [learner_row(dataset, p) for p in progress]),
               lambda: write_learners(dataset, progress, files[2], today=today))
    kept.write([files[3], files[3].with_suffix(".png")],
               digest(today, dataset.organization.short_name, key_figures(progress, today), by_year(progress)),
               lambda: write_director_page(dataset, progress, files[3], today=today))
    kept.save()
    return ReportsResult(today=today, progress=progress, status=group_rows, files=files, cards=cards)


def _status_values(rows: list[st.StatusRow]) -> list[tuple]:
    """Everything write_status puts into a row (the carrier by key and title)."""
    return [(r.scope_key, r.carrier.key, r.carrier.title, r.documents, r.archived, r.archive_text, r.state,
             r.missing) for r in rows]


def archive_pairs(output_dir: Path) -> list[tuple[str, str]]:
    """Give (doc_id, path) of every document kept in output/archive, read from the bags' own lists.

    Each list is parsed once per change (pipeline.archive.tag_memo; the build keeps them between runs).
    """
    from pipeline.archive.index import bags
    from pipeline.archive.records import read_documents

    root = output_dir / "archive"
    pairs: list[tuple[str, str]] = []
    for bag in bags(root):
        folder = bag.relative_to(root).as_posix()
        records = sorted(read_documents(bag), key=lambda r: (r.doc_id, r.version))
        pairs += [(r.doc_id, f"{folder}/{r.file}") for r in records if r.kept]
    return pairs
