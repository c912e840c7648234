"""Page-level checks (pipeline/render/page_check.py): each fault is found on a real LibreOffice page, and a clean
page passes. The heuristics themselves are tested on text lines first."""

from __future__ import annotations

import shutil

import pytest
from docx import Document
from docx.shared import Mm

from pipeline.render.page_check import check_pdf, docx_words, empty_columns, signature_only, split_words

WORDS = {"3", "(удовлетворительно)", "удовлетворительно", "иванов", "иван", "петрович", "профессиональной",
         "переподготовке", "диплом", "о", "но"}


def test_split_word_is_found_and_a_normal_wrap_is_not():
    assert split_words(["3 (удовлетворитель", "но)"], WORDS) == ["(удовлетворитель|но)"]
    assert split_words(["Диплом о профессиональн", "ой переподготовке"], WORDS) == ["профессиональн|ой"]
    # Whole words at both ends of a line: an ordinary wrap.
    assert split_words(["Иванов Иван", "петрович"], WORDS) == []
    # A line ending in a hyphen or a digit, or a next line starting with a capital, is not a mid-word split.
    assert split_words(["Соколов-", "микитов"], WORDS | {"соколов-микитов"}) == []
    assert split_words(["удовлетворитель", "Но"], WORDS) == []


def test_signature_only_page():
    assert signature_only(["Заместитель директора по", "учебной работе А.П. Беляев", "М. П."])
    assert signature_only(["Методист К. О. Орлов-Давыдов"])
    assert signature_only([])  # an empty last page is as bad
    assert signature_only(["М. П."])  # the seal's mark alone, torn from its signature (the year's book did it)
    assert not signature_only(["Выписка верна. 10 января 2026 г.", "Директор И.В. Соколова"])
    assert not signature_only(["В журнале пронумеровано и прошнуровано ____ листов", "Директор И.В. Соколова"])
    assert not signature_only(["Итого: 12 слушателей."])


def test_empty_column_needs_an_empty_heading_too():
    assert empty_columns([["№", "", "Дата"], ["1", None, "10.01.2026"], ["2", "", "11.01.2026"]]) == [2]
    # A headed column left blank for a hand signature is what the form wants.
    assert empty_columns([["№", "Подпись получателя"], ["1", ""], ["2", None]]) == []


def _faulty_document(path):
    """A page a signer would correct by pen: a narrow column splitting «удовлетворительно», a headless empty
    column, and the signature alone on the last page."""
    doc = Document()
    table = doc.add_table(rows=3, cols=3)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for row, cells in zip(table.rows, [("№", "Результат", ""), ("1", "3 (удовлетворительно)", ""),
                                       ("2", "зачтено", "")], strict=True):
        for cell, text, width in zip(row.cells, cells, (10, 14, 10), strict=True):
            cell.text, cell.width = text, Mm(width)
    for column, width in zip(table.columns, (10, 14, 10), strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by
    doc.add_page_break()
    doc.add_paragraph("Директор\t\t\tИ.В. Соколова")
    doc.save(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_real_pages_show_each_fault(tmp_path):
    from pipeline.render.check_docs import convert

    bad, good = tmp_path / "bad.docx", tmp_path / "good.docx"
    _faulty_document(bad)
    clean = Document()
    clean.add_paragraph("Справка выдана для представления по месту работы.")
    clean.add_paragraph("Директор\t\t\tИ.В. Соколова")
    clean.save(good)
    pdfs: dict = {}
    assert convert([bad, good], tmp_path / "pdf", keep=pdfs) == []
    found = [p.message("bad.docx") for p in check_pdf(pdfs[bad], bad)]
    assert any("стр. 1: таблица 1: столбец 3 пуст во всех строках" in m for m in found), found
    assert any("стр. 1: слово разорвано переносом в ячейке таблицы: «(удо|" in m for m in found), found
    assert any(m.startswith("«bad.docx», стр. 2: последняя страница содержит только подпись") for m in found), found
    assert check_pdf(pdfs[good], good) == []
    assert "удовлетворительно" in docx_words(bad)  # the word as the DOCX holds it, brackets stripped
