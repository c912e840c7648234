"""The act of disposal and the archive labels as their signers read them (issue 12).

A signer's checklist for «Акт о выделении к уничтожению» (NOTES §4.1): the details the form requires, the
organisation's own facts from organization.xlsx, the expert commission's signatures, and the facts that
must agree with the archive (every listed document is due by the act's date; the printed list hash is the
act's). Checked on the sample and on an awkward set of people: a commission of five, long and double
surnames, women and men, no fund number, no ЭК at all. For the labels: крайние даты equal the dates of
the documents filed in each case, taken from the group workbooks, not from the archive's own records.
Then page checks from the PDF LibreOffice makes: no page holds only signatures, no word is split by a
narrow column, no table column is empty in every row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from archive_fixture import SRC, dataset, rendered
from click.testing import CliRunner

from pipeline.archive import disposal
from pipeline.archive.act_people import ActPeople, Signer, after_comma, load_people, people_of, signature_name
from pipeline.archive.disposal import prepare_act
from pipeline.archive.filing import archive_documents
from pipeline.archive.index import bags
from pipeline.archive.pd_act import Carrier, PdAct, destroyers_of, pd_act_docx
from pipeline.archive.records import read_documents
from pipeline.cli import main
from pipeline.core.dataset import Commission, CommissionMember, Person, Staff

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
GOST_SIGNATURE = re.compile(r"^[А-ЯЁ]\.(?:-[А-ЯЁ]\.)?(?:[А-ЯЁ]\.)?\u00a0[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?$")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(disposal, "clock_today", lambda: D(2080, 6, 1))


@pytest.fixture
def archive(tmp_path):
    ds = dataset()
    archive_documents(ds, rendered(tmp_path / "build", ds), tmp_path / "output/archive", today=D(2026, 3, 1))
    return tmp_path / "output/archive"


def act_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    d = docx.Document(str(path))
    paragraphs = [p.text for p in d.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return "\n".join(paragraphs + [c for t in tables for row in t for c in row]), tables


def awkward_people() -> ActPeople:
    """A commission of five with long, double and patronymic-less names; no fund number."""
    org = dataset().organization
    staff = {sid: Staff(sid, Person(*name), position, SRC) for sid, name, position in (
        ("1", ("Соколова", "Ирина", "Владимировна", "Жен"), "Директор"),
        ("2", ("Римский-Корсаков", "Николай", "Андреевич", "Муж"), "Заместитель директора по учебно-методической работе"),
        ("3", ("Ким", "Анна-Мария", None, "Жен"), "Главный бухгалтер"),
        ("4", ("Оглы", "Рамиз", "Исмаил оглы", "Муж"), "Методист"),
        ("5", ("Ёлкина", "Юлия", "Эдуардовна", "Жен"), "Специалист по кадрам"),
        ("6", ("Щукин", "Эдуард", "Юрьевич", "Муж"), "Документовед"),
    )}
    members = tuple(CommissionMember(sid, role, SRC) for sid, role in (
        ("2", "председатель"), ("3", "член комиссии"), ("4", "член комиссии"), ("5", "член комиссии"),
        ("6", "секретарь")))
    ek = Commission("ЭК", "7-о", D(2030, 2, 3), members)
    other = Commission("АК-1", "1-о", D(2024, 1, 1), (CommissionMember("1", "председатель", SRC),))
    org = org.__class__(**{**org.__dict__, "archive_fund": None, "head_id": "1", "city": "Санкт-Петербург"})
    return people_of(org, staff, {"АК-1": other, "эк": ek})


def check_act(path: Path, act, people: ActPeople, archive: Path) -> None:
    """The signer's checklist; every assertion names the requisite it checks."""
    text, tables = act_text(path)
    plain = text.replace("\u2011", "-")
    head = " ".join(tables[0][0])
    # header: organisation, АКТ, date in words, number, place; approval by the director
    assert act.organization in head and "АКТ" in head
    assert f"{act.date.day}\u00a0" in head and "г. №\u00a0" in head.replace("\u00a0г.", " г.")
    assert (f"г.\u00a0{people.city}" if people.city else "Место составления") in head
    assert "УТВЕРЖДАЮ" in head and people.head.position in head and people.head.name in head
    # preamble: fund number, basis (Перечень and номенклатура), no claim about описи дел
    assert (f"фонда №\u00a0{people.fund} (" if people.fund else "фонда №\u00a0________________ (") in text
    assert "приказ Росархива от 20.12.2019 № 236" in text and "номенклатуры дел организации" in text
    assert "Описи дел" not in text and "утверждены" not in text
    # the paper originals and the electronic documents of the same дела
    assert "подлинников документов на бумажном носителе" in text and "электронных документов" in text
    cases = tables[1][2:]
    assert len(cases) == len(act.cases)
    assert all("подлинники на бумаге и электронные документы" in row[7] for row in cases)
    assert all(all(cell.strip() for cell in row) for row in cases), "a column is empty"
    assert f"Итого {len(act.cases)} (" in text
    assert "Документы на бумажном носителе в количестве" in text and "удалены из электронного архива" in text
    # the commission: appointed by an order, the chair, every member and the secretary sign
    if people.commission_order:
        number, date = people.commission_order
        assert f"назначенная приказом от {date.day}\u00a0" in text and f"№\u00a0{number}" in plain
    signers = [people.chair, *people.members, people.secretary]
    for signer in signers:
        assert signer.name in text and GOST_SIGNATURE.match(signer.name), signer
    assert plain.count("Член комиссии") == (len(people.members) or 2)
    assert "Председатель экспертной комиссии" in text and "Секретарь комиссии" in text
    # the act's file list: its hash is printed; every document listed is due by the act's date
    assert act.list_sha256 in text
    for case in act.cases:
        for doc in case.documents:
            record = next(r for r in read_documents(archive / doc["bag"]) if r.doc_id == doc["doc_id"])
            assert record.destroy_not_before and D.fromisoformat(record.destroy_not_before) <= act.date
    # a paper for the commission: no command, no file name
    for word in ("uchet", "--", ".docx", ".json", ".xlsx", "disposal_register", "data/"):
        assert word not in text, word


