"""Incremental and parallel builds: a no-op build changes nothing, an edit redoes only what depends on it,
and the result always equals a build from scratch, byte for byte; many processes render what one does."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pipeline import cache
from pipeline.build import NOTHING_CHANGED, TEMPLATES_DIR, run
from pipeline.cache import BuildCache, render_cache
from pipeline.cache.build_stamp import STAMP, outputs_state
from pipeline.carriers import CARRIERS, carrier
from pipeline.intake.validate import validate_input
from pipeline.render.pool import render_jobs
from pipeline.render.stage import document_path, render_all

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 15)


def open_cache(output_dir: Path) -> BuildCache:
    """The build cache of output_dir as a run has it once its input passed validation (writes at once)."""
    found = BuildCache(output_dir)
    found.commit()
    return found


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """{relative path: (sha256, mtime_ns)} of every file under root."""
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def contents(root: Path) -> dict[str, str]:
    return {path: sha for path, (sha, _mtime) in snapshot(root).items()}


def edit_topic(workbook: Path, text: str) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["Занятия"]
    column = [c.value for c in sheet[1]].index("Тема") + 1
    sheet.cell(2, column).value = text
    book.save(workbook)


class ResultRead(BaseException):
    """A group's results read where none may be (not an Exception: no handling in the code can swallow it)."""


