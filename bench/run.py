"""`make bench`: the performance figures of issue 7, in one run, appended to bench/RESULTS.md.

Usage: .venv/bin/python bench/run.py [--learners 10000] [--groups 400] [--quick] [--work output/bench]
(BENCH_LEARNERS / BENCH_GROUPS set the size too; --quick is a 500-learner smoke run.)

What it measures (ratios are taken within this run, on this machine):
a) renderer: documents/s of docxtpl's obvious loop against the compiled template, on the real
   protocol template (25 learners) and the real one-page study certificate; each document written;
b) render stage: rendering protocols on 2 processes against 1 (CPU-bound: protocols written into
   memory, with the machine's own 2-against-1 ratio of pure arithmetic in the same rounds; and on disk);
c) load + validate of the generated workbooks (read, normalise, pandera schemas; and the whole check
   with the model and the cross-sheet rules): our reader (calamine) against pandas + openpyxl and
   openpyxl read-only, the reader swapped under the same loader and schemas (bench/measures.py);
d) `uchet build` (= make) on the generated data: full build, then the same again (no-op, 5 runs), then
   after each kind of edit staff make (issue 18), each as % of the full build, judged on the median:
   a lesson topic of a group in training (5 edits); a lesson topic of the largest finished, filed group
   (its journal is in the archive: a new version is filed); a learner's phone in learners.xlsx (personal
   data: the groups naming the learner, the year books and the learner's own documents are built again); a new group's workbook put into groups/ (the newest
   group of the data, held out of the full build) — 3 of each;
   the least any edit costs in a fresh process (the no-op build + importing the stages) is shown beside them,
   and the least a personal-data edit costs (that + reading and checking learners.xlsx alone);
e) the disk floor: copying every file the full build left (build, archive, reports; hard links once),
   timed in the same run; the full build as a multiple of it;
f) peak memory of the full build (its own RSS, and with its workers), and of this benchmark process.
With --builds-only (for a large size: BENCH_LEARNERS=50000), only d)-f) run; with --no-builds, only a)-c)
(to compare two trees' renderer, pool and reader on an idle machine without an hour of builds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import measures as m  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TODAY = "2026-06-15"  # the synthetic data's «as of» date (pipeline.synth.default_as_of)
MIB = 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=int(os.environ.get("BENCH_LEARNERS", 10_000)))
    parser.add_argument("--groups", type=int, default=int(os.environ.get("BENCH_GROUPS", 400)))
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 learners, 20 groups, 1 round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("output/bench"))
    parser.add_argument("--no-append", action="store_true", help="print only, leave RESULTS.md alone")
    parser.add_argument("--builds-only", action="store_true", default=bool(os.environ.get("BENCH_BUILDS_ONLY")),
                        help="only the whole builds (d-f): the renderer and reader figures do not depend on the size")
    parser.add_argument("--no-readers", action="store_true",
                        help="skip c), the reader figures (half an hour on a loaded machine): for comparing two "
                             "trees whose reader is the same")
    parser.add_argument("--no-builds", action="store_true", help="only the renderer, pool and reader figures (a-c)")
    parser.add_argument("--edits", type=int, default=int(os.environ.get("BENCH_EDITS", 3)),
                        help="edits of each issue-18 kind (archived group, personal data, new group)")
    args = parser.parse_args()
    if args.quick:
        args.learners, args.groups, args.rounds = 500, 20, 1
    work = args.work.resolve()
    started = time.perf_counter()
    figures: list[m.Figure] = []

    def say(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    # 0. The data: the same generator as the sample in input/, at the benchmark's size.
    data = work / f"input-{args.learners}-{args.groups}"
    generate = [sys.executable, "-m", "pipeline.synth", "--out", str(data), "--learners", str(args.learners),
                "--groups", str(args.groups)]
    if not (data / "groups").is_dir():
        say(f"generating {args.learners} learners in {args.groups} groups: {' '.join(generate[1:])}")
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run(generate, check=True, cwd=m.ROOT, stdout=subprocess.DEVNULL)

    if args.builds_only:
        figures += whole_builds(args, data, work, say)
        report(args, figures, generate, time.perf_counter() - started)
        return

    # a) Renderer against the obvious docxtpl loop, on the real templates.
    protocols = m.sample_contexts("protocol", 250, 10)  # 25 learners per group
    certificates = m.sample_contexts("study_certificate", 250, 10)
    naive_docs, fast_docs = (30, 300) if args.quick else (60, 600)
    for name, template, contexts in (("protocol (25 learners)", "protocol.docx", protocols),
                                     ("study certificate (1 page)", "study_certificate.docx", certificates)):
        say(f"renderer: {name}")
        naive, fast = m.renderer_ratio(m.TEMPLATES / template, contexts, work / "render", args.rounds,
                                       naive_docs, fast_docs)
        ratios = [f / n for f, n in zip(fast, naive, strict=True)]
        figures.append(m.Figure(
            f"renderer, {name}: docxtpl loop {m.spread(naive)} docs/s, compiled {m.spread(fast)} docs/s",
            f"×{m.spread(ratios)}", "≥ ×15", min(ratios) >= 15 if len(ratios) > 1 else ratios[0] >= 15))

    # b) Render stage on 2 processes against 1, CPU-bound (protocols): written into memory (tmpfs), because
    #    this machine's disk throttles writes and makes the stage wait on the disk, not the processor; the
    #    same on disk is shown too. Rounds interleave 1 process, 2 processes and the machine's own ratio.
    memory = m.memory_folder()
    docs, rounds = (300, 1) if args.quick else (3000, max(5, args.rounds))
    if memory is not None:
        target = memory / f"uchet-bench-{os.getpid()}"
        say(f"render stage: {docs} protocols on 1 and 2 processes, {rounds} rounds, in memory ({memory})")
        try:
            one, two, machine = m.pool_ratio(protocols, docs, target, rounds, check_cpu=True)
        finally:
            shutil.rmtree(target, ignore_errors=True)
        speedups = [a / b for a, b in zip(one, two, strict=True)]
        figures.append(m.Figure(
            f"render stage, {docs} protocols written to memory (a folder per group; CPU-bound): "
            f"1 process {m.spread(one, 2)} s, 2 processes {m.spread(two, 2)} s "
            f"(pure-Python arithmetic on 2 processes in the same rounds: ×{m.spread(machine, 2)}; "
            f"load average {os.getloadavg()[0]:.2f})",
            f"×{m.spread(speedups, 2)}", "≥ ×1.7", statistics.median(speedups) >= 1.7))
    disk_docs = 200 if args.quick else 600
    say(f"render stage: {disk_docs} protocols on 1 and 2 processes, on disk")
    one, two, _ = m.pool_ratio(protocols, disk_docs, work / "pool", args.rounds)
    speedups = [a / b for a, b in zip(one, two, strict=True)]
    figures.append(m.Figure(
        f"render stage, {disk_docs} protocols written to disk ({work / 'pool'}): 1 process {m.spread(one, 2)} s, "
        f"2 processes {m.spread(two, 2)} s",
        f"×{m.spread(speedups, 2)}", "" if memory is not None else "≥ ×1.7",
        None if memory is not None else statistics.median(speedups) >= 1.7))

    # c) Load + validate: calamine against openpyxl (read-only, and through pandas), same loader and schemas.
    if not args.no_readers:
        say("load + validate: calamine, openpyxl read-only, pandas + openpyxl")
        # Five rounds at least: one reader's round can take a fifth longer than the next on this shared machine.
        figures += m.reader_figures(data, args.learners, args.groups,
                                    args.rounds if args.quick else max(5, args.rounds))

    # d), e) Whole builds: full, no-op, then the edits staff make, each measured against the full build.
    if not args.no_builds:
        figures += whole_builds(args, data, work, say)

    report(args, figures, generate, time.perf_counter() - started)


def whole_builds(args, data: Path, work: Path, say) -> list[m.Figure]:
    """Full build, no-op, and each kind of edit (d), the disk floor (e), peak memory (f)."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    # The newest group is held out of the full build: putting it back is «a new group added».
    newest = m.newest_group(data)
    parked = work / "held-out" / newest.name
    parked.parent.mkdir(parents=True, exist_ok=True)
    newest.replace(parked)
    restore: dict[Path, bytes] = {}
    try:
        return _builds(args, data, work, out, logs, newest, parked, restore, say)
    finally:
        for path, original in restore.items():  # the next run starts from the generated data again
            path.write_bytes(original)
        if parked.exists():
            parked.replace(newest)


