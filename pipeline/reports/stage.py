"""The report stage: monitoring and management reports from the validated Dataset.

Writes under output/reports/: summary.xlsx (with charts), status.xlsx, learners.xlsx (expected vs
achieved, at-risk list), director.docx (+ director.png). Learner cards are a carrier
(`learner_card`) and come out of the render stage; when the stage is run on its own (`uchet report`,
no `rendered` list), it renders the cards itself into output/build/.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import signal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.assessment.expectations import Progress, assess_all, at_risk, fmt_pct
from pipeline.cache import cache_dir
from pipeline.carriers.registry import Carrier, RenderedDocument
from pipeline.core.dataset import Dataset
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.reports import status as st
from pipeline.reports.digests import ReportDigests, digest
from pipeline.reports.director import key_figures, write_director_page
from pipeline.reports.figures import Outcome, by_year, outcome
from pipeline.reports.learners import learner_row, write_learners
from pipeline.reports.summary import summary_data, write_summary

REPORTS = "reports"
SUMMARY = "summary.xlsx"
STATUS = "status.xlsx"
LEARNERS = "learners.xlsx"
DIRECTOR = "director.docx"
OVERVIEW_TIMEOUT = 600  # seconds a BackgroundOverview is waited for before the stage does the work itself


@dataclass(frozen=True)
class Overview:
    """The reports that depend on the Dataset and the date alone: what the console says of them, and
    whether their files already hold what they would say (then nothing needs writing)."""

    total: Outcome
    """Everyone in every group, counted."""
    at_risk: int
    """How many learners are in the at-risk list."""
    current: bool
    """summary.xlsx, learners.xlsx and director.docx hold what this Dataset and date would put there,
    or the ones that do not were written into the staging folder (`staged`)."""
    staged: tuple[tuple[str, str], ...] = ()
    """(report, digest) of the reports written into the staging folder, to be moved into place."""
    staging: Path | None = None
    """That folder (None when nothing was staged)."""


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
    """Learner cards rendered by this stage (empty when the render stage supplied them)."""
    ends: dict[str, dt.date] = field(default_factory=dict)
    """Each group's end date (which incomplete groups need attention now)."""

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
        lines += [f"Записано: {', '.join(p.name for p in self.files)}."]
        return lines


def _carriers() -> tuple[Carrier, ...]:
    from pipeline.carriers import CARRIERS  # the registry imports the card, which imports this package

    return CARRIERS


def _render_cards(dataset: Dataset, output_dir: Path, carriers: Sequence[Carrier]) -> list[RenderedDocument]:
    from pipeline.render.stage import render_carrier

    card = next(c for c in carriers if c.key == "learner_card")
    return render_carrier(card, list(card.build(dataset)), output_dir / "build", TEMPLATES_DIR)


def _files(output_dir: Path, folder: Path | None = None) -> dict[str, list[Path]]:
    """The files of each report under output/reports/ (or under `folder`)."""
    reports = folder or output_dir / REPORTS
    return {SUMMARY: [reports / SUMMARY], STATUS: [reports / STATUS], LEARNERS: [reports / LEARNERS],
            DIRECTOR: [reports / DIRECTOR, (reports / DIRECTOR).with_suffix(".png")]}


def staging_dir(output_dir: Path) -> Path:
    """Where a BackgroundOverview writes the reports that changed, for the report stage to move into place."""
    return cache_dir(output_dir) / "reports-staging"


def _dataset_reports(dataset: Dataset, progress: list[Progress], output_dir: Path, today: dt.date,
                     folder: Path | None = None):
    """Give {report: (digest, writer)} of the reports computed from the Dataset and the date alone;
    the writers write under output/reports/, or under `folder`."""
    files = _files(output_dir, folder)
    summary = summary_data(dataset, progress, today)
    return {
        SUMMARY: (digest(*summary.values()),
                  lambda: write_summary(dataset, progress, files[SUMMARY][0], today=today, data=summary)),
        LEARNERS: (digest(today, [learner_row(dataset, p) for p in progress]),
                   lambda: write_learners(dataset, progress, files[LEARNERS][0], today=today)),
        DIRECTOR: (digest(today, dataset.organization.short_name, key_figures(progress, today), by_year(progress)),
                   lambda: write_director_page(dataset, progress, files[DIRECTOR][0], today=today)),
    }


def overview(dataset: Dataset, output_dir: Path, today: dt.date, *, staging: Path | None = None) -> Overview:
    """Give the Overview of `dataset` on `today`. Nothing under output/reports/ is written; with
    `staging`, each report that would change is written there instead."""
    progress = assess_all(dataset, today)
    kept, files = ReportDigests(output_dir), _files(output_dir)
    current, staged = True, []
    for name, (value, write) in _dataset_reports(dataset, progress, output_dir, today, staging).items():
        if kept.current(files[name], value):
            continue
        if staging is None:
            current = False
            continue
        staging.mkdir(parents=True, exist_ok=True)
        write()
        staged.append((name, value))
    return Overview(outcome(progress), len(at_risk(progress)), current, tuple(staged), staging if staged else None)


