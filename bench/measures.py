"""The benchmark's measurements; each gives numbers taken in this run, ratios round by round.

The machine is shared and noisy, so two things compared are measured in the same run, interleaved
where they are short (renderer), and reported as median [min-max] over rounds.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates_docx"


@dataclass(frozen=True)
class Figure:
    """One row of the results table."""

    what: str
    value: str
    target: str = ""
    met: bool | None = None


def spread(xs: Sequence[float], digits: int = 1) -> str:
    """«median [min-max]» of a list of numbers."""
    return f"{statistics.median(xs):.{digits}f} [{min(xs):.{digits}f}-{max(xs):.{digits}f}]"


# --- renderer: compiled template against docxtpl's obvious loop ------------------------------------


def naive_render(path: Path, context: dict[str, Any]) -> bytes:
    """docxtpl the obvious way: a new DocxTemplate per document, render with our environment, save."""
    from docxtpl import DocxTemplate

    from pipeline.render.compile import make_env

    template = DocxTemplate(path)
    template.render(context, jinja_env=make_env(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _timed(render: Callable[[dict], bytes], contexts: list[dict], out: Path, prefix: str) -> float:
    # Every document gets a file of its own, as in a build. Rewriting the same few names instead
    # measures ext4 (a file truncated and written again is flushed on close: auto_da_alloc).
    start = time.perf_counter()
    for i, context in enumerate(contexts):
        (out / f"{prefix}-{i}.docx").write_bytes(render(context))
    return time.perf_counter() - start


def renderer_ratio(path: Path, contexts: list[dict], out: Path, rounds: int, naive_docs: int,
                   fast_docs: int) -> tuple[list[float], list[float]]:
    """Give (naive docs/s, compiled docs/s) per round; the two loops interleaved in 10 slices per round."""
    from pipeline.render.compile import compile_template

    compiled = compile_template(path)
    naive_rates, fast_rates = [], []
    for _ in range(rounds):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        naive_s = fast_s = 0.0
        for k in range(10):
            pick = [contexts[(k * naive_docs + i) % len(contexts)] for i in range(naive_docs // 10)]
            naive_s += _timed(lambda c: naive_render(path, c), pick, out, f"naive-{k}")
            pick = [contexts[(k * fast_docs + i) % len(contexts)] for i in range(fast_docs // 10)]
            fast_s += _timed(compiled.render, pick, out, f"fast-{k}")
        naive_rates.append(naive_docs / naive_s)
        fast_rates.append(fast_docs / fast_s)
    shutil.rmtree(out, ignore_errors=True)
    return naive_rates, fast_rates


def sample_contexts(carrier_key: str, learners: int, groups: int) -> list[dict[str, Any]]:
    """Give the contexts of one carrier from a small synthetic dataset, largest first."""
    from pipeline.carriers import carrier
    from pipeline.synth import generate

    specs = list(carrier(carrier_key).build(generate(learners=learners, groups=groups)))
    specs.sort(key=lambda s: -len(repr(s.context)))
    return [s.context for s in specs]


# --- render stage on 1 and 2 processes --------------------------------------------------------------


def pool_ratio(contexts: list[dict], docs: int, out: Path, rounds: int,
               check_cpu: bool = False) -> tuple[list[float], list[float], list[float]]:
    """Give (1-process s, 2-process s, machine ratio) per round of rendering `docs` protocols, pool start-up included.

    Each protocol goes to a folder of its own, as a build files them (build/<year>/<group>/), created by
    the render. Six hundred files renamed into one folder would measure ext4's lock on that folder
    instead: there two processes reach about ×1.3 where they reach ×1.85 with a folder per group.
    With `check_cpu`, each round also measures how much of a second core the machine gave right then
    (cpu_ratio), so a round and its machine figure are taken side by side.
    """
    from pipeline.render.pool import render_jobs

    template = str(TEMPLATES / "protocol.docx")
    one, two, machine = [], [], []
    for r in range(rounds):
        for workers, times in ((1, one), (2, two)):
            folder = out / f"r{r}-w{workers}"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            jobs = [(template, contexts[i % len(contexts)], str(folder / f"group-{i}" / "protocol.docx"))
                    for i in range(docs)]
            start = time.perf_counter()
            render_jobs(jobs, workers)
            times.append(time.perf_counter() - start)
            shutil.rmtree(folder, ignore_errors=True)
        if check_cpu:
            machine += cpu_ratio(1)
    return one, two, machine


def memory_folder() -> Path | None:
    """Give a folder in memory (tmpfs) to write into, or None when the machine has none."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_ratio(rounds: int, n: int = 8_000_000) -> list[float]:
    """Give, per round, how much faster 2 processes than 1 do the same pure-Python arithmetic (ideal: ×2).

    The machine is shared (and the scheduler shares it between sessions, not processes): this says how
    much of a second core was there for the render stage's figure, measured the same way next to it.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ratios = []
    for _ in range(rounds):
        start = time.perf_counter()
        _spin(n)
        _spin(n)
        one = time.perf_counter() - start
        start = time.perf_counter()
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_spin, [n, n]))
        ratios.append(one / (time.perf_counter() - start))
    return ratios


# --- reading the workbooks: calamine against openpyxl, with and without pandas ----------------------
#
# Every side runs the same `pipeline.intake.validate.validate_input` (so the same loader, normalisation,
# schemas, model and cross-checks, no cache), timed as a whole and in its load + validate part
# (`pipeline.intake.workbook_check.load_and_check`); only the object that gives a sheet's rows of raw cell
# values is swapped (`pipeline.intake.load.open_workbook`):
# - "calamine" (what the product uses): python_calamine.CalamineWorkbook.from_filelike, then per
#   contract sheet get_sheet_by_name(name).to_python(skip_empty_area=False); no pandas;
# - "openpyxl": openpyxl.load_workbook(read_only=True, data_only=True, keep_links=False), then per
#   contract sheet iter_rows(values_only=True); no pandas. A stricter comparison, shown beside the
#   target: openpyxl as fast as it goes. Read-only mode does not parse merged ranges, so it reports
#   no «merged_cells» warnings (the generated data has none);
# - "pandas+openpyxl": pandas.ExcelFile(engine="openpyxl"), then per contract sheet
#   parse(name, header=None, dtype=object), NaN turned into "" (as calamine gives empty cells) and
#   rows taken as lists. The baseline issue 7 names.
# Formula cells without a saved value are found the same way on every side (pipeline.intake.formulas, called
# by the loader whatever the reader).

READERS = ("calamine", "openpyxl", "pandas+openpyxl")


class _OpenpyxlBook:
    """The calamine workbook interface pipeline.intake.load uses, served by openpyxl in read-only mode."""

    merged_cell_ranges = None

    def __init__(self, data: bytes):
        import openpyxl

        self._book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.sheet_names = list(self._book.sheetnames)

    def get_sheet_by_name(self, name: str) -> _OpenpyxlBook:
        self._sheet = self._book[name]
        return self

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        return [list(row) for row in self._sheet.iter_rows(values_only=True)]


class _PandasBook:
    """The calamine workbook interface pipeline.intake.load uses, served by pandas.ExcelFile(engine="openpyxl")."""

    merged_cell_ranges = None

    def __init__(self, data: bytes):
        import pandas as pd

        self._read_excel = pd.read_excel
        self._file = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        self.sheet_names = list(self._file.sheet_names)

    def get_sheet_by_name(self, name: str) -> _PandasBook:
        self._frame = self._read_excel(self._file, sheet_name=name, header=None, dtype=object)
        return self

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        frame = self._frame
        return frame.astype(object).where(frame.notna(), "").values.tolist()


def validate_with(engine: str, input_dir: Path):
    """Give (seconds of the whole check, seconds of load + validate within it, Validation) with the chosen
    reader (one of READERS); no cache.

    The whole check is `validate_input`: load, validate (the pandera schemas), then the model and the
    cross-sheet rules. Load + validate is its `workbook_check.load_and_check` part: every workbook read,
    normalised and checked against its sheets' schemas, as the stages are named in the design.
    """
    import pipeline.intake.load as load
    import pipeline.intake.workbook_check as workbook_check
    from pipeline.intake.validate import validate_input

    original, original_check = load.open_workbook, workbook_check.load_and_check
    book = {"openpyxl": _OpenpyxlBook, "pandas+openpyxl": _PandasBook}.get(engine)
    inner: list[float] = []

    def swapped(data: bytes, rel: str, problems: list, refused: str | None):
        # A file the guard refuses is refused whatever the reader: the original says why.
        if book is None or refused is not None or not data.startswith(load.XLSX_MAGIC):
            return original(data, rel, problems, refused)
        return book(data)

    def timed_check(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original_check(*args, **kwargs)
        finally:
            inner.append(time.perf_counter() - start)

    load.open_workbook, workbook_check.load_and_check = swapped, timed_check
    try:
        start = time.perf_counter()
        result = validate_input(input_dir)
        return time.perf_counter() - start, sum(inner), result
    finally:
        load.open_workbook, workbook_check.load_and_check = original, original_check


def outcome(result) -> tuple:
    """What a check found, in a form two readers can be compared by."""
    return result.dataset, [(p.code, p.file, p.sheet, p.row, p.column, p.severity) for p in result.problems]


def reader_figures(input_dir: Path, learners: int, groups: int, rounds: int) -> list[Figure]:
    """Give the load + validate figures: each reader once per round, interleaved; same outcome checked."""
    whole: dict[str, list[float]] = {engine: [] for engine in READERS}
    part: dict[str, list[float]] = {engine: [] for engine in READERS}
    outcomes: dict[str, tuple] = {}
    # pandera registers its backends (and imports hypothesis, when installed) on its first validation:
    # paid here, on the small sample, rather than by whichever reader happens to go first.
    from pipeline.intake.validate import validate_input

    validate_input(ROOT / "input")
    for _ in range(rounds):
        for engine in READERS:
            seconds, checked, result = validate_with(engine, input_dir)
            whole[engine].append(seconds)
            part[engine].append(checked)
            outcomes.setdefault(engine, outcome(result))
    same = all(outcomes[e] == outcomes["calamine"] for e in READERS)
    size = f"{learners} learners / {groups} groups"
    note = f"{rounds} round(s); same dataset and problems: {'yes' if same else 'NO'}"
    figures = []

    def ratio(times: dict[str, list[float]], engine: str) -> list[float]:
        return [s / f for s, f in zip(times[engine], times["calamine"], strict=True)]

    # The target: against pandas+openpyxl; openpyxl alone in read-only mode (the fastest openpyxl
    # can go) is shown beside it.
    for engine, target in (("pandas+openpyxl", "≥ ×6"), ("openpyxl", "")):
        label = "openpyxl read-only, no pandas" if engine == "openpyxl" else "pandas+openpyxl (pandas.ExcelFile)"
        ratios = ratio(part, engine)
        figures.append(Figure(
            f"load + validate (read, normalise, pandera schemas) {size}: {label} {spread(part[engine], 2)} s, "
            f"calamine {spread(part['calamine'], 2)} s ({note})",
            f"×{spread(ratios)}", target, (statistics.median(ratios) >= 6 and same) if target else None))
    ratios = ratio(whole, "pandas+openpyxl")
    figures.append(Figure(
        f"the whole check (load + validate, then the model and the cross-sheet rules) {size}: pandas+openpyxl "
        f"{spread(whole['pandas+openpyxl'], 2)} s, calamine {spread(whole['calamine'], 2)} s",
        f"×{spread(ratios)}"))
    return figures


# --- whole builds as child processes ------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int
    """Largest resident set of the build process itself, in bytes."""
    peak_tree_rss: int
    """Largest proportional set size (PSS) summed over the build process and its workers, in bytes."""
    code: int
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds each stage took, from the console line that ends it (STAGE_ENDS); «reports» runs to the end."""

    def stage_text(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.stages.items())