def _builds(args, data, work, out, logs, newest, parked, restore, say) -> list[m.Figure]:
    groups = args.groups - 1
    say(f"full build ({args.learners} learners, {groups} groups: {newest.name} held out as the new group)")
    full = m.build(data, out, TODAY, logs / "full.log")
    say(f"full build: {full.seconds:.1f} s, exit {full.code} ({full.stage_text()}; load average "
        f"{os.getloadavg()[0]:.1f})")
    copy_s, copy_bytes = m.copy_floor(out, work / "copy-floor")
    say(f"copying its {copy_bytes / MIB:.0f} MiB: {copy_s:.2f} s")
    # Five of each (one in a quick run): a build of a few seconds on a shared machine varies by a third
    # from one run to the next, so the target is judged on the median; the spread is printed.
    repeats = 1 if args.quick else int(os.environ.get("BENCH_REPEATS", 5))
    edits = 1 if args.quick else args.edits
    runs: dict[str, list[m.Run]] = {}

    def measure(kind: str, log: str) -> m.Run:
        run = m.build(data, out, TODAY, logs / f"{log}-{len(runs.setdefault(kind, []))}.log")
        runs[kind].append(run)
        return run

    for _ in range(repeats):
        measure("noop", "noop")
    say("no-op builds: " + ", ".join(f"{n.seconds:.2f} s" for n in runs["noop"]))
    imports = [m.stage_import_seconds() for _ in range(repeats)]
    floor_s = statistics.median(n.seconds for n in runs["noop"]) + statistics.median(imports)
    say(f"the stages' imports in a fresh process: {', '.join(f'{s:.2f} s' for s in imports)}")
    reading = m.learners_check_seconds(data, repeats)
    personal_floor_s = floor_s + statistics.median(reading)
    say(f"reading and checking learners.xlsx alone: {', '.join(f'{s:.2f} s' for s in reading)}")
    training = m.group_in_training(out)
    archived = m.largest_finished_group(out)
    learner = m.first_learner(data / archived)
    for path in (data / training, data / archived, data / "learners.xlsx"):
        restore[path] = path.read_bytes()
    for r in range(repeats):
        m.edit_lesson_topic(data / training, f"(правка {r + 1})")
        measure("training", "edit")
    say("one-group edits (in training): " + ", ".join(f"{e.seconds:.2f} s" for e in runs["training"]))
    for r in range(edits):
        m.edit_lesson_topic(data / archived, f"(опечатка {r + 1})")
        measure("archived", "archived")
    say("archived group edits: " + ", ".join(f"{e.seconds:.2f} s ({e.stage_text()})" for e in runs["archived"]))
    for r in range(edits):
        m.edit_phone(data / "learners.xlsx", learner, f"+7 900 000-00-{r + 1:02d}")
        measure("personal", "personal")
    say("personal data edits: " + ", ".join(f"{e.seconds:.2f} s" for e in runs["personal"]))
    for r in range(edits):
        parked.replace(newest)
        measure("new group", "new-group")
        newest.replace(parked)
        m.build(data, out, TODAY, logs / f"new-group-removed-{r}.log")  # back as before; not measured
    say("new group added: " + ", ".join(f"{e.seconds:.2f} s ({e.stage_text()})" for e in runs["new group"]))

    def pct(kind: str) -> list[float]:
        return [100 * e.seconds / full.seconds for e in runs[kind]]

    def seconds(kind: str) -> str:
        return m.spread([e.seconds for e in runs[kind]], 2)

    limit = 2 if args.learners >= 50_000 else 3  # issue 18: ≤ 3 % at 10k, ≤ 2 % at 50k
    codes = {full.code, *(e.code for kind in runs.values() for e in kind)}
    floor_ratio = full.seconds / copy_s
    rss_limit = 1536 if args.learners >= 50_000 else 1024  # issue 18 at 50k; issue 7 at 10k
    figures = [
        m.Figure(f"full build (make) of {args.learners} learners / {groups} groups (stages, from its log: "
                 f"{full.stage_text()}; load average {os.getloadavg()[0]:.1f} at the end of the bench)",
                 f"{full.seconds:.1f} s"),
        m.Figure(f"full build against copying its own output ({copy_bytes / MIB:.0f} MiB, every file once, "
                 f"same run): copy {copy_s:.2f} s", f"×{floor_ratio:.1f}", "≤ ×8", floor_ratio <= 8),
        m.Figure(f"no-op build ({repeats} runs): {seconds('noop')} s",
                 f"{m.spread(pct('noop'))} %", "≤ 3 %", statistics.median(pct("noop")) <= 3),
        # Whatever an edit changes, a fresh process pays this before its first stage: the targets below
        # cannot be met under it (docs/scaling.md).
        m.Figure(f"least any edit costs in a fresh process: the no-op build (median) + importing the stages "
                 f"({m.spread(imports, 2)} s, {repeats} processes) = {floor_s:.2f} s",
                 f"{100 * floor_s / full.seconds:.1f} %"),
        # A new phone must at least be read: under this, the personal-data target cannot be met by any code
        # that runs as a fresh process (docs/scaling.md).
        m.Figure(f"least a personal-data edit costs in a fresh process: that + reading and checking learners.xlsx "
                 f"alone ({m.spread(reading, 2)} s, {repeats} rounds) = {personal_floor_s:.2f} s",
                 f"{100 * personal_floor_s / full.seconds:.1f} %", f"≤ {limit} %",
                 100 * personal_floor_s / full.seconds <= limit),
        m.Figure(f"build after editing one group in training ({training}; {repeats} edits, each run once): "
                 f"{seconds('training')} s",
                 f"{m.spread(pct('training'))} %", "≤ 5 %", statistics.median(pct("training")) <= 5),
        m.Figure(f"build after editing a lesson topic of the largest finished, filed group ({archived}; {edits} edits): "
                 f"{seconds('archived')} s (stages of the last: {runs['archived'][-1].stage_text()})",
                 f"{m.spread(pct('archived'))} %", f"≤ {limit} %", statistics.median(pct("archived")) <= limit),
        m.Figure(f"build after editing a learner's personal data (phone of learner {learner} in learners.xlsx; "
                 f"{edits} edits): {seconds('personal')} s",
                 f"{m.spread(pct('personal'))} %", f"≤ {limit} %", statistics.median(pct("personal")) <= limit),
        m.Figure(f"build after adding a new group ({newest.relative_to(data)}; {edits} times): {seconds('new group')} s "
                 f"(stages of the last: {runs['new group'][-1].stage_text()})",
                 f"{m.spread(pct('new group'))} %", f"≤ {limit} %", statistics.median(pct("new group")) <= limit),
        m.Figure(f"peak RSS of the full build process (with its render workers, PSS: {full.peak_tree_rss / MIB:.0f} MiB)",
                 f"{full.peak_rss / MIB:.0f} MiB", f"≤ {rss_limit} MiB", full.peak_tree_rss <= rss_limit * MIB),
        m.Figure("peak RSS of the benchmark process itself", f"{m.own_peak_rss() / MIB:.0f} MiB"),
    ]
    if codes != {0}:
        figures.append(m.Figure("build exit codes (see output/bench/logs)", str(sorted(codes)), "0", False))
    return figures


