"""The expert commission's cycle (issue 16, item 6): its sheets in organization.xlsx, and `dispose` only after
the протокол that approves the act is recorded.

The guard is tried the way an attacker or a tired staff member would: no протокол at all, a протокол of
another act, one dated before the act, one dated after today, one held before the order that appointed the
commission, one of a composition without a secretary; each leaves every filed file as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from archive_fixture import EK_ORDER, EK_SRC, approving, dataset, group, input_approving, rendered
from click.testing import CliRunner

from pipeline.archive import disposal
from pipeline.archive.bag import sha256_file
from pipeline.archive.disposal import dispose, prepare_act
from pipeline.archive.expert import ExpertRecord, approving_meeting
from pipeline.archive.filing import archive_documents
from pipeline.cli import main
from pipeline.core.dataset import CommissionMember, ExpertMeeting, ExpertOrder, Source
from pipeline.core.errors import UchetError
from pipeline.core.messages import render
from pipeline.intake.expert_sheets import in_force
from pipeline.intake.validate import validate_input

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
JOURNAL = "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01.docx"
MEETINGS = Source("organization.xlsx", "Заседания ЭК", 5)


def snapshot(archive: Path) -> dict[str, str]:
    return {p.relative_to(archive).as_posix(): sha256_file(p) for p in sorted(archive.rglob("*")) if p.is_file()}


@pytest.fixture
def archive(tmp_path, monkeypatch):
    monkeypatch.setattr(disposal, "clock_today", lambda: D(2031, 3, 1))
    ds = dataset()
    root = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), root, today=D(2026, 3, 1))
    prepare_act(root, D(2031, 1, 15))
    return root


def meeting(day: dt.date, *acts: int, number: str = "3") -> ExpertMeeting:
    return ExpertMeeting(number, day, acts, (), MEETINGS)


EXECUTED_ON = D(2031, 2, 1)


def refused(archive: Path, expert: ExpertRecord, today: dt.date = EXECUTED_ON) -> str:
    before = snapshot(archive)
    with pytest.raises(UchetError) as caught:
        dispose(archive, 1, confirm=True, today=today, expert=expert)
    assert snapshot(archive) == before, "a refused act changed the archive"
    message = str(caught.value)
    assert "Ничего не удалено" in message and "Заседания ЭК" in message
    return message


def test_an_act_cannot_be_executed_before_its_protocol(archive):
    message = refused(archive, ExpertRecord((EK_ORDER,), ()))
    assert "Акт № 1 от 15.01.2031 не утвержден экспертной комиссией" in message and "«Утверждены акты №»" in message



def test_the_preview_tells_the_very_refusal_confirm_would_stop_with(archive):
    """Without --confirm `dispose` shows what it would remove and why the act cannot be carried out yet: the same
    message, naming the same act, that --confirm stops with."""
    expert = ExpertRecord((EK_ORDER,), ())
    preview = dispose(archive, 1, confirm=False, today=EXECUTED_ON, expert=expert)
    assert (preview.removed, preview.approved_by) == ([JOURNAL], None)
    assert preview.not_approved == refused(archive, expert)
    assert preview.not_approved.startswith(
        "Акт № 1 от 15.01.2031 не утвержден экспертной комиссией: на листе «Заседания ЭК» (organization.xlsx) нет "
        "протокола, в столбце «Утверждены акты №» которого указан акт № 1. Ничего не удалено.")


def test_a_protocol_of_another_act_does_not_approve_this_one(archive):
    message = refused(archive, ExpertRecord((EK_ORDER,), (meeting(D(2031, 1, 20), 2),)))
    assert "указан акт № 1" in message


def test_a_protocol_dated_before_the_act_does_not_approve_it(archive):
    message = refused(archive, ExpertRecord((EK_ORDER,), (meeting(D(2031, 1, 14), 1),)))
    assert "протокол № 3 от 14.01.2031 (лист «Заседания ЭК», строка 5) датирован раньше самого акта (15.01.2031)" \
        in message


def test_a_protocol_dated_after_today_does_not_approve_it(archive):
    message = refused(archive, ExpertRecord((EK_ORDER,), (meeting(D(2031, 2, 2), 1),)), today=D(2031, 2, 1))
    assert "датирован позже сегодняшнего дня (01.02.2031)" in message


def test_a_protocol_of_a_commission_appointed_after_the_meeting_does_not_approve_it(archive):
    later = ExpertOrder("9-о", D(2031, 1, 21), EK_ORDER.members, EK_SRC)
    message = refused(archive, ExpertRecord((later,), (meeting(D(2031, 1, 20), 1),)))
    assert "в день заседания экспертной комиссии еще не было — первый приказ о ее составе датирован 21.01.2031" \
        in message


def test_a_protocol_of_a_commission_without_a_secretary_does_not_approve_it(archive):
    chair_only = ExpertOrder("9-о", D(2030, 1, 1), (CommissionMember("0002", "председатель", EK_SRC),), EK_SRC)
    message = refused(archive, ExpertRecord((chair_only,), (meeting(D(2031, 1, 20), 1),)))
    assert "нет роли «секретарь»" in message


def test_a_later_valid_protocol_approves_even_when_an_earlier_row_is_wrong(archive):
    """A протокол typed with a wrong date first, then the right one: the right one counts, and only it."""
    expert = ExpertRecord((EK_ORDER,), (meeting(D(2031, 1, 2), 1, number="1"), meeting(D(2031, 1, 20), 1, number="2")))
    report = dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=expert)
    assert report.removed == [JOURNAL] and report.approved_by.protocol_no == "2"
    assert not (archive / JOURNAL).exists()


def test_the_meeting_is_held_by_the_composition_in_force_that_day():
    first = ExpertOrder("1-о", D(2024, 1, 10), (), EK_SRC)
    second = ExpertOrder("7-о", D(2026, 5, 1), (), EK_SRC)
    assert in_force((first, second), D(2026, 4, 30)) is first
    assert in_force((first, second), D(2026, 5, 1)) is second
    assert in_force((first, second), D(2024, 1, 9)) is None
    verdict = approving_meeting(1, D(2026, 4, 1), D(2026, 6, 1), ExpertRecord((second,), (meeting(D(2026, 4, 30), 1),)))
    assert verdict.meeting is None and "еще не было" in verdict.reasons[0]


def test_preview_says_the_act_is_not_approved_yet_and_confirm_refuses(archive, tmp_path):
    source = tmp_path / "input"
    source.mkdir()
    shutil.copyfile(ROOT / "input/organization.xlsx", source / "organization.xlsx")
    runner = CliRunner()
    out = str(archive.parent)
    preview = runner.invoke(main, ["dispose", "--act", "1", "--today", "2031-02-01", "--output", out, "--input", str(source)])
    assert preview.exit_code == 0 and "Будет удален" in preview.output and "не утвержден экспертной комиссией" in preview.output
    before = snapshot(archive)
    result = runner.invoke(main, ["dispose", "--act", "1", "--confirm", "--today", "2031-02-01", "--output", out,
                                  "--input", str(source)])
    assert result.exit_code == 2 and "не утвержден экспертной комиссией" in result.output and "Traceback" not in result.output
    assert snapshot(archive) == before


def test_dispose_from_the_workbook_after_the_meeting_is_recorded(archive, tmp_path):
    source = input_approving(tmp_path / "input", {1: D(2031, 1, 20)})
    result = CliRunner().invoke(main, ["dispose", "--act", "1", "--confirm", "--today", "2031-02-01", "--output",
                                       str(archive.parent), "--input", str(source)])
    assert result.exit_code == 0, result.output
    assert "Акт утвержден протоколом ЭК № 11 от 20.01.2031." in result.output and not (archive / JOURNAL).exists()


def test_approving_helper_is_a_real_meeting(archive):
    """The tests' shortcut is what a valid row makes: a meeting on the act's date by an order before it."""
    expert = approving(archive, 1)
    assert approving_meeting(1, D(2031, 1, 15), D(2031, 2, 1), expert).meeting is expert.meetings[0]


# --- the sheets, checked by `uchet validate` -----------------------------------------------------------


def _input(tmp_path: Path, edit) -> Path:
    source = tmp_path / "input"
    shutil.copytree(ROOT / "input", source)
    wb = openpyxl.load_workbook(source / "organization.xlsx")
    edit(wb)
    wb.save(source / "organization.xlsx")
    return source


def _problems(source: Path) -> list:
    return [p for p in validate_input(source).problems if p.sheet in ("Экспертная комиссия", "Заседания ЭК",
                                                                     "Номенклатура дел")]


def test_sample_has_the_commission_and_its_first_meeting():
    ds = validate_input(ROOT / "input").dataset
    [order] = ds.expert_orders
    assert (order.order_no, order.order_date) == ("2-о", D(2024, 12, 20))
    assert {m.role for m in order.members} == {"председатель", "член комиссии", "секретарь"}
    assert [(m.protocol_no, m.date, m.case_indexes) for m in ds.expert_meetings] == [
        ("1", D(2025, 1, 15), ("03-05", "03-06"))]
    assert "ЭК" not in ds.commissions


@pytest.mark.parametrize("edit, code, row, column", [
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2024, 12, 1), "1", None]),
     "expert_meeting_before_order", 3, "Дата заседания"),
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2025, 3, 1), "1, два", None]),
     "expert_acts_bad", 3, "Утверждены акты №"),
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2025, 3, 1), None, "03-05, 99-99"]),
     "expert_index_unknown", 3, "Утверждены сроки (индексы дел)"),
    (lambda wb: wb["Экспертная комиссия"].append(["2-о", dt.datetime(2024, 12, 20), "член комиссии", "9999"]),
     "ref_staff_unknown", 5, "Табельный №"),
    (lambda wb: wb["Экспертная комиссия"].append(["2-о", dt.datetime(2024, 12, 21), "член комиссии", "0005"]),
     "expert_order_date_mismatch", 5, "Дата приказа"),
    (lambda wb: wb["Экспертная комиссия"].delete_rows(4),  # the secretary's row
     "expert_no_secretary", 2, "Роль"),
    (lambda wb: wb["Экспертная комиссия"].delete_rows(2),  # the chair's row
     "expert_no_chair", 2, "Роль"),
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2025, 3, 1), None, "03-01"]),
     "nomenclature_approved_by_protocol", None, "Статус"),
], ids=["meeting-before-order", "acts-not-numbers", "unknown-index", "unknown-staff", "two-dates-of-one-order",
        "no-secretary", "no-chair", "status-lags-the-protocol"])
def test_sheet_problems_name_file_sheet_row_and_column(tmp_path, edit, code, row, column):
    problems = [p for p in _problems(_input(tmp_path, edit)) if p.code == code]
    assert problems, code
    problem = problems[0]
    assert problem.file == "organization.xlsx" and problem.column == column
    if row is not None:
        assert problem.row == row
    what, fix = render(problem)
    assert what and fix and "{" not in what + fix and "}" not in what + fix, (what, fix)
    assert (problem.severity == "warning") == (code == "nomenclature_approved_by_protocol")


_EXPERT_CODES = ("expert_meeting_before_order", "expert_acts_bad", "expert_index_unknown", "ref_staff_unknown",
                 "expert_order_date_mismatch", "expert_no_secretary", "expert_no_chair", "commission_two_chairs",
                 "nomenclature_approved_by_protocol")


@pytest.mark.parametrize("edit, expected", [
    # A meeting before the commission was appointed names the meeting's day, the first order's date and the протокол.
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2024, 12, 1), "1", None]),
     [("expert_meeting_before_order", 3, "Дата заседания", "01.12.2024", {"first": "20.12.2024", "protocol": "2"})]),
    # With no order at all there is no first date to name.
    (lambda wb: wb["Экспертная комиссия"].delete_rows(2, 3),
     [("expert_meeting_before_order", 2, "Дата заседания", "15.01.2025", {"first": "—", "protocol": "1"})]),
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2025, 3, 1), None, "03-05, 99-99"]),
     [("expert_index_unknown", 3, "Утверждены сроки (индексы дел)", "99-99", {})]),
    (lambda wb: wb["Экспертная комиссия"].append(["2-о", dt.datetime(2024, 12, 20), "член комиссии", "9999"]),
     [("ref_staff_unknown", 5, "Табельный №", "9999", None)]),
    # The order without a secretary or a chair is named by its number.
    (lambda wb: wb["Экспертная комиссия"].delete_rows(4), [("expert_no_secretary", 2, "Роль", "2-о", {})]),
    (lambda wb: wb["Экспертная комиссия"].delete_rows(2), [("expert_no_chair", 2, "Роль", "2-о", {})]),
    # A second chair in one order is told on its own row.
    (lambda wb: wb["Экспертная комиссия"].append(["2-о", dt.datetime(2024, 12, 20), "председатель", "0005"]),
     [("commission_two_chairs", 5, "Роль", "председатель", {})]),
    # Only the row the протокол approved and «Статус» does not yet say so; the rows already approved are quiet.
    (lambda wb: wb["Заседания ЭК"].append(["2", dt.datetime(2025, 3, 1), None, "03-01"]),
     [("nomenclature_approved_by_protocol", 10, "Статус", "03-01", {})]),
], ids=["meeting-before-order", "meeting-without-any-order", "unknown-index", "unknown-staff", "no-secretary",
        "no-chair", "two-chairs", "status-lags-the-protocol"])
def test_each_commission_problem_names_exactly_the_value_staff_must_look_at(tmp_path, edit, expected):
    problems = [p for p in validate_input(_input(tmp_path, edit)).problems if p.code in _EXPERT_CODES]
    got = [(p.code, p.row, p.column, p.value, {k: v for k, v in p.params.items() if k != "col"}) for p in problems]
    assert got == [(code, row, column, value, params if params is not None else got[0][4])
                   for code, row, column, value, params in expected]
    assert not [p for p in validate_input(ROOT / "input").problems if p.code in _EXPERT_CODES]


def test_an_older_workbook_with_the_commission_coded_ek_on_komissii_still_signs_acts(tmp_path):
    """Before the sheet existed the ЭК was the commission «ЭК» on «Комиссии»: such a workbook keeps working."""
    def legacy(wb):
        rows = [[c.value for c in r] for r in wb["Экспертная комиссия"].iter_rows(min_row=2) if r[0].value]
        del wb["Экспертная комиссия"]
        for number, date, role, staff in rows:
            wb["Комиссии"].append(["ЭК", role, staff, number, date])

    from pipeline.archive.act_people import load_people

    people = load_people(_input(tmp_path, legacy))
    assert people.chair.name == "А.П.\u00a0Беляев" and people.commission_order == ("2-о", D(2024, 12, 20))


# --- the act on personal data (item 7) --------------------------------------------------------------------


def test_dispose_writes_the_act_on_destroyed_personal_data_beside_the_archival_act(archive, tmp_path):
    import docx

    from pipeline.archive.records import read_learners
    from pipeline.archive.verify import verify_archive

    learners = read_learners(archive / "2024/ПК-2024-01")
    assert learners
    source = input_approving(tmp_path / "input", {1: D(2031, 1, 20)})
    result = CliRunner().invoke(main, ["dispose", "--act", "1", "--confirm", "--today", "2031-02-01", "--output",
                                       str(archive.parent), "--input", str(source)])
    assert result.exit_code == 0, result.output
    path = archive / "acts/act-1-pd.docx"
    assert "Акт об уничтожении персональных данных" in result.output and path.is_file()
    d = docx.Document(str(path))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    # Требования (приказ Роскомнадзора № 179): operator and address, subjects, categories, carriers with sheets,
    # information system, method, reason, date, who destroyed with positions and signatures
    assert "АКТ" in text and "об уничтожении персональных данных" in text and "№ 1-ПД" in text
    assert "Эко-Образование" in text and "адрес: 123456, г. Москва" in text
    for row in learners:
        assert row.name in text, "a subject is missing"
    assert "Журнал учета занятий" in text and "посещаемость занятий" in text
    assert "информационной системы" in text and "электронный архив документов учебной части" in text
    assert "истечение срока хранения" in text and "152-ФЗ" in text and "1 февраля 2031 г." in text
    assert "акт о выделении к уничтожению архивных документов, не подлежащих хранению, № 1 от 15.01.2031" in text
    assert "протоколом ЭК № 11 от 20.01.2031" in text
    assert "Председатель экспертной комиссии, заместитель директора по учебной работе" in text
    assert "А.П. Беляев" in text and "М.С. Ёжикова" in text and "Акт хранится три года" in text
    # filed with the act: in the acts' tag manifest, and verify misses it when it is gone
    manifest = (archive / "acts/tagmanifest-sha256.txt").read_text(encoding="utf-8")
    assert f"{sha256_file(path)}  acts/act-1-pd.docx" in manifest
    assert verify_archive(archive).clean
    path.unlink()
    report = verify_archive(archive)
    assert ("acts/act-1-pd.docx", "указан в acts/tagmanifest-sha256.txt, но файла нет") in report.missing


def test_the_act_on_personal_data_names_the_learners_of_every_folder_the_act_destroyed_in(tmp_path, monkeypatch):
    """An act over the journals of two groups destroys personal data in both folders: the act on personal data
    names every learner of each (two learners in each of two groups: four subjects), not one folder's."""
    monkeypatch.setattr(disposal, "clock_today", lambda: D(2031, 3, 1))
    ds = dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)), group("ПК-2024-03", D(2024, 4, 1), D(2024, 7, 31)))
    root = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), root, today=D(2026, 3, 1))
    act, _ = prepare_act(root, D(2031, 1, 15))
    assert {d["bag"] for c in act.cases for d in c.documents} == {"2024/ПК-2024-01", "2024/ПК-2024-03"}
    report = dispose(root, 1, confirm=True, today=D(2031, 2, 1), expert=approving(root, 1))
    d = docx.Document(str(report.pd_act))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    assert "Субъекты персональных данных, чьи данные уничтожены (4):" in text
    assert "ПК-2024-01" in text and "ПК-2024-03" in text