def test_act_from_the_sample_workbook(archive):
    people = load_people(ROOT / "input")
    assert people.fund == "17" and people.city == "Москва" and people.head.name == "И.В.\u00a0Соколова"
    assert people.chair.name == "А.П.\u00a0Беляев" and people.commission_order == ("2-о", D(2024, 12, 20))
    act, path = prepare_act(archive, D(2080, 1, 15), people)
    check_act(path, act, people, archive)


def test_act_with_a_commission_of_five_and_no_fund(archive):
    people = awkward_people()
    assert [s.name for s in (people.chair, *people.members, people.secretary)] == [
        "Н.А.\u00a0Римский-Корсаков", "А.-М.\u00a0Ким", "Р.И.\u00a0Оглы", "Ю.Э.\u00a0Ёлкина", "Э.Ю.\u00a0Щукин"]
    act, path = prepare_act(archive, D(2080, 1, 15), people)
    check_act(path, act, people, archive)
    text, _ = act_text(path)
    assert "г.\u00a0Санкт-Петербург" in text


def test_act_without_an_expert_commission_leaves_lines_and_says_where_to_enter_it(archive, tmp_path):
    """organization.xlsx without an expert commission: the act keeps blank lines for the chair and members; staff are told."""
    import openpyxl

    source = tmp_path / "input"
    shutil.copytree(ROOT / "input", source)
    wb = openpyxl.load_workbook(source / "organization.xlsx")
    ws = wb["Экспертная комиссия"]
    ws.delete_rows(2, ws.max_row)
    wb.save(source / "organization.xlsx")
    result = CliRunner().invoke(main, ["disposal", "--as-of", "2080-01-15", "--input", str(source),
                                       "--output", str(archive.parent)])
    assert result.exit_code == 0, result.output
    assert "В акте оставлено пустым: состав экспертной комиссии" in result.output
    assert "лист «Экспертная комиссия»" in result.output
    text, _ = act_text(archive / "acts/act-1.docx")
    assert "Председатель экспертной комиссии\n" in text and text.count("Член комиссии\n") == 2
    assert "назначенная приказом от ________________ № ______" in text


def test_signature_names_follow_gost():
    assert signature_name(Person("Соколова", "Ирина", "Владимировна", "Жен")) == "И.В.\u00a0Соколова"
    assert signature_name(Person("Ким", "Анна-Мария", None, "Жен")) == "А.-М.\u00a0Ким"


def test_a_position_after_a_comma_takes_a_small_letter_and_an_abbreviation_keeps_its_case():
    """«Председатель экспертной комиссии, директор»: a common noun after a comma is written with a small letter;
    an abbreviation is made of the capitals of its words («ВрИО» — временно исполняющий обязанности), so it keeps
    them, whether written «ВрИО» or «ВРИО»; only the first word is looked at."""
    assert after_comma("Директор") == "директор"
    assert after_comma("Методист") == "методист"
    assert after_comma("Заместитель директора по УВР") == "заместитель директора по УВР"
    assert after_comma("И.о. директора") == "и.о. директора"
    assert after_comma("ВрИО директора") == "ВрИО директора"
    assert after_comma("ВРИО директора") == "ВРИО директора"
    assert after_comma("ИТ-специалист") == "ИТ-специалист"
    assert after_comma("документовед") == "документовед"
    assert after_comma("") == ""


def abbreviated_people() -> ActPeople:
    """A commission whose chair is ВрИО директора, one member ВРИО заместителя, a secretary Документовед."""
    return ActPeople(fund="17", city="Москва", head=Signer("ВрИО директора", "И.В.\u00a0Соколова"),
                     commission_order=("2-о", D(2030, 12, 20)),
                     chair=Signer("ВрИО директора", "И.В.\u00a0Соколова"),
                     members=(Signer("ВРИО заместителя директора", "А.П.\u00a0Беляев"),
                              Signer("Методист", "Р.И.\u00a0Оглы")),
                     secretary=Signer("Документовед", "Э.Ю.\u00a0Щукин"))


