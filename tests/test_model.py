"""Building the typed Dataset from the loaded sheets, and the problems met while building it."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from builders import write_input
from builders_model import GROUP, ORG, D, add_row, keys, problems_of, rich_input, set_cell

from pipeline.core.dataset import Result, Source
from pipeline.intake.validate import validate_input
from pipeline.intake.workbook_check import Frames, build_objects, load_and_check
from schemas import GROUP_FILE, LEARNERS_FILE, ORGANIZATION_FILE


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_input(tmp_path_factory.mktemp("input"), rich_input())


@pytest.fixture(scope="module")
def validation(folder):
    return validate_input(folder)


def built(folder, rel, kind, bad=(), leave_out=None):
    """One workbook's model objects as validation builds them, with the rows in `bad` left out
    (and without the sheet `leave_out`); the problems met building them must be none."""
    checked = load_and_check(folder, [(rel, kind)])
    frames = {key: frame for key, frame in checked.frames.items() if key != (rel, leave_out)}
    problems = []
    objects, _row = build_objects(Frames(frames, checked.hashes), rel, kind, set(bad), problems)
    assert problems == []
    return objects


def test_builds_every_record_with_its_source(validation):
    dataset, problems = validation.dataset, validation.problems
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


def test_builds_the_group(validation):
    dataset = validation.dataset
    group = dataset.groups["ПК-2025-01"]
    assert (group.program_code, group.start, group.end, group.final_date) == (
        "ПК-01", D(2025, 3, 3), D(2025, 3, 7), D(2025, 3, 7))
    assert (group.curator_id, group.commission_id, group.protocol_no, group.signed) == ("S2", "K1", "1", False)
    assert group.completed and group.file == GROUP and group.file_sha256 == dataset.source_hashes[GROUP]
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
    dataset = validate_input(write_input(tmp_path, data)).dataset
    assert dataset.groups["ПК-2025-01"].signed is True


def test_bad_rows_are_left_out(folder):
    bad = {("learners.xlsx", "Слушатели", 2), (GROUP, "Занятия", 3), (GROUP, "Посещаемость", 4)}
    learners = built(folder, "learners.xlsx", LEARNERS_FILE, bad)["learners"]
    assert "L001" not in learners and "L002" in learners
    group = built(folder, GROUP, GROUP_FILE, bad)
    assert [lesson.number for lesson in group.lessons] == [1, 3, 4]
    assert {m.learner_id for m in group.marks} == {"L002"}


def test_bad_group_parameter_skips_only_that_parameter(folder):
    rows = load_and_check(folder, [(GROUP, GROUP_FILE)]).frames[(GROUP, "Группа")].attrs["rows"]
    group = built(folder, GROUP, GROUP_FILE, {(GROUP, "Группа", rows["Номер протокола"])})
    assert group.protocol_no is None
    assert built(folder, GROUP, GROUP_FILE, {(GROUP, "Группа", rows["Дата начала"])}) is None


def test_no_organization_sheet_gives_no_organization(folder):
    assert built(folder, ORG, ORGANIZATION_FILE)["organization"] is not None
    assert built(folder, ORG, ORGANIZATION_FILE, leave_out="Организация")["organization"] is None


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
