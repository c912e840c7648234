"""Disposal only by the act, only when due (issue 13, item 3).

Each test does first what staff (or a fault) did, then checks that every file filed before still exists
with the same bytes, apart from those destroyed under a valid act whose term had come.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from archive_fixture import approving, dataset, group, input_approving, rendered
from click.testing import CliRunner

from pipeline.archive import disposal
from pipeline.archive.act_people import ActPeople
from pipeline.archive.bag import sha256_file
from pipeline.archive.disposal import dispose, prepare_act, read_act
from pipeline.archive.filing import archive_documents
from pipeline.archive.records import read_documents
from pipeline.archive.verify import verify_archive
from pipeline.cli import main
from pipeline.core.errors import UchetError

D = dt.date
SAMPLE_INPUT = Path(__file__).resolve().parents[1] / "input"
JOURNAL = "2024/ПК-2024-01/data/Журнал учета занятий ПК-2024-01.docx"
PROTOCOL = "2024/ПК-2024-01/data/Протокол заседания аттестационной комиссии ПК-2024-01.docx"
ORDER = "2024/ПК-2024-01/data/Приказ об окончании обучения и отчислении ПК-2024-01.docx"


def snapshot(archive: Path) -> dict[str, str]:
    """SHA-256 of every file filed in a bag's payload."""
    return {p.relative_to(archive).as_posix(): sha256_file(p) for p in sorted(archive.glob("*/*/data/**/*"))
            if p.is_file()}


def assert_kept(before: dict[str, str], archive: Path, destroyed: set[str] = frozenset()) -> None:
    """Every file of `before` is still there, byte for byte, except those a due act destroyed."""
    after = snapshot(archive)
    lost = {p for p in before if p not in after} - set(destroyed)
    changed = {p for p in before if p in after and after[p] != before[p]}
    assert not lost and not changed, (lost, changed)
    assert not set(destroyed) & set(after)


@pytest.fixture
def clock(monkeypatch):
    """Set the computer's clock as disposal sees it."""

    def set_to(day: dt.date) -> None:
        monkeypatch.setattr(disposal, "clock_today", lambda: day)

    set_to(D(2026, 12, 3))
    return set_to


@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "output/archive", today=D(2026, 3, 1))
    return tmp_path / "output/archive"


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_disposal_refuses_a_date_after_today(archive, clock):
    before = snapshot(archive)
    result = _cli("disposal", "--as-of", "2031-01-15", "--output", str(archive.parent), "--input", str(SAMPLE_INPUT))
    assert result.exit_code == 2, result.output
    assert ("Дата акта 15.01.2031 позже сегодняшней даты (03.12.2026). Уничтожать можно только документы, срок "
            "хранения которых уже истек: укажите сегодняшнюю или прошедшую дату. Ничего не изменено.") in \
        " ".join(result.output.split()) and "Traceback" not in result.output
    assert not (archive / "acts").exists()
    assert_kept(before, archive)


def test_dispose_refuses_a_date_after_today(archive, clock):
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    before = snapshot(archive)
    result = _cli("dispose", "--act", "1", "--confirm", "--today", "2031-06-01", "--output", str(archive.parent))
    assert result.exit_code == 2
    assert ("Дата исполнения акта 01.06.2031 позже сегодняшней даты (15.01.2031). Уничтожать можно только "
            "документы, срок хранения которых уже истек: укажите сегодняшнюю или прошедшую дату. Ничего не изменено."
            ) in " ".join(result.output.split())
    assert_kept(before, archive)


def _legacy_act(archive: Path, as_of: dt.date) -> None:
    """An act as the previous version drew it up: any date, no list hash, no tag manifest."""
    path = archive / "acts/act-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("list_sha256")
    data["date"] = as_of.isoformat()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (archive / "acts/tagmanifest-sha256.txt").unlink()