STAGE_ENDS = (("start-up + validation", "Данные проверены"), ("render", "Документы сформированы"),
              ("archive", "Архив: новых документов"))
"""The console line that ends each stage of a build (as tests/test_crash.py reads them); the rest is reports."""


def _stamp_lines(pipe, sink, start: float, seen: dict[str, float]) -> None:
    """Copy the build's output into its log, each line stamped with the second it came; note the stage ends."""
    for line in pipe:
        now = time.perf_counter() - start
        sink.write(f"[{now:7.1f} s] {line}")
        for name, prefix in STAGE_ENDS:
            if name not in seen and line.startswith(prefix):
                seen[name] = now


def _stages(seen: dict[str, float], end: float) -> dict[str, float]:
    out, last = {}, 0.0
    for name, _ in STAGE_ENDS:
        if name in seen:
            out[name], last = seen[name] - last, seen[name]
    out["reports"] = end - last
    return out


def build_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured build: this one, unbuffered, and keeping compiled modules as a staff
    machine does. Python writes each module's bytecode into __pycache__ on its first run; a shell that
    sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI images do) would make every build compile the
    program's 120 modules again, 0.2 s that no staff member pays (5 % of an edit at 10,000 learners)."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environment, "PYTHONUNBUFFERED": "1", **(extra or {})}