def _table_rows(path: Path, header: str) -> list[tuple[str, ...]]:
    """The body rows of the act's table whose second header cell is header (none of these lists is split)."""
    [table] = [t for t in docx.Document(str(path)).tables if t.rows and t.rows[0].cells[1].text == header]
    return [tuple(c.text.replace("\u00a0", " ").replace("\u2011", "-") for c in r.cells[1:]) for r in table.rows[1:]]


def test_the_act_on_personal_data_counts_only_what_this_act_destroyed_with_the_sheets_of_its_paper_copy(
        tmp_path, monkeypatch):
    """Act 2 was drawn before act 1 was carried out, so it lists ПК-2024-01's journal too, which act 1 has
    destroyed by the time act 2 is carried out. Act 2 destroys personal data only in ПК-2025-03: its act on
    personal data names those learners and that journal, not the learners of the folder it found already
    emptied (a folder passed over does not stop the folders after it), and gives the journal's sheets from
    the list of PDF/A copies (pdfa/renditions.csv), as the carriers' table asks (приказ Роскомнадзора № 179)."""
    import csv

    from pipeline.archive.records import read_documents
    from pipeline.paper import renditions

    monkeypatch.setattr(disposal, "clock_today", lambda: D(2032, 1, 1))
    ds = dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)), group("ПК-2025-03", D(2025, 4, 1), D(2025, 7, 31)))
    root = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), root, today=D(2026, 3, 1))
    first, _ = prepare_act(root, D(2030, 6, 1))  # the 2024 journal's term ended on 1 January 2030, 2025's not yet
    second, _ = prepare_act(root, D(2031, 1, 15))
    assert {d["bag"] for c in first.cases for d in c.documents} == {"2024/ПК-2024-01"}
    assert {d["bag"] for c in second.cases for d in c.documents} == {"2024/ПК-2024-01", "2025/ПК-2025-03"}
    journals = {bag: next(r for r in read_documents(root / bag) if r.carrier == "journal")
                for bag in ("2024/ПК-2024-01", "2025/ПК-2025-03")}
    (root / renditions.FOLDER).mkdir()
    with open(root / renditions.FOLDER / renditions.LIST, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=renditions.FIELDS)
        writer.writeheader()
        for (bag, r), pages in zip(journals.items(), (5, 3), strict=True):
            writer.writerow({"pdf": f"{bag}/{r.file}.pdf", "source": f"{bag}/{r.file}", "source_sha256": r.sha256,
                             "sha256": "0" * 64, "pages": pages, "pdfa": "2B"})
    dispose(root, 1, confirm=True, today=D(2030, 7, 1), expert=approving(root, 1))
    report = dispose(root, 2, confirm=True, today=D(2031, 2, 1), expert=approving(root, 1, 2))
    assert report.pd_act == root / "acts/act-2-pd.docx"
    assert _table_rows(report.pd_act, "Фамилия, имя, отчество") == [
        ("Иванов Иван Иванович", "слушатель, группа ПК-2025-03"), ("Пётр Йорн", "слушатель, группа ПК-2025-03")]
    assert _table_rows(report.pd_act, "Наименование носителя (документа)") == [("Журнал учета занятий ПК-2025-03", "3")]


