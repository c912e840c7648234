"""The signer's checklist of the ЭК's papers (issue 16, item 6): приказ о создании ЭК and протокол заседания ЭК.

Checked on the sample and on an awkward set: a second order that replaces the first, a meeting held by the
second composition that approves two acts and periods of three дела, members with long double surnames.
Then the pages LibreOffice lays out: no page holds only signatures, no word is split, no column is empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.carriers import carrier
from pipeline.core import ru
from pipeline.core.dataset import CommissionMember, ExpertMeeting, ExpertOrder, Person, Source
from pipeline.render.page_check import check_pdf
from pipeline.render.stage import docx_text, render_carrier
from pipeline.synth import generate

D = dt.date
TEMPLATES = Path("templates_docx")
EK = Source("organization.xlsx", "Экспертная комиссия", 5)


def awkward():
    ds = generate()
    [first] = ds.expert_orders
    staff = dict(ds.staff)
    long_names = {"0004": Person("Римская-Корсакова", "Елизавета", "Константиновна", "Жен"),
                  "0003": Person("Константинопольский-Преображенский", "Александр", "Александрович", "Муж")}
    for sid, person in long_names.items():
        staff[sid] = dataclasses.replace(staff[sid], person=person)
    second = ExpertOrder("15-о", D(2030, 3, 1), first.members + (CommissionMember("0001", "член комиссии", EK),), EK)
    meetings = ds.expert_meetings + (
        ExpertMeeting("4", D(2031, 1, 20), (1, 2), ("03-01", "03-02", "03-07"),
                      Source("organization.xlsx", "Заседания ЭК", 3)),)
    return dataclasses.replace(ds, staff=staff, expert_orders=(first, second), expert_meetings=meetings)


@pytest.fixture(scope="module", params=["sample", "awkward"])
def papers(request, tmp_path_factory):
    ds = generate() if request.param == "sample" else awkward()
    out = tmp_path_factory.mktemp(request.param)
    docs = {}
    for key in ("order_expert_commission", "expert_protocol"):
        entry = carrier(key)
        docs[key] = render_carrier(entry, list(entry.build(ds)), out, TEMPLATES)
    return ds, docs


def test_every_order_and_every_meeting_gives_its_paper(papers):
    ds, docs = papers
    assert [d.spec.title for d in docs["order_expert_commission"]] == [
        f"Приказ о создании экспертной комиссии № {o.order_no} от {ru.date_long(o.order_date)}" for o in ds.expert_orders]
    assert [d.spec.date for d in docs["expert_protocol"]] == [m.date for m in ds.expert_meetings]
    assert all(d.spec.group is None and d.spec.year == d.spec.date.year for v in docs.values() for d in v)


def test_order_checklist(papers):
    ds, docs = papers
    for n, doc in enumerate(docs["order_expert_commission"]):
        order = ds.expert_orders[n]
        text = docx_text(doc.path.read_bytes()).replace("\u2011", "-").replace("\u00a0", " ")
        # реквизиты: organisation, ПРИКАЗ, date and number, place, heading, ПРИКАЗЫВАЮ, basis in the archive law
        assert ds.organization.full_name.replace("\u00a0", " ") in text
        assert "ПРИКАЗ" in text and f"№ {order.order_no}" in text and "г. Москва" in text
        assert "О создании экспертной комиссии" in text and "ПРИКАЗЫВАЮ:" in text
        assert "№ 125-ФЗ «Об архивном деле в Российской Федерации»" in text and "от 31.07.2023 № 77" in text
        # every member with role, full name and position; the director signs; every member acquainted
        for member in order.members:
            person = ds.staff[member.staff_id].person
            assert person.full_name in text, person.full_name
            assert f"{person.name[0]}." in text
        assert "Председатель комиссии — " in text and "секретарь комиссии — " in text
        assert "Директор" in text and "И.В. Соколова" in text and "С приказом ознакомлены:" in text
        # a later order replaces the earlier one by number and date
        if n:
            earlier = ds.expert_orders[n - 1]
            assert "Признать утратившим силу приказ от" in text and f"№ {earlier.order_no}" in text
            assert "5. Контроль за исполнением приказа оставляю за собой." in text
        else:
            assert "утратившим силу" not in text and "4. Контроль за исполнением" in text


def test_protocol_checklist(papers):
    ds, docs = papers
    for doc, meeting in zip(docs["expert_protocol"], ds.expert_meetings, strict=True):
        text = docx_text(doc.path.read_bytes()).replace("\u2011", "-").replace("\u00a0", " ")
        sat = max((o for o in ds.expert_orders if o.order_date <= meeting.date), key=lambda o: o.order_date)
        assert "ПРОТОКОЛ" in text and "заседания экспертной комиссии" in text and f"№ {meeting.protocol_no}" in text
        assert "Состав комиссии утвержден приказом от" in text and f"№ {sat.order_no}." in text
        # the composition in force that day, not another one
        for member in sat.members:
            assert ds.staff[member.staff_id].person.full_name in text
        assert "ПОВЕСТКА ДНЯ:" in text and "СЛУШАЛИ:" in text and "РЕШИЛИ:" in text
        if meeting.acts:
            listed = ", ".join(f"№ {a}" for a in meeting.acts)
            assert f"о выделении к уничтожению документов, не подлежащих хранению, {listed}" in text
            assert ("Согласовать акты " if len(meeting.acts) > 1 else "Согласовать акт ") + listed in text
        else:
            assert "Согласовать акт" not in text
        # the periods it approves: every index, once, with its period from the номенклатура
        for index in meeting.case_indexes:
            rule = next(r for r in ds.nomenclature.values() if r.case_index == index)
            assert f"{index} | {rule.case_title} |" in text
        assert text.count("Председатель экспертной комиссии") == 1
        assert "Секретарь экспертной комиссии" in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pages_as_the_signer_sees_them(papers, tmp_path):
    _ds, docs = papers
    sources = [d.path for v in docs.values() for d in v]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *map(str, sources)], check=True, capture_output=True, timeout=300)
    problems = []
    for source in sources:
        pdf = tmp_path / (source.stem + ".pdf")
        problems += [p.message(source.name) for p in check_pdf(pdf, source)]
    assert problems == []