def build(input_dir: Path, output_dir: Path, today: str, log: Path, env: dict[str, str] | None = None) -> Run:
    """Run `python -m pipeline build` in a child process; give its wall time, stage times and peak memory."""
    command = [sys.executable, "-m", "pipeline", "build", "--input", str(input_dir), "--output", str(output_dir),
               "--today", today]
    start = time.perf_counter()
    seen: dict[str, float] = {}
    with open(log, "w", encoding="utf-8") as sink:
        # Unbuffered, so each line is stamped when the build prints it, not when it exits.
        child = psutil.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             encoding="utf-8", env=build_environment(env))
        reader = threading.Thread(target=_stamp_lines, args=(child.stdout, sink, start, seen), daemon=True)
        reader.start()
        peak = tree = 0
        while True:
            try:
                own = child.memory_info().rss
                # Forked workers share the parent's pages: summing RSS would count them twice, PSS does not.
                total = sum(p.memory_full_info().pss for p in [child, *child.children(recursive=True)])
            except psutil.Error:
                own = total = 0
            peak, tree = max(peak, own), max(tree, total)
            try:
                child.wait(timeout=0.2)  # returns as the build ends: the time is not rounded up to a sample
                break
            except psutil.TimeoutExpired:
                continue
        seconds = time.perf_counter() - start
        reader.join()
    return Run(seconds, peak, tree, child.returncode, _stages(seen, seconds))


