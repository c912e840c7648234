"""Building the typed Dataset from the loaded sheets, and the problems met while building it."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from builders import write_input
from builders_model import GROUP, ORG, D, add_row, keys, problems_of, rich_input, set_cell

from pipeline.core.dataset import Result, Source
from pipeline.intake.load import load_input
from pipeline.intake.model import build_dataset


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return load_input(write_input(tmp_path_factory.mktemp("input"), rich_input()))


def test_builds_every_record_with_its_source(loaded):
    dataset, problems = build_dataset(loaded, set())
    assert problems == []
    assert dataset.organization.head_id == "S1" and dataset.head.person.surname == "Петрова"
    program = dataset.programs["ПК-01"]
    assert (program.kind, program.hours, program.distance, program.min_attendance) == ("ПК", 16, False, 70)
    assert [(m.number, m.hours, m.src.row) for m in program.modules] == [(1, 16, 2)]
    commission = dataset.commissions["K1"]
    assert (commission.order_no, commission.order_date) == ("5-к", D(2025, 1, 10))
    assert [(m.staff_id, m.role) for m in commission.members] == [("S1", "председатель"), ("S2", "секретарь")]
    assert dataset.nomenclature["journal"].retention_years == 5
    assert dataset.nomenclature["order_enrolment"].retention_years is None
    learner = dataset.learners["L003"]
    assert (learner.person.full_name, learner.birth_date, learner.snils) == (
        "Ёлкин Пётр Фёдорович", D(2000, 1, 15), "111-222-333 72")
    assert learner.src == Source("learners.xlsx", "Слушатели", 4)
    assert dataset.source_hashes.keys() == {"organization.xlsx", "learners.xlsx", GROUP}


def test_builds_the_group(loaded):
    dataset, _ = build_dataset(loaded, set())
    group = dataset.groups["ПК-2025-01"]
    assert (group.program_code, group.start, group.end, group.final_date) == (
        "ПК-01", D(2025, 3, 3), D(2025, 3, 7), D(2025, 3, 7))
    assert (group.curator_id, group.commission_id, group.protocol_no, group.signed) == ("S2", "K1", "1", False)
    assert group.completed and group.file == GROUP and group.file_sha256 == loaded.hashes[GROUP]
    assert group.order("об отчислении").number == "13-о"
    expelled = group.member("L003")
    assert (expelled.expelled_early, expelled.expelled_on, expelled.expel_order) == (True, D(2025, 3, 4), "13-о")
    assert expelled.src == Source(GROUP, "Состав", 4)
    assert [(lesson.number, lesson.date, lesson.hours, lesson.module) for lesson in group.lessons][0] == (
        1, D(2025, 3, 3), 4, 1)
    assert [(m.learner_id, m.lesson, m.mark, m.src.row) for m in group.marks] == [
        ("L002", 2, "б", 3), ("L003", 1, "н", 4)]
    assert group.hours_missed("L002") == 4
    assert group.final_of("L004").result == Result("не зачтено")
    assert [(d.learner_id, d.document, d.reg_no) for d in group.issued][-1] == (
        "L003", "Справка об обучении", "4")


def test_signed_group(tmp_path):
    data = rich_input()
    set_cell(data, GROUP, "Группа", 0, "Документы подписаны", "да")
    dataset, _ = build_dataset(load_input(write_input(tmp_path, data)), set())
    assert dataset.groups["ПК-2025-01"].signed is True


def test_bad_rows_are_left_out(loaded):
    bad = {("learners.xlsx", "Слушатели", 2), (GROUP, "Занятия", 3), (GROUP, "Посещаемость", 4)}
    dataset, problems = build_dataset(loaded, bad)
    assert problems == []
    assert "L001" not in dataset.learners and "L002" in dataset.learners
    group = dataset.groups["ПК-2025-01"]
    assert [lesson.number for lesson in group.lessons] == [1, 3, 4]
    assert {m.learner_id for m in group.marks} == {"L002"}


def test_bad_group_parameter_skips_only_that_parameter(loaded):
    rows = loaded.frames[(GROUP, "Группа")].attrs["rows"]
    dataset, _ = build_dataset(loaded, {(GROUP, "Группа", rows["Номер протокола"])})
    assert dataset.groups["ПК-2025-01"].protocol_no is None
    dataset, _ = build_dataset(loaded, {(GROUP, "Группа", rows["Дата начала"])})
    assert dataset.groups == {}


def test_no_organization_sheet_gives_no_dataset(loaded):
    frames = {k: v for k, v in loaded.frames.items() if k != (ORG, "Организация")}
    dataset, _ = build_dataset(type(loaded)(loaded.input_dir, frames, loaded.specs, loaded.hashes), set())
    assert dataset is None


# --- problems met while building ---


def test_module_duplicate(tmp_path):
    data = rich_input()
    add_row(data, ORG, "Модули", {"Код программы": "ПК-01", "№ модуля": 1, "Наименование модуля": "Еще раз",
                                  "Объем, ак. ч": 16, "Форма промежуточной аттестации": "зачет"})
    assert keys(problems_of(tmp_path, data)) == {("module_duplicate", ORG, "Модули", 3, "№ модуля")}


def test_module_program_unknown(tmp_path):
    data = rich_input()
    add_row(data, ORG, "Модули", {"Код программы": "ПК-99", "№ модуля": 1, "Наименование модуля": "Чужой",
                                  "Объем, ак. ч": 16, "Форма промежуточной аттестации": "зачет"})
    assert keys(problems_of(tmp_path, data)) == {("module_program_unknown", ORG, "Модули", 3, "Код программы")}


def test_commission_order_mismatch(tmp_path):
    data = rich_input()
    set_cell(data, ORG, "Комиссии", 3, "Приказ №", "6-к")
    set_cell(data, ORG, "Комиссии", 3, "Дата приказа", dt.date(2025, 1, 11))
    problems = problems_of(tmp_path, data)
    assert keys(problems) == {
        ("commission_order_mismatch", ORG, "Комиссии", 3, "Приказ №"),
        ("commission_order_mismatch", ORG, "Комиссии", 3, "Дата приказа"),
    }
    dated = next(p for p in problems if p.column == "Дата приказа")
    assert (dated.value, dated.params["expected"]) == ("11.01.2025", "10.01.2025")


def test_group_duplicate_names_both_files(tmp_path):
    data = rich_input()
    copy_rel = "groups/ПК-2025-01_копия.xlsx"
    data[copy_rel] = copy.deepcopy(data[GROUP])
    problems = problems_of(tmp_path, data)
    assert keys(problems) == {("group_duplicate", copy_rel, "Группа", 2, "Номер группы")}
    assert problems[0].params["other_file"] == GROUP
