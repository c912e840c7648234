"""A signer's checklist per document kind (issue 12): what a records officer checks before signing.

Each kind is rendered to .docx and read back as text, on the synthetic sample AND on an awkward
variant of it (long double-barrelled names, a man and a woman who did not appear, an early leaver
expelled on the organisation's initiative, a commission of five with a note in a position, ПО and
ПП). The checks are the details ГОСТ Р 7.0.97 and the domain notes require, and the facts that must
agree across documents: a справка dated on or after the order it cites, every number printed equal
to the registered one, «проходили аттестацию» equal to those with a result.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections import Counter

import pytest
from rendered_kinds import TEMPLATES, render_kinds

from pipeline.carriers import carrier, certificates, common
from pipeline.core.dataset import CommissionMember, Person, Result, Source, Staff
from pipeline.render.stage import docx_text, render_carrier
from pipeline.synth import generate

NB, NBH = "\u00a0", "\u2011"
KINDS = ("order_enrolment", "order_commission", "order_graduation", "order_expulsion", "protocol",
         "study_certificate", "issue_extract")
SPACED_INITIALS = re.compile(r"\b[А-ЯЁ]\. [А-ЯЁ]\.")  # «И. В. Соколова»: ГОСТ Р 7.0.97 writes «И.В.»
SIGNATURE = re.compile(rf"\| [А-ЯЁ]\.(?:[А-ЯЁ]\.)?{NB}[А-ЯЁ][а-яё]+")
PLAIN_HOURS = re.compile(r"\d+ час(?:а|ов)?\b")  # legal text says «академических часов»


def _awkward():
    """The sample, made awkward: long names, a male no-show, a forced expulsion, a commission of five."""
    ds = generate()
    learners, groups, staff, commissions = dict(ds.learners), dict(ds.groups), dict(ds.staff), dict(ds.commissions)
    pp, po = groups["ПП-2025-01"], groups["ПО-2025-01"]

    def rename(learner_id, surname, name, patronymic, sex):
        learners[learner_id] = dataclasses.replace(learners[learner_id],
                                                   person=Person(surname, name, patronymic, sex))

    graduate = next(r.learner_id for r in pp.final if r.result.positive)
    rename(graduate, "Римская-Корсакова", "Анна-Мария", "Александровна", "Жен")
    # In ПО a man does not appear: his result becomes «н/я» and his document a справка.
    po_graduate = next(r for r in po.final if r.result.positive)
    rename(po_graduate.learner_id, "Оглоблин-Завьялов", "Святослав", "Вячеславович", "Муж")
    finals = tuple(dataclasses.replace(r, result=Result("н/я")) if r is po_graduate else r for r in po.final)
    issued = tuple(dataclasses.replace(d, document=common.CERTIFICATE, series=None)
                   if d.learner_id == po_graduate.learner_id else d for d in po.issued)
    groups["ПО-2025-01"] = dataclasses.replace(po, final=finals, issued=issued)
    # The ПП early leaver is expelled on the organisation's initiative, on a curator's memo.
    members = tuple(dataclasses.replace(m, expel_reason="невыполнение учебного плана",
                                        expel_ground="служебная записка куратора от 22.12.2025")
                    if m.expelled_early else m for m in pp.members)
    groups["ПП-2025-01"] = dataclasses.replace(pp, members=members)
    # A commission of five, the chair's position carrying a note that must not be printed.
    src = Source("organization.xlsx", "Сотрудники", 99)
    staff["9001"] = Staff("9001", Person("Салтыков-Щедрин", "Михаил-Евграф", "Евграфович", "Муж"),
                          "Заместитель директора по учебно-методической работе (внешний совместитель)", src)
    staff["9002"] = Staff("9002", Person("Ким", "Ирина", None, "Жен"), "Преподаватель", src)
    old = commissions[pp.commission_id]
    extra = (CommissionMember("9001", "заместитель председателя", src), CommissionMember("9002", "член комиссии", src))
    commissions[pp.commission_id] = dataclasses.replace(old, members=old.members + extra)
    return dataclasses.replace(ds, learners=learners, groups=groups, staff=staff, commissions=commissions)


DATASETS = {"sample": generate, "awkward": _awkward}


@pytest.fixture(scope="module", params=sorted(DATASETS))
def rendered(request, tmp_path_factory):
    """(dataset, {kind: {doc_id: (spec, text)}}) for every kind this checklist covers."""
    ds = DATASETS[request.param]()
    by_kind = render_kinds(ds, KINDS, tmp_path_factory.mktemp(request.param))
    return ds, {key: {i: (d.spec, text) for i, (d, text) in docs.items()} for key, docs in by_kind.items()}


def _plain(text: str) -> str:
    return text.replace(NBH, "-").replace(NB, " ")


def test_every_kind_has_documents(rendered):
    _, by_kind = rendered
    assert all(by_kind[key] for key in KINDS), {k: len(v) for k, v in by_kind.items()}


@pytest.mark.parametrize("key", KINDS)
def test_gost_details_of_every_kind(rendered, key):
    ds, by_kind = rendered
    for doc_id, (spec, text) in by_kind[key].items():
        group = ds.groups[spec.group]
        assert _plain(text).startswith(ds.organization.full_name.split("&")[0].strip()), doc_id
        assert not SPACED_INITIALS.search(text.replace("М. П.", "")), (doc_id, SPACED_INITIALS.search(text))
        assert SIGNATURE.search(text), doc_id  # «Директор |  | И.В. Соколова»
        # The group number never breaks at its hyphen, wherever it is printed in running text.
        assert group.number.replace("-", NBH) in text, doc_id
        if key != "issue_extract":  # the register's columns are the issue book's (another helper's carrier)
            assert f"№ {group.number}" not in text and f"№{NB}{group.number}" not in text, doc_id
        assert not PLAIN_HOURS.search(text), (doc_id, PLAIN_HOURS.search(text))
        assert "______" not in text.replace("«___» __________ 20___ г.", ""), doc_id  # no blank to fill by pen
        assert "(председатель" not in text and "(внешний совместитель)" not in text, doc_id


@pytest.mark.parametrize("key", ["order_enrolment", "order_commission", "order_graduation", "order_expulsion"])
def test_orders_have_every_requisite(rendered, key):
    ds, by_kind = rendered
    for doc_id, (spec, text) in by_kind[key].items():
        group = ds.groups[spec.group]
        program = ds.program_of(group)
        order = next(o for o in group.orders if spec.date == o.date and o.number.replace("-", NBH) in text)
        assert "ПРИКАЗ\n" in text and "ПРИКАЗЫВАЮ:" in text and "\nг. Москва\n" in text, doc_id
        assert re.search(rf"\n\d{{1,2}}{NB}[а-я]+ \d{{4}}{NB}г\. \| №{NB}", text), doc_id
        assert "Исполнитель: " in text, doc_id
        # The Порядок of the program's kind, from organization.xlsx, never the other kind's.
        own, other = ("№ 438", "№ 499") if program.kind == "ПО" else ("№ 499", "№ 438")
        assert own in _plain(text) and other not in _plain(text), doc_id
        assert order.number.replace("-", NBH) in text


def test_orders_name_those_who_must_acknowledge_them(rendered):
    ds, by_kind = rendered
    for doc_id, (spec, text) in by_kind["order_commission"].items():
        commission = ds.commissions[ds.groups[spec.group].commission_id]
        block = text.split("С приказом ознакомлены:")[1]
        names = [common.staff_name(ds.staff[m.staff_id]) for m in commission.members]
        assert all(f"{name} |  | «___»" in block for name in names), doc_id
    for doc_id, (spec, text) in by_kind["order_enrolment"].items():
        curator = common.staff_name(ds.staff[ds.groups[spec.group].curator_id])
        assert re.search(rf"С приказом ознакомлен[аы]?: \|  \| \n{curator} \|", text), doc_id


def test_commission_order_layout(rendered):
    ds, by_kind = rendered
    for doc_id, (spec, text) in by_kind["order_commission"].items():
        group = ds.groups[spec.group]
        assert "Роль |" not in text and "\nПредседатель комиссии — " in text and "\nсекретарь комиссии — " in text
        assert (f"форма итоговой аттестации — {ds.program_of(group).final_form}; дата — "
                f"{common.date_long(group.final_date)}; результаты") in text, doc_id
    awkward = [t for _s, t in by_kind["order_commission"].values() if "Салтыков-Щедрин" in t]
    if "9001" not in ds.staff:  # the plain sample: nobody of that name
        assert awkward == []
        return
    [text] = awkward  # _awkward adds him to one commission
    assert "Заместитель председателя — Салтыков-Щедрин Михаил-Евграф Евграфович, заместитель директора по " \
           "учебно-методической работе;" in text
    assert text.count("«___» __________ 20___ г.") == 6  # five members, the curator-secretary once


def test_graduation_order_numbers_basis_and_agreement(rendered):
    ds, by_kind = rendered
    seen = Counter()
    for doc_id, (spec, text) in by_kind["order_graduation"].items():
        group = ds.groups[spec.group]
        program = ds.program_of(group)
        tables = [line for line in text.splitlines() if re.match(r"\d+ \| ", line)]
        registered = {d.reg_no.replace("-", NBH) for d in group.issued}
        assert tables and all(line.rsplit(" | ", 1)[1] in registered for line in tables), doc_id
        assert "—" not in "".join(tables), doc_id
        assert " ему " not in text and " ей " not in text and " им " not in text, doc_id
        if program.qualification:
            assert f"с присвоением квалификации «{program.qualification}»" in text, doc_id
            seen["qualification"] += 1
        else:
            assert "с присвоением квалификации" not in text, doc_id
        if program.kind == "ПО" and program.rank:
            assert f"«{program.qualification}» {program.rank}{NBH}го разряда" in text, doc_id
            seen["rank"] += 1
        failed = common.failed(ds, group)
        if failed:
            seen["failed"] += 1
            item = text.split("\n2. Отчислить")[1].split("\n")[0]
            assert "пункт 2 части 2 статьи 61" in item and "завершением обучения" not in item, doc_id
            for learner in failed:
                doc = common.issued_document(group, learner.id, common.CERTIFICATE)
                assert f"{learner.person.full_name} | " in text and doc.reg_no.replace("-", NBH) in text
    assert seen["qualification"] and seen["rank"] and seen["failed"], seen  # every branch above was checked


def test_expulsion_order_states_grounds_and_article(rendered):
    ds, by_kind = rendered
    for doc_id, (spec, text) in by_kind["order_expulsion"].items():
        group = ds.groups[spec.group]
        for member in (m for m in group.members if m.expelled_early and m.expel_order.replace("-", NBH) in text):
            assert member.expel_ground in text, doc_id
            voluntary = "желани" in (member.expel_reason or "")
            assert ("пункта 1 части 2 статьи 61" if voluntary else "пункта 2 части 2 статьи 61") in text, doc_id
            learner = ds.learners[member.learner_id]
            verb = "ознакомлена" if learner.person.sex == "Жен" else "ознакомлен"
            assert f"С приказом {verb}: |  | \n{common.ru.initials_surname(learner.person)} |" in text


def test_protocol_counts_cites_and_decides_once(rendered):
    ds, by_kind = rendered
    ranked = 0
    for doc_id, (spec, text) in by_kind["protocol"].items():
        group = ds.groups[spec.group]
        program = ds.program_of(group)
        sat = sum(not r.result.absent for r in group.final)
        assert re.search(rf"Аттестацию проходил[и]? {sat} слушател", text), doc_id
        for result in (r for r in group.final if r.result.absent):
            person = ds.learners[result.learner_id].person
            verb = "не явилась" if person.sex == "Жен" else "не явился"
            assert re.search(rf"{person.full_name}( / [^|]*)? \| {verb}\n", text), doc_id
        order = group.order(common.ORDER_COMMISSION)
        assert f"Состав комиссии утвержден приказом {common.order_ref(order)}." in text, doc_id
        decisions = text.split("РЕШИЛИ:")[1]
        assert decisions.count("выдать") <= 2, doc_id  # one decision for the list, one for the exceptions
        if program.kind == "ПО" and program.rank:
            assert f"{program.rank}{NBH}го разряда" in text and f"{program.rank} разряд" not in text
            ranked += 1
    assert ranked  # the sample has a ПО programme with a rank


def test_certificate_is_registered_and_dated_after_its_order(rendered):
    ds, by_kind = rendered
    registers = {}
    for spec in carrier("issue_register").build(ds):
        registers[spec.context["year"]] = {r["reg_no"].replace(NBH, "-"): r["name"] for r in spec.context["rows"]}
    assert by_kind["study_certificate"]
    for doc_id, (spec, text) in by_kind["study_certificate"].items():
        group = ds.groups[spec.group]
        issued = common.issued_document(group, spec.learner_id, common.CERTIFICATE)
        order = certificates.cited_order(group, spec.learner_id)
        assert f"| №{NB}{issued.reg_no.replace('-', NBH)}\n" in text, doc_id
        assert spec.date == issued.issued_on and spec.date >= order.date, doc_id
        assert common.order_ref(order) in text, doc_id
        book = registers[str(issued.issued_on.year)]
        assert book[issued.reg_no] == ds.learners[spec.learner_id].person.full_name, doc_id
        assert _seal_in_signature_row(text), doc_id


def test_certificate_dated_before_its_order_is_not_printed():
    ds = generate()
    group = ds.groups["ПП-2025-01"]
    member = next(m for m in group.members if m.expelled_early)
    early = member.expelled_on.replace(day=1)
    issued = tuple(dataclasses.replace(d, issued_on=early) if d.learner_id == member.learner_id else d
                   for d in group.issued)
    ds.groups["ПП-2025-01"] = dataclasses.replace(group, issued=issued)
    assert member.learner_id not in {s.learner_id for s in certificates.build(ds)}
    [reason] = [r for r in certificates.missing(ds, ds.groups["ПП-2025-01"]) if "раньше приказа" in r]
    assert member.learner_id in reason and "«Выдача документов»" in reason


def test_unregistered_certificate_blocks_the_certificate_and_the_graduation_order():
    ds = generate()
    group = ds.groups["ПП-2025-01"]
    absent = next(r.learner_id for r in group.final if r.result.absent)
    ds.groups["ПП-2025-01"] = dataclasses.replace(
        group, issued=tuple(d for d in group.issued if d.learner_id != absent))
    assert absent not in {s.learner_id for s in certificates.build(ds)}
    assert "ПП-2025-01" not in {s.group for s in carrier("order_graduation").build(ds)}
    reasons = carrier("order_graduation").missing(ds, ds.groups["ПП-2025-01"])
    assert any(absent in r and "«Выдача документов»" in r for r in reasons)


def test_extract_heading_and_seal(rendered):
    _ds, by_kind = rendered
    for doc_id, (_spec, text) in by_kind["issue_extract"].items():
        assert re.search(rf"Группа №{NB}\S+, (дополнительная|основная) ", text), doc_id
        assert _seal_in_signature_row(text), doc_id


def _seal_in_signature_row(text: str) -> bool:
    """«М. П.» is in the last line, the signer's row (position | signature | name): a page break cannot part them."""
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    return "М. П." in last and last.count(" | ") == 2


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice and poppler are needed to read the printed page")
def test_printed_page_keeps_numbers_whole_in_the_document_font(tmp_path):
    """U+2011 and U+00A0 have glyphs in the document's font: LibreOffice falls back to no other font
    (a missing glyph would pull in DejaVu or OpenSymbol), and no number or signature breaks across lines."""
    ds = generate()
    entry = carrier("order_graduation")
    [doc] = render_carrier(entry, [s for s in entry.build(ds) if s.group == "ПП-2025-01"], tmp_path, TEMPLATES)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(doc.path)], capture_output=True, timeout=180, check=True)
    pdf = doc.path.with_suffix(".pdf").name
    fonts = subprocess.run(["pdffonts", str(tmp_path / pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert names and all(n.startswith(("LiberationSerif", "TimesNewRoman")) for n in names), names
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert not re.search(r"(ПП|2025|2026)-\s*\n", text)  # «№ ПП-⏎2025-01», «2026-⏎0001»
    assert not re.search(r"\b[А-ЯЁ]\.(?:[А-ЯЁ]\.)?\s*\n\s*[А-ЯЁ][а-яё]", text)  # initials apart from the surname
    assert "И.В. Соколова" in text


def test_graduation_order_numbers_its_items_as_printed_when_nobody_passed(tmp_path):
    ds = generate()
    group = ds.groups["ПК-2025-01"]
    ds.groups["ПК-2025-01"] = dataclasses.replace(
        group, final=tuple(dataclasses.replace(r, result=Result("не зачтено")) for r in group.final),
        issued=tuple(dataclasses.replace(d, document=common.CERTIFICATE, series=None) for d in group.issued))
    entry = carrier("order_graduation")
    [doc] = render_carrier(entry, [s for s in entry.build(ds) if s.group == "ПК-2025-01"], tmp_path, TEMPLATES)
    text = docx_text(doc.path.read_bytes())
    assert "ПРИКАЗЫВАЮ:\n1. Отчислить" in text and "не прошедших итоговую аттестацию" in text
    assert "получением образования" not in text and "Серия и номер бланка" not in text
    assert "\n2. Контроль за исполнением приказа оставляю за собой." in text