def _legacy_act_carried_out_in_2026(archive: Path, clock, act_date: dt.date):
    """An act prepared in 2031 and rewritten as the old version would have dated it (act_date); the clock
    is then set back to 03.12.2026, the day it is carried out. Returns the archive's snapshot at that point."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    _legacy_act(archive, act_date)
    clock(D(2026, 12, 3))
    return snapshot(archive)


def test_dispose_refuses_documents_whose_term_has_not_come(archive, clock):
    """An act drawn up by the old version for 15.01.2031, carried out in 2026: nothing may go."""
    before = _legacy_act_carried_out_in_2026(archive, clock, D(2026, 12, 1))
    with pytest.raises(UchetError) as refused:
        dispose(archive, 1, confirm=True, today=D(2026, 12, 3), expert=approving(archive, 1))
    assert str(refused.value) == (
        f"Акт № 1 нельзя исполнить 03.12.2026: срок хранения еще не истек у 1 документа: {JOURNAL} — не ранее "
        "01.01.2030. Ничего не удалено. Исполнить этот акт можно не ранее 01.01.2030, или составьте новый акт на "
        "сегодняшнюю дату (в него войдут только документы, срок хранения которых истек).")
    assert_kept(before, archive)
    assert all(r.kept for r in read_documents(archive / "2024/ПК-2024-01"))
    assert not (archive / "disposal_register.csv").exists()


def _doc(folder: str, title: str) -> str:
    return f"{folder}/data/{title} {folder.split('/')[1]}.docx"


def _three_groups_act_carried_out_in_2026(tmp_path: Path, clock, drawn_up: dt.date) -> Path:
    """Two groups that ended in 2024 and one in 2025, filed; an act drawn up on `drawn_up` (by 2080: their
    journals, 5 years, and протоколы, 50 years ЭПК; by 2031: the journals) and rewritten as the old version would
    have dated it, 01.12.2026; the clock then set to 03.12.2026, the day staff try to carry it out."""
    ds = dataset(group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)), group("ПК-2024-02", D(2024, 9, 1), D(2024, 11, 29)),
                 group("ПК-2025-03", D(2025, 3, 1), D(2025, 6, 30)))
    archive = tmp_path / "output/archive"
    archive_documents(ds, rendered(tmp_path / "build", ds), archive, today=D(2026, 3, 1))
    clock(drawn_up)
    prepare_act(archive, drawn_up)
    _legacy_act(archive, D(2026, 12, 1))
    clock(D(2026, 12, 3))
    return archive


def _refusal(archive: Path) -> str:
    before = snapshot(archive)
    with pytest.raises(UchetError) as refused:
        dispose(archive, 1, confirm=True, today=D(2026, 12, 3), expert=approving(archive, 1))
    assert_kept(before, archive)
    assert not (archive / "disposal_register.csv").exists()
    return str(refused.value)


def test_an_act_carried_out_early_names_five_documents_not_yet_due_counts_the_rest_and_says_when_it_may_be_done(
        tmp_path, clock):
    """The term of a case runs from 1 January after it closed (journals 5 years, протоколы 50): a group that
    ended in 2024 may lose its journal from 01.01.2030 and its протокол from 01.01.2075, one that ended in 2025
    a year later. Six documents are not yet due: the first five (folder by folder, in the act's order of cases)
    are named with their day, the sixth is counted; the act as a whole may be carried out from the latest day,
    which only the sixth document has."""
    archive = _three_groups_act_carried_out_in_2026(tmp_path, clock, D(2080, 1, 15))
    journal, protocol = "Журнал учета занятий", "Протокол заседания аттестационной комиссии"
    assert _refusal(archive) == (
        "Акт № 1 нельзя исполнить 03.12.2026: срок хранения еще не истек у 6 документов: "
        f"{_doc('2024/ПК-2024-01', journal)} — не ранее 01.01.2030; "
        f"{_doc('2024/ПК-2024-01', protocol)} — не ранее 01.01.2075; "
        f"{_doc('2024/ПК-2024-02', journal)} — не ранее 01.01.2030; "
        f"{_doc('2024/ПК-2024-02', protocol)} — не ранее 01.01.2075; "
        f"{_doc('2025/ПК-2025-03', journal)} — не ранее 01.01.2031; "
        "и еще 1 документ. Ничего не удалено. "
        "Исполнить этот акт можно не ранее 01.01.2076, или составьте новый акт на сегодняшнюю дату "
        "(в него войдут только документы, срок хранения которых истек).")


@pytest.mark.parametrize("drawn_up, taken_out, listed, latest", [
    (D(2031, 1, 15), [],
     [("2024/ПК-2024-01", "Журнал учета занятий", "01.01.2030"),
      ("2024/ПК-2024-02", "Журнал учета занятий", "01.01.2030"),
      ("2025/ПК-2025-03", "Журнал учета занятий", "01.01.2031")], "01.01.2031"),
    (D(2080, 1, 15), [_doc("2025/ПК-2025-03", "Протокол заседания аттестационной комиссии")],
     [("2024/ПК-2024-01", "Журнал учета занятий", "01.01.2030"),
      ("2024/ПК-2024-01", "Протокол заседания аттестационной комиссии", "01.01.2075"),
      ("2024/ПК-2024-02", "Журнал учета занятий", "01.01.2030"),
      ("2024/ПК-2024-02", "Протокол заседания аттестационной комиссии", "01.01.2075"),
      ("2025/ПК-2025-03", "Журнал учета занятий", "01.01.2031")], "01.01.2075"),
], ids=["three", "five"])
def test_an_act_with_five_documents_not_yet_due_or_fewer_names_every_one(tmp_path, clock, drawn_up, taken_out, listed,
                                                                         latest):
    """Up to five documents not yet due are all named, and none is counted: an act drawn up by 2031 lists the three
    journals; one drawn up by 2080 with the last протокол taken out of it lists five documents."""
    archive = _three_groups_act_carried_out_in_2026(tmp_path, clock, drawn_up)
    path = archive / "acts/act-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    listed_before = [f"{d['bag']}/{d['file']}" for c in data["cases"] for d in c["documents"]]
    assert set(taken_out) <= set(listed_before)
    for c in data["cases"]:
        c["documents"] = [d for d in c["documents"] if f"{d['bag']}/{d['file']}" not in taken_out]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    named = "; ".join(f"{_doc(folder, title)} — не ранее {day}" for folder, title, day in listed)
    assert _refusal(archive) == (
        f"Акт № 1 нельзя исполнить 03.12.2026: срок хранения еще не истек у {len(listed)} документов: {named}. "
        f"Ничего не удалено. Исполнить этот акт можно не ранее {latest}, или составьте новый акт на сегодняшнюю "
        "дату (в него войдут только документы, срок хранения которых истек).")


def test_an_act_listing_documents_kept_for_good_is_refused_with_their_retention_and_never_carried_out(
        tmp_path, clock):
    """An act the old version drew up, with the year's issue book (kept «постоянно») and a group's order (kept «до
    ликвидации организации») added to it: neither has a day from which it may be destroyed, so each is named
    with its retention as the номенклатура gives it, and staff are told that this act can never be carried out.
    The six справки об обучении of the three groups are in it too (5 years, not yet due either): fourteen documents
    not yet due, five named, nine counted."""
    archive = _three_groups_act_carried_out_in_2026(tmp_path, clock, D(2080, 1, 15))
    path = archive / "acts/act-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    added = [(folder, r) for folder in ("2024/_год", "2024/ПК-2024-01", "2024/ПК-2024-02", "2025/ПК-2025-03")
             for r in read_documents(archive / folder)
             if (folder, r.carrier) in (("2024/_год", "issue_register"), ("2024/ПК-2024-01", "order_graduation"))
             or r.carrier == "study_certificate"]
    assert [r.destroy_not_before for _, r in added] == ["", "", "2030-01-01", "2030-01-01", "2030-01-01",
                                                        "2030-01-01", "2031-01-01", "2031-01-01"]
    for folder, r in added:
        data["cases"][-1]["documents"].append({"bag": folder, "file": r.file, "doc_id": r.doc_id, "version": r.version,
                                               "title": r.title, "sha256": r.sha256, "epk": False})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    journal, protocol = "Журнал учета занятий", "Протокол заседания аттестационной комиссии"
    assert _refusal(archive) == (
        "Акт № 1 нельзя исполнить 03.12.2026: срок хранения еще не истек у 14 документов: "
        "2024/_год/data/Журнал выдачи документов 2024.docx — срок хранения: постоянно; "
        f"{_doc('2024/ПК-2024-01', journal)} — не ранее 01.01.2030; "
        f"{_doc('2024/ПК-2024-01', protocol)} — не ранее 01.01.2075; "
        f"{_doc('2024/ПК-2024-01', 'Приказ об окончании обучения и отчислении')} — срок хранения: до ликвидации "
        "организации; "
        "2024/ПК-2024-01/data/Справка об обучении L1.docx — не ранее 01.01.2030; "
        "и еще 9 документов. Ничего не удалено. "
        "Документы, которым номенклатура не дает срока уничтожения, уничтожать нельзя, поэтому этот акт не может "
        "быть исполнен никогда: составьте новый акт на сегодняшнюю дату "
        "(в него войдут только документы, срок хранения которых истек).")


def test_dispose_refuses_an_act_drawn_up_after_today(archive, clock):
    before = _legacy_act_carried_out_in_2026(archive, clock, D(2031, 1, 15))
    result = _cli("dispose", "--act", "1", "--confirm", "--today", "2026-12-03", "--output", str(archive.parent))
    assert result.exit_code == 2 and "составлен 15.01.2031, позже даты исполнения 03.12.2026" in result.output
    assert_kept(before, archive)


@pytest.mark.parametrize("rehash", [False, True], ids=["list-as-edited", "list-hash-recomputed"])
def test_dispose_refuses_an_act_edited_after_it_was_drawn_up(archive, clock, rehash):
    """A permanently kept order added to act-1.json is not destroyed, and verify reports the edit."""
    clock(D(2031, 1, 15))
    act, _ = prepare_act(archive, D(2031, 1, 15))
    path = archive / "acts/act-1.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    order = next(r for r in read_documents(archive / "2024/ПК-2024-01") if r.carrier == "order_graduation")
    data["cases"][0]["documents"].append({"bag": "2024/ПК-2024-01", "file": order.file, "doc_id": order.doc_id,
                                          "version": order.version, "title": order.title, "sha256": order.sha256,
                                          "epk": False})
    if rehash:
        data["list_sha256"] = disposal.list_sha256([disposal.Case(**{**c, "groups": c["groups"]})
                                                    for c in data["cases"]])
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    before = snapshot(archive)
    result = _cli("dispose", "--act", "1", "--confirm", "--today", "2031-01-15", "--output", str(archive.parent))
    assert result.exit_code == 2 and "изменен после составления акта" in result.output
    assert_kept(before, archive)
    assert (archive / ORDER).is_file() and (archive / JOURNAL).is_file()
    report = verify_archive(archive)
    assert ("acts/act-1.json", "изменен после составления акта или записи в реестр (SHA-256 не совпадает)") in \
        report.changed and not report.clean



def test_an_act_whose_list_no_longer_matches_the_hash_drawn_up_with_it_is_refused_even_when_re_registered(
        archive, clock):
    """A permanently kept order added to act-1.json, and the act's tag manifest entry rewritten to match (by hand,
    or by a tool that re-records hashes): the list hash written when the act was drawn up, the one printed in the
    signed act, no longer matches its list, so nothing is destroyed. So is act-2.json, a copy of act 1 registered
    under another number: only the act the commission signed under that number is carried out."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    path, copy = archive / "acts/act-1.json", archive / "acts/act-2.json"
    copy.write_bytes(path.read_bytes())  # act 1 as drawn up, its list and list hash intact
    data = json.loads(path.read_text(encoding="utf-8"))
    order = next(r for r in read_documents(archive / "2024/ПК-2024-01") if r.carrier == "order_graduation")
    data["cases"][0]["documents"].append({"bag": "2024/ПК-2024-01", "file": order.file, "doc_id": order.doc_id,
                                          "version": order.version, "title": order.title, "sha256": order.sha256,
                                          "epk": False})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    disposal.record_in_manifest(archive, [path, copy])
    before = snapshot(archive)
    for number, act_path in ((1, path), (2, copy)):
        with pytest.raises(UchetError) as refused:
            dispose(archive, number, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
        assert str(refused.value) == (
            f"Список файлов акта № {number} изменен после составления акта ({act_path} не совпадает с контрольной "
            "суммой в acts/tagmanifest-sha256.txt). Ничего не удалено: исполнить можно только тот список, который "
            "подписала экспертная комиссия. Восстановите файл акта из резервной копии или составьте новый акт.")
    assert_kept(before, archive)
    assert (archive / ORDER).is_file() and (archive / JOURNAL).is_file()


@pytest.mark.parametrize("damage", ["cut_short", "a_key_missing", "a_list_for_an_object"])
def test_a_damaged_act_file_is_refused_and_nothing_is_destroyed(archive, clock, damage):
    """An act-1.json cut short, missing the list of cases, or with a list where a case should be: `dispose` says the
    file is damaged and how to restore it, and removes nothing."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    expert = approving(archive, 1)
    path = archive / "acts/act-1.json"
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    damaged = {"cut_short": text[: len(text) // 2],
               "a_key_missing": json.dumps({k: v for k, v in data.items() if k != "cases"}, ensure_ascii=False),
               "a_list_for_an_object": json.dumps({**data, "cases": [["03-05"]]}, ensure_ascii=False)}[damage]
    path.write_text(damaged, encoding="utf-8")
    disposal.record_in_manifest(archive, [path])
    before = snapshot(archive)
    with pytest.raises(UchetError) as refused:
        dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=expert)
    assert str(refused.value) == (
        f"Файл акта «{path}» поврежден или изменен вручную: ничего не удалено. Восстановите его из резервной копии "
        "архива или составьте новый акт.")
    assert_kept(before, archive)


def test_act_prints_the_hash_of_its_file_list(archive, clock):
    import docx

    clock(D(2031, 1, 15))
    act, path = prepare_act(archive, D(2031, 1, 15))
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert act.list_sha256 in text and len(act.list_sha256) == 64
    manifest = (archive / "acts/tagmanifest-sha256.txt").read_text(encoding="utf-8")
    assert f"{sha256_file(archive / 'acts/act-1.json')}  acts/act-1.json" in manifest
    assert f"{sha256_file(path)}  acts/act-1.docx" in manifest
    assert read_act(archive, 1).list_sha256 == act.list_sha256



def test_the_list_hash_is_the_sha256_of_the_sorted_sha256sum_lines_of_the_acts_files(archive, clock):
    """The hash printed in the signed act lets anyone check the list without uchet: the SHA-256 of the lines
    `sha256sum` prints for the act's files from the archive's folder («hash, two spaces, path»), sorted."""
    clock(D(2080, 1, 15))
    act, _ = prepare_act(archive, D(2080, 1, 15))
    assert [f"{d['bag']}/{d['file']}" for c in act.cases for d in c.documents] == [JOURNAL, PROTOCOL]
    lines = sorted(f"{sha256_file(archive / path)}  {path}\n" for path in (JOURNAL, PROTOCOL))
    assert act.list_sha256 == hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    assert json.loads((archive / "acts/act-1.json").read_text(encoding="utf-8"))["list_sha256"] == act.list_sha256



def test_the_act_drawn_up_names_the_fund_of_the_organisation_it_is_given(archive, clock):
    """`uchet disposal` hands the organisation's facts (pipeline.archive.act_people) to the act: the signed act
    names the fund whose documents it selects, not a blank for the commission to fill in by hand."""
    import docx

    clock(D(2031, 1, 15))
    _, path = prepare_act(archive, D(2031, 1, 15), ActPeople(fund="R-417", city="Москва"))
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "документы фонда №\u00a0R-417 (" in text


def test_verify_covers_acts_and_the_register(archive, clock):
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    assert verify_archive(archive).clean
    register = archive / "disposal_register.csv"
    good = register.read_bytes()
    with open(register, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # a register row removed (the trace of a destruction) is found
    register.write_bytes(good.split(b"\r\n")[0] + b"\r\n")
    report = verify_archive(archive)
    assert ("disposal_register.csv", "изменен после составления акта или записи в реестр (SHA-256 не совпадает)") \
        in report.changed
    assert any(p == "disposal_register.csv" and JOURNAL in d and "записи нет" in d for p, d in report.missing)
    register.write_bytes(good)
    assert verify_archive(archive).clean and rows[0]["path"] == JOURNAL
    # a deleted act and a file slipped into acts/ are found
    (archive / "acts/act-1.docx").unlink()
    (archive / "acts/act-2.json").write_text("{}", encoding="utf-8")
    report = verify_archive(archive)
    assert ("acts/act-1.docx", "указан в acts/tagmanifest-sha256.txt, но файла нет") in report.missing
    assert ("acts/act-2.json", "нет в acts/tagmanifest-sha256.txt") in report.extra


def test_interrupted_dispose_is_finished_by_the_next_command(archive, clock, monkeypatch):
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    before = snapshot(archive)
    real = disposal.write_register

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C after the bag was rebuilt, before the register row was written

    monkeypatch.setattr(disposal, "write_register", killed)
    with pytest.raises(KeyboardInterrupt):
        dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    assert (archive / "acts/.dispose-1.json").is_file() and not (archive / JOURNAL).exists()
    assert not (archive / "disposal_register.csv").exists()
    monkeypatch.setattr(disposal, "write_register", real)
    report = verify_archive(archive)  # the next command, whatever it is
    assert "акт № 1: завершено прерванное уничтожение документов" in report.recovered
    assert report.clean, report.lines()
    assert not (archive / "acts/.dispose-1.json").exists()
    rows = disposal.register_rows(archive)
    assert [(r["act"], r["path"], r["executed_on"]) for r in rows] == [("1", JOURNAL, "2031-01-15")]
    assert_kept(before, archive, destroyed={JOURNAL})


def test_interrupted_dispose_is_finished_by_the_next_build(archive, clock, monkeypatch):
    from pipeline import build
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    monkeypatch.setattr(disposal, "write_index", lambda root: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    monkeypatch.undo()
    clock(D(2031, 1, 15))
    assert disposal.settle_if_needed(archive) == ["акт № 1: завершено прерванное уничтожение документов"]
    assert disposal.settle_if_needed(archive) == []
    assert verify_archive(archive).clean
    assert "settle_if_needed" in Path(build.__file__).read_text(encoding="utf-8")


def test_interrupted_disposal_is_rolled_back(archive, clock, monkeypatch):
    clock(D(2031, 1, 15))
    before = snapshot(archive)
    monkeypatch.setattr(disposal, "record_in_manifest", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        prepare_act(archive, D(2031, 1, 15))
    assert (archive / "acts/act-1.json").is_file()
    monkeypatch.undo()
    clock(D(2031, 1, 15))
    report = verify_archive(archive)
    assert any("удален незаконченный акт" in line for line in report.recovered) and report.clean
    assert not (archive / "acts/act-1.json").exists() and not (archive / "acts/act-1.docx").exists()
    act, path = prepare_act(archive, D(2031, 1, 15))
    assert act.number == 1 and path.is_file() and verify_archive(archive).clean
    assert_kept(before, archive)


def test_an_interrupted_second_act_is_rolled_back_by_the_next_build(archive, clock, monkeypatch):
    """Act 1 is drawn and registered; drawing act 2 stops before its files are registered (never reported to
    staff): the next build (settle_if_needed, which runs settle only when something is pending) removes act 2's
    files and keeps act 1 byte for byte."""
    clock(D(2080, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    act1 = {p.name: p.read_bytes() for p in (archive / "acts").glob("act-1.*")}
    monkeypatch.setattr(disposal, "record_in_manifest", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        prepare_act(archive, D(2080, 1, 15))
    monkeypatch.undo()
    clock(D(2080, 1, 15))
    assert (archive / "acts/act-2.json").is_file() and (archive / "acts/tagmanifest-sha256.txt").is_file()
    lines = disposal.settle_if_needed(archive)
    assert sorted(line.split(":")[0] for line in lines) == ["acts/act-2.docx", "acts/act-2.json"]
    assert all("удален незаконченный акт" in line for line in lines)
    assert sorted(p.name for p in (archive / "acts").glob("act-*")) == sorted(act1)
    assert {name: (archive / "acts" / name).read_bytes() for name in act1} == act1
    assert disposal.settle_if_needed(archive) == [] and verify_archive(archive).clean


def test_acts_drawn_before_the_tag_manifest_existed_are_recorded_by_the_next_build(archive, clock):
    """An archive whose acts predate acts/tagmanifest-sha256.txt: the next build records their hashes (from
    then on an edit of an act is refused), once."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    (archive / "acts/tagmanifest-sha256.txt").unlink()
    assert disposal.settle_if_needed(archive) == [
        "acts: контрольные суммы ранее составленных актов записаны в acts/tagmanifest-sha256.txt"]
    assert disposal.read_acts_manifest(archive) == {
        f"acts/act-1.{ext}": sha256_file(archive / f"acts/act-1.{ext}") for ext in ("docx", "json")}
    assert disposal.settle_if_needed(archive) == [] and verify_archive(archive).clean


def test_a_second_act_never_lists_destroyed_documents(archive, clock):
    clock(D(2080, 1, 15))
    before = snapshot(archive)
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 2, 1), expert=approving(archive, 1))
    act, _ = prepare_act(archive, D(2080, 1, 15))
    listed = [f"{d['bag']}/{d['file']}" for c in act.cases for d in c.documents]
    assert act.number == 2 and JOURNAL not in listed and PROTOCOL in listed
    report = dispose(archive, 2, confirm=True, today=D(2080, 1, 15), expert=approving(archive, 2))
    assert JOURNAL not in report.removed and report.already == []
    rows = disposal.register_rows(archive)
    assert [(r["act"], r["path"]) for r in rows if r["path"] in (JOURNAL, PROTOCOL)] == [
        ("1", JOURNAL), ("2", PROTOCOL)]
    assert verify_archive(archive).clean
    assert_kept(before, archive, destroyed=set(listed) | {JOURNAL})
    assert (archive / ORDER).is_file()  # kept «до ликвидации организации»: never in an act


