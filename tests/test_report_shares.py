"""Each group's share of the reports is kept between runs: an edit works out again the shares of the
groups it touches and no other, and the reports always say what a build from scratch says."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from pipeline import cache
from pipeline.build import run
from pipeline.intake.validate import validate_input
from pipeline.reports import shares
from tests.sample_run import built_sample
from tests.test_incremental import edit_topic, report_contents
from tests.test_incremental_learners import NEW_SURNAME, a_learner, copy_of, edit_row, groups_of

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_sample(tmp_path_factory.mktemp("shares"), TODAY)


@pytest.fixture
def copy(built, tmp_path):
    """A copy of the input and of the built output, to edit."""
    return copy_of(built, tmp_path)


@pytest.fixture
def worked_out(monkeypatch):
    """The numbers of the groups whose share a run works out (not read back)."""
    numbers: list[str] = []
    real = shares.work_out

    def counting(dataset, group, today):
        numbers.append(group.number)
        return real(dataset, group, today)

    monkeypatch.setattr(shares, "work_out", counting)
    return numbers


def same_as_from_scratch(input_dir: Path, output: Path, tmp_path: Path, today: dt.date = TODAY) -> None:
    scratch = tmp_path / "scratch"
    assert run(input_dir, scratch, today=today) == 0
    assert report_contents(output) == report_contents(scratch)


def test_a_group_edited_works_out_that_group_alone(copy, tmp_path, worked_out):
    input_dir, output = copy
    dataset = validate_input(input_dir).dataset
    group = sorted(dataset.groups.values(), key=lambda g: g.number)[0]
    book = openpyxl.load_workbook(input_dir / group.file)
    grid = book["Посещаемость"]
    for column in range(3, grid.max_column + 1):
        grid.cell(2, column).value = "н"  # the first learner missed everything: the figures change
    book.save(input_dir / group.file)
    assert run(input_dir, output, today=TODAY) == 0
    assert worked_out == [group.number]
    worked_out.clear()
    same_as_from_scratch(input_dir, output, tmp_path)


def test_a_lesson_topic_works_out_the_group_and_leaves_the_reports_alone(copy, worked_out):
    input_dir, output = copy
    dataset = validate_input(input_dir).dataset
    group = sorted(dataset.groups.values(), key=lambda g: g.number)[-1]
    before = {p.name: p.stat().st_mtime_ns for p in (output / "reports").iterdir()}
    kept = {p.name: p.stat().st_mtime_ns for p in cache.cache_dir(output).glob(f"{shares.SHARES}*")}
    edit_topic(input_dir / group.file, "Тема, исправленная после проверки")
    assert run(input_dir, output, today=TODAY) == 0
    assert worked_out == [group.number]
    # Only the shard that keeps the group's share is written again.
    now = {p.name: p.stat().st_mtime_ns for p in cache.cache_dir(output).glob(f"{shares.SHARES}*")}
    assert now.keys() == kept.keys()
    assert {name for name in now if now[name] != kept[name]} == {shares.shard_name(shares.shard_of(group.number))}
    for name in ("summary.xlsx", "learners.xlsx", "director.docx"):
        assert (output / "reports" / name).stat().st_mtime_ns == before[name], name


def test_a_learners_new_surname_reaches_the_reports_through_the_groups_that_name_them(copy, tmp_path, worked_out):
    input_dir, output = copy
    dataset = validate_input(input_dir).dataset
    learner = a_learner(dataset)
    new = NEW_SURNAME[learner.person.sex]
    edit_row(input_dir / "learners.xlsx", "Слушатели", learner.id, lambda h, r, ws: ws.cell(r, h["Фамилия"], new))
    full_new = learner.person.full_name.replace(learner.person.surname, new, 1)
    for number in groups_of(dataset, learner.id):  # the name written for checking follows the registry
        workbook = input_dir / dataset.groups[number].file
        for sheet, column in (("Состав", "ФИО (для проверки)"), ("Посещаемость", "ФИО")):
            edit_row(workbook, sheet, learner.id,
                     lambda h, r, ws, c=column: ws.cell(r, h[c], full_new) if ws.cell(r, h[c]).value else None)
    assert run(input_dir, output, today=TODAY) == 0
    assert sorted(worked_out) == sorted(groups_of(dataset, learner.id))
    rows = report_contents(output)["learners.xlsx"]["Результаты обучения"]
    assert any(row[3] == full_new for row in rows)
    worked_out.clear()
    same_as_from_scratch(input_dir, output, tmp_path)


def test_another_date_works_out_every_group(copy, tmp_path, worked_out):
    input_dir, output = copy
    later = TODAY + dt.timedelta(days=40)
    assert run(input_dir, output, today=later) == 0
    assert sorted(worked_out) == sorted(validate_input(input_dir).dataset.groups)
    worked_out.clear()
    same_as_from_scratch(input_dir, output, tmp_path, later)


@pytest.mark.parametrize("damage", ["deleted", "garbage", "another shape"])
def test_a_damaged_or_deleted_share_file_only_costs_time(copy, tmp_path, damage, worked_out):
    input_dir, output = copy
    paths = [cache.cache_dir(output) / shares.shard_name(i) for i in range(shares.SHARDS)]
    for path in paths:
        if not path.exists():
            continue
        if damage == "deleted":
            path.unlink()
        elif damage == "garbage":
            path.write_bytes(b"\x00not json")
        else:  # written by this code version, but each group's share replaced by a short list
            stored = cache.read_value(path, path.name)
            cache.write_value(path, path.name, {number: found[:2] for number, found in stored.items()})
    edit_topic(sorted(input_dir.glob("groups/*.xlsx"))[0], "Другая тема")
    assert run(input_dir, output, today=TODAY) == 0
    assert len(worked_out) == len(validate_input(input_dir).dataset.groups)
    worked_out.clear()
    same_as_from_scratch(input_dir, output, tmp_path)


def test_a_dataset_without_input_keys_keeps_nothing(built, tmp_path, worked_out):
    dataset = dataclasses.replace(validate_input(built[0]).dataset, group_inputs={})
    counted = shares.group_shares(dataset, TODAY, tmp_path)
    assert len(worked_out) == len(dataset.groups) == len(counted)
    assert not list(cache.cache_dir(tmp_path).glob(f"{shares.SHARES}*"))


def test_a_moodle_export_changed_works_out_its_group(copy, tmp_path, worked_out):
    input_dir, output = copy
    export = next((input_dir / "groups").glob("*.moodle.csv"))
    number = export.name.removesuffix(".moodle.csv")
    export.unlink()  # the export is optional: the group's test results go with it
    assert run(input_dir, output, today=TODAY) == 0
    assert worked_out == [number]
    worked_out.clear()
    same_as_from_scratch(input_dir, output, tmp_path)


def test_a_group_removed_leaves_the_shares_and_the_reports(copy, tmp_path, worked_out):
    input_dir, output = copy
    dataset = validate_input(input_dir).dataset
    gone = next(g for g in sorted(dataset.groups.values(), key=lambda g: g.number)
                if not g.issued and not (input_dir / g.file).with_suffix(".moodle.csv").exists())
    (input_dir / gone.file).unlink()
    assert run(input_dir, output, today=TODAY) == 0
    assert worked_out == []  # every other group's share is read back
    shard = cache.cache_dir(output) / shares.shard_name(shares.shard_of(gone.number))
    assert gone.number not in cache.read_value(shard, shard.name)
    summary = report_contents(output)["summary.xlsx"]["Группы"]
    assert not any(row[0] == gone.number for row in summary)
    same_as_from_scratch(input_dir, output, tmp_path)