def blind_to_results(group, reader: str):
    """A copy of the group whose fields left out of its facts (NOT_FACTS) raise ResultRead when read."""
    from pipeline.core.deferred import PENDING
    from pipeline.core.group_facts import NOT_FACTS

    twin = copy.copy(group)
    state = twin.__dict__
    for name in NOT_FACTS:
        state.pop(name, None)

    def fail(name):
        def read():
            raise ResultRead(f"{reader} read Group.{name}")
        return read

    state[PENDING] = {name: fail(name) for name in NOT_FACTS}
    return twin


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample built once into a fresh output folder: (input copy, output, documents of the build)."""
    root = tmp_path_factory.mktemp("incremental")
    input_dir = root / "input"
    shutil.copytree(REPO / "input", input_dir)
    output = root / "output"
    assert run(input_dir, output, today=TODAY) == 0
    return input_dir, output


def test_noop_build_changes_no_byte_and_renders_nothing(built, capsys):
    input_dir, output = built
    before = {d: snapshot(output / d) for d in ("build", "archive")}
    capsys.readouterr()
    assert run(input_dir, output, today=TODAY) == 0
    assert capsys.readouterr().out == NOTHING_CHANGED.format(output=output) + "\n"
    assert {d: snapshot(output / d) for d in ("build", "archive")} == before
    # Without the stamp every stage runs, and still renders, files and rewrites nothing.
    (output / "cache" / STAMP).unlink()
    assert run(input_dir, output, today=TODAY) == 0
    said = capsys.readouterr().out
    assert {d: snapshot(output / d) for d in ("build", "archive")} == before
    assert "из них заново: 0." in said
    assert "Архив: новых документов 0, без изменений" in said


def test_a_new_date_or_a_touched_output_is_not_a_noop(built, tmp_path, capsys):
    input_dir, output = built
    out = tmp_path / "output"
    shutil.copytree(output, out)
    assert run(input_dir, out, today=TODAY) == 0
    capsys.readouterr()
    assert run(input_dir, out, today=TODAY + dt.timedelta(days=1)) == 0
    assert "Данные проверены" in capsys.readouterr().out
    next(iter((out / "reports").glob("*.xlsx"))).unlink()
    assert run(input_dir, out, today=TODAY + dt.timedelta(days=1)) == 0
    assert "Данные проверены" in capsys.readouterr().out


def test_after_an_edit_the_next_run_is_a_noop(built, tmp_path, capsys):
    # The stamp of the edit's run takes the documents' states from the render manifest (BuildCache.file_states):
    # they must be what the next run finds on disk.
    input_dir, output = built
    edited_input, out = tmp_path / "input", tmp_path / "output"
    shutil.copytree(input_dir, edited_input)
    shutil.copytree(output, out)
    edit_topic(edited_input / "groups/ПК-2026-02.xlsx", "Тема после правки")
    assert run(edited_input, out, today=TODAY) == 0
    assert "из них заново: 0." not in capsys.readouterr().out
    assert run(edited_input, out, today=TODAY) == 0
    assert capsys.readouterr().out == NOTHING_CHANGED.format(output=out) + "\n"


def test_the_console_tells_which_reports_were_written_and_which_were_left(built, tmp_path, capsys):
    input_dir, output = built
    edited_input, out = tmp_path / "input", tmp_path / "output"
    shutil.copytree(input_dir, edited_input)
    shutil.copytree(output, out)
    reports = sorted((out / "reports").iterdir())
    before = {p.name: p.stat().st_mtime_ns for p in reports}
    edit_topic(edited_input / "groups/ПК-2026-02.xlsx", "Тема, которой нет в отчетах")
    capsys.readouterr()
    assert run(edited_input, out, today=TODAY) == 0
    said = capsys.readouterr().out
    assert ("Отчеты не изменились, файлы оставлены как есть: summary.xlsx, status.xlsx, learners.xlsx, "
            "director.docx.") in said
    assert {p.name: p.stat().st_mtime_ns for p in reports} == before
    (out / "reports" / "learners.xlsx").unlink()
    assert run(edited_input, out, today=TODAY) == 0
    assert ("Записано: learners.xlsx; не изменились и оставлены как есть: summary.xlsx, status.xlsx, "
            "director.docx.") in capsys.readouterr().out


def test_the_stamp_asks_the_disk_for_every_file_it_was_not_told_about(built, tmp_path):
    output = built[1]
    walked = outputs_state(output)
    documents = sorted(p for p in (output / "build").rglob("*.docx"))
    truth = {os.path.realpath(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in documents}
    assert outputs_state(output, truth) == walked
    first = os.path.realpath(documents[0])
    assert outputs_state(output, {**truth, first: (1, 1)}) != walked  # what it is told is what it records
    stray = output / "build" / "stray.txt"
    stray.write_text("x", encoding="utf-8")
    try:
        assert outputs_state(output, truth) == outputs_state(output) != walked  # a file nobody told of: asked
    finally:
        stray.unlink()


def _copy_of_the_build(built, tmp_path: Path) -> tuple[Path, Path]:
    """Copies of the built input and output folders under tmp_path, for an edit to be rebuilt."""
    input_dir, output = built
    edited_input = tmp_path / "input"
    shutil.copytree(input_dir, edited_input)
    out = tmp_path / "output"
    shutil.copytree(output, out)
    return edited_input, out


def test_editing_one_group_redoes_only_what_depends_on_it_and_equals_a_full_build(built, tmp_path):
    output = built[1]
    edited_input, out = _copy_of_the_build(built, tmp_path)
    workbook = "groups/ПК-2026-02.xlsx"
    edit_topic(edited_input / workbook, "Охрана труда: уточненная тема (правка)")

    previous = render_cache.read_manifest(cache.cache_dir(out))
    dataset = validate_input(edited_input, open_cache(out)).dataset
    [group] = [g for g in dataset.groups.values() if g.file == workbook]
    members = {m.learner_id for m in group.members}
    for entry in CARRIERS:
        sha = hashlib.sha256((TEMPLATES_DIR / entry.template).read_bytes()).hexdigest()
        step = render_cache.plan(entry, dataset, sha, previous, out / "build")
        built_for = list(entry.build(step.view)) if step.view is not None else []
        if entry.scope == "year":
            # A group that issued nothing is in no year's book: the books are kept as they were.
            assert not group.issued and step.view is None, entry.key
            assert {e.spec.doc_id for e in step.kept} == {e.spec.doc_id for e in previous.by_carrier[entry.key]}
        elif entry.scope == "learner":
            assert {s.learner_id for s in built_for} <= members, entry.key
            assert entry.key != "learner_card" or {s.learner_id for s in built_for} == members
        else:
            assert {s.group for s in built_for} <= {group.number}, entry.key
        kept = {e.spec.doc_id for e in step.kept}
        assert not kept & {s.doc_id for s in built_for}, entry.key

    listings = {p.name: snapshot(out / "cache")[p.name] for p in (out / "cache").glob("render-*.json")}
    assert len(listings) > len(CARRIERS)  # a carrier's documents are listed in parts
    assert run(edited_input, out, today=TODAY) == 0
    # Only the group's journal was rendered again: only the part of the render manifest listing it was written again.
    now = snapshot(out / "cache")
    journal_spec = next(e.spec for e in previous.by_carrier["journal"] if e.spec.group == group.number)
    rewritten = {name for name, kept in listings.items() if now[name] != kept}
    assert rewritten == {render_cache.shard_name("journal", render_cache.part_of(journal_spec))}
    docs = render_all(dataset, out / "build", TEMPLATES_DIR, cache=open_cache(out))
    assert not any(d.fresh for d in docs)  # the run above left nothing to do
    changed = {p for p, sha in contents(out / "build").items() if contents(output / "build").get(p) != sha}
    journal = next(d for d in docs if d.carrier.key == "journal" and d.spec.group == group.number)
    assert changed == {journal.path.relative_to(out / "build").as_posix()}

    scratch = tmp_path / "scratch"
    assert run(edited_input, scratch, today=TODAY) == 0
    for folder in ("build", "archive"):  # reports carry the clock in their properties
        assert contents(out / folder) == contents(scratch / folder), folder
    assert report_contents(out) == report_contents(scratch)
    # A topic is in no report: none was written again.
    assert snapshot(out / "reports") == snapshot(output / "reports")


def test_a_change_to_the_facts_of_a_group_that_issued_documents_rebuilds_the_year_books(built, tmp_path):
    input_dir, output = built
    dataset = validate_input(input_dir, open_cache(output)).dataset
    previous = render_cache.read_manifest(cache.cache_dir(output))
    register = next(c for c in CARRIERS if c.key == "issue_register")
    sha = hashlib.sha256((TEMPLATES_DIR / register.template).read_bytes()).hexdigest()
    issuing = next(g for g in dataset.groups.values() if g.issued and g.number in dataset.group_facts)
    assert previous.facts == dataset.group_facts

    def plan(group, facts):
        """The register's plan, as if only that group's workbook had changed since the last run."""
        edited = dataclasses.replace(dataset, source_hashes={**dataset.source_hashes, group.file: "edited"},
                                     group_facts={**dataset.group_facts, group.number: facts})
        return edited, render_cache.plan(register, edited, sha, previous, output / "build")

    edited, step = plan(issuing, "changed")  # its members, orders, final results or documents changed
    assert step.view is edited and step.kept == []
    # A lesson's topic, a mark or a test result: the facts are what they were, and the books are kept.
    _, step = plan(issuing, dataset.group_facts[issuing.number])
    assert step.view is None and len(step.kept) == len(previous.by_carrier["issue_register"])
    quiet = next(g for g in dataset.groups.values() if not g.issued)
    _, step = plan(quiet, "changed")
    assert step.view is None and len(step.kept) == len(previous.by_carrier["issue_register"])
    # A group whose facts are not known (it has a Moodle export, or the last run did not say) counts as changed.
    edited, step = plan(issuing, None)
    assert step.view is edited and step.kept == []


def issue_register_listing(out: Path) -> dict[str, tuple[str, int]]:
    """The files of the render manifest listing the year books of issued documents: name, sha256 and mtime."""
    return {name: state for name, state in snapshot(out / "cache").items() if name.startswith("render-issue_register-")}


def test_a_lesson_edited_in_a_group_that_issued_documents_keeps_the_year_books_unbuilt(built, tmp_path):
    """The year's book of issued documents is neither built nor written for a lesson's topic, and the
    build equals a full one."""
    output = built[1]
    edited_input, out = _copy_of_the_build(built, tmp_path)
    before = validate_input(edited_input, open_cache(out)).dataset
    issuing = next(g for g in before.groups.values() if g.issued and g.number in before.group_facts)
    edit_topic(edited_input / issuing.file, "Тема, исправленная в группе, что выдала документы")
    dataset = validate_input(edited_input, open_cache(out)).dataset
    assert dataset.group_facts[issuing.number] == before.group_facts[issuing.number]
    previous = render_cache.read_manifest(cache.cache_dir(out))
    for entry in (c for c in CARRIERS if c.scope == "year"):
        sha = hashlib.sha256((TEMPLATES_DIR / entry.template).read_bytes()).hexdigest()
        step = render_cache.plan(entry, dataset, sha, previous, out / "build")
        assert step.view is None and len(step.kept) == len(previous.by_carrier[entry.key]), entry.key

    listing = issue_register_listing(out)
    assert run(edited_input, out, today=TODAY) == 0
    assert issue_register_listing(out) == listing
    changed = {p for p, sha in contents(out / "build").items() if contents(output / "build").get(p) != sha}
    assert changed and all(issuing.number in p for p in changed)
    # The group is filed: the archive keeps the journal's first version beside the new one, so only the
    # documents are compared with a full build.
    scratch = tmp_path / "scratch"
    assert run(edited_input, scratch, today=TODAY) == 0
    assert contents(out / "build") == contents(scratch / "build")
    # How a document was received changed: a fact; the book of that year is built again, as a full build has it.
    book = openpyxl.load_workbook(edited_input / issuing.file)
    sheet = book["Выдача документов"]
    column = [c.value for c in sheet[1]].index("Способ получения") + 1
    sheet.cell(2, column).value = "почтой" if sheet.cell(2, column).value != "почтой" else "лично"
    book.save(edited_input / issuing.file)
    assert run(edited_input, out, today=TODAY) == 0
    assert issue_register_listing(out) != listing
    scratch = tmp_path / "scratch2"
    assert run(edited_input, scratch, today=TODAY) == 0
    assert contents(out / "build") == contents(scratch / "build")


def test_a_duplicate_issued_a_year_later_reaches_the_book_of_the_originals_year(tmp_path):
    """A change to a group's issued documents (a fact) rebuilds the year books it reaches: a duplicate
    issued in 2026 for an original of 2025 is noted beside the original in the book of 2025, as a full
    build notes it."""
    from builders import write_input
    from builders_model import GROUP, D, add_row, rich_input

    from pipeline.render.stage import docx_text

    data = rich_input()
    input_dir = write_input(tmp_path / "input", data)
    out = tmp_path / "output"
    assert run(input_dir, out, today=TODAY) == 0
    book = next((out / "build" / "2025").glob("2025 Журнал регистрации*.docx"))
    assert "дубликатом" not in docx_text(book.read_bytes())
    add_row(data, GROUP, "Выдача документов", {
        "ID слушателя": "L001", "Вид документа": "Удостоверение о повышении квалификации", "Номер бланка": "000140",
        "Регистрационный №": "6", "Дата выдачи": D(2026, 2, 10), "Способ получения": "лично",
        "Статус документа": "Дубликат", "Заменяет документ (рег. №)": "1"})
    write_input(input_dir, {GROUP: data[GROUP]})
    assert run(input_dir, out, today=TODAY) == 0
    assert "дубликатом" in docx_text(book.read_bytes())
    scratch = tmp_path / "scratch"
    assert run(input_dir, scratch, today=TODAY) == 0
    assert contents(out / "build") == contents(scratch / "build")


def test_the_carriers_marked_facts_only_read_no_field_a_groups_facts_leave_out(built):
    """Carrier.facts_only is true: with NOT_FACTS of every group made to fail when read, each such carrier
    gives exactly the documents it gives otherwise (a carrier that starts reading one fails here)."""
    input_dir, _ = built
    dataset = validate_input(input_dir).dataset
    blind = dataclasses.replace(dataset, groups={n: blind_to_results(g, "a facts-only carrier")
                                                 for n, g in dataset.groups.items()})
    marked = [c for c in CARRIERS if c.facts_only]
    assert {c.key for c in marked} >= {"issue_register"}
    assert all(c.scope == "year" for c in marked)
    for entry in marked:
        expected = list(entry.build(dataset))
        assert expected or entry.key != "issue_register"
        assert list(entry.build(blind)) == expected, entry.key
        # Nor a learner's phone or e-mail (a new phone keeps the year's books: render_cache.plan).
        assert list(entry.build(blind_to_contacts(dataset, "a facts-only carrier"))) == expected, entry.key


def report_contents(output: Path) -> dict[str, object]:
    """What the reports say: every cell of the workbooks, the director's page text and chart."""
    from pipeline.render.stage import docx_text

    found: dict[str, object] = {}
    for path in sorted((output / "reports").iterdir()):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            found[path.name] = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}
        elif path.suffix == ".docx":
            found[path.name] = docx_text(path.read_bytes())
        else:
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def test_an_edit_that_changes_the_reports_rewrites_them_as_a_full_build_would(built, tmp_path):
    output = built[1]
    edited_input, out = _copy_of_the_build(built, tmp_path)
    book = openpyxl.load_workbook(edited_input / "groups/ПК-2026-02.xlsx")
    grid = book["Посещаемость"]
    for column in range(3, grid.max_column + 1):
        grid.cell(2, column).value = "н"  # the first learner missed everything: at risk now
    book.save(edited_input / "groups/ПК-2026-02.xlsx")
    assert run(edited_input, out, today=TODAY) == 0
    scratch = tmp_path / "scratch"
    assert run(edited_input, scratch, today=TODAY) == 0
    assert report_contents(out) == report_contents(scratch)
    assert report_contents(out)["learners.xlsx"] != report_contents(output)["learners.xlsx"]