SIGNED_AS = ["Председатель экспертной комиссии, ВрИО директора", "Член комиссии, ВРИО заместителя директора",
             "Член комиссии, методист", "Секретарь комиссии, документовед"]


def test_an_abbreviated_position_keeps_its_capitals_in_the_signatures_of_the_act_of_disposal(archive):
    act, path = prepare_act(archive, D(2080, 1, 15), abbreviated_people())
    _, tables = act_text(path)
    [signers] = [t for t in tables if t and t[0][0].startswith("Председатель экспертной комиссии")]
    assert [row[0] for row in signers] == SIGNED_AS
    assert [row[2] for row in signers] == ["И.В.\u00a0Соколова", "А.П.\u00a0Беляев", "Р.И.\u00a0Оглы", "Э.Ю.\u00a0Щукин"]


def test_an_abbreviated_position_keeps_its_capitals_in_the_act_on_personal_data(tmp_path):
    """The expert commission signs the act on personal data as those who destroyed the data, in the same order
    and the same words as it signs the act of disposal."""
    destroyers = destroyers_of(abbreviated_people())
    assert [(d.position, d.name) for d in destroyers] == list(zip(SIGNED_AS, (
        "И.В.\u00a0Соколова", "А.П.\u00a0Беляев", "Р.И.\u00a0Оглы", "Э.Ю.\u00a0Щукин"), strict=True))
    path = tmp_path / "pd.docx"
    path.write_bytes(pd_act_docx(PdAct(1, "№ 1 от 15.01.2081", "протоколом ЭК № 3 от 20.01.2081", D(2081, 2, 1),
                                       "ЧОУ ДПО «Эко-Образование»", "123456, г. Москва", (("Иванов Иван", "ПК-1"),),
                                       (), destroyers)))
    _, tables = act_text(path)
    assert [row[0] for row in tables[-1]] == SIGNED_AS

# --- labels ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_archive(tmp_path_factory):
    """ПК-2025-01 and ПП-2025-01 of the sample (two years, the year book of 2025), built for real."""
    from pipeline.build import run

    base = tmp_path_factory.mktemp("labels")
    source = base / "input"
    (source / "groups").mkdir(parents=True)
    for name in ("organization.xlsx", "learners.xlsx"):
        shutil.copyfile(ROOT / "input" / name, source / name)
    for name in ("ПК-2025-01.xlsx", "ПК-2025-02.xlsx", "ПП-2025-01.xlsx"):
        shutil.copyfile(ROOT / "input/groups" / name, source / "groups" / name)
    assert run(source, base / "output", today=D(2027, 2, 1)) == 0
    return source, base / "output/archive"


def _labels(archive: Path) -> list[str]:
    texts = []
    for path in sorted(archive.glob("labels-*.docx")):  # one file of labels per year of the archive
        d = docx.Document(str(path))
        texts += [c.text.replace("\u2011", "-") for t in d.tables for row in t.rows for c in row.cells if c.text]
    return texts


def _span(dates) -> str:
    first, last = min(dates), max(dates)
    return first.strftime("%d.%m.%Y") if first == last else f"{first:%d.%m.%Y} – {last:%d.%m.%Y}"


def test_label_dates_are_the_dates_of_the_documents_in_the_case(sample_archive):
    from pipeline.intake.validate import validate_input

    source, archive = sample_archive
    ds = validate_input(source).dataset
    labels = _labels(archive)
    group = ds.groups["ПК-2025-01"]
    orders = next(t for t in labels if t.startswith(ds.organization.full_name) and "ПАПКА · Дело № 01-01" in t
                  and "группа ПК-2025-01" in t)
    # the issue's own example: orders of ПК-2025-01 are dated 17.01–23.01.2025
    assert f"Крайние даты: {_span([o.date for o in group.orders])}\n" in orders
    assert "Крайние даты: 17.01.2025 – 23.01.2025" in orders
    journal = next(t for t in labels if "ПАПКА · Дело № 03-01" in t and "группа ПК-2025-01" in t)
    assert f"Крайние даты: {_span([lesson.date for lesson in group.lessons] + [group.end])}\n" in journal
    # the year book: its first and last registration and its entries
    issued = [doc for g in ds.groups.values() for doc in g.issued if doc.issued_on.year == 2025]
    book = next(t for t in labels if "ПАПКА" in t and "Книга регистрации" in t and "2025 г." in t)
    assert f"Крайние даты: {_span([doc.issued_on for doc in issued])}\n" in book
    assert f"Документов: 1; записей в книге: {len(issued)}" in book
    # no folder label claims the training period where the documents say otherwise
    for number in ("ПК-2025-01", "ПК-2025-02"):
        g = ds.groups[number]
        period = f"Крайние даты: {g.start:%d.%m.%Y} – {g.end:%d.%m.%Y}\n"
        for text in (t for t in labels if f"группа {number}" in t and "Дело № 01-01" in t):
            assert period not in text