def run_reports(
    dataset: Dataset,
    output_dir: Path,
    *,
    today: dt.date,
    rendered: Iterable[RenderedDocument] | None = None,
    archive_index: Iterable[tuple[str, str]] | None = None,
    known: Overview | None = None,
) -> ReportsResult:
    """Compute every report for `dataset` on `today` and write them under output_dir/reports/.

    `rendered`: the render stage's documents (else the carriers are built here to see what exists,
    and the learner cards are rendered here). `archive_index`: (doc_id, archived path) pairs from
    the archive index; a document not listed counts as not archived. `known`: this Dataset's
    Overview, worked out meanwhile (BackgroundOverview); when its files are current, the learners
    are not assessed again here.
    """
    carriers = _carriers()
    cards: list[Path] = []
    rendered_list = list(rendered) if rendered is not None else None
    if rendered_list is None:
        cards = [doc.path for doc in _render_cards(dataset, output_dir, carriers)]

    # 1. Completeness per group and per year.
    specs = st.collect_specs(dataset, carriers, rendered_list)
    archived_ids = {doc_id for doc_id, _ in (archive_index or ())}
    group_rows = st.group_status(dataset, carriers, specs, archived_ids)
    year_rows = st.year_status(carriers, specs, archived_ids)

    # 2. The files; one whose content would not change is left as it is (pipeline.reports.digests).
    files = _files(output_dir)
    kept = ReportDigests(output_dir)
    if known is not None and known.current:
        staged = dict(known.staged)
        for name in (SUMMARY, LEARNERS, DIRECTOR):
            if name in staged:
                for source, target in zip(_files(output_dir, known.staging)[name], files[name], strict=True):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, target)  # same file system (output/): atomic, as the writers' own saves
                kept.record(files[name], staged[name])
            else:
                kept.keep(files[name])
        if known.staging is not None:
            shutil.rmtree(known.staging, ignore_errors=True)
        total, risky = known.total, known.at_risk
    else:
        # Expected vs achieved, once for everyone; every dataset report reads these verdicts.
        progress = assess_all(dataset, today)
        for name, (value, write) in _dataset_reports(dataset, progress, output_dir, today).items():
            kept.write(files[name], value, write)
        total, risky = outcome(progress), len(at_risk(progress))
    kept.write(files[STATUS], digest(today, _status_values(group_rows), _status_values(year_rows)),
               lambda: st.write_status(group_rows, year_rows, files[STATUS][0], today=today))
    kept.save()
    return ReportsResult(today=today, total=total, at_risk=risky, status=group_rows,
                         files=[files[name][0] for name in (SUMMARY, STATUS, LEARNERS, DIRECTOR)], cards=cards,
                         ends={g.number: g.end for g in dataset.groups.values()})


class BackgroundOverview:
    """overview() worked out in a forked process while this one renders and files the documents.

    Those stages use one core when few documents change; assessing 10,000 learners took a quarter of a
    one-group edit's run, and rewriting the reports an attendance edit changes took longer still. The
    child writes only into the staging folder (output/cache/reports-staging/) and sends back a few
    numbers; the report stage moves what it wrote into output/reports/ after the archive stage. Where
    fork is missing, or the child fails, the result is None and run_reports does the work itself.
    """

    def __init__(self, dataset: Dataset, output_dir: Path, today: dt.date):
        self._process = self._pipe = None
        # A folder of this run's own: the child of a run killed with -9 lives on and may still write into its.
        self._staging = staging_dir(output_dir) / f"run-{os.getpid()}"
        if "fork" not in multiprocessing.get_all_start_methods() or not ReportDigests(output_dir).recorded():
            return  # a first build writes every report anyway: the child would only take a core from rendering
        shutil.rmtree(staging_dir(output_dir), ignore_errors=True)  # what runs that stopped early left there
        context = multiprocessing.get_context("fork")
        self._pipe, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_overview, args=(send, dataset, output_dir, today, self._staging),
                                        daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Overview | None:
        """Wait for the child; give its Overview, or None."""
        if self._process is None:
            return None
        try:
            # The child needs seconds even for a very large centre; one that hangs is not waited for.
            found = self._pipe.recv() if self._pipe.poll(OVERVIEW_TIMEOUT) else None
        except (EOFError, OSError):
            found = None
        self._end(kill=found is None)
        return found if isinstance(found, Overview) else None

    def cancel(self) -> None:
        """Stop the child if it still runs (the run ended early) and drop what it staged."""
        if self._process is not None:
            self._end(kill=True)
        shutil.rmtree(self._staging, ignore_errors=True)

    def _end(self, *, kill: bool) -> None:
        if kill:
            self._process.kill()
        self._process.join()
        self._pipe.close()
        self._process = None


def _send_overview(send, dataset: Dataset, output_dir: Path, today: dt.date, staging: Path) -> None:
    # Ctrl-C reaches the whole process group: the parent stops this child and tells staff; the child
    # itself must not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        found = overview(dataset, output_dir, today, staging=staging)
    except Exception:  # noqa: BLE001 - the parent works it out itself and reports any error there
        found = None
    send.send(found)
    send.close()


def _status_values(rows: list[st.StatusRow]) -> list[tuple]:
    """Everything write_status puts into a row (the carrier by key and title)."""
    return [(r.scope_key, r.carrier.key, r.carrier.title, r.documents, r.archived, r.archive_text, r.state,
             r.missing) for r in rows]


def archive_pairs(output_dir: Path) -> list[tuple[str, str]]:
    """Give (doc_id, path) of every document kept in output/archive, read from the bags' own lists.

    Each list is parsed once per change (pipeline.file_memo; the build keeps them between runs).
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
