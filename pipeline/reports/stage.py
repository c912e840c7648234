"""The report stage: monitoring and management reports from the validated Dataset.

Writes under output/reports/: summary.xlsx (with charts), status.xlsx, learners.xlsx (expected vs
achieved, at-risk list), director.docx (+ director.png). Learner cards are a carrier
(`learner_card`) and come out of the render stage, also when the reports are asked for on their own
(`uchet report`: pipeline.build renders the cards first); this stage never renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.archive.index import bags
from pipeline.archive.records import read_documents
from pipeline.assessment.expectations import Verdict, at_risk, fmt_pct
from pipeline.carriers import CARRIERS
from pipeline.carriers.registry import RenderedDocument
from pipeline.core.dataset import Dataset
from pipeline.core.progress import progress
from pipeline.reports import figures
from pipeline.reports import status as st
from pipeline.reports.digests import ReportDigests, digest
from pipeline.reports.director import key_figures, write_director_page
from pipeline.reports.figures import Outcome, outcome
from pipeline.reports.learners import write_learners
from pipeline.reports.shares import GroupShare, group_shares
from pipeline.reports.summary import summary_data, summary_rows, write_summary

REPORTS = "reports"
SUMMARY = "summary.xlsx"
STATUS = "status.xlsx"
LEARNERS = "learners.xlsx"
DIRECTOR = "director.docx"


@dataclass(frozen=True)
class ReportsResult:
    """What the report stage computed and wrote."""

    today: dt.date
    total: Outcome
    at_risk: int
    status: list[st.StatusRow]
    files: list[Path]
    """The report files of this stage (summary, status, learners, director), whether rewritten or kept."""
    cards: list[Path] = field(default_factory=list)
    """Learner cards rendered for `uchet report` just before this stage (empty in a full build)."""
    ends: dict[str, dt.date] = field(default_factory=dict)
    """Each group's end date (which incomplete groups need attention now)."""
    written: list[Path] = field(default_factory=list)
    """The report files this run wrote (the others said what they would say again, and were left as they are)."""

    def _file(self, name: str) -> Path:
        """The path of one report as this run wrote it (under the real --output)."""
        return next((p for p in self.files if p.name == name), Path(REPORTS) / name)

    def summary_lines(self) -> list[str]:
        """The short console summary at the end of `make` (no personal data)."""
        total = self.total
        lines = [
            f"Отчеты на {self.today:%d.%m.%Y}: слушателей в группах {total.enrolled}, освоили {total.met}, "
            f"не освоили {total.not_met}, отчислено {total.expelled}, обучаются {total.studying}; доля освоивших "
            f"{fmt_pct(total.pass_rate)} %, посещаемость {fmt_pct(total.attendance)} %.",
            f"В группе риска: {self.at_risk} (список: «{self._file(LEARNERS)}»).",
        ]
        lines += st.console_lines(self.status, self.ends, self.today, self._file(STATUS))
        written = [p.name for p in self.files if p in self.written]
        kept = [p.name for p in self.files if p not in self.written]
        if not kept:
            lines.append(f"Записано: {', '.join(written)}.")
        elif not written:
            lines.append(f"Отчеты не изменились, файлы оставлены как есть: {', '.join(kept)}.")
        else:
            lines.append(f"Записано: {', '.join(written)}; не изменились и оставлены как есть: {', '.join(kept)}.")
        return lines


def _files(output_dir: Path) -> dict[str, list[Path]]:
    """The files of each report under output/reports/."""
    reports = output_dir / REPORTS
    return {SUMMARY: [reports / SUMMARY], STATUS: [reports / STATUS], LEARNERS: [reports / LEARNERS],
            DIRECTOR: [reports / DIRECTOR, (reports / DIRECTOR).with_suffix(".png")]}


DIRECTOR_ROWS = 50
"""The director page's share of the progress bar, in table rows (a chart and a one-page document)."""


def _dataset_reports(dataset: Dataset, shares: list[GroupShare], verdicts: list[Verdict], output_dir: Path,
                     today: dt.date):
    """Give {report: (digest, rows, writer)} of the reports counted from the groups' shares (`verdicts`:
    theirs, in order) and the date alone; the writers write under output/reports/ and take the progress
    bar's `advance`."""
    files = _files(output_dir)
    rows = [row for share in shares for row in share.rows]
    # The teachers' counts in the Dataset's order of groups, as figures.by_teacher adds them.
    counts = {share.group.number: share.teachers for share in shares}
    teachers = figures.teachers(dataset, ((g, counts[g.number]) for g in dataset.groups.values()))
    summary = summary_data(dataset, verdicts, today, teachers=teachers)
    risky = at_risk(verdicts)
    return {
        SUMMARY: (digest(*summary.values()), summary_rows(summary),
                  lambda advance: write_summary(dataset, verdicts, files[SUMMARY][0], today=today, data=summary)),
        LEARNERS: (digest(today, [share.rows_digest for share in shares]), len(risky) + len(rows),
                   lambda advance: write_learners(rows, files[LEARNERS][0], today=today, advance=advance)),
        DIRECTOR: (digest(today, dataset.organization.short_name, key_figures(verdicts, today, summary.yearly),
                          summary.yearly),
                   DIRECTOR_ROWS,
                   lambda advance: write_director_page(dataset, verdicts, files[DIRECTOR][0], today=today)),
    }