def test_a_document_deleted_or_edited_by_hand_is_rendered_again(built, tmp_path):
    input_dir, output = built
    out = tmp_path / "output"
    shutil.copytree(output, out)
    files = sorted((out / "build").rglob("*.docx"))
    files[0].unlink()
    files[1].write_bytes(b"not a document")
    expected = contents(output / "build")
    assert run(input_dir, out, today=TODAY) == 0
    assert contents(out / "build") == expected


def test_a_damaged_or_deleted_cache_only_costs_time(built, tmp_path):
    input_dir, output = built
    out = tmp_path / "output"
    shutil.copytree(output, out)
    for path in (out / "cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x80garbage")
    expected = {d: contents(output / d) for d in ("build", "archive")}
    assert run(input_dir, out, today=TODAY) == 0
    assert {d: contents(out / d) for d in ("build", "archive")} == expected
    shutil.rmtree(out / "cache")
    assert run(input_dir, out, today=TODAY) == 0
    assert {d: contents(out / d) for d in ("build", "archive")} == expected


def test_a_listing_the_manifest_does_not_name_makes_the_manifest_a_miss(built, tmp_path):
    """A run stopped between writing a carrier's listing and render.json leaves a listing the manifest
    does not name: the manifest is not read (every context is built again), and the documents stay right."""
    input_dir, output = built
    out = tmp_path / "output"
    shutil.copytree(output, out)
    folder = cache.cache_dir(out)
    assert render_cache.read_manifest(folder) is not None
    name = min(p.name for p in folder.glob("render-journal-*.json"))
    rows = cache.read_value(folder / name, name)
    cache.write_value(folder / name, name, rows[:-1])  # well-formed, this code version, another run's
    assert render_cache.read_manifest(folder) is None
    (out / "cache" / STAMP).unlink()
    expected = contents(output / "build")
    assert run(input_dir, out, today=TODAY) == 0
    assert contents(out / "build") == expected
    assert render_cache.read_manifest(folder).counts[name] == len(rows)