def test_ctrl_c_during_dispose_stops_there_and_the_next_command_finishes(archive, clock, monkeypatch):
    """Ctrl-C: exit 2 and a message; the run does not go on destroying; the next command completes the act."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    before = snapshot(archive)
    real = disposal.write_register
    monkeypatch.setattr(disposal, "write_register", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    source = input_approving(archive.parent.parent / "input", {1: D(2031, 1, 15)})
    result = _cli("dispose", "--act", "1", "--confirm", "--today", "2031-01-15", "--output", str(archive.parent),
                  "--input", str(source))
    said = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == 2 and "Работа прервана (нажато Ctrl-C)." in said and "Traceback" not in said
    assert "уничтожение по акту № 1 прервано: его завершит следующая команда uchet" in said
    assert (archive / "acts/.dispose-1.json").is_file() and not (archive / "disposal_register.csv").exists()
    monkeypatch.setattr(disposal, "write_register", real)
    checked = _cli("verify", "--output", str(archive.parent))
    assert checked.exit_code == 0 and "завершено прерванное уничтожение" in checked.output
    assert [r["path"] for r in disposal.register_rows(archive)] == [JOURNAL]
    assert_kept(before, archive, destroyed={JOURNAL})


def test_dispose_reports_the_interrupted_act_it_finished_before_its_own_work(archive, clock, monkeypatch):
    """An act stopped by Ctrl-C after its files went is finished by the next `dispose` (here a preview of the same
    act), which tells staff so (the CLI prints each line as «Архив: …») and then finds the journal already gone."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    monkeypatch.setattr(disposal, "write_register", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    monkeypatch.undo()
    clock(D(2031, 1, 20))
    report = dispose(archive, 1, confirm=False, today=D(2031, 1, 20), expert=approving(archive, 1))
    assert report.settled == ["акт № 1: завершено прерванное уничтожение документов"]
    assert (report.removed, report.already, report.confirmed) == ([], [JOURNAL], False)
    assert [(r["path"], r["executed_on"]) for r in disposal.register_rows(archive)] == [(JOURNAL, "2031-01-15")]