def stage_imports() -> list[str]:
    """The import statements a build that found something changed runs before its first stage: those
    pipeline/build.py makes inside `validated` and `run` (read from its source, so the list follows it)."""
    import ast

    source = (ROOT / "pipeline" / "build.py").read_text(encoding="utf-8")
    lines = []
    for function in ast.parse(source).body:
        if isinstance(function, ast.FunctionDef) and function.name in ("validated", "run"):
            lines += [ast.unparse(node) for node in ast.walk(function) if isinstance(node, ast.ImportFrom)]
    if not lines:
        raise SystemExit("bench: pipeline/build.py no longer imports its stages inside validated() and run()")
    return lines


def stage_import_seconds() -> float:
    """Seconds a fresh process takes to import the stages, after what a no-op build imports already (the
    command line and pipeline.build): with the no-op build, the least any edit can cost."""
    code = ("import time, pipeline.cli, pipeline.build\nstart = time.perf_counter()\n"
            + "\n".join(stage_imports()) + "\nprint(time.perf_counter() - start)")
    return float(_fresh_process(code).strip())


def _fresh_process(code: str, *args: str) -> str:
    """Run `code` in a new Python process of the tree, as a build runs; give what it printed."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=build_environment(), check=True,
                          capture_output=True, text=True).stdout


def learners_check_seconds(input_dir: Path, rounds: int) -> list[float]:
    """Seconds to read and check learners.xlsx alone (each round), in a fresh process that has imported the
    stages first: what a change of anyone's personal data must pay on top of the least any edit costs."""
    code = ("import sys, time\n" + "\n".join(stage_imports()) + "\n"
            "from pathlib import Path\nfrom pipeline.intake.workbook_check import load_and_check\n"
            "from schemas import LEARNERS_FILE\n"
            "for _ in range(int(sys.argv[2])):\n"
            "    start = time.perf_counter()\n"
            "    found = load_and_check(Path(sys.argv[1]), [(LEARNERS_FILE, LEARNERS_FILE)])\n"
            "    print(time.perf_counter() - start)\n"
            "    if not found.frames: raise SystemExit('bench: learners.xlsx gave no sheet')\n")
    return [float(line) for line in _fresh_process(code, str(input_dir), str(rounds)).split()]