def run_reports(
    dataset: Dataset,
    output_dir: Path,
    *,
    today: dt.date,
    rendered: Iterable[RenderedDocument] | None = None,
    archive_index: Iterable[tuple[str, str]] | None = None,
    cards: Sequence[Path] = (),
) -> ReportsResult:
    """Compute every report for `dataset` on `today` and write them under output_dir/reports/.

    `rendered`: the render stage's documents (else the carriers are built here to see what exists).
    `cards`: the learner cards rendered for `uchet report` (pipeline.build). `archive_index`: (doc_id, archived path) pairs from
    the archive index; a document not listed counts as not archived.
    """
    carriers = CARRIERS
    rendered_list = list(rendered) if rendered is not None else None

    # 1. Completeness per group and per year; every learner's verdict (expected vs achieved), once for
    #    all the dataset reports, from each group's share (kept between runs while the group is unchanged).
    shares = group_shares(dataset, today, output_dir)
    verdicts = [v for share in shares for v in share.verdicts]
    specs = st.collect_specs(dataset, carriers, rendered_list)
    archived_ids = {doc_id for doc_id, _ in (archive_index or ())}
    group_rows = st.group_status(dataset, carriers, specs, archived_ids,
                                 {share.group.number: share.completeness for share in shares})
    year_rows = st.year_status(carriers, specs, archived_ids)

    # 2. The files; one whose content would not change is left as it is (pipeline.reports.digests).
    files = _files(output_dir)
    kept = ReportDigests(output_dir)
    reports = _dataset_reports(dataset, shares, verdicts, output_dir, today)
    reports[STATUS] = (digest(today, _status_values(group_rows), _status_values(year_rows)),
                       st.status_rows(group_rows, year_rows),
                       lambda advance: st.write_status(group_rows, year_rows, files[STATUS][0], today=today,
                                                       advance=advance))
    todo = {name: report for name, report in reports.items() if not kept.current(files[name], report[0])}
    for name in reports.keys() - todo.keys():
        kept.keep(files[name])
    # Rows cost about the same whichever workbook they go to (36,000 of status.xlsx and 50,000 of
    # learners.xlsx at 50,000 learners), so the pace so far tells the time left.
    with progress("Отчеты", sum(rows for _, rows, _ in todo.values()), what="строка") as advance:
        for name, (value, rows, write) in todo.items():
            with _share(advance, rows) as step:
                write(step)
            kept.record(files[name], value)
    kept.save()
    return ReportsResult(today=today, total=outcome(verdicts), at_risk=len(at_risk(verdicts)), status=group_rows,
                         files=[files[name][0] for name in (SUMMARY, STATUS, LEARNERS, DIRECTOR)], cards=list(cards),
                         ends={g.number: g.end for g in dataset.groups.values()},
                         written=[files[name][0] for name in todo])


@contextmanager
def _share(advance: Callable[[int], None], rows: int) -> Iterator[Callable[[int], None]]:
    """Give a writer's own `advance`, held to its `rows`: whatever it does not tell is added when it ends."""
    told = 0

    def step(n: int) -> None:
        nonlocal told
        n = min(n, rows - told)
        if n > 0:
            told += n
            advance(n)

    yield step
    step(rows - told)


def _status_values(rows: list[st.StatusRow]) -> list[tuple]:
    """Everything write_status puts into a row (the carrier by key and title)."""
    return [(r.scope_key, r.carrier.key, r.carrier.title, r.documents, r.archived, r.archive_text, r.state,
             r.missing) for r in rows]


def archive_pairs(output_dir: Path) -> list[tuple[str, str]]:
    """Give (doc_id, path) of every document kept in output/archive, read from the bags' own lists.

    Each list is parsed once per change (pipeline.cache.file_memo; the build keeps them between runs).
    """

    root = output_dir / "archive"
    pairs: list[tuple[str, str]] = []
    for bag in bags(root):
        folder = bag.relative_to(root).as_posix()
        records = sorted(read_documents(bag), key=lambda r: (r.doc_id, r.version))
        pairs += [(r.doc_id, f"{folder}/{r.file}") for r in records if r.kept]
    return pairs
