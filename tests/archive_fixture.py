"""A small hand-built Dataset and fake rendered documents for the archive, retention and verify tests.

Group ПК-2024-01 is completed (graduation order) and ends in 2024; ПК-2025-02 is still in training.
The номенклатура covers every retention kind: years, «до ликвидации организации», and a row that
still «требует решения ЭК».
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from pipeline.archive.disposal import load_act_file
from pipeline.archive.expert import ExpertRecord
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument
from pipeline.core.dataset import (
    CaseRule,
    CommissionMember,
    Dataset,
    ExpertMeeting,
    ExpertOrder,
    Group,
    Learner,
    Member,
    Order,
    Organization,
    Person,
    Program,
    Source,
)

D = dt.date
SRC = Source("organization.xlsx", "Номенклатура дел", 2)
GROUP_FILE = "groups/ПК-2024-01.xlsx"


def _rule(carrier, index, title, years, text, article=None, epk=False, approved=True):
    return CaseRule(carrier, index, title, years, text, article, epk, approved, None, SRC)


NOMENCLATURE = {
    r.carrier: r
    for r in (
        _rule("journal", "03-05", "Журналы учета занятий групп", 5, "5"),
        _rule("order_graduation", "03-01", "Приказы по контингенту слушателей", None, "до ликвидации организации",
              "19 «а»"),
        _rule("protocol", "03-07", "Протоколы заседаний аттестационных комиссий", 50, "50", epk=True),
        _rule("study_certificate", "03-09", "Справки об обучении", 5, "5", approved=False),
        _rule("issue_register", "03-10", "Книга регистрации выданных документов", None, "постоянно"),
    )
}

CARRIERS = {
    key: Carrier(key, title, f"{key}.docx", scope, key, lambda ds: ())
    for key, title, scope in (
        ("journal", "Журнал учета занятий", "group"),
        ("order_graduation", "Приказ об окончании обучения и отчислении", "group"),
        ("protocol", "Протокол заседания аттестационной комиссии", "group"),
        ("study_certificate", "Справка об обучении", "learner"),
        ("issue_register", "Журнал выдачи документов об окончании обучения", "year"),
    )
}


def _learner(lid, surname, name, patronymic, snils):
    return Learner(lid, Person(surname, name, patronymic, "Муж"), D(1990, 1, 1), snils, "643", "Высшее", None, None,
                   None, None, None, None, None, SRC)


def _group(number, start, end, completed=True, **kw) -> Group:
    orders = (Order("о зачислении", "1-к", start, "S1", SRC),)
    if completed:
        orders += (Order("об окончании обучения и отчислении", "9-к", end, "S1", SRC),)
    members = tuple(Member(lid, f"Д-{lid}", start, "Платное обучение", "завершил обучение", None, None, None, SRC)
                    for lid in ("L1", "L2"))
    values = dict(number=number, program_code="P1", start=start, end=end, curator_id="S1", commission_id=None,
                  final_date=end, protocol_no="1", signed=False, correction=None, orders=orders, members=members,
                  lessons=(), marks=(), interim=(), final=(), issued=(), tests=(), file=f"groups/{number}.xlsx",
                  file_sha256="g" * 64)
    values.update(kw)
    return Group(**values)


def dataset(*groups: Group, hashes: dict[str, str] | None = None) -> Dataset:
    groups = groups or (_group("ПК-2024-01", D(2024, 3, 1), D(2024, 6, 30)),
                        _group("ПК-2025-02", D(2025, 3, 1), D(2025, 6, 30), completed=False))
    org = Organization("Частное образовательное учреждение дополнительного профессионального образования «Пример»",
                       "ЧОУ ДПО «Пример»", "г. Москва, ул. Примерная, д. 1", "Москва", "7700000000",
                       "1027700000000", "Л035-00000-77/00000000", "S1", "ст. 76 273-ФЗ", "12", None, SRC)
    program = Program("P1", "Охрана труда", "ПК", None, 40, "Очная", False, None, None, None,
                      "Удостоверение о повышении квалификации", "итоговый экзамен", 80, None, None, (), SRC)
    return Dataset(
        organization=org, programs={"P1": program}, staff={}, commissions={}, nomenclature=dict(NOMENCLATURE),
        learners={"L1": _learner("L1", "Иванов", "Иван", "Иванович", "112-233-445 95"),
                  "L2": _learner("L2", "Пётр", "Йорн", None, "123-456-789 64")},
        groups={g.number: g for g in groups},
        source_hashes=hashes or {"organization.xlsx": "o" * 64, **{g.file: "a" * 64 for g in groups}},
    )


group = _group


def rendered(build: Path, ds: Dataset, overrides: dict[str, bytes] | None = None) -> list[RenderedDocument]:
    """Fake rendered documents: every group carrier for each group, a certificate per learner, a year book.

    A document's bytes (and so its inputs hash) are its id unless `overrides` gives other bytes.
    """
    overrides = overrides or {}
    build.mkdir(parents=True, exist_ok=True)
    docs = []

    def add(carrier: str, doc_id: str, file_name: str, title: str, year: int, group: Group | None,
            learner: str | None = None, date: dt.date | None = None):
        data = overrides.get(doc_id, f"PK fake docx {doc_id}".encode())
        path = build / f"{hashlib.sha1(doc_id.encode()).hexdigest()}.docx"
        path.write_bytes(data)
        sources = ("organization.xlsx",) + ((group.file,) if group else ())
        spec = DocumentSpec(doc_id, file_name, title, {}, year, group.number if group else None, learner, date, sources)
        digest = hashlib.sha256(data).hexdigest()
        docs.append(RenderedDocument(CARRIERS[carrier], spec, path, digest, "in-" + digest))

    for g in ds.groups.values():
        for key in ("journal", "order_graduation", "protocol"):
            add(key, f"{g.number}/{key}", f"{CARRIERS[key].title} {g.number}.docx", f"{CARRIERS[key].title} {g.number}",
                g.year, g, date=g.end)
        for m in g.members:
            add("study_certificate", f"{g.number}/study_certificate/{m.learner_id}",
                f"Справка об обучении {m.learner_id}.docx", f"Справка об обучении {m.learner_id}", g.year, g,
                learner=m.learner_id, date=g.end)
    for year in sorted({g.year for g in ds.groups.values()}):
        add("issue_register", f"{year}/issue_register", f"Журнал выдачи документов {year}.docx",
            f"Журнал выдачи документов за {year} год", year, None, date=D(year, 12, 31))
    return docs


def replace(obj, **kw):
    return dataclasses.replace(obj, **kw)


# --- the expert commission's approval, which `dispose` requires -------------------------------------

EK_SRC = Source("organization.xlsx", "Экспертная комиссия", 2)
EK_ORDER = ExpertOrder("2-о", D(2000, 1, 10), (CommissionMember("0002", "председатель", EK_SRC),
                                                 CommissionMember("0003", "секретарь", EK_SRC)), EK_SRC)


def approving(archive: Path, *numbers: int) -> ExpertRecord:
    """The ЭК's record after a meeting on each act's own date approved it (what `dispose` needs to act)."""
    meetings = []
    for n in numbers:
        act, _ = load_act_file(archive / "acts" / f"act-{n}.json")
        meetings.append(ExpertMeeting(str(n), act.date, (n,), (), Source("organization.xlsx", "Заседания ЭК", 1 + n)))
    return ExpertRecord((EK_ORDER,), tuple(meetings))


def input_approving(folder: Path, meetings: dict[int, dt.date]) -> Path:
    """A copy of the sample input/ whose «Заседания ЭК» records a протокол approving each act on its date."""
    import shutil

    import openpyxl

    source = Path(__file__).resolve().parents[1] / "input"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "organization.xlsx", folder / "organization.xlsx")
    wb = openpyxl.load_workbook(folder / "organization.xlsx")
    ws = wb["Заседания ЭК"]
    for n, day in meetings.items():
        ws.append([f"{10 + n}", dt.datetime(day.year, day.month, day.day), str(n), None])
    wb.save(folder / "organization.xlsx")
    return folder
