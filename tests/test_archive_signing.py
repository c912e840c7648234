"""Issue 13: signing is recorded in the archive. Each test reproduces what staff did, then checks that
every file filed before is still there with the same bytes."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from archive_fixture import GROUP_FILE, dataset, group, rendered, replace
from builders import GROUP, minimal_input, set_cell, write_input
from click.testing import CliRunner
from test_archive_keeps import assert_kept, snapshot

from pipeline.archive.filing import archive_documents
from pipeline.archive.records import Record, read_documents
from pipeline.archive.signing import basis_key, basis_uses, document_text, signed_in_archive
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.cli import main
from pipeline.core.messages import render

TODAY = dt.date(2026, 3, 1)
D = dt.date
PROTOCOL = "ПК-2024-01/protocol"
BAG = "2024/ПК-2024-01"
CARD = Carrier("learner_card", "Личная карточка слушателя", "learner_card.docx", "learner", "learner_card",
               lambda ds: (), signed=False)


def ds(signed=False, correction=None, hashes=None):
    g = group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30), signed=signed, correction=correction)
    return dataset(g, hashes=hashes)


def card(build: Path, data: bytes) -> RenderedDocument:
    path = build / "card.docx"
    path.write_bytes(data)
    spec = DocumentSpec("ПК-2024-01/learner_card/L1", "Личная карточка слушателя L1.docx",
                        "Личная карточка слушателя L1", {}, 2024, "ПК-2024-01", "L1", None,
                        ("learners.xlsx", GROUP_FILE))
    digest = hashlib.sha256(data).hexdigest()
    return RenderedDocument(CARD, spec, path, digest, "in-" + digest)


def file_(tmp_path, data, overrides=None, extra=()):
    docs = rendered(tmp_path / "build", data, overrides) + [f(tmp_path / "build") for f in extra]
    return archive_documents(data, docs, tmp_path / "archive", today=TODAY)


def rows(tmp_path):
    return {(r.doc_id, r.version): r for r in read_documents(tmp_path / "archive" / BAG)}


CHANGED = {"organization.xlsx": "o" * 64, GROUP_FILE: "b" * 64}


def test_the_version_current_when_marked_signed_stays_signed_and_unticking_unsigns_nothing(tmp_path):
    file_(tmp_path, ds())
    assert rows(tmp_path)[(PROTOCOL, 1)].signed == "нет"
    before = snapshot(tmp_path / "archive")
    report = file_(tmp_path, ds(signed=True))  # staff tick «Документы подписаны» after signing v1 on paper
    assert PROTOCOL in {d.doc_id for d in report.marked_signed}
    assert ("Отмечен в архиве как подписанный: Протокол заседания аттестационной комиссии ПК-2024-01 (версия 1) — "
            "отметку не отменит и снятая галочка «Документы подписаны».", False) in report.lines()
    assert rows(tmp_path)[(PROTOCOL, 1)].signed == "да"
    assert_kept(before, snapshot(tmp_path / "archive"))
    # untick and change the group: the signed protocol is still frozen
    before = snapshot(tmp_path / "archive")
    report = file_(tmp_path, ds(hashes=CHANGED), overrides={PROTOCOL: b"PK other protocol"})
    assert not report.ok and [p.code for p in report.problems] == ["archive_signed_changed"]
    what, fix = render(report.problems[0])
    assert "снятая отметка" in what and "Основание исправления" in fix
    assert report.problems[0].params["why"] == (
        "в архиве он отмечен подписанным (снятая отметка «Документы подписаны» подпись не отменяет)")
    assert snapshot(tmp_path / "archive") == before


def test_a_change_in_the_run_that_first_marks_the_group_signed_needs_a_basis_too(tmp_path):
    """docs/archive.md «Версии»: a document of a group with «Документы подписаны: да» changes only with «Основание
    исправления» — also in the very run that first marks the group signed, before the archive has recorded any of
    its versions as signed (the paper staff signed was printed from the version filed). Nothing is written."""
    file_(tmp_path, ds())
    before = snapshot(tmp_path / "archive")
    report = file_(tmp_path, ds(signed=True, hashes=CHANGED), overrides={PROTOCOL: b"PK other protocol"})
    assert not report.ok and [p.code for p in report.problems] == ["archive_signed_changed"]
    assert report.problems[0].params["why"] == "группа отмечена «Документы подписаны: да»"
    assert report.new_versions == [] and report.marked_signed == []
    assert snapshot(tmp_path / "archive") == before


def test_a_basis_covers_one_change_and_a_later_change_needs_a_new_one(tmp_path):
    file_(tmp_path, ds(signed=True))
    basis = "приказ № 15-о от 03.03.2025 о внесении изменений"
    report = file_(tmp_path, ds(signed=True, correction=basis, hashes=CHANGED),
                   overrides={PROTOCOL: b"PK protocol, corrected"})
    assert [(d.doc_id, d.version, d.reason) for d in report.new_versions] == [(PROTOCOL, 2, basis)]
    v1, v2 = rows(tmp_path)[(PROTOCOL, 1)], rows(tmp_path)[(PROTOCOL, 2)]
    assert (v1.signed, v1.correction, v2.correction) == ("да", "", basis)
    assert GROUP_FILE in v2.sources  # the inputs the basis covered are recorded with the version
    # the same basis left in the workbook does not approve a later, different change
    before = snapshot(tmp_path / "archive")
    later = {"organization.xlsx": "o" * 64, GROUP_FILE: "c" * 64}
    report = file_(tmp_path, ds(signed=True, correction=basis, hashes=later),
                   overrides={PROTOCOL: b"PK protocol, changed again"})
    [problem] = report.problems
    what, fix = render(problem)
    assert problem.code == "archive_basis_used" and basis in what and "нового документа-основания" in fix
    assert snapshot(tmp_path / "archive") == before
    # a new basis does
    report = file_(tmp_path, ds(signed=True, correction="приказ № 16-о", hashes=later),
                   overrides={PROTOCOL: b"PK protocol, changed again"})
    assert [d.version for d in report.new_versions] == [3]
    assert_kept(before, snapshot(tmp_path / "archive"))


def test_only_the_edited_workbook_is_blamed(tmp_path):
    file_(tmp_path, ds(signed=True))
    hashes = {"organization.xlsx": "z" * 64, GROUP_FILE: "a" * 64}  # organization.xlsx edited, not the group
    report = file_(tmp_path, ds(signed=True, hashes=hashes), overrides={PROTOCOL: b"PK other protocol"})
    [problem] = report.problems
    assert (problem.file, problem.sheet) == ("organization.xlsx", None)
    assert GROUP_FILE in render(problem)[1]  # the basis still goes into the group's workbook


def test_the_learner_card_is_a_running_record_that_never_blocks(tmp_path):
    file_(tmp_path, ds(signed=True), extra=[lambda b: card(b, b"card v1")])
    before = snapshot(tmp_path / "archive")
    report = file_(tmp_path, ds(signed=True), extra=[lambda b: card(b, b"card with a new phone")])
    assert report.ok and [(d.doc_id, d.version, d.reason) for d in report.new_versions] == [
        ("ПК-2024-01/learner_card/L1", 2, "")]
    assert rows(tmp_path)[("ПК-2024-01/learner_card/L1", 1)].signed == "нет"
    assert_kept(before, snapshot(tmp_path / "archive"))


def _docx(text: str, extra: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f'<w:document><w:body><w:p><w:r><w:t xml:space="preserve">{text}</w:t>'
                                        f'</w:r></w:p></w:body></w:document>')
        z.writestr("word/styles.xml", extra)
    return buf.getvalue()


def test_a_change_that_leaves_a_signed_documents_text_as_it_was_blocks_nothing(tmp_path):
    file_(tmp_path, ds(signed=True), overrides={PROTOCOL: _docx("Протокол № 1", "style A")})
    before = snapshot(tmp_path / "archive")
    report = file_(tmp_path, ds(signed=True, hashes=CHANGED), overrides={PROTOCOL: _docx("Протокол № 1", "style B")})
    assert report.ok and report.new_versions == []
    assert snapshot(tmp_path / "archive") == before
    report = file_(tmp_path, ds(signed=True, hashes=CHANGED), overrides={PROTOCOL: _docx("Протокол № 2", "style B")})
    assert [p.code for p in report.problems] == ["archive_signed_changed"]


def test_a_refused_change_names_the_document_where_it_is_filed_and_what_changed(tmp_path):
    """The refusal says which signed document, where it is filed, why it is frozen and which workbooks changed,
    and blames the group's workbook (sheet «Группа», column «Документы подписаны»), where the basis goes. A
    change no workbook explains (a template, the rules of layout) is told as such."""
    file_(tmp_path, ds(signed=True))
    title = "Протокол заседания аттестационной комиссии ПК-2024-01"
    common = dict(document=title, path=f"{BAG}/data/{title}.docx", group_file=GROUP_FILE,
                  why="группа отмечена «Документы подписаны: да»")
    both = {"organization.xlsx": "z" * 64, GROUP_FILE: "b" * 64}
    for hashes, changed in ((CHANGED, GROUP_FILE), (None, "шаблон или правила оформления"),
                            (both, f"{GROUP_FILE}, organization.xlsx")):
        [problem] = file_(tmp_path, ds(signed=True, hashes=hashes), overrides={PROTOCOL: b"PK other protocol"}).problems
        assert (problem.code, problem.file, problem.sheet, problem.row, problem.column, problem.value) == (
            "archive_signed_changed", GROUP_FILE, "Группа", None, "Документы подписаны", title)
        assert problem.params == common | {"changed": changed}
    # only organization.xlsx changed: blamed alone, with no sheet or column of the group's workbook
    only = {"organization.xlsx": "z" * 64, GROUP_FILE: "a" * 64}
    [problem] = file_(tmp_path, ds(signed=True, hashes=only), overrides={PROTOCOL: b"PK other protocol"}).problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("organization.xlsx", None, None, None)
    assert problem.params == common | {"changed": "organization.xlsx"}


@pytest.mark.parametrize("extra", [0, 1])
def test_a_spent_basis_is_told_with_the_day_it_was_used_and_the_first_five_versions_it_covered(tmp_path, extra):
    """A basis covers one change: refused for a later one, the message names the day it was used and the
    versions it covered, oldest first, the first five and «…» when there are more."""
    data = ds(signed=True)
    docs = rendered(tmp_path / "build", data)
    second = [replace(d, spec=replace(d.spec, doc_id=PROTOCOL + "/2", file_name="Протокол 2.docx", title="Протокол 2"))
              for d in docs if d.spec.doc_id == PROTOCOL][:extra]
    archive_documents(data, docs + second, tmp_path / "archive", today=TODAY)
    basis = "приказ № 15-о"
    ids = sorted(d.spec.doc_id for d in docs + second if d.spec.group)
    changed = dict.fromkeys(ids, b"PK changed")
    docs = rendered(tmp_path / "build", data, changed)
    second = [replace(d, spec=replace(d.spec, doc_id=PROTOCOL + "/2", file_name="Протокол 2.docx", title="Протокол 2"))
              for d in docs if d.spec.doc_id == PROTOCOL][:extra]
    with_basis = ds(signed=True, correction=basis, hashes=CHANGED)
    report = archive_documents(with_basis, docs + second, tmp_path / "archive", today=D(2026, 3, 2))
    assert sorted(d.doc_id for d in report.new_versions) == ids
    later = ds(signed=True, correction=basis, hashes={"organization.xlsx": "o" * 64, GROUP_FILE: "c" * 64})
    docs = rendered(tmp_path / "build", later, changed | {PROTOCOL: b"PK changed again"})
    [problem] = archive_documents(later, docs, tmp_path / "archive", today=D(2026, 4, 1)).problems
    titles = {d.spec.doc_id: d.spec.title for d in docs} | {PROTOCOL + "/2": "Протокол 2"}
    covered = "; ".join(f"{titles[i]} (версия 2)" for i in ids[:5]) + ("…" if len(ids) > 5 else "")
    assert (problem.code, problem.value, problem.file) == ("archive_basis_used", basis, GROUP_FILE)
    assert (problem.params["basis"], problem.params["used_on"], problem.params["covered"]) == (
        basis, "2026-03-02", covered)
    assert len(ids) == 5 + extra


# --- the whole build ------------------------------------------------------------------------------


def _build(input_dir: Path, output_dir: Path):
    return CliRunner().invoke(main, ["build", "--input", str(input_dir), "--output", str(output_dir),
                                     "--today", "2026-06-15"])


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_blocked_build_leaves_output_build_as_it_was_and_a_new_phone_blocks_nothing(tmp_path):
    data = minimal_input()
    input_dir, output_dir = tmp_path / "input", tmp_path / "output"
    write_input(input_dir, data)
    assert _build(input_dir, output_dir).exit_code == 0
    signed = set_cell(copy.deepcopy(data), GROUP, "Группа", 2, "Документы подписаны", "да")
    write_input(input_dir, signed)
    assert _build(input_dir, output_dir).exit_code == 0
    build_before, archive_before = _tree(output_dir / "build"), snapshot(output_dir / "archive")
    # untick, and change the protocol number: stopped, and output/build/ is as staff printed it
    changed = set_cell(copy.deepcopy(signed), GROUP, "Группа", 2, "Документы подписаны", "нет")
    set_cell(changed, GROUP, "Группа", 2, "Номер протокола", "2")
    write_input(input_dir, changed)
    result = _build(input_dir, output_dir)
    assert result.exit_code == 1 and "уже подписан" in result.output, result.output
    assert _tree(output_dir / "build") == build_before
    assert snapshot(output_dir / "archive") == archive_before
    # a learner's new phone number: the card gets a new version, nothing is blocked or blamed
    phone = set_cell(copy.deepcopy(signed), "learners.xlsx", "Слушатели", 2, "Телефон", "+7 999 000-00-00")
    write_input(input_dir, phone)
    result = _build(input_dir, output_dir)
    assert result.exit_code == 0, result.output
    assert "НОВАЯ ВЕРСИЯ 2: Личная карточка" in result.output and GROUP not in result.output
    assert_kept(archive_before, snapshot(output_dir / "archive"))


def _filed(doc_id: str, filed_on: str, correction: str, signed: str = "нет") -> Record:
    return Record(doc_id=doc_id, version=1, file=f"data/{doc_id}.docx", status="хранится", carrier="c",
                  carrier_title="c", title=doc_id, date="", case_index="01-01", case_title="c", retention="5",
                  retention_years="5", article="", epk="", approved="да", closing_year=2024,
                  destroy_not_before="", sha256="", inputs_hash="", sources="", signed=signed,
                  correction=correction, filed_on=filed_on, learner_id="", learner_name="", disposal_act="")


def test_a_basis_is_compared_with_spaces_collapsed_and_case_ignored():
    # module docstring: «Приказ № 15» is «приказ  № 15»; no basis is no basis
    assert basis_key("  Приказ  №\t15 ") == "приказ № 15"
    assert basis_key(None) == "" and basis_key("   ") == ""


def test_the_uses_of_a_basis_are_its_versions_oldest_first_and_no_basis_has_none():
    records = [_filed("b", "2026-03-02", "Приказ № 15"), _filed("a", "2026-03-02", "приказ № 15"),
               _filed("c", "2026-03-01", "ПРИКАЗ  № 15"), _filed("d", "2026-03-01", "Приказ № 16"),
               _filed("e", "2026-02-01", "")]
    assert [r.doc_id for r in basis_uses(records, "приказ №  15")] == ["c", "a", "b"]
    # versions filed without a correction are not «uses» of an empty basis
    assert basis_uses(records, None) == [] and basis_uses(records, " ") == []


def test_a_document_is_signed_in_the_archive_by_its_own_versions_only():
    records = [_filed("G/protocol", "2026-03-01", "", signed="да"), _filed("G/journal", "2026-03-01", "")]
    assert signed_in_archive(records, "G/protocol")
    assert not signed_in_archive(records, "G/journal")  # another document's signature freezes nothing here


def test_document_text_reads_paragraph_by_paragraph(tmp_path):
    body = ('<w:document><w:body><w:p><w:r><w:t>Приказ</w:t></w:r><w:r><w:t xml:space="preserve"> № 7</w:t>'
            '</w:r></w:p><w:p/><w:p><w:r><w:t>Директор</w:t></w:r></w:p></w:body></w:document>')
    path = tmp_path / "a.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", body)
        z.writestr("word/styles.xml", "<w:t>not text</w:t>")
    # each paragraph opens a new line; runs of one paragraph join; styles are not text
    assert document_text(path) == "\nПриказ № 7\n\nДиректор".encode()
    assert document_text(tmp_path / "missing.docx") is None