def test_acts_and_a_register_written_before_the_tag_manifest_existed_are_all_recorded(archive, clock):
    """An archive whose act was carried out before acts/tagmanifest-sha256.txt existed: the next build records the
    act, its act on personal data and the disposal register (CSV and workbook) alike, so an edit of the register is found from then on."""
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    (archive / "acts/tagmanifest-sha256.txt").unlink()
    assert disposal.settle_if_needed(archive) == [
        "acts: контрольные суммы ранее составленных актов записаны в acts/tagmanifest-sha256.txt"]
    assert disposal.read_acts_manifest(archive) == {
        name: sha256_file(archive / name) for name in ("acts/act-1-pd.docx", "acts/act-1.docx", "acts/act-1.json",
                                                        "disposal_register.csv", "disposal_register.xlsx")}
    assert verify_archive(archive).clean


@pytest.mark.parametrize("stopped", ["after_the_draft", "after_the_act_was_registered"])
def test_a_draft_left_by_a_stopped_disposal_removes_only_an_act_never_registered(archive, clock, stopped):
    """`disposal` writes its draft file first and deletes it last. Stopped right after the draft (no act file yet),
    the next build just removes the draft; stopped after the act entered the tag manifest, it removes the draft and
    keeps the act, byte for byte: an act staff were told of is never rolled back."""
    clock(D(2031, 1, 15))
    acts = archive / "acts"
    if_registered = {"after_the_draft": [], "after_the_act_was_registered": ["act-1.docx", "act-1.json"]}[stopped]
    prepare_act(archive, D(2031, 1, 15))
    for name in {"act-1.docx", "act-1.json"} - set(if_registered):
        (acts / name).unlink()
    disposal.record_in_manifest(archive, [acts / "act-1.docx", acts / "act-1.json"])
    kept = {name: (acts / name).read_bytes() for name in if_registered}
    (acts / ".disposal-1.json").write_text('{"act": 1}', encoding="utf-8")
    assert disposal.settle_if_needed(archive) == []
    assert sorted(p.name for p in acts.iterdir()) == sorted([*if_registered, "tagmanifest-sha256.txt"])
    assert {name: (acts / name).read_bytes() for name in if_registered} == kept
    assert verify_archive(archive).clean