def test_verify_misses_the_act_on_personal_data_never_written(archive):
    """An act carried out that destroyed learners' documents but has no act on personal data at all (nor a
    hash of one): verify names it."""
    from pipeline.archive.verify import verify_archive

    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    manifest = archive / "acts/tagmanifest-sha256.txt"
    manifest.write_text("".join(line + "\n" for line in manifest.read_text(encoding="utf-8").splitlines()
                                if "act-1-pd.docx" not in line), encoding="utf-8")
    (archive / "acts/act-1-pd.docx").unlink()
    report = verify_archive(archive)
    assert any(path == "acts/act-1-pd.docx" and "акта об уничтожении персональных данных нет" in what
               for path, what in report.missing), report.missing
    assert not report.clean


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("n_carriers", [1, 30])
def test_the_act_on_personal_data_as_the_signer_sees_it(tmp_path, n_carriers):
    """Many subjects and carriers: the signatures never stand alone on the last page, no word is split."""
    import subprocess

    from pipeline.archive.pd_act import Carrier, Destroyer, PdAct, pd_act_docx
    from pipeline.render.page_check import check_pdf

    act = PdAct(1, "№ 1 от 15.01.2031", "протоколом ЭК № 3 от 20.01.2031", D(2031, 2, 1),
                "ЧОУ ДПО «Эко-Образование & Партнеры»", "123456, г. Москва, ул. Лесная, д. 7",
                tuple((f"Константинопольский-Преображенский Александр {n}", "ПК-2024-01") for n in range(40)),
                tuple(Carrier(f"Личная карточка слушателя № {n}", "learner_card", 1) for n in range(n_carriers))
                + (Carrier("Журнал учета занятий ПК-2024-01", "journal", None),),
                (Destroyer("Председатель экспертной комиссии, заместитель директора", "А.П.\u00a0Беляев"),
                 Destroyer("Секретарь комиссии, методист", "М.С.\u00a0Ёжикова")))
    path = tmp_path / "pd.docx"
    path.write_bytes(pd_act_docx(act))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    assert [p.message("pd") for p in check_pdf(tmp_path / "pd.pdf", path)] == []