def test_cached_validation_equals_a_fresh_one(built, tmp_path):
    input_dir, output = built
    fresh = validate_input(input_dir)
    cached = validate_input(input_dir, open_cache(output))
    assert cached.problems == fresh.problems
    assert cached.dataset == fresh.dataset


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_parallel_rendering_equals_one_process_byte_for_byte(built, tmp_path, method):
    input_dir, _ = built
    dataset = validate_input(input_dir).dataset
    jobs_by_workers = {}
    for workers in (1, 2):
        folder = tmp_path / f"w{workers}"
        jobs = [
            (str(TEMPLATES_DIR / entry.template), spec.context, str(document_path(folder, spec)))
            for key in ("protocol", "journal", "learner_card")
            for entry in [carrier(key)]
            for spec in list(entry.build(dataset))[:10]
        ]
        shas = render_jobs(jobs, workers, start_method=method)
        jobs_by_workers[workers] = (shas, contents(folder))
    assert jobs_by_workers[1] == jobs_by_workers[2]
    assert len(jobs_by_workers[1][1]) == len(jobs) > 20


def test_render_all_on_two_processes_equals_one(built, tmp_path):
    input_dir, _ = built
    dataset = validate_input(input_dir).dataset
    one = render_all(dataset, tmp_path / "one", TEMPLATES_DIR, workers=1)
    two = render_all(dataset, tmp_path / "two", TEMPLATES_DIR, workers=2)
    assert [(d.spec.doc_id, d.sha256, d.inputs_hash) for d in one] == [
        (d.spec.doc_id, d.sha256, d.inputs_hash) for d in two]
    assert contents(tmp_path / "one") == contents(tmp_path / "two")


def test_progress_is_plain_when_output_is_not_a_terminal(built, tmp_path):
    input_dir, _ = built
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--input", str(input_dir), "--output", str(tmp_path / "o"),
         "--today", TODAY.isoformat()],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout + done.stderr