def _rewrite_csv(path: Path, edit) -> None:
    """Rewrite a CSV of the archive (the register, a bag's documents.csv) with each row passed through edit."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, [edit(dict(row)) for row in reader]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(("act_date", "tombstone", "told"), [
    (True, "", "без акта, в реестре — по акту № 1 от 15.01.2031"),
    (False, "", "без акта, в реестре — по акту № 1"),
    (False, "№ 2 от 15.01.2031", "по акту № 2 от 15.01.2031, в реестре — по акту № 1"),
    (False, "№ 1 от 15.01.2031", None),
], ids=["dated_row_hand_marked", "undated_row_hand_marked", "undated_row_other_act", "undated_row_same_act"])
def test_a_register_row_is_held_to_the_act_its_tombstone_names(archive, clock, act_date, tombstone, told):
    # the register row says which act destroyed the document; the bag's tombstone must name the same act (a
    # tombstone marked «уничтожен» by hand names none); a row that lost its date is held to the act's number
    clock(D(2031, 1, 15))
    prepare_act(archive, D(2031, 1, 15))
    dispose(archive, 1, confirm=True, today=D(2031, 1, 15), expert=approving(archive, 1))
    _rewrite_csv(archive / "disposal_register.csv", lambda r: r | ({} if act_date else {"act_date": ""}))
    bag, _, file = JOURNAL.partition("/data/")
    _rewrite_csv(archive / bag / "documents.csv",
                 lambda r: r | ({"disposal_act": tombstone} if r["file"] == f"data/{file}" else {}))
    found = [d for p, d in verify_archive(archive).changed if p == "disposal_register.csv" and JOURNAL in d]
    assert found == ([] if told is None else [f"{JOURNAL}: в описи папки уничтожен {told}"])
