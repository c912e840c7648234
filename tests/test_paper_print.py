"""The printed дело (pipeline.paper.folders) and the PDF/A copies (pipeline.paper.renditions), through LibreOffice.

On a small archive of real one-, two- and three-page documents: every closed дело prints as one PDF whose
обложка («на N листах»), внутренняя опись (sheet numbers) and лист-заверитель (count, «+ M листов
внутренней описи») agree with each other and with the page counts of the PDFs; the copies are PDF/A-2b
with every font embedded; the описи list each дело of their kind once; verify sees a changed copy.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pytest
from archive_fixture import NOMENCLATURE, SRC, dataset, rendered, replace
from docx import Document
from docx.enum.text import WD_BREAK

from pipeline.archive.filing import archive_documents
from pipeline.archive.verify import verify_archive
from pipeline.core.dataset import Person, Staff
from pipeline.paper import renditions
from pipeline.paper.cases import cases_of, filed_records, formation_by_index
from pipeline.paper.folders import print_cases
from pipeline.paper.formation import BY_GROUP, BY_YEAR

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")

TODAY = dt.date(2025, 6, 15)
PAGES = {"journal": 3, "order_graduation": 2, "protocol": 1, "study_certificate": 1, "issue_register": 2}


def docx_of(pages: int, title: str) -> bytes:
    doc = Document()
    for n in range(pages):
        doc.add_paragraph(f"{title}: страница {n + 1}")
        if n < pages - 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("paper")
    nomenclature = {k: replace(r, formation=BY_GROUP if k in ("journal", "protocol") else BY_YEAR)
                    for k, r in NOMENCLATURE.items()}
    base = dataset()
    staff = {"S1": Staff("S1", Person("Соколова", "Ирина", "Владимировна", "Жен"), "директор", SRC),
             "S2": Staff("S2", Person("Ёжикова", "Марина", "Сергеевна", "Жен"), "методист", SRC)}
    ds = replace(base, nomenclature=nomenclature, staff=staff,
                 organization=replace(base.organization, archivist_id="S2"))
    probe = rendered(tmp / "probe", ds)
    overrides = {d.spec.doc_id: docx_of(PAGES[d.carrier.key], d.spec.title) for d in probe}
    docs = rendered(tmp / "build", ds, overrides)
    root = tmp / "archive"
    assert archive_documents(ds, docs, root, today=TODAY).ok
    report = print_cases(ds, root, tmp / "cases", TODAY, waiting={})
    return ds, root, tmp / "cases", report


def text_of(pdf) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]


def test_every_closed_case_prints_and_its_papers_agree_with_the_pdf_pages(printed):
    ds, root, out, report = printed
    cases = cases_of(filed_records(root), formation_by_index(ds.nomenclature))
    assert len(report.printed) == len(cases) > 0 and not report.incomplete
    copies = renditions.by_source(root)
    for case in cases:
        pdf = next(p for p in report.printed if p.name.startswith(f"Дело {case.index}"))
        pages = text_of(pdf)
        doc_pages = [copies[(d.filed.path, d.filed.record.sha256)].pages for d in case.documents]
        assert doc_pages == [PAGES[d.filed.record.carrier] for d in case.documents]
        sheets = sum(doc_pages)
        # обложка, опись (its own sheets), the documents, лист-заверитель
        inventory = [i for i, t in enumerate(pages) if "ВНУТРЕННЯЯ ОПИСЬ" in t or "Количество листов внутренней описи" in t]
        own = inventory[-1] - inventory[0] + 1
        assert len(pages) == 1 + own + sheets + 1
        cover, certifier = pages[0], pages[-1]
        assert f"ДЕЛО № {case.index}" in cover
        assert re.search(rf"На {sheets} лист(е|ах)\b", cover), cover
        assert "Ф. № 12" in cover
        inv = " ".join(pages[1:1 + own])
        for i, n in enumerate(doc_pages):
            first = sum(doc_pages[:i]) + 1
            expected = str(first) if n == 1 else f"{first}–{first + n - 1}"
            assert expected in inv
        assert f"Количество листов внутренней описи {own} (" in inv
        assert f"Итого {len(case.documents)} (" in inv
        assert f"пронумеровано {sheets} (" in certifier
        assert f"с № 1 по № {sheets}" in certifier
        assert f"+ {own} (" in certifier


def test_copies_are_pdfa_2b_with_fonts_embedded_and_listed_by_hash(printed):
    _, root, _, _ = printed
    rows = renditions.read_list(root)
    assert len(rows) == len(filed_records(root)) > 0
    for row in rows:
        check = renditions.check_pdf(root / renditions.FOLDER / row.pdf)
        assert check.pdfa == "2B" and check.unembedded == () and check.pages == row.pages
    assert renditions.verify_renditions(root) == []
    assert verify_archive(root).clean  # the sibling folder is not an extra file of the archive


def test_a_plain_pdf_is_not_taken_for_pdfa(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(210, 297)
    writer.write(tmp_path / "plain.pdf")
    check = renditions.check_pdf(tmp_path / "plain.pdf")
    assert check.pdfa == "" and not check.ok


def test_a_changed_copy_is_found(printed, tmp_path):
    _, root, _, _ = printed
    copy = tmp_path / "archive"
    shutil.copytree(root, copy)
    row = renditions.read_list(copy)[0]
    with open(copy / renditions.FOLDER / row.pdf, "ab") as fh:
        fh.write(b"%")
    (copy / renditions.FOLDER / "2024" / "лишний.pdf").write_bytes(b"%PDF-1.4")
    lines = renditions.verify_renditions(copy)
    assert any(line.startswith("ИЗМЕНЕНА КОПИЯ PDF/A") and row.pdf in line for line in lines)
    assert any(line.startswith("ЛИШНИЙ ФАЙЛ") and "лишний.pdf" in line for line in lines)


def test_the_opisi_and_the_nomenclature_are_written(printed):
    _, _, out, report = printed
    names = sorted(p.name for p in report.lists)
    assert "Опись № 1 дел постоянного хранения за 2024 год.docx" in names
    assert "Опись № 2 дел по личному составу за 2024 год.docx" in names
    assert "Номенклатура дел на 2024 год.docx" in names
    opis = text_of(out / "2024" / "Опись № 1 дел постоянного хранения за 2024 год.pdf")
    joined = " ".join(opis)
    assert "УТВЕРЖДАЮ" in joined and "СОГЛАСОВАНО" in joined
    assert "В данный раздел описи внесено 2 (два) дела с № 1 по № 2" in joined


def test_without_libreoffice_the_parts_are_docx_and_the_sheets_a_dash(printed, tmp_path, monkeypatch):
    ds, root, _, _ = printed
    copy = tmp_path / "archive"
    shutil.copytree(root, copy)
    shutil.rmtree(copy / renditions.FOLDER)
    monkeypatch.setattr("pipeline.paper.folders.soffice_or_none", lambda: None)
    report = print_cases(ds, copy, tmp_path / "cases", TODAY, waiting={})
    assert not report.printed and report.incomplete
    assert len(report.pending_copies) == len(filed_records(copy)) == renditions.pending_copies(copy)
    assert any("Копии PDF/A ждут LibreOffice" in line for line in report.lines())
    inventory = next((tmp_path / "cases" / "2024").glob("*/2 Внутренняя опись.docx"))
    text = "\n".join(c.text for t in Document(inventory).tables for row in t.rows for c in row.cells)
    assert "—" in text


def docx_text(path) -> str:
    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_signers_checklist_of_the_case_papers(printed):
    """What the methodist who signs the опись and the лист-заверитель checks before signing."""
    ds, root, out, report = printed
    for pdf in report.printed:
        parts = pdf.with_suffix("")
        inventory, certifier = docx_text(parts / "2 Внутренняя опись.docx"), docx_text(parts / "3 Лист-заверитель.docx")
        for text in (inventory, certifier):
            assert "Методист" in text and "М.С.\u00a0Ёжикова" in text  # «И.О. Фамилия», no space in the initials
            assert "15\u00a0июня 2025\u00a0г." in text  # the date of compiling, in words
        for head in ("№ п/п", "Регистра\u00adционный индекс документа", "Дата документа", "Заголовок документа",
                     "Номера листов дела"):
            assert head in inventory
        assert "{{" not in inventory + certifier and "литерные номера листов: нет" in certifier
        pages = text_of(pdf)
        # No page holds only a signature: the page with the compiler's name also holds the totals.
        signed = [page for page in pages if "Ёжикова" in page]
        assert signed and all(any(x in page for x in ("Итого", "В деле подшито")) for page in signed), signed
        assert sum("ЛИСТ-ЗАВЕРИТЕЛЬ" in p for p in pages) == 1 and "ЛИСТ-ЗАВЕРИТЕЛЬ" in pages[-1]


def test_signers_checklist_of_the_opis_and_the_nomenclature(printed):
    _, _, out, _ = printed
    for name in ("Опись № 1 дел постоянного хранения за 2024 год", "Опись № 2 дел по личному составу за 2024 год",
                 "Номенклатура дел на 2024 год"):
        text = docx_text(out / "2024" / f"{name}.docx")
        assert "УТВЕРЖДАЮ" in text and "И.В.\u00a0Соколова" in text and "Директор" in text
        assert "СОГЛАСОВАНО" in text and "Протокол экспертной комиссии" in text
        assert "М.С.\u00a0Ёжикова" in text and "{{" not in text
        pages = text_of(out / "2024" / f"{name}.pdf")
        signed = [page for page in pages if "Ёжикова" in page]
        assert signed and all(any(x in page for x in ("В данный раздел", "Итоговая запись", "ИТОГО"))
                              for page in signed), (name, signed)
    nomenclature = docx_text(out / "2024" / "Номенклатура дел на 2024 год.docx")
    for head in ("Индекс дела", "Заголовок дела (тома, части)", "Срок хранения дела (тома, части) и №\u00a0статьи по перечню",
                 "Итоговая запись о категориях и количестве дел, заведенных в 2024 году"):
        assert head in nomenclature


def test_spine_labels_carry_the_covers_requisites(printed):
    ds, root, out, report = printed
    text = docx_text(out / "2024" / "Ярлыки дел за 2024 год.docx")
    copies = renditions.by_source(root)
    for case in cases_of(filed_records(root), formation_by_index(ds.nomenclature)):
        sheets = sum(copies[(d.filed.path, d.filed.record.sha256)].pages for d in case.documents)
        label = next(block for block in text.split("ЧОУ ДПО «Пример»") if f"Дело №\u00a0{case.index} " in block
                     and (case.group is None or case.group.replace("-", "\u2011") in block))
        assert f"Листов: {sheets}" in label and "Крайние даты:" in label and "Хранить " in label


def test_uchet_pdfa_names_the_pending_copies_without_libreoffice(printed, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from pipeline.cli import main

    _, root, _, _ = printed
    shutil.copytree(root, tmp_path / "archive")
    shutil.rmtree(tmp_path / "archive" / renditions.FOLDER)
    monkeypatch.setattr("pipeline.paper.renditions.soffice_or_none", lambda: None)
    result = CliRunner().invoke(main, ["pdfa", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert f"Копии PDF/A ждут LibreOffice: {len(filed_records(tmp_path / 'archive'))} документов" in result.output


def test_the_copy_of_a_destroyed_document_goes_with_it(printed, tmp_path):
    from pipeline.archive import records as rec

    _, root, _, _ = printed
    archive = tmp_path / "archive"
    shutil.copytree(root, archive)
    bag = next(p for p in (archive / "2024").iterdir() if p.name != "_год")
    records = rec.read_documents(bag)
    victim = next(r for r in records if r.carrier == "study_certificate")
    (bag / victim.file).unlink()
    (bag / rec.DOCUMENTS).write_bytes(rec.documents_bytes(
        [r.destroyed("№ 1 от 15.01.2031") if r is victim else r for r in records]))
    source = f"2024/{bag.name}/{victim.file}"
    [row] = [r for r in renditions.read_list(archive) if r.source == source]
    report = renditions.make_renditions(archive, filed_records(archive), exe="soffice-is-not-called")
    assert report.removed == [source] and not report.made
    assert not (archive / renditions.FOLDER / row.pdf).exists()
    assert all(r.source != source for r in renditions.read_list(archive))
    assert renditions.verify_renditions(archive) == []


def _scan_pdf(pages: int) -> bytes:
    """A scanner's PDF: `pages` blank A4 pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_scans_of_the_signed_original_take_its_place_in_the_case(printed, tmp_path):
    """A 3-page PDF scan and a 1-page JPEG of the signed protocol: the дело prints them, not the DOCX copy."""
    from PIL import Image

    ds, root, _, _ = printed
    copy = tmp_path / "archive"
    shutil.copytree(root, copy)
    scans = tmp_path / "scans/ПК-2024-01"
    scans.mkdir(parents=True)
    (scans / "Протокол заседания аттестационной комиссии ПК-2024-01 стр. 1-3.pdf").write_bytes(_scan_pdf(3))
    Image.new("RGB", (827, 1169), "white").save(scans / "Протокол заседания аттестационной комиссии ПК-2024-01 стр. 4.jpg",
                                                dpi=(100, 100))
    docs = rendered(tmp_path / "build", ds, {d.spec.doc_id: docx_of(PAGES[d.carrier.key], d.spec.title)
                                              for d in rendered(tmp_path / "probe", ds)})
    report = archive_documents(ds, docs, copy, today=TODAY, scans_dir=tmp_path / "scans")
    assert report.ok and len(report.scans) == 2
    printed_now = print_cases(ds, copy, tmp_path / "cases", TODAY, waiting={})
    [case] = [c for c in cases_of(filed_records(copy), formation_by_index(ds.nomenclature)) if c.index == "03-07"]
    [doc] = case.documents  # the scans are not documents of their own
    assert [s.record.file.endswith(end) for s, end in zip(doc.scans, ("стр. 1-3.pdf", "стр. 4.jpg"), strict=True)] \
        == [True, True]
    pdf = next(p for p in printed_now.printed if p.name.startswith("Дело 03-07"))
    pages = text_of(pdf)
    inventory = [i for i, t in enumerate(pages) if "ВНУТРЕННЯЯ ОПИСЬ" in t or "Количество листов внутренней описи" in t]
    own = inventory[-1] - inventory[0] + 1
    assert len(pages) == 1 + own + 4 + 1, "the document's sheets are the scans' pages (3 + 1)"
    assert re.search(r"На 4 листах\b", pages[0])
    inv = " ".join(pages[1:1 + own])
    assert "1–4" in inv and "подписан, скан в архиве" in inv and "Итого 1 (" in inv
    assert "пронумеровано 4 (" in pages[-1] and "с № 1 по № 4" in pages[-1]
    assert not any("скан" in line.lower() for line in printed_now.pending_copies)