def test_box_labels_span_every_folder_of_the_case(sample_archive):
    _, archive = sample_archive
    by_case: dict[tuple[str, str], list] = {}
    for bag in bags(archive):
        for r in read_documents(bag):
            if r.kept:
                by_case.setdefault((bag.parent.name, r.case_index), []).append(r)
    labels = [t for t in _labels(archive) if "КОРОБКА" in t]
    assert len(labels) == len(by_case)
    for (year, index), records in by_case.items():
        dates = [D.fromisoformat(d) for r in records for d in (r.date, r.first_date) if d]
        [label] = [t for t in labels if f"КОРОБКА · Дело № {index}\n" in t and f"за {year} г." in t]
        assert f"Крайние даты: {_span(dates)}\n" in label and f"Документов: {len(records)}" in label


# --- page checks from the PDF ---------------------------------------------------------------------

SIGNATURE_LINE = re.compile(r"_{3,}|\((?:подпись|должность|расшифровка подписи)\)|^«____»|^[А-ЯЁ]\.[А-ЯЁ]?\.?\s")


def pdf_pages(path: Path, tmp_path: Path) -> list[str]:
    from pipeline.render.check_docs import soffice

    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180, check=True)
    pdf = tmp_path / f"{path.stem}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def docx_words(path: Path) -> set[str]:
    text, _ = act_text(path)
    text = text.replace("\u2011", "-").replace("\u00ad", "")
    # pdftotext joins a compound broken at its own hyphen («научно-⏎исторической» → «научноисторической»)
    joined = {w.replace("-", "") for w in re.findall(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)+", text)}
    return set(re.findall(r"[А-Яа-яЁё]+", text)) | joined


def check_pages(path: Path, tmp_path: Path) -> list[str]:
    pages = pdf_pages(path, tmp_path)
    assert pages
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        assert any(not SIGNATURE_LINE.search(line) for line in lines), f"a page holds only signatures: {lines}"
    words = docx_words(path)
    broken = {w for page in pages for w in re.findall(r"[А-Яа-яЁё]+", page) if w not in words}
    assert not broken, f"words split by a narrow column: {sorted(broken)[:10]}"
    return pages


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are needed for page checks")
def test_act_pages(archive, tmp_path):
    act, path = prepare_act(archive, D(2080, 1, 15), awkward_people())
    pages = check_pages(path, tmp_path)
    assert "УТВЕРЖДАЮ" in pages[0] and "Итого" in "".join(pages)
    # the справка about cases that still need the ЭК is on a sheet of its own, not under the signatures
    assert pages[-1].lstrip().startswith("Справка к акту")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are needed for page checks")
def test_label_pages(sample_archive, tmp_path):
    _, archive = sample_archive
    pages = [page for path in sorted(archive.glob("labels-*.docx")) for page in check_pages(path, tmp_path)]
    assert sum(page.count("Крайние даты") for page in pages) == len(_labels(archive))


# --- the act on personal data as its signer reads it (приказ Роскомнадзора от 28.10.2022 № 179) -------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH_MM = 170  # A4 (210 mm) less the margins of ГОСТ Р 7.0.97, 30 and 10 mm (act_docx.a4_document)


def _body(path: Path) -> list:
    """The act's body in order: a paragraph as its text, a table as its rows of cell texts (NBSP and the
    non-breaking hyphen read as plain)."""
    d = docx.Document(str(path))
    plain = {"\u00a0": " ", "\u2011": "-"}
    paragraphs = {p._p: p for p in d.paragraphs}
    tables = {t._tbl: t for t in d.tables}
    out = []
    for child in d.element.body.iterchildren():
        if child in paragraphs:
            out.append(paragraphs[child].text.translate(str.maketrans(plain)))
        elif child in tables:
            out.append([[c.text.translate(str.maketrans(plain)) for c in row.cells] for row in tables[child].rows])
    return out


PD_FACTS = [
    ["Оператор персональных данных", "ЧОУ ДПО «Эко-Образование», адрес: 123456, г. Москва, ул. Лесная, д. 7"],
    ["Лицо, осуществлявшее обработку по поручению оператора", "нет (обработку осуществлял оператор)"],
    ["Основание", "акт о выделении к уничтожению архивных документов, не подлежащих хранению, № 4 от 15.01.2081, "
                  "согласованный протоколом ЭК № 3 от 20.01.2081"],
    ["Причина уничтожения", "истечение срока хранения документов, установленного номенклатурой дел организации, и "
                            "достижение целей обработки персональных данных (ч. 7 ст. 5 Федерального закона от "
                            "27.07.2006 № 152-ФЗ «О персональных данных»)"],
    ["Категории уничтоженных персональных данных",
     "фамилия, имя, отчество; посещаемость занятий; оценки; результаты итоговой аттестации; сведения об обучении"],
    ["Информационная система", "электронный архив документов учебной части организации (программа «uchet»)"],
    ["Способ уничтожения", "документы на бумажном носителе — путем ____________________ (измельчения, сжигания); "
                           "электронные документы — удалением файлов из информационной системы, о каждом файле "
                           "сделана запись в реестре уничтоженных документов (записи по акту № 4), который служит "
                           "выгрузкой из журнала регистрации событий"],
    ["Дата уничтожения", "1 февраля 2081 г."],
]


def _pd_act(tmp_path: Path, carriers, destroyers, operator="ЧОУ ДПО «Эко-Образование»",
            address="123456, г. Москва, ул. Лесная, д. 7") -> Path:
    path = tmp_path / "pd.docx"
    path.write_bytes(pd_act_docx(PdAct(
        4, "№ 4 от 15.01.2081", "протоколом ЭК № 3 от 20.01.2081", D(2081, 2, 1), operator, address,
        (("Иванов Иван Иванович", "ПК-2080-01"), ("Петрова Анна", "")), carriers, destroyers)))
    return path


def test_the_act_on_personal_data_holds_every_requisite_the_order_asks_for_in_its_place(tmp_path):
    """Приказ № 179: the operator and its address, no processor, the subjects, the categories of data, the
    information system, the method, reason and date, the carriers with their sheets (a blank where unknown),
    who destroyed the data with their positions and signatures; the act is kept three years. The categories
    are those of every kind of carrier destroyed, each named once, in the order met; a kind not listed names
    at least the full name and the studies."""
    carriers = (Carrier("Журнал учета занятий ПК-2080-01", "journal", 12),
                Carrier("Протокол итоговой аттестации ПК-2080-01", "protocol", None),
                Carrier("Журнал учета занятий ПК-2080-02", "journal", 3),
                Carrier("Приказ о зачислении ПК-2080-01", "enrolment_order", 2),
                Carrier("Протокол итоговой аттестации ПК-2080-02", "protocol", 1))
    path = _pd_act(tmp_path, carriers, destroyers_of(abbreviated_people()))
    carried = [["1", "Журнал учета занятий ПК-2080-01", "12"], ["2", "Протокол итоговой аттестации ПК-2080-01", "____"],
               ["3", "Журнал учета занятий ПК-2080-02", "3"], ["4", "Приказ о зачислении ПК-2080-01", "2"],
               ["5", "Протокол итоговой аттестации ПК-2080-02", "1"]]
    assert _body(path) == [
        "ЧОУ ДПО «Эко-Образование»", "АКТ", "об уничтожении персональных данных", "1 февраля 2081 г.\t№ 4-ПД",
        PD_FACTS, "",
        "Субъекты персональных данных, чьи данные уничтожены (2):",
        [["№ п/п", "Фамилия, имя, отчество", "Категория субъектов, группа"],
         ["1", "Иванов Иван Иванович", "слушатель, группа ПК-2080-01"], ["2", "Петрова Анна", "слушатель"]],
        "",
        "Уничтоженные материальные носители (5):",
        # the last three rows go to the page of the signatures: a table of their own, without the header
        [["№ п/п", "Наименование носителя (документа)", "Количество листов"], *carried[:2]], carried[2:],
        "", "Персональные данные уничтожили:",
        [[position, "_" * 16, name] for position, name in zip(SIGNED_AS, (
            "И.В. Соколова", "А.П. Беляев", "Р.И. Оглы", "Э.Ю. Щукин"), strict=True)],
        "Акт хранится три года с даты уничтожения персональных данных."]
    assert docx.Document(str(path)).core_properties.title == "Акт об уничтожении персональных данных № 4-ПД"


def test_the_act_on_personal_data_leaves_blanks_for_what_organization_xlsx_does_not_give(tmp_path):
    """No operator, address or commission known: lines to write them in by hand, two signers' lines; a list of
    three carriers or fewer stays one table with its header."""
    carriers = (Carrier("Личная карточка слушателя", "learner_card", 1), Carrier("Справка об обучении", "study_certificate", 1),
                Carrier("Ведомость промежуточной аттестации", "interim_sheet", 2))
    body = _body(_pd_act(tmp_path, carriers, (), operator="", address=""))
    blank = "________________"
    assert body[0] == blank
    assert body[4][0] == ["Оператор персональных данных", f"{blank}, адрес: {blank}"]
    assert body[4][4] == ["Категории уничтоженных персональных данных",
                          "фамилия, имя, отчество; дата рождения; СНИЛС; сведения об образовании, месте работы и "
                          "должности; контактные данные; сведения об обучении и его результатах; выданный документ; "
                          "сведения об обучении (программа, период обучения); результаты промежуточной аттестации"]
    assert body[9:] == [
        "Уничтоженные материальные носители (3):",
        [["№ п/п", "Наименование носителя (документа)", "Количество листов"],
         ["1", "Личная карточка слушателя", "1"], ["2", "Справка об обучении", "1"],
         ["3", "Ведомость промежуточной аттестации", "2"]],
        "", "Персональные данные уничтожили:", [[blank, "_" * 16, blank]] * 2,
        "Акт хранится три года с даты уничтожения персональных данных."]


def test_the_signatures_of_the_act_on_personal_data_never_stand_alone_on_a_page(tmp_path):
    """The last rows of the carriers' list, the heading of the signatures and every signer's row are kept with
    what follows (the page checks of test_expert_commission.py need LibreOffice; this is what they rest on);
    every table spans the text width with fixed columns; the lists of subjects and carriers repeat their header
    on every page, the facts and the signatures have none."""
    carriers = tuple(Carrier(f"Личная карточка слушателя № {n}", "learner_card", 1) for n in range(1, 6))
    path = _pd_act(tmp_path, carriers, destroyers_of(abbreviated_people()))
    d = docx.Document(str(path))
    facts, subjects, head, tail, signers = d.tables
    assert not any(p.paragraph_format.keep_with_next for row in head.rows for c in row.cells for p in c.paragraphs)
    for table in (tail, signers):
        assert all(c.paragraphs[0].paragraph_format.keep_with_next for row in table.rows for c in row.cells)
    kept = [p.text for p in d.paragraphs if p.paragraph_format.keep_with_next]
    assert kept == ["Субъекты персональных данных, чьи данные уничтожены (2):", "Уничтоженные материальные носители (5):",
                    "", "Персональные данные уничтожили:"]
    for table in d.tables:
        tbl = table._tbl
        assert [t.get(f"{W}type") for t in tbl.findall(f"{W}tblPr/{W}tblLayout")] == ["fixed"]
        twips = [int(col.get(f"{W}w")) for col in tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert abs(sum(twips) - docx.shared.Mm(TEXT_WIDTH_MM).twips) <= len(twips)
    headers = [[tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in t._tbl.findall(f"{W}tr")] for t in d.tables]
    assert headers == [[False] * 8, [True, False, False], [True, False, False], [False] * 3, [False] * 4]
    assert [t.style.name for t in d.tables] == ["Table Grid"] * 4 + ["Normal Table"]


# --- the act of disposal drawn from an act's data, every line of it (NOTES §4.1) ---------------------------

BASIS_TEXT = ("Перечня типовых управленческих архивных документов, образующихся в процессе деятельности государственных "
              "органов, органов местного самоуправления и организаций, с указанием сроков их хранения (приказ Росархива "
              "от 20.12.2019 № 236) и номенклатуры дел организации")
HEADINGS = ["№ п/п", "Заголовок дела (групповой заголовок документов)", "Годы", "Номера описей (номенклатур) за годы",
            "Индекс дела по номенклатуре", "Количество ед. хр.", "Сроки хранения и номера статей по перечню",
            "Примечание"]
SIGN_HERE = ["_" * 44 + "\t________________\t________________", "(должность)\t(подпись)\t(расшифровка подписи)",
             "«____» ____________ 20__ г."]


def _doc(bag: str, name: str, epk: bool = False) -> dict:
    return {"bag": bag, "file": name, "sha256": hashlib.sha256(name.encode()).hexdigest(), "epk": epk}


def _drawn_act(cases: int = 2):
    """Act 4 of 15 January 2081: two cases of two years (one with ЭПК documents and two groups), and one whose
    period still needs the commission."""
    from pipeline.archive.disposal import Act, Case

    journals = Case("01-05", 2029, "Журналы учета занятий", "5 лет, ст. 635", ["ПК-2029-01", "ПК-2029-02"],
                    [_doc("2029/ПК-2029-01", "journal.docx"), _doc("2029/ПК-2029-02", "journal-2.docx", epk=True)])
    orders = Case("01-12", 2030, "Приказы по личному составу слушателей", "5 лет", [],
                  [_doc("2030", "orders.docx")])
    pending = Case("01-20", 2030, "Переписка с заказчиками", "3 года", [], [_doc("2030", "letters.docx")] * 2)
    return Act(4, D(2081, 1, 15), "ЧОУ ДПО «Эко-Образование»", [journals, orders][:cases], [pending])


def _act_body(tmp_path: Path, act, people: ActPeople | None) -> list:
    from pipeline.archive.disposal_act import act_docx

    path = tmp_path / "act.docx"
    path.write_bytes(act_docx(act, people))
    return _body(path)


def test_the_act_of_disposal_names_every_case_and_every_signer_where_the_form_puts_them(tmp_path):
    """The form of NOTES §4.1 line by line: organisation, «АКТ», date and number, place; «УТВЕРЖДАЮ» by the
    director; the basis and the fund; one row per case with the groups in its title, its year, its номенклатура,
    index, one unit, the period and a note (paper and electronic, the number of files, ЭПК when examined);
    the totals in figures and words over the span of years; the printed hash of the file list (the act's
    sha256 of «sha256  bag/file» lines, sorted); the commission appointed by its order, each member with
    position; СОГЛАСОВАНО by the protocol; the records of destruction, paper and electronic, each signed; the
    cases left out as a note on a page of their own."""
    act = _drawn_act()
    listed = hashlib.sha256("".join(sorted(f"{d['sha256']}  {d['bag']}/{d['file']}\n" for c in act.cases
                                           for d in c.documents)).encode()).hexdigest()
    body = _act_body(tmp_path, act, abbreviated_people())
    assert body == [
        [["ЧОУ ДПО «Эко-Образование»\nАКТ\n15 января 2081 г. № 4\nг. Москва",
          "УТВЕРЖДАЮ\nВрИО директора\n____________ И.В. Соколова\n«____» ____________ 20__ г."]],
        "", "о выделении к уничтожению архивных документов, не подлежащих хранению",
        f"На основании {BASIS_TEXT} отобраны к уничтожению как не имеющие научно-исторической ценности и утратившие "
        "практическое значение документы фонда № 17 (ЧОУ ДПО «Эко-Образование»). Каждое дело состоит из подлинников "
        "документов на бумажном носителе (подписанных экземпляров) и электронных документов того же содержания в "
        "электронном архиве организации; к уничтожению отобраны и те, и другие:",
        [HEADINGS, [str(n) for n in range(1, 9)],
         ["1", "Журналы учета занятий (группы: ПК-2029-01, ПК-2029-02)", "2029", "номенклатура дел на 2029 г.", "01-05",
          "1", "5 лет, ст. 635",
          "подлинники на бумаге и электронные документы (2 файла); ЭПК — проведена экспертиза ценности"],
         ["2", "Приказы по личному составу слушателей", "2030", "номенклатура дел на 2030 г.", "01-12", "1", "5 лет",
          "подлинники на бумаге и электронные документы (1 файл)"]],
        "", "Итого 2 (два) ед. хр. за 2029–2030 годы.", "Дела учтены по номенклатуре дел организации на 2029–2030 годы.",
        f"Электронных документов в перечисленных делах: 3. Контрольная сумма их списка (SHA-256): {listed}.",
        "", "Экспертная комиссия, назначенная приказом от 20 декабря 2030 г. № 2-о:",
        [[position, "_" * 18, name] for position, name in zip(SIGNED_AS, (
            "И.В. Соколова", "А.П. Беляев", "Р.И. Оглы", "Э.Ю. Щукин"), strict=True)],
        "«____» ____________ 20__ г.", "", "СОГЛАСОВАНО", "Протокол ЭК от «____» ____________ 20__ г. № ______", "",
        "Документы на бумажном носителе в количестве 2 (два) ед. хр. уничтожены путем ____________________________ "
        "(измельчения; сдачи на переработку — по приемо-сдаточной накладной от «____» ____________ 20__ г. № ______).",
        *SIGN_HERE,
        "Электронные документы тех же дел (3 файла) удалены из электронного архива организации; сведения о каждом "
        "внесены в реестр уничтоженных документов.",
        *SIGN_HERE,
        "Справка к акту (не является частью акта)",
        "Не включены в акт: срок хранения этих дел в номенклатуре дел отмечен «требует решения ЭК». Их можно включить "
        "в следующий акт после того, как экспертная комиссия утвердит срок.",
        [["Индекс дела", "Заголовок дела", "Год", "Документов", "Предварительный срок"],
         ["01-20", "Переписка с заказчиками", "2030", "2", "3 года"]]]
    assert docx.Document(str(tmp_path / "act.docx")).core_properties.title == "Акт о выделении к уничтожению № 4 от 15.01.2081"


def test_an_act_of_one_year_without_organization_facts_leaves_lines_to_fill_in(tmp_path):
    """No fund, place, director or commission in organization.xlsx: a line for each, «Руководитель организации»
    to approve, blank lines for the chair, two members and the secretary; one year is «год», not «годы»."""
    from pipeline.archive.disposal import Act

    one = _drawn_act(cases=1)
    act = Act(one.number, one.date, "", one.cases, [])
    body = _act_body(tmp_path, act, None)
    blank = "________________"
    assert body[0] == [[f"{blank}\nАКТ\n15 января 2081 г. № 4\nМесто составления {blank}",
                        f"УТВЕРЖДАЮ\nРуководитель организации\n____________ {blank}\n«____» ____________ 20__ г."]]
    assert "фонда № ________________ ()" in body[3]
    assert body[5:12] == [
        "", "Итого 1 (один) ед. хр. за 2029 год.", "Дела учтены по номенклатуре дел организации на 2029 год.",
        body[8], "", f"Экспертная комиссия, назначенная приказом от {blank} № ______:",
        [["Председатель экспертной комиссии", "_" * 18, blank], ["Член комиссии", "_" * 18, blank],
         ["Член комиссии", "_" * 18, blank], ["Секретарь комиссии", "_" * 18, blank]]]
    assert body[-4:] == ["Электронные документы тех же дел (2 файла) удалены из электронного архива организации; "
                         "сведения о каждом внесены в реестр уничтоженных документов.", *SIGN_HERE]


@pytest.mark.parametrize(("city", "place"), [
    ("Москва", "г. Москва"), ("  Великий   Новгород ", "г. Великий Новгород"), ("г. Тверь", "г. Тверь"),
    ("Г. Тверь", "Г. Тверь"), ("г Тверь", "г Тверь"), ("пос. Лесной", "пос. Лесной"), ("поселок Лесной", "поселок Лесной"),
    ("с. Ивановское", "с. Ивановское"), ("д. Петрово", "д. Петрово"), ("Сергиев Посад", "г. Сергиев Посад")])
def test_the_place_of_the_act_is_a_city_unless_organization_xlsx_names_the_kind_of_place(tmp_path, city, place):
    """«Место составления»: a plain name is a city («г. Москва»); a place written with its kind (г., пос., с., д.)
    is printed as written, its spaces made single."""
    import dataclasses

    people = dataclasses.replace(abbreviated_people(), city=city)
    [[left, _right]] = _act_body(tmp_path, _drawn_act(), people)[0]
    assert left.splitlines()[-1] == place


def test_the_act_of_disposal_keeps_its_signatures_with_what_they_sign(tmp_path):
    """Nothing signed is left alone at the foot of a page: the commission's heading, every signer's row, СОГЛАСОВАНО,
    each record of destruction with its blanks and captions are kept with what follows; the note of cases left out
    begins a page of its own; every table but the header spans the text width with fixed columns, and only the
    lists repeat their header row on each page; the lists are ruled, the signatures and the header are not."""
    from pipeline.archive.disposal_act import act_docx

    path = tmp_path / "act.docx"
    path.write_bytes(act_docx(_drawn_act(), abbreviated_people()))
    d = docx.Document(str(path))
    kept = [p.text.replace("\u00a0", " ").replace("\u2011", "-") for p in d.paragraphs if p.paragraph_format.keep_with_next]
    assert kept == [
        "Экспертная комиссия, назначенная приказом от 20 декабря 2030 г. № 2-о:", "СОГЛАСОВАНО",
        next(p for p in kept if p.startswith("Документы на бумажном носителе")), *SIGN_HERE[:2],
        next(p for p in kept if p.startswith("Электронные документы тех же дел")), *SIGN_HERE[:2],
        "Справка к акту (не является частью акта)"]
    assert [p.text for p in d.paragraphs if p.paragraph_format.page_break_before] == [
        "Справка к акту (не является частью акта)"]
    header, cases, signers, undecided = d.tables
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for row in signers.rows for c in row.cells)
    for table in (cases, signers, undecided):
        twips = [int(col.get(f"{W}w")) for col in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert abs(sum(twips) - docx.shared.Mm(TEXT_WIDTH_MM).twips) <= len(twips)
        assert [t.get(f"{W}type") for t in table._tbl.findall(f"{W}tblPr/{W}tblLayout")] == ["fixed"]
    headers = [[tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in t._tbl.findall(f"{W}tr")] for t in d.tables]
    assert headers == [[False], [True, False, False, False], [False] * 4, [True, False]]
    assert [t.style.name for t in d.tables] == ["Normal Table", "Table Grid", "Normal Table", "Table Grid"]


def test_the_act_counts_files_and_years_in_words_that_agree_with_their_number(tmp_path):
    """«1 файл», «5 файлов», «11 файлов» (Russian plural by number), in every case's note and in the record of
    the electronic documents deleted; three years are told as a span from the first to the last."""
    from pipeline.archive.disposal import Act, Case

    five = [_doc("2028/ПК-2028-01", f"doc-{n}.docx") for n in range(5)]
    cases = [Case("01-05", 2028, "Журналы учета занятий", "5 лет", [], five),
             Case("01-12", 2029, "Приказы", "5 лет", [], [_doc("2029", "orders.docx")]),
             Case("01-14", 2030, "Ведомости", "5 лет", [], [_doc("2030", f"sheet-{n}.docx") for n in range(5)])]
    body = _act_body(tmp_path, Act(5, D(2081, 1, 15), "ЧОУ ДПО", cases, []), abbreviated_people())
    assert [row[7] for row in body[4][2:]] == ["подлинники на бумаге и электронные документы (5 файлов)",
                                               "подлинники на бумаге и электронные документы (1 файл)",
                                               "подлинники на бумаге и электронные документы (5 файлов)"]
    assert body[6:8] == ["Итого 3 (три) ед. хр. за 2028–2030 годы.",
                         "Дела учтены по номенклатуре дел организации на 2028–2030 годы."]
    assert "Электронные документы тех же дел (11 файлов) удалены из электронного архива организации" in body[21]
    one = _act_body(tmp_path, Act(6, D(2081, 1, 15), "ЧОУ ДПО", cases[1:2], []), abbreviated_people())
    assert "Электронные документы тех же дел (1 файл) удалены из электронного архива организации" in one[21]


def test_group_numbers_case_indexes_and_order_numbers_never_break_at_their_hyphen(tmp_path):
    """«ПК-2029-01», «01-05», «2-о» are printed with non-breaking hyphens (U+2011), so a narrow column never
    splits a number across two lines."""
    from pipeline.archive.disposal_act import act_docx

    path = tmp_path / "act.docx"
    path.write_bytes(act_docx(_drawn_act(), abbreviated_people()))
    d = docx.Document(str(path))
    _header, cases, _signers, undecided = d.tables
    first = [c.text for c in cases.rows[2].cells]
    assert first[1] == "Журналы учета занятий (группы: ПК\u20112029\u201101, ПК\u20112029\u201102)"
    assert first[4] == "01\u201105"
    assert undecided.rows[1].cells[0].text == "01\u201120"
    assert "№\u00a02\u2011о:" in [p.text for p in d.paragraphs if p.text.startswith("Экспертная комиссия")][0]
