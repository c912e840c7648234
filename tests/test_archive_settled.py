"""A run with nothing to file tells what the last such run told, without reading a bag (pipeline.archive.settled);
anything filing reads that changed since makes the stage run in full."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from pipeline.archive import filing
from pipeline.archive.settled import PAIRS, SETTLED
from pipeline.build import run
from pipeline.cache import build_stamp, cache_dir

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 15)
TRAINING = "groups/ПК-2026-02.xlsx"  # a group still in training: its documents wait
FILED = "ПК-2025-01"  # a completed group: its bag is in the archive


def edit_topic(workbook: Path, text: str) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["Занятия"]
    sheet.cell(2, [c.value for c in sheet[1]].index("Тема") + 1).value = text
    book.save(workbook)


def mark_signed(workbook: Path) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["Группа"]
    for row in sheet.iter_rows(min_row=1):
        if row[0].value == "Документы подписаны":
            row[1].value = "да"
    book.save(workbook)


@pytest.fixture(scope="module")
def settled(tmp_path_factory):
    """The sample built, then a group in training edited once: the run that wrote nothing is remembered."""
    root = tmp_path_factory.mktemp("settled")
    input_dir, output = root / "input", root / "output"
    shutil.copytree(REPO / "input", input_dir)
    assert run(input_dir, output, today=TODAY) == 0
    assert not (cache_dir(output) / SETTLED).exists()  # the first build filed everything: nothing to remember
    edit_topic(input_dir / TRAINING, "тема 1")
    assert run(input_dir, output, today=TODAY) == 0
    assert (cache_dir(output) / SETTLED).is_file()
    return input_dir, output


@pytest.fixture
def copy(settled, tmp_path):
    input_dir, output = settled
    shutil.copytree(input_dir, tmp_path / "input")
    shutil.copytree(output, tmp_path / "output")
    return tmp_path / "input", tmp_path / "output"


@pytest.fixture
def stage_runs(monkeypatch):
    """Counts the runs of filing proper (each begins by settling what an interrupted run left)."""
    calls = []
    real = filing.recover

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(filing, "recover", counted)
    return calls


def archive_bytes(output: Path) -> dict[str, str]:
    """{path: SHA-256} of every file of the archive."""
    root = output / "archive"
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def archive_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(("Архив", "Копии PDF/A"))]


def test_a_group_in_training_edited_again_reads_no_bag_and_tells_what_a_full_stage_tells(copy, stage_runs,
                                                                                             capsys, tmp_path):
    from pipeline.archive import records
    from pipeline.paper import cases
    from pipeline.reports import stage

    input_dir, output = copy
    edit_topic(input_dir / TRAINING, "тема 2")
    filed = archive_bytes(output)
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as blind:
        for module in (records, cases, stage):  # no bag's list is read, by filing, the reports or the PDF/A count
            blind.setattr(module, "read_documents", lambda bag: pytest.fail(f"read {bag}"))
        assert run(input_dir, output, today=TODAY) == 0
    replayed = capsys.readouterr().out
    assert stage_runs == []
    assert archive_bytes(output) == filed  # not a file of the archive lost, added or changed
    assert not any(cache_dir(output).glob("archive_lists-*.json.tmp*"))

    # The same run with nothing remembered: the stage in full tells the same, and the reports say the same.
    scratch = tmp_path / "scratch"
    shutil.copytree(output, scratch)
    (cache_dir(scratch) / SETTLED).unlink()
    edit_topic(input_dir / TRAINING, "тема 3")
    for out in (output, scratch):
        capsys.readouterr()
        assert run(input_dir, out, today=TODAY) == 0
        told = capsys.readouterr().out
        assert archive_lines(told) == archive_lines(replayed)
        assert "без изменений 197" in told and "ждут закрытия группы или года 37" in told
    assert len(stage_runs) == 1  # the scratch copy's
    status = [[c.value for c in row] for row in openpyxl.load_workbook(output / "reports/status.xlsx").active.iter_rows()]
    again = [[c.value for c in row] for row in openpyxl.load_workbook(scratch / "reports/status.xlsx").active.iter_rows()]
    assert status == again


def _touch_a_bag_file(input_dir: Path, output: Path) -> None:
    bag_file = next((output / "archive/2025" / FILED).rglob("documents.csv"))
    os.utime(bag_file, ns=(bag_file.stat().st_atime_ns, bag_file.stat().st_mtime_ns + 1_000_000_000))


def _delete_the_index(input_dir: Path, output: Path) -> None:
    (output / "archive/index-2025.xlsx").unlink()


def _leave_a_temporary_file(input_dir: Path, output: Path) -> None:
    (output / "archive/2025" / FILED / ".tmp-left-by-a-killed-run").write_bytes(b"half")


def _add_a_scan(input_dir: Path, output: Path) -> None:
    protocol = next((output / "build/2025" / FILED).glob("*ротокол*.docx"))
    scans = input_dir / "scans" / FILED
    scans.mkdir(parents=True)
    (scans / f"{protocol.stem}.pdf").write_bytes(b"%PDF signed protocol")


def _edit_a_filed_group(input_dir: Path, output: Path) -> None:
    edit_topic(input_dir / f"groups/{FILED}.xlsx", "уточненная тема (правка)")


def _mark_a_filed_group_signed(input_dir: Path, output: Path) -> None:
    mark_signed(input_dir / f"groups/{FILED}.xlsx")


@pytest.mark.parametrize("change, told", [
    (_touch_a_bag_file, ""),
    (_delete_the_index, ""),
    (_leave_a_temporary_file, "восстановлено после прерванного запуска"),
    (_add_a_scan, "Подшит скан"),
    (_edit_a_filed_group, "новых версий 1"),
    (_mark_a_filed_group_signed, "Отмечен в архиве как подписанный"),
])
def test_whatever_filing_reads_changed_runs_the_stage_in_full(copy, stage_runs, capsys, change, told):
    input_dir, output = copy
    edit_topic(input_dir / TRAINING, "тема 2")
    change(input_dir, output)
    capsys.readouterr()
    assert run(input_dir, output, today=TODAY) == 0
    out = capsys.readouterr().out
    assert stage_runs == [1]
    assert told in out
    assert (output / "archive/index-2025.xlsx").is_file()
    assert not (output / "archive/2025" / FILED / ".tmp-left-by-a-killed-run").exists()


def test_a_new_day_runs_the_stage_in_full(copy, stage_runs):
    input_dir, output = copy
    assert run(input_dir, output, today=TODAY + dt.timedelta(days=1)) == 0
    assert stage_runs == [1]
    assert run(input_dir, output, today=TODAY + dt.timedelta(days=1)) == 0
    assert stage_runs == [1]  # nothing changed at all: the no-op build


def test_a_run_that_wrote_into_the_archive_is_not_remembered(copy, stage_runs):
    input_dir, output = copy
    _edit_a_filed_group(input_dir, output)
    assert run(input_dir, output, today=TODAY) == 0
    assert not (cache_dir(output) / SETTLED).exists()
    edit_topic(input_dir / TRAINING, "тема 2")
    assert run(input_dir, output, today=TODAY) == 0  # wrote nothing: remembered
    edit_topic(input_dir / TRAINING, "тема 3")
    assert run(input_dir, output, today=TODAY) == 0
    assert stage_runs == [1, 1]


@pytest.mark.parametrize("name, damage", [
    (SETTLED, lambda data: data[: len(data) // 2]),
    (SETTLED, lambda data: b'["x", "y", {"key": 1}]'),
    (PAIRS, lambda data: data.replace(b"2025", b"2024")),  # sound JSON, but not the file the memory names
])
def test_a_damaged_or_planted_memory_only_costs_time(copy, stage_runs, name, damage):
    input_dir, output = copy
    kept = cache_dir(output) / name
    kept.write_bytes(damage(kept.read_bytes()))
    edit_topic(input_dir / TRAINING, "тема 2")
    assert run(input_dir, output, today=TODAY) == 0
    assert stage_runs == [1]


def test_documents_that_wait_give_lines_not_the_key(settled):
    """A new group in training adds documents that wait: their lines are told, and the archive is not read."""
    import dataclasses
    from functools import partial

    from pipeline.archive.settled import SettledArchive
    from pipeline.cache import BuildCache
    from pipeline.intake.validate import validate_input
    from pipeline.render.stage import render_all

    input_dir, output = settled
    found = BuildCache(output, read_only=True)
    dataset = validate_input(input_dir, found).dataset
    docs = render_all(dataset, output / "build", REPO / "templates_docx", cache=found)
    where = partial(filing.destination, dataset, today=TODAY)
    before = SettledArchive.of(found, dataset, docs, today=TODAY, scans_dir=input_dir / "scans", destination=where)
    waits = next(d for d in docs if isinstance(where(d), str))
    more = dataclasses.replace(waits, spec=dataclasses.replace(waits.spec, doc_id="новая/группа", title="Журнал новой группы"),
                               sha256="0" * 64)
    after = SettledArchive.of(found, dataset, [*docs, more], today=TODAY, scans_dir=input_dir / "scans",
                              destination=where)
    assert after.key == before.key and after.waiting == [*before.waiting, where(more)]
    assert "Журнал новой группы: группа ПК-2026-02 не завершена" in after.waiting[-1]
    # A document that goes to a bag is part of the key: its bytes, and which bag.
    files = next(d for d in docs if isinstance(where(d), tuple))
    for changed in (dataclasses.replace(files, sha256="0" * 64),
                    dataclasses.replace(files, spec=dataclasses.replace(files.spec, doc_id="другой"))):
        other = SettledArchive.of(found, dataset, [changed if d is files else d for d in docs], today=TODAY,
                                  scans_dir=input_dir / "scans", destination=where)
        assert other.key != before.key


def test_a_run_that_filed_nothing_hands_its_measure_of_the_archive_to_the_build_stamp(copy, monkeypatch, capsys):
    input_dir, output = copy
    measured = []
    real = build_stamp.archive_state
    monkeypatch.setattr(build_stamp, "archive_state", lambda root: measured.append(root) or real(root))
    edit_topic(input_dir / TRAINING, "тема 2")
    assert run(input_dir, output, today=TODAY) == 0
    assert measured == []  # the stamp took filing's measure instead of walking the archive again
    capsys.readouterr()
    # ...and it is what the next run measures itself: nothing changed.
    assert run(input_dir, output, today=TODAY) == 0
    assert "Ничего не изменилось" in capsys.readouterr().out and len(measured) == 1
    # A file of the archive touched afterwards: the next run does its work.
    touched = next(p for p in sorted((output / "archive").rglob("*.docx")))
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1_000_000_000))
    assert run(input_dir, output, today=TODAY) == 0
    assert "Ничего не изменилось" not in capsys.readouterr().out