def test_a_relative_output_folder_builds_again_from_the_cache(built, tmp_path, monkeypatch):
    input_dir, _ = built
    monkeypatch.chdir(tmp_path)
    assert run(input_dir, Path("out"), today=TODAY) == 0
    (tmp_path / "out" / "cache" / STAMP).unlink()
    edit_topic(shutil.copytree(input_dir, tmp_path / "in") / "groups/ПК-2026-02.xlsx", "Новая тема")
    assert run(Path("in"), Path("out"), today=TODAY) == 0
    assert run(Path("in"), Path("out"), today=TODAY) == 0


# --- incremental validation: the same problems and Dataset as reading everything at once ---


def exact(problems) -> list[tuple]:
    """Problems with their message parameters (Problem equality leaves those out)."""
    return [(p, sorted(p.params.items(), key=str)) for p in problems]


def assert_cached_equals_fresh(input_dir: Path, output_dir: Path) -> None:
    """Validation with the build cache of output_dir finds what validation from scratch finds."""
    fresh = validate_input(input_dir)
    cached = validate_input(input_dir, open_cache(output_dir))
    assert exact(fresh.problems) == exact(cached.problems)
    assert fresh.dataset == cached.dataset


@pytest.fixture
def troubled(tmp_path):
    """An input with problems of every kind: per sheet, per group, across groups and in the reference books."""
    from builders import write_input
    from builders_model import GROUP, LEARNERS, D, add_row, rich_input, second_group, set_cell

    data = rich_input()
    second = second_group(data, "ПК-2025-02", D(2025, 4, 1))
    third = "groups/ПК-2025-03.xlsx"
    data[third] = copy.deepcopy(data[second])
    set_cell(data, third, "Группа", 0, "Номер группы", "ПК-2025-02")  # group_duplicate
    set_cell(data, GROUP, "Занятия", 3, "Дата", D(2025, 3, 10))  # lesson_outside_period (per group)
    set_cell(data, GROUP, "Занятия", 4, "Часы", "четыре")  # format_int (schema)
    set_cell(data, LEARNERS, "Слушатели", 2, "Дата рождения", D(2015, 1, 1))  # learner_too_young (global)
    add_row(data, second, "Выдача документов", {  # reg_no_duplicate across groups, issued_without_pass
        "ID слушателя": "L001", "Вид документа": "Удостоверение о повышении квалификации",
        "Номер бланка": "000999", "Регистрационный №": "1", "Дата выдачи": D(2025, 4, 2),
        "Способ получения": "лично", "Статус документа": "Оригинал"})
    set_cell(data, second, "Состав", 2, "ФИО (для проверки)", "Иванов Иван")  # name_mismatch
    return tmp_path, data, write_input(tmp_path / "input", data), second


def test_incremental_validation_equals_a_fresh_one_through_edits(troubled):
    from builders import write_input
    from builders_model import LEARNERS, ORG, set_cell

    root, data, input_dir, second = troubled
    cache_dir = root / "cache"
    assert_cached_equals_fresh(input_dir, root)
    codes = {p.code for p in validate_input(input_dir).problems}
    assert {"group_duplicate", "lesson_outside_period", "format_int", "learner_too_young", "reg_no_duplicate",
            "name_mismatch"} <= codes
    assert (cache_dir / "checked").is_dir() and (cache_dir / "group_checks.json").is_file()
    # One group fixed and broken elsewhere; then the learners; then the organization (every group again).
    set_cell(data, second, "Состав", 2, "ФИО (для проверки)", "Иванов Иван Иванович")
    set_cell(data, second, "Занятия", 2, "№ модуля", 7)
    write_input(input_dir, {second: data[second]})
    assert_cached_equals_fresh(input_dir, root)
    set_cell(data, LEARNERS, "Слушатели", 3, "Фамилия", "Петрова-Водкина")
    write_input(input_dir, {LEARNERS: data[LEARNERS]})
    assert_cached_equals_fresh(input_dir, root)
    set_cell(data, ORG, "Сотрудники", 3, "Фамилия", "Новикова")
    set_cell(data, ORG, "Программы", 2, "Мин. посещаемость, %", 90)
    write_input(input_dir, {ORG: data[ORG]})
    assert_cached_equals_fresh(input_dir, root)
    # A workbook removed: its cached results go, nothing of it is reported any more.
    (input_dir / second).unlink()
    assert_cached_equals_fresh(input_dir, root)
    assert not any(p.file == second for p in validate_input(input_dir, open_cache(root)).problems)


