"""Carrier documents on the hand-made dataset: text, escaping, declension, determinism, files."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.carriers import CARRIERS, carrier
from pipeline.render.proof_data import NASTY_TOPIC, dataset
from pipeline.render.stage import docx_text, render_all

MINE = ("journal", "order_enrolment", "order_commission", "order_graduation", "order_expulsion", "interim_sheet",
        "protocol", "issue_register", "issue_extract", "testing", "study_certificate")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    docs = render_all(dataset(), build, Path("templates_docx"),
                      carriers=[carrier(k) for k in MINE])
    return build, docs, {d.spec.doc_id: docx_text(d.path.read_bytes()) for d in docs}


def test_document_counts(built):
    _, docs, _ = built
    counts = {k: sum(d.carrier.key == k for d in docs) for k in MINE}
    assert counts == {"journal": 2, "order_enrolment": 2, "order_commission": 1, "order_graduation": 1,
                      "order_expulsion": 1, "interim_sheet": 2, "protocol": 1, "issue_register": 1,
                      "issue_extract": 1, "testing": 1, "study_certificate": 3}


def test_no_template_tags_left_and_free_text_literal(built):
    _, docs, texts = built
    for doc_id, text in texts.items():
        assert "{%" not in text and "%}" not in text, doc_id
        assert "{{" not in text.replace("{{ x }}", ""), doc_id
    assert NASTY_TOPIC in texts["ПК-2025-01/journal"]
    assert "д'Артаньян Шарль Ожье" in texts["ПК-2025-01/order_enrolment"]
    assert "Практика & <профессия>" in texts["ПК-2025-01/interim_sheet/2"]


# The Russian forms each document must print: dates, numbers, declension, signatures, reasons.
PHRASES = {
    "ПК-2025-01/order_enrolment": (
        "20\u00a0января 2025\u00a0г. | №\u00a03\u2011к", "объем 72 академических часа", "всего 6 слушателей",
        "Назначить куратором группы №\u00a0ПК\u20112025\u201101 Сидорову Анну Сергеевну (методист).",
        "Директор |  | П.П.\u00a0Петров"),
    "ПК-2025-01/order_graduation": (
        "1 | д'Артаньян Шарль Ожье | 77 0003 | 3/2025", "2 | Ким Ирина | 2 (неудовлетворительно) | 5/2025",
        "3. Контроль за исполнением приказа оставляю за собой."),
    "ПК-2025-01/protocol": (
        "3 | Иванов Иван Иванович | 5 (отлично)", "Ёлкина Алёна Фёдоровна | не явилась",
        "и выдать удостоверения о повышении квалификации.", "Ёлкину Алёну Фёдоровну — не явилась",
        "Председатель |  | М.И.\u00a0Орлова", "Секретарь |  | А.С.\u00a0Сидорова"),
    "ПК-2025-01/interim_sheet/1": ("Аттестовано: 4; не аттестовано: 1; не явились: 1.",),
    "ПК-2025-01/study_certificate/L6": (
        "Выдана Гусейнову Эльдару Рамиз оглы, 01.01.1990 года рождения, в том, что он обучался",
        "Отчислен досрочно приказом от 03.02.2025 №\u00a09\u2011к (по собственному желанию)."),
    "ПК-2025-01/study_certificate/L5": ("Выдана Ким Ирине",),
}


@pytest.mark.parametrize(("doc_id", "phrase"), [(d, p) for d, phrases in PHRASES.items() for p in phrases])
def test_document_prints_the_russian_form(built, doc_id, phrase):
    _, _, texts = built
    assert phrase in texts[doc_id]


def test_running_group_has_no_final_documents(built):
    _, docs, _ = built
    keys = {d.carrier.key for d in docs if d.spec.group == "ПК-2025-02"}
    assert keys == {"journal", "order_enrolment"}


def test_attendance_grid_marks_and_expulsion(built):
    _, _, texts = built
    journal = texts["ПК-2025-01/journal"]
    assert "1 | Гусейнов\u00a0Э.Р. | н |  |  |  |  |  | — |" in journal
    # 18 lessons in two tables of 9: every column of the grid has a lesson (no padded empty columns).
    assert "Занятия № 1–9" in journal and "Занятия № 10–18" in journal
    grid_heads = [line for line in journal.split("\n") if line.startswith("№ | Фамилия, инициалы |")]
    assert [len(line.split(" | ")) for line in grid_heads][:2] == [11, 11]


def test_rendering_is_deterministic_and_does_not_touch_unchanged_files(built, tmp_path):
    build, docs, _ = built
    again = render_all(dataset(), build, Path("templates_docx"),
                       carriers=[carrier(k) for k in MINE])
    assert [d.sha256 for d in again] == [d.sha256 for d in docs]
    assert [d.inputs_hash for d in again] == [d.inputs_hash for d in docs]
    mtimes = {d.path: d.path.stat().st_mtime_ns for d in docs}
    assert all(d.path.stat().st_mtime_ns == mtimes[d.path] for d in again)
    paths = {d.path.relative_to(build).as_posix() for d in docs}
    assert "2025/ПК-2025-01/ПК-2025-01 Приказ об отчислении № 9-к.docx" in paths
    assert "2025/2025 Журнал регистрации выданных документов.docx" in paths


def test_every_registered_template_has_a_carrier_key_once():
    keys = [c.key for c in CARRIERS]
    assert len(keys) == len(set(keys))


@pytest.mark.usefixtures("libreoffice")
def test_libreoffice_opens_documents(built, tmp_path):
    from pipeline.render.check_docs import convert

    _, docs, _ = built
    chosen = [d.path for d in docs if d.carrier.key in ("journal", "protocol", "issue_register", "order_graduation")]
    assert convert(chosen, tmp_path) == []
    out = subprocess.run(["ls", str(tmp_path)], capture_output=True, text=True).stdout
    assert "batch000" in out


@pytest.mark.usefixtures("libreoffice")
def test_template_resaved_by_libreoffice_still_renders(tmp_path):

    from pipeline.render.check_docs import soffice
    from pipeline.render.stage import render_carrier

    resaved = tmp_path / "templates"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(resaved), "templates_docx/order_graduation.docx"],
                   capture_output=True, timeout=120, check=True)
    entry = carrier("order_graduation")
    [doc] = render_carrier(entry, list(entry.build(dataset())), tmp_path / "build", resaved)
    text = docx_text(doc.path.read_bytes())
    assert "1 | д'Артаньян Шарль Ожье | 77 0003 | 3/2025" in text and "{{" not in text