def group_in_training(output_dir: Path) -> str:
    """Give the workbook (relative path) of a group still in training, from the last build's manifest."""
    manifest = _manifest(output_dir)
    files: dict[str, str] = {}
    completed = set()
    for entry in manifest["documents"]:
        carrier, spec = entry.carrier, entry.spec
        if carrier == "journal":
            files[spec.group] = spec.sources[0]
        if carrier == "order_graduation":
            completed.add(spec.group)
    training = sorted(g for g in files if g not in completed)
    return files[training[len(training) // 2]] if training else files[sorted(files)[-1]]


def largest_finished_group(output_dir: Path) -> str:
    """Give the workbook (relative path) of the finished, filed group with the most documents.

    The group an archived edit is tried on must not be chosen to be cheap: the largest one filed.
    """
    manifest = _manifest(output_dir)
    files: dict[str, str] = {}
    completed = set()
    documents: dict[str, int] = {}
    for entry in manifest["documents"]:
        carrier, spec = entry.carrier, entry.spec
        if carrier == "journal":
            files[spec.group] = spec.sources[0]
        if carrier == "order_graduation":
            completed.add(spec.group)
        if spec.group:
            documents[spec.group] = documents.get(spec.group, 0) + 1
    finished = [g for g in files if g in completed]
    if not finished:
        raise SystemExit("bench: no finished group in the data")
    return files[max(finished, key=lambda g: (documents[g], g))]


def _manifest(output_dir: Path) -> dict:
    """The last build's render manifest, read past its code-version stamp: other work on the tree may
    change the code during a benchmark."""
    from pipeline.cache import cache_dir, codec
    from pipeline.cache.render_cache import MANIFEST

    folder = cache_dir(output_dir)
    _stamp, _key, manifest = codec.loads((folder / MANIFEST).read_bytes())
    documents = [entry for name in manifest["shards"]  # the listing files; render_cache.Entry objects
                 for entry in codec.loads((folder / name).read_bytes())[2]]
    return {**manifest, "documents": documents}


def first_learner(workbook: Path) -> str:
    """Give the ID of the first learner of a group workbook (sheet «Состав»)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Состав").to_python()
    return str(rows[1][0])


def edit_phone(learners_book: Path, learner_id: str, phone: str) -> None:
    """Change one learner's phone on the sheet «Слушатели» of learners.xlsx, as staff would in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(learners_book)
    sheet = book["Слушатели"]
    header = [c.value for c in sheet[1]]
    column = header.index("Телефон") + 1
    for row in range(2, sheet.max_row + 1):
        if str(sheet.cell(row, 1).value) == learner_id:
            sheet.cell(row, column).value = phone
            break
    else:
        raise SystemExit(f"bench: learner {learner_id} is not in {learners_book}")
    book.save(learners_book)


def newest_group(input_dir: Path) -> Path:
    """Give the workbook of the group numbered last (the newest year, the highest number) that no award names.

    Held out of the full build, it is «the new group added» of the benchmark; an award naming it would
    be a warning while it is out.
    """
    from python_calamine import CalamineWorkbook

    awards = CalamineWorkbook.from_path(str(input_dir / "learners.xlsx")).get_sheet_by_name("Поощрения").to_python()
    named = {str(row[-1]) for row in awards[1:]}

    def number(path: Path) -> tuple[int, int]:
        parts = path.stem.split("-")
        return int(parts[1]), int(parts[2])

    books = [p for p in (input_dir / "groups").glob("*.xlsx") if p.stem not in named]
    return max(books, key=number)


def copy_floor(output_dir: Path, target: Path) -> tuple[float, int]:
    """Give (seconds, bytes) of copying every file the build left (build, archive, reports) once.

    A file hard-linked into the archive from the build is one file on disk: it is copied once.
    """
    seen: set[tuple[int, int]] = set()
    files: list[Path] = []
    for name in ("build", "archive", "reports"):
        for path in sorted((output_dir / name).rglob("*")):
            stat = path.stat()
            if path.is_file() and (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                files.append(path)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    total = 0
    start = time.perf_counter()
    for i, path in enumerate(files):
        folder = target / str(i // 1000)  # a thousand files a folder, as a build spreads them over groups
        if i % 1000 == 0:
            folder.mkdir()
        shutil.copyfile(path, folder / str(i))
        total += path.stat().st_size
    seconds = time.perf_counter() - start
    shutil.rmtree(target, ignore_errors=True)
    return seconds, total


def own_peak_rss() -> int:
    """Give the largest resident set this benchmark process itself had, in bytes."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def edit_lesson_topic(workbook: Path, suffix: str) -> None:
    """Change the topic of the first lesson of a group workbook, as staff would in Excel."""
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    sheet = book["Занятия"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(2, header.index("Тема") + 1)
    cell.value = f"{cell.value} {suffix}"
    book.save(workbook)


def machine() -> list[str]:
    """Cores, memory, Python and the versions of the packages that set the figures."""
    from importlib.metadata import PackageNotFoundError, version

    packages = ["docxtpl", "python-docx", "Jinja2", "lxml", "pandas", "openpyxl", "python-calamine", "pandera",
                "psutil", "rich"]
    found = []
    for name in packages:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    import platform

    return [
        f"{platform.node()} · {platform.system()} {platform.release()} · {platform.machine()}",
        f"{os.cpu_count()} cores · {psutil.virtual_memory().total / 2**30:.1f} GiB RAM · "
        f"Python {platform.python_version()}",
        ", ".join(found),
    ]