def global_rule_runs(monkeypatch) -> list[int]:
    """A list that gets an item each time the rules across groups run (crosscheck.check_global) from now on."""
    from pipeline.intake import crosscheck

    calls: list[int] = []
    real = crosscheck.check_global
    monkeypatch.setattr(crosscheck, "check_global", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def written_and_checked(troubled, rel: str, calls: list[int]) -> int:
    """Write workbook `rel` of the troubled data into its input, check that validation with the cache finds
    what one from scratch finds; give how many times the rules across groups ran for both."""
    from builders import write_input

    root, data, input_dir, _ = troubled
    write_input(input_dir, {rel: data[rel]})
    calls.clear()
    assert_cached_equals_fresh(input_dir, root)
    return len(calls)


def found_codes(troubled) -> set[str]:
    root, _, input_dir, _ = troubled
    return {p.code for p in validate_input(input_dir, open_cache(root)).problems}


def test_the_global_rules_findings_are_kept_while_no_groups_facts_change(troubled, monkeypatch):
    """A lesson's topic is nothing the rules across groups read: their findings are kept; a registration
    number is, and they are found again."""
    from builders_model import set_cell

    root, data, input_dir, second = troubled
    assert_cached_equals_fresh(input_dir, root)
    calls = global_rule_runs(monkeypatch)
    set_cell(data, second, "Занятия", 2, "Тема", "Тема, исправленная в одной группе")
    assert written_and_checked(troubled, second, calls) == 1  # from scratch; the cached one kept the findings
    assert "reg_no_duplicate" in found_codes(troubled)
    # The duplicate registration number fixed: the rules run again, and it is gone.
    issued = data[second]["Выдача документов"]
    set_cell(data, second, "Выдача документов", len(issued), "Регистрационный №", "777")
    assert written_and_checked(troubled, second, calls) == 2
    assert "reg_no_duplicate" not in found_codes(troubled)


def test_the_global_rules_read_no_field_their_kept_findings_are_not_keyed_on(troubled, monkeypatch):
    """The global rules read no field of NOT_FACTS: with those fields of every group made to fail when read,
    the global rules find exactly what they find otherwise (a rule that starts reading one fails here)."""
    from pipeline.intake import crosscheck

    _, _, input_dir, _ = troubled
    expected = exact(validate_input(input_dir).problems)
    assert {"reg_no_duplicate", "learner_too_young"} <= {p.code for p, _ in expected}

    real = crosscheck.check_global

    def check_global(dataset, *args, **kwargs):
        groups = {number: blind_to_results(group, "a global rule") for number, group in dataset.groups.items()}
        return real(dataclasses.replace(dataset, groups=groups), *args, **kwargs)

    monkeypatch.setattr(crosscheck, "check_global", check_global)
    assert exact(validate_input(input_dir).problems) == expected


class ContactRead(AssertionError):
    """A reader that must not depend on a learner's phone or e-mail read one."""


class _Contact:
    """A phone or e-mail that fails whatever is done with it (shown, compared, hashed, tested for truth)."""

    def __init__(self, reader: str):
        self.reader = reader

    def _read(self, *args, **kwargs):
        raise ContactRead(f"{self.reader} read a learner's phone or e-mail")

    __str__ = __repr__ = __format__ = __bool__ = __eq__ = __ne__ = __hash__ = __len__ = __iter__ = _read
    __add__ = __radd__ = __lt__ = __gt__ = _read


def blind_to_contacts(dataset, reader: str):
    """A copy of the dataset whose learners' CONTACTS fail when used."""
    from pipeline.cache.learner_digests import CONTACTS

    def blind(learner):
        twin = copy.copy(learner)
        for name in CONTACTS:
            twin.__dict__[name] = _Contact(reader)
        return twin

    return dataclasses.replace(dataset, learners={lid: blind(lr) for lid, lr in dataset.learners.items()})


def test_the_global_rules_read_no_learners_phone_or_email(troubled, monkeypatch):
    """Their kept findings are not keyed on the learners' contacts: with every phone and e-mail made to fail
    when used, the rules across groups find exactly what they find otherwise."""
    from pipeline.intake import crosscheck

    _, _, input_dir, _ = troubled
    expected = exact(validate_input(input_dir).problems)
    real = crosscheck.check_global
    monkeypatch.setattr(crosscheck, "check_global",
                        lambda dataset, *a, **k: real(blind_to_contacts(dataset, "a global rule"), *a, **k))
    assert exact(validate_input(input_dir).problems) == expected


def test_the_global_rules_findings_are_kept_through_a_new_phone_and_found_again_for_a_new_birth_date(
        troubled, monkeypatch):
    from builders_model import LEARNERS, D, set_cell

    root, data, input_dir, _ = troubled
    assert_cached_equals_fresh(input_dir, root)
    calls = global_rule_runs(monkeypatch)
    set_cell(data, LEARNERS, "Слушатели", 3, "Телефон", "+7 900 000-00-11")
    set_cell(data, LEARNERS, "Слушатели", 3, "Эл. почта", "new.address@example.ru")
    assert written_and_checked(troubled, LEARNERS, calls) == 1  # from scratch; the cached one kept the findings
    too_young = [p for p in validate_input(input_dir, open_cache(root)).problems if p.code == "learner_too_young"]
    assert len(too_young) == 1
    # The learner of that row made older: the rules run again, and the finding is gone.
    set_cell(data, LEARNERS, "Слушатели", too_young[0].row, "Дата рождения", D(1990, 1, 1))
    assert written_and_checked(troubled, LEARNERS, calls) == 2
    assert "learner_too_young" not in found_codes(troubled)


def test_a_learners_workbook_with_a_problem_of_its_own_keys_the_global_rules_on_its_bytes(troubled, monkeypatch):
    """A row skipped for its problem is still looked up by the rules (its id as typed): then a new phone
    elsewhere runs them again, and the findings equal a validation from scratch."""
    from builders_model import LEARNERS, set_cell

    _, data, _, _ = troubled
    set_cell(data, LEARNERS, "Слушатели", 4, "СНИЛС", "123")  # a format problem: the row is skipped
    calls = global_rule_runs(monkeypatch)
    written_and_checked(troubled, LEARNERS, calls)
    set_cell(data, LEARNERS, "Слушатели", 3, "Телефон", "+7 900 000-00-12")
    assert written_and_checked(troubled, LEARNERS, calls) == 2


def test_incremental_validation_of_the_sample_with_its_moodle_export(tmp_path):
    input_dir = tmp_path / "input"
    shutil.copytree(REPO / "input", input_dir)
    root = tmp_path
    assert_cached_equals_fresh(input_dir, root)
    export = next((input_dir / "groups").glob("*.moodle.csv"))
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    export.write_text("".join(lines[:-1]) + lines[-1].replace("@", "_at_"), encoding="utf-8")
    assert_cached_equals_fresh(input_dir, root)
    edit_topic(input_dir / "groups/ПК-2026-02.xlsx", "=Тема, что похожа на формулу")
    assert_cached_equals_fresh(input_dir, root)


def test_a_damaged_frames_file_reads_the_workbook_again(troubled):
    from builders import write_input
    from builders_model import ORG, set_cell

    root, data, input_dir, _second = troubled
    cache_dir = root / "cache"
    validate_input(input_dir, open_cache(root))
    for path in (cache_dir / "checked").glob("*.frames.json"):
        path.write_bytes(b"\x80garbage")
    set_cell(data, ORG, "Сотрудники", 3, "Фамилия", "Новикова")  # every group is checked again
    write_input(input_dir, {ORG: data[ORG]})
    assert_cached_equals_fresh(input_dir, root)


def test_archive_pairs_from_the_cache_equal_the_bags_lists(built, tmp_path, monkeypatch):
    from pipeline.archive import records
    from pipeline.archive.index import rows
    from pipeline.archive.memos import archive_memos
    from pipeline.archive.records import KEPT
    from pipeline.reports.stage import archive_pairs

    _input_dir, output = built
    out = tmp_path / "output"
    shutil.copytree(output, out)
    docs, _ = rows(out / "archive")
    expected = [(d["doc_id"], d["path"]) for d in docs if d.get("status") == KEPT]
    assert len(expected) > 20
    (tmp_path / "cache").mkdir()
    memo = open_cache(tmp_path)
    shards = records.DOCUMENT_LISTS.shards  # the lists are kept in shards, by bag (pipeline.archive.shards)

    def forget(parse=None):
        for lists in shards:
            monkeypatch.setattr(lists, "_results", {})
            if parse is not None:
                monkeypatch.setattr(lists, "_parse", parse)

    forget()
    with archive_memos(memo):
        assert archive_pairs(out) == expected  # read from the bags
    # The next run parses nothing: every list comes from the kept files.
    forget(lambda path: pytest.fail(f"parsed {path}"))
    with archive_memos(memo):
        assert archive_pairs(out) == expected
    monkeypatch.undo()
    forget()
    bag_list = next((out / "archive").rglob("documents.csv"))
    lines = bag_list.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    bag_list.write_text("".join(lines[:-1]), encoding="utf-8-sig")  # one document fewer in one bag
    docs, _ = rows(out / "archive")
    shorter = [(d["doc_id"], d["path"]) for d in docs if d.get("status") == KEPT]
    with archive_memos(memo):
        assert archive_pairs(out) == shorter != expected


def test_input_hashes_are_kept_between_runs_and_taken_again_when_a_file_changes(built, tmp_path, monkeypatch):
    from pipeline.cache import input_cache
    input_dir, _output = built
    folder = tmp_path / "input"
    shutil.copytree(input_dir, folder)
    first = input_cache.input_fingerprint(folder)
    (tmp_path / "cache").mkdir()
    kept = open_cache(tmp_path)
    monkeypatch.setattr(input_cache.INPUT_HASHES, "_results", {})
    with input_cache.INPUT_HASHES.persisted(kept):
        assert input_cache.input_fingerprint(folder) == first
    # The next run hashes nothing it hashed before.
    monkeypatch.setattr(input_cache.INPUT_HASHES, "_results", {})
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} again"))
    with input_cache.INPUT_HASHES.persisted(kept):
        assert input_cache.input_fingerprint(folder) == first
    monkeypatch.undo()
    monkeypatch.setattr(input_cache.INPUT_HASHES, "_results", {})
    edit_topic(folder / "groups" / "ПК-2026-02.xlsx", "другая тема")
    with input_cache.INPUT_HASHES.persisted(kept):
        assert input_cache.input_fingerprint(folder) != first