def report(args, figures: list[m.Figure], generate: list[str], seconds: float) -> None:
    """Print the table with the machine and the commands; append it to bench/RESULTS.md."""
    lines = [
        f"## {dt.datetime.now():%Y-%m-%d %H:%M} · {args.learners} learners, {args.groups} groups, "
        f"{args.rounds} round(s){' (quick)' if args.quick else ''}",
        "",
        *(f"- {line}" for line in m.machine()),
        f"- commands: `make bench` (= `{Path(sys.executable).name} bench/run.py"
        f"{' --quick' if args.quick else ''}`); data: `{' '.join(Path(a).name if i == 0 else a for i, a in enumerate(generate))}`;"
        f" builds: `python -m pipeline build --input DATA --output OUT --today {TODAY}`",
        f"- benchmark wall time: {seconds / 60:.1f} min",
        "",
        "| measure | result | target | met |",
        "|---|---|---|---|",
    ]
    for f in figures:
        met = "" if f.met is None else ("yes" if f.met else "**no**")
        lines.append(f"| {f.what} | {f.value} | {f.target} | {met} |")
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if not args.no_append:
        header = "" if RESULTS.exists() else "# Benchmark results (appended by `make bench`)\n\n"
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(header + text + "\n")


if __name__ == "__main__":
    main()
