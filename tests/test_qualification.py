"""The qualification documents (удостоверение, диплом with приложение, свидетельство) on the sample.

Read from the rendered .docx text, the way a recipient reads them: one document per issued row, the
numbers equal to the register's, the ФРДО export's and the graduation order's, the приложение equal to
the ведомости, and each kind carries what its signer checks before signing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from pipeline.carriers import carrier, common, qualification
from pipeline.core import ru
from pipeline.frdo import export, years_of
from pipeline.render.check_docs import soffice
from pipeline.render.stage import docx_text, render_carrier
from pipeline.reports.status import PRESENT, StatusRow, console_lines
from pipeline.synth import generate

KEYS = {"qualification_pk": qualification.PK, "qualification_pp": qualification.PP,
        "qualification_po": qualification.PO}
TEMPLATES = Path("templates_docx")


@pytest.fixture(scope="module")
def sample():
    return generate()


@pytest.fixture(scope="module")
def printed(sample, tmp_path_factory):
    """(spec, text lines) of every qualification document of the sample, rendered."""
    out = tmp_path_factory.mktemp("qual")
    docs = []
    for key in KEYS:
        for doc in render_carrier(carrier(key), list(carrier(key).build(sample)), out, TEMPLATES):
            docs.append((doc.spec, docx_text(doc.path.read_bytes()).splitlines()))
    return docs


def _plain(text: str) -> str:
    """Printed text as typed: U+2011 non-breaking hyphens and U+00A0 no-break spaces made ordinary.

    Numbers and names are held together with these characters in print (ru.unbroken, ГОСТ initials);
    made plain, they must equal the register, ФРДО and order values character for character.
    """
    return str(text).replace(ru.NB_HYPHEN, "-").replace("\u00a0", " ")


def _after(lines: list[str], label: str) -> str:
    """The value printed under a label of the cover half («регистрационный номер» → «2025-0001»), made plain."""
    plain = [_plain(line) for line in lines]
    return plain[plain.index(label) + 1]


def test_one_document_per_issued_row_of_these_kinds(sample, printed):
    rows = sorted((g.number, d.reg_no) for g in sample.groups.values() for d in g.issued if d.document in KEYS.values())
    assert len(rows) > 100
    assert sorted((spec.group, _after(lines, "регистрационный номер")) for spec, lines in printed) == rows


def test_numbers_agree_with_register_frdo_and_graduation_order(sample, printed, tmp_path):
    # Register and order may print their numbers unbroken (U+2011); made plain, each is the ФРДО's number.
    register = {_plain(r["reg_no"]): r for spec in carrier("issue_register").build(sample)
                for r in spec.context["rows"]}
    orders = {_plain(r["reg_no"]): r for spec in carrier("order_graduation").build(sample)
              for r in spec.context["graduates"]}
    frdo = {}
    for year in years_of(sample):
        for kind in ("dpo", "po"):
            result = export(sample, year, kind, tmp_path, today=dt.date(2027, 1, 1))
            if result.workbook is None:
                continue
            rows = list(openpyxl.load_workbook(result.workbook)["Шаблон"].iter_rows(values_only=True))
            head = list(rows[0])
            for values in rows[1:]:
                row = dict(zip(head, values, strict=False))
                frdo[row["Регистрационный номер"]] = row
    assert printed
    for _spec, lines in printed:
        reg_no = _after(lines, "регистрационный номер")
        blank = _after(lines, "серия и номер бланка")
        issued = _after(lines, "дата выдачи")
        assert _plain(register[reg_no]["series_number"]) == blank, reg_no
        assert _plain(ru.date_long(dt.datetime.strptime(register[reg_no]["date"], "%d.%m.%Y").date())) == issued, \
            reg_no
        assert _plain(orders[reg_no]["document"]) == blank, reg_no
        row = frdo[reg_no]
        series = row["Серия документа"]
        assert (f"{series} {row['Номер документа']}" if series != "нет" else row["Номер документа"]) == blank
        frdo_date = row["Дата выдачи документа"]
        frdo_date = frdo_date.date() if isinstance(frdo_date, dt.datetime) else frdo_date
        assert _plain(ru.date_long(frdo_date)) == issued, reg_no


def test_supplement_modules_hours_and_results_equal_the_interim_sheets(sample, printed):
    sheets = {}
    for spec in carrier("interim_sheet").build(sample):
        for r in spec.context["rows"]:
            sheets[(spec.group, spec.context["module"]["name"], r["name"])] = r["result"]
    diplomas = [(spec, lines) for spec, lines in printed if spec.doc_id.split("/")[1] == "qualification_pp"]
    assert diplomas
    compared = topics = 0
    for spec, lines in diplomas:
        group = sample.groups[spec.group]
        program = sample.program_of(group)
        learner = sample.learners[spec.learner_id]
        rows = [line.split(" | ") for line in lines if line.count(" | ") == 3 and line[0].isdigit()]
        assert [(name, int(hours)) for _, name, hours, _ in rows] == [(m.name, m.hours) for m in program.modules]
        for (_, name, _, result), module in zip(rows, program.modules, strict=True):
            key = (spec.group, name, learner.person.full_name)
            if module.form != "нет":  # a module without attestation has no interim sheet
                assert result == sheets[key], key
                compared += 1
        final = group.final_of(learner.id)
        assert f"Итоговая аттестация ({program.final_form}): {final.result.words}." in lines
        if final.topic:
            assert f"Тема итоговой работы: «{final.topic}»." in lines
            topics += 1
        else:
            assert not any(line.startswith("Тема итоговой работы") for line in lines), spec.doc_id
        assert f"Всего по модулям программы: {ru.hours_acad(sum(m.hours for m in program.modules))}." in lines
    assert compared and topics, (compared, topics)  # the sample has both: the checks above did run


def test_signers_checklist_per_kind(sample, printed):
    """What the director checks before signing, kind by kind, in the printed text."""
    seen = set()
    for spec, lines in printed:
        key = spec.doc_id.split("/")[1]
        seen.add(key)
        text = _plain("\n".join(lines))
        group = sample.groups[spec.group]
        program = sample.program_of(group)
        learner = sample.learners[spec.learner_id]
        head = sample.head.person
        checklist = [
            sample.organization.full_name, sample.organization.city,
            ru.dative(learner.person), f"«{program.name}»", ru.hours_acad(program.hours),
            ru.period_long(group.start, group.end), f"№ {group.protocol_no}",
            ru.date_short(group.final_date), "Руководитель", ru.initials_surname(head),
            "Секретарь", "М. П.",
        ]
        if key != "qualification_pk":
            checklist += ["Председатель комиссии", program.qualification]
        if key == "qualification_po":
            checklist.append(f"{program.rank}-го разряда")
        if key == "qualification_pp":
            checklist += ["ПРИЛОЖЕНИЕ", "Диплом действителен с приложением."]
        for item in map(_plain, checklist):  # every detail, compared as typed
            assert item in text, (spec.doc_id, item)
        assert "ДУБЛИКАТ" not in text
    assert seen == set(KEYS)


def _with_duplicate(sample):
    """The sample with a duplicate of the first diploma issued a year later, on a new blank."""
    group = next(g for g in sample.groups.values() if any(d.document == qualification.PP for d in g.issued))
    original = next(d for d in group.issued if d.document == qualification.PP)
    duplicate = dataclasses.replace(original, number="0009999", reg_no="2027-0001",
                                    issued_on=original.issued_on.replace(year=original.issued_on.year + 1),
                                    status="Дубликат", replaces=original.reg_no, lost="Другое")
    groups = sample.groups | {group.number: dataclasses.replace(group, issued=group.issued + (duplicate,))}
    return dataclasses.replace(sample, groups=groups), original, duplicate


def test_duplicate_prints_its_mark_and_refers_to_the_original(sample, tmp_path):
    ds, original, duplicate = _with_duplicate(sample)
    specs = [s for s in carrier("qualification_pp").build(ds) if s.doc_id.endswith(duplicate.reg_no)]
    [doc] = render_carrier(carrier("qualification_pp"), specs, tmp_path, TEMPLATES)
    lines = docx_text(doc.path.read_bytes()).replace("\u00a0", " ").splitlines()
    assert lines.count("ДУБЛИКАТ") == 2  # on the diploma and on its приложение
    assert _after(lines, "регистрационный номер") == "2027-0001"
    assert _after(lines, "серия и номер бланка").endswith("0009999")
    note = next(line for line in lines if line.startswith("Дубликат выдан взамен"))
    assert f"рег. № {original.reg_no} от {ru.date_short(original.issued_on)}" in note
    assert original.number in note
    assert "(дубликат)" in doc.path.name
    # The original still prints as an original.
    originals = [s for s in carrier("qualification_pp").build(ds) if s.doc_id.endswith("/" + original.reg_no)]
    assert originals[0].context["doc"]["duplicate"] == ""


def test_dative_override_from_the_workbook_replaces_the_declension(sample):
    spec = next(iter(carrier("qualification_pk").build(sample)))
    learner = sample.learners[spec.learner_id]
    assert spec.context["learner"]["dative"] == ru.dative(learner.person)
    override = "Гарсиа Маркесу Габриэлю Хосе"
    ds = dataclasses.replace(sample, learners=sample.learners | {
        learner.id: dataclasses.replace(learner, dative=override)})
    again = next(s for s in carrier("qualification_pk").build(ds) if s.doc_id == spec.doc_id)
    assert again.context["learner"]["dative"] == override
    # The справка об обучении prints the same override.
    certificate = next(iter(carrier("study_certificate").build(sample)))
    person = sample.learners[certificate.learner_id]
    ds = dataclasses.replace(sample, learners=sample.learners | {
        person.id: dataclasses.replace(person, dative=override)})
    again = next(s for s in carrier("study_certificate").build(ds) if s.doc_id == certificate.doc_id)
    assert certificate.context["learner"]["dative"] != override == again.context["learner"]["dative"]


def test_documents_are_not_filed_but_their_case_is_the_register():
    for key in KEYS:
        entry = carrier(key)
        assert entry.archived is False and entry.case_key == "issue_register" and entry.scope == "learner"


def test_missing_rows_are_explained(sample):
    group = next(g for g in sample.groups.values() if sample.program_of(g).document == qualification.PK
                 and g.issued)
    without = dataclasses.replace(group, issued=tuple(
        d for d in group.issued if d.document != qualification.PK))
    ds = dataclasses.replace(sample, groups=sample.groups | {group.number: without})
    assert carrier("qualification_pk").missing(ds, without) == [
        f"нет строк «{qualification.PK}» на листе «Выдача документов»"]
    assert carrier("qualification_pp").missing(ds, without) == []
    assert carrier("qualification_pk").missing(sample, group) == []


def test_rank_genitive():
    assert common.rank_genitive("3") == "3\u2011го разряда"
    assert common.rank_genitive("2 класса") == "2 класса"
    assert common.rank_genitive(None) == ""


def test_issue_sheet_lists_every_issued_row_with_empty_signature_and_proxy_cells(sample, tmp_path):
    specs = {s.group: s for s in carrier("issue_sheet").build(sample)}
    assert set(specs) == {g.number for g in sample.groups.values() if g.issued}
    for number, spec in specs.items():
        group = sample.groups[number]
        rows = spec.context["rows"]
        assert sorted((r["reg_no"], r["series_number"], r["date"]) for r in rows) == sorted(
            (d.reg_no, common_series(d), ru.date_short(d.issued_on)) for d in group.issued)
        for r in rows:
            assert (r["signature"] == "") == (r["receipt"] != "почтой")
            assert r["signature"].startswith("почтовое отправление") == (r["receipt"] == "почтой")
            assert (r["proxy"] == "") == (r["receipt"] == "по доверенности")
    spec = next(s for s in specs.values() if any(r["receipt"] == "по доверенности" for r in s.context["rows"]))
    [doc] = render_carrier(carrier("issue_sheet"), [spec], tmp_path, TEMPLATES)
    lines = docx_text(doc.path.read_bytes()).splitlines()
    proxy_rows = [line.split(" | ") for line in lines if " | по доверенности | " in line]
    assert proxy_rows and all(cells[-2:] == ["", ""] for cells in proxy_rows)
    assert "Подпись получателя (представителя)" in lines[[i for i, x in enumerate(lines) if "Рег. №" in x][0]]


def common_series(doc) -> str:
    return f"{doc.series} {doc.number}" if doc.series and doc.series.lower() != "нет" else doc.number


def test_status_report_says_handed_out_not_missing_from_the_archive():
    row = StatusRow("ПК-2025-01", carrier("qualification_pk"), 15, 0, PRESENT, ())
    filed = StatusRow("ПК-2025-01", carrier("issue_sheet"), 1, 1, PRESENT, ())
    assert row.archive_text == "не подшивается (выдается на руки)"
    lines = console_lines([row, filed], {"ПК-2025-01": dt.date(2025, 1, 23)}, dt.date(2025, 6, 1), "status.xlsx")
    assert lines[0] == ("Полнота документов: 1 группа, документов 16, в архиве 1, выдаются на руки 15; "
                        "по каждой группе и носителю — «status.xlsx».")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_long_supplement_continues_on_a_second_sheet_with_the_header_repeated(sample, tmp_path):
    """Pages as LibreOffice lays them out: the face is one sheet, the приложение runs on with its header."""
    group = next(g for g in sample.groups.values() if sample.program_of(g).kind == "ПП" and g.issued)
    program = sample.program_of(group)
    modules = tuple(dataclasses.replace(program.modules[0], number=n, name=f"Модуль {n}: нормирование, контроль и "
                                        f"учет воздействия на окружающую среду, раздел {n}") for n in range(1, 41))
    ds = dataclasses.replace(sample, programs=sample.programs | {
        program.code: dataclasses.replace(program, modules=modules)})
    spec = next(s for s in carrier("qualification_pp").build(ds) if s.group == group.number)
    [doc] = render_carrier(carrier("qualification_pp"), [spec], tmp_path, TEMPLATES)
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(doc.path)],
                   capture_output=True, timeout=180, check=True)
    [pdf] = (tmp_path / "pdf").glob("*.pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    assert len(pages) >= 3
    assert "Настоящий диплом выдан" in pages[0] and "ПРИЛОЖЕНИЕ" not in pages[0]
    supplement = [_plain(page) for page in pages[1:]]
    assert "ПРИЛОЖЕНИЕ" in supplement[0]
    # The sheets that carry rows of the table come first, one after another, each under the table's header;
    # a sheet after the table ended may hold only the closing part (decision of the commission, signatures).
    rows = [[int(n) for n in re.findall(r"Модуль (\d+):", page)] for page in supplement]
    table = [i for i, numbers in enumerate(rows) if numbers]
    assert table == list(range(len(table))) and len(table) >= 2, rows  # the table itself runs onto a second sheet
    assert [n for numbers in rows for n in numbers] == list(range(1, 41))  # every module once, in order
    for i in table:
        assert "Наименование модуля (дисциплины)" in supplement[i], i  # the table's header repeats
    assert "Модуль 40:" in supplement[table[-1]]
    for page in supplement[table[-1] + 1:]:  # after the table: the closing part only, never table rows
        assert "Наименование модуля (дисциплины)" not in page
    for page in supplement[1:]:  # a loose continuation sheet names its diploma
        assert f"Приложение к диплому рег. № {_plain(spec.context['doc']['reg_no'])}" in page
    # No page holds only the signatures: the closing lines stay with them.
    last = supplement[-1]
    assert "Руководитель" in last and "Решение итоговой аттестационной комиссии" in last
    assert "Руководитель" not in supplement[0] or len(supplement) == 1