def test_a_carrier_rendered_in_small_batches_gives_the_same_documents_and_counts_each_once(built, tmp_path,
                                                                                          monkeypatch, capsys):
    # A large carrier's documents go to the workers a batch at a time, so that its contexts are never all held
    # at once; the documents, and the count its bar shows, must be those of one batch.
    from pipeline.render import stage

    input_dir, _ = built
    dataset = validate_input(input_dir).dataset
    whole = render_all(dataset, tmp_path / "whole", TEMPLATES_DIR, workers=1)
    monkeypatch.setattr(stage, "RENDER_BATCH", 3)
    monkeypatch.setattr("pipeline.core.progress.PLAIN_EVERY", 0)
    capsys.readouterr()
    batched = render_all(dataset, tmp_path / "batched", TEMPLATES_DIR, workers=1)
    assert [(d.spec.doc_id, d.sha256, d.inputs_hash) for d in batched] == [
        (d.spec.doc_id, d.sha256, d.inputs_hash) for d in whole]
    assert contents(tmp_path / "batched") == contents(tmp_path / "whole")
    lines = capsys.readouterr().err.splitlines()
    for entry in CARRIERS:
        count = sum(d.carrier.key == entry.key for d in whole)
        shown = [line for line in lines if line.startswith(f"  {entry.title}: документ")]
        assert (shown[-1] if shown else "").endswith(f"документ {count} из {count} (100 %)") or count == 0, entry.key


def test_a_kept_document_gives_the_same_path_as_when_it_was_rendered(built, tmp_path):
    input_dir, _ = built
    dataset = validate_input(input_dir).dataset
    out = tmp_path / "out"
    first = render_all(dataset, out / "build", TEMPLATES_DIR, cache=open_cache(out))
    again = render_all(dataset, out / "build", TEMPLATES_DIR, cache=open_cache(out))
    assert all(d.fresh for d in first) and not any(d.fresh for d in again)
    assert all(isinstance(d.location, str) for d in again)  # no Path made until one is asked for
    assert [d.path for d in again] == [d.path for d in first]
    assert all(isinstance(d.path, Path) and d.path.is_file() for d in again)


def _stamped_by_an_older_version(folder: Path) -> None:
    """Every cache file as an earlier version of the program wrote it: the same values, another code version."""
    from pipeline.cache import codec

    for path in folder.rglob("*"):
        try:
            _stamp, key, value = codec.loads(path.read_bytes())
        except (OSError, ValueError, TypeError):
            continue
        path.write_bytes(codec.dumps(["0" * 64, key, value]))


def test_after_an_upgrade_the_documents_the_data_no_longer_gives_are_removed_all_the_same(built, tmp_path):
    """The first run of a new version cannot use the render manifest (another code version); the plain
    listing of what the last run wrote still tells which files under build/ were ours. A group whose
    workbook left the input leaves no document behind, as in a build from scratch; a document of it
    edited by hand, and a file staff put there, stay."""
    input_dir, output = built
    edited_input, out = tmp_path / "input", tmp_path / "output"
    shutil.copytree(input_dir, edited_input)
    shutil.copytree(output, out)
    folder = out / "build" / "2026" / "ПК-2026-02"
    documents = sorted(folder.glob("*.docx"))
    assert len(documents) >= 3, documents
    edited = documents[0]
    edited.write_bytes(edited.read_bytes() + b"\0")
    note = folder / "заметки.txt"
    note.write_text("положила сама", encoding="utf-8")
    (edited_input / "groups" / "ПК-2026-02.xlsx").unlink()
    _stamped_by_an_older_version(out / "cache")
    assert render_cache.read_manifest(cache.cache_dir(out)) is None

    assert run(edited_input, out, today=TODAY) == 0

    scratch = tmp_path / "scratch"
    assert run(edited_input, scratch, today=TODAY) == 0
    left = contents(out / "build")
    kept = {p.relative_to(out / "build").as_posix() for p in (edited, note)}
    assert set(left) - set(contents(scratch / "build")) == kept
    assert {k: v for k, v in left.items() if k not in kept} == contents(scratch / "build")


def test_a_listing_of_written_files_names_nothing_outside_the_build_folder(tmp_path):
    """The plain listing is read by any version and files are removed by it: a path that climbs out of the
    build folder, an absolute one or a malformed row is never given."""
    folder = tmp_path / "cache"
    folder.mkdir()
    rows = [["2026/ПК-2026-02/Журнал.docx", 10, 20], ["../../etc/passwd", 1, 2], ["/etc/passwd", 1, 2],
            ["C:/Windows/win.ini", 1, 2], ["2026\\..\\x.docx", 1, 2], ["a//b.docx", 1, 2], ["a/\0.docx", 1, 2],
            ["2026/x.docx", "10", 20], ["2026/y.docx", 10], "2026/z.docx", ["2026/w.docx", True, 2]]
    (folder / render_cache.written_name("journal", 3)).write_text(
        json.dumps({"format": render_cache.WRITTEN_FORMAT, "files": rows}), encoding="utf-8")
    (folder / render_cache.written_name("protocol", 0)).write_text("{not json", encoding="utf-8")
    # The whole carrier's listing, as the version before the parts wrote it, is read too.
    (folder / "written-order_graduation.json").write_text(
        json.dumps({"format": render_cache.WRITTEN_FORMAT, "files": [["2026/Приказ.docx", 5, 6]]}), encoding="utf-8")
    assert list(render_cache.read_written(folder)) == [("journal", "2026/ПК-2026-02/Журнал.docx", 10, 20),
                                                       ("order_graduation", "2026/Приказ.docx", 5, 6)]


def test_learners_sheets_are_not_kept_and_an_unknown_learner_is_still_told(troubled):
    # learners.xlsx's sheets are read by a rule only to tell an id that names no one from one on a row
    # skipped for its own problem: they are not kept, and the run that needs them reads the workbook again.
    from builders import write_input
    from builders_model import GROUP, LEARNERS, add_row

    from pipeline.cache.input_cache import Store, file_sha256

    root, data, input_dir, _second = troubled
    validate_input(input_dir, open_cache(root))
    store = Store(open_cache(root))
    assert store.checked(LEARNERS, file_sha256(input_dir / LEARNERS)) is not None
    assert store.frames(LEARNERS, file_sha256(input_dir / LEARNERS)) is None
    assert store.frames(GROUP, file_sha256(input_dir / GROUP)) is not None
    members = data[GROUP]["Состав"]
    add_row(data, GROUP, "Состав", {**dict(zip(members[0], members[1], strict=True)), "ID слушателя": "L999"})
    write_input(input_dir, {GROUP: data[GROUP]})
    assert_cached_equals_fresh(input_dir, root)
    found = validate_input(input_dir, open_cache(root)).problems
    assert [(p.file, p.value) for p in found if p.code == "ref_learner_unknown"] == [(GROUP, "L999")]
