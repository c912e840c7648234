"""A hand-made Dataset where every carrier has something to render, small or worst-case.

`dataset()` is the small one the tests use; `dataset(extra_learners=294, lessons=60, nasty=True)` is
the proof data of `uchet proof`. It carries the hard cases on purpose: an apostrophe name
(д'Артаньян), a lesson topic with `& < > {{ }}`, every special character in free text, the longest
names, a learner expelled early, one who failed and one who did not show up.
"""

from __future__ import annotations

import datetime as dt

from pipeline.core.dataset import (
    CaseRule,
    Commission,
    CommissionMember,
    Dataset,
    FinalResult,
    Group,
    InterimResult,
    IssuedDocument,
    Learner,
    Lesson,
    Mark,
    Member,
    Module,
    Order,
    Organization,
    Person,
    Program,
    Result,
    Source,
    Staff,
    TestResult,
)

NASTY_TOPIC = "Охрана труда & <безопасность> {{ x }}"
SPECIALS = "& < > \" ' « » {{ }} {% %}"
LONG_SURNAME = "Константинопольская-Воскресенская"
LONG_NAME = "Александра-Мария"
LONG_PATRONYMIC = "Вячеславовна-Кызы"
CARRIER_KEYS = ("journal", "order_enrolment", "order_commission", "order_graduation", "order_expulsion",
                "interim_sheet", "protocol", "issue_register", "issue_extract", "testing", "study_certificate")
S = Source("fixture.xlsx", "Лист", 2)
D = dt.date


def _person(full: str, sex: str) -> Person:
    parts = full.split()
    return Person(parts[0], parts[1], " ".join(parts[2:]) or None, sex)


def dataset(extra_learners: int = 0, lessons_count: int = 18, nasty: bool = False) -> Dataset:
    """The test dataset; with extra learners, more lessons and `nasty`, the worst case for proofs."""
    org = Organization(
        full_name="Частное образовательное учреждение дополнительного профессионального образования «Учебный центр "
                  "«Профессионал»»",
        short_name="ЧОУ ДПО «УЦ «Профессионал»»",
        address="г. Москва, ул. Ленина, д. 1", city="Москва", inn="7707083893", ogrn="1027700132195",
        licence="№ Л035-01298-77/00123456 от 01.02.2021", head_id="S1",
        legal_basis="Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»",
        archive_fund=None, phone=None, src=S,
    )
    modules = (
        Module("PK1", 1, "Нормативная база", 24, "зачет", S),
        Module("PK1", 2, "Практика & <профессия>", 40, "экзамен", S),
        Module("PK1", 3, "Итоговая аттестация", 8, "нет", S),
    )
    program = Program(
        code="PK1", name="Безопасность работ «на высоте»" + (f" {SPECIALS}" if nasty else ""), kind="ПК", po_kind=None, hours=72, study_form="Очная",
        distance=True, prof_standard=None, qualification=None, rank=None,
        document="Удостоверение о повышении квалификации", final_form="итоговый экзамен", min_attendance=80,
        prof_area=None, ugs=None, modules=modules, src=S,
    )
    staff = {
        "S1": Staff("S1", _person("Петров Петр Петрович", "Муж"), "директор", S),
        "S2": Staff("S2", _person("Сидорова Анна Сергеевна", "Жен"), "методист", S),
        "S3": Staff("S3", _person("Кузнецов Илья Олегович", "Муж"), "преподаватель", S),
        "S4": Staff("S4", _person("Орлова Мария Ивановна", "Жен"), "заместитель директора", S),
    }
    commission = Commission("K1", "7-о", D(2025, 2, 1), (
        CommissionMember("S4", "председатель", S), CommissionMember("S3", "член комиссии", S),
        CommissionMember("S2", "секретарь", S)))
    people = [
        ("L1", "Иванов Иван Иванович", "Муж"), ("L2", "Петрова Анна Сергеевна", "Жен"),
        ("L3", "д'Артаньян Шарль Ожье", "Муж"), ("L4", "Ёлкина Алёна Фёдоровна", "Жен"),
        ("L5", "Ким Ирина", "Жен"), ("L6", "Гусейнов Эльдар Рамиз оглы", "Муж"),
    ] + [(f"X{i:03d}", f"{LONG_SURNAME} {LONG_NAME} {LONG_PATRONYMIC}", "Жен") for i in range(extra_learners)]
    topic = (lambda n: f"Тема {n}: {SPECIALS} " + "очень длинная формулировка темы занятия " * 3) if nasty \
        else (lambda n: f"Тема занятия {n}")
    learners = {
        lid: Learner(lid, _person(full, sex), D(1990, 1, 1), "112-233-445 95", "643", "Высшее образование",
                     None, None, None, None, None, None, None, S)
        for lid, full, sex in people
    }
    members = tuple(
        Member(lid, f"Д-{i}", D(2025, 1, 10), "Платное обучение",
               "отчислен досрочно" if lid == "L6" else "завершил обучение",
               D(2025, 2, 3) if lid == "L6" else None, (f"по собственному желанию {SPECIALS}" if nasty else "по собственному желанию") if lid == "L6" else None,
               "9-к" if lid == "L6" else None, S)
        for i, (lid, _, _) in enumerate(people, 1)
    )
    lessons = tuple(
        Lesson(n, D(2025, 2, 1) + dt.timedelta(days=(n - 1) // 2), 4, 1 if n <= 6 else (2 if n <= 16 else 3),
               NASTY_TOPIC if n == 2 else topic(n), "лекция" if n % 2 else "практическое занятие",
               "S3", S)
        for n in range(1, lessons_count + 1)
    )
    marks = (Mark("L2", 3, "н", S), Mark("L4", 5, "б", S), Mark("L5", 7, "д", S), Mark("L6", 1, "н", S))
    interim = tuple(
        InterimResult(lid, mod, D(2025, 2, 4 if mod == 1 else 8), Result(res), "S3", S)
        for lid, mod, res in [
            ("L1", 1, "зачтено"), ("L2", 1, "зачтено"), ("L3", 1, "зачтено"), ("L4", 1, "зачтено"),
            ("L5", 1, "не зачтено"), ("L6", 1, "н/я"),
            ("L1", 2, "5"), ("L2", 2, "4"), ("L3", 2, "3"), ("L4", 2, "5"), ("L5", 2, "2"),
        ] + [(f"X{i:03d}", mod, "4") for i in range(extra_learners) for mod in (1, 2)]
    )
    final = (
        FinalResult("L1", D(2025, 2, 10), Result("5"), None, S),
        FinalResult("L2", D(2025, 2, 10), Result("4"), None, S),
        FinalResult("L3", D(2025, 2, 10), Result("5"), None, S),
        FinalResult("L4", D(2025, 2, 10), Result("н/я"), None, S),
        FinalResult("L5", D(2025, 2, 10), Result("2"), None, S),
    ) + tuple(FinalResult(f"X{i:03d}", D(2025, 2, 10), Result("5"), SPECIALS if nasty else None, S)
              for i in range(extra_learners))
    issued = tuple(
        IssuedDocument(lid, kind, None, f"77 000{n}", f"{n}/2025", D(2025, 2, 12), "лично", "Оригинал",
                       None, None, None, None, S)
        for n, (lid, kind) in enumerate([
            ("L1", program.document), ("L2", program.document), ("L3", program.document),
            ("L4", "Справка об обучении"), ("L5", "Справка об обучении"), ("L6", "Справка об обучении")]
            + [(f"X{i:03d}", program.document) for i in range(extra_learners)], 1)
    )
    tests = (
        TestResult("L1", "Входной тест", D(2025, 2, 2), 18, 20, 14, S),
        TestResult("L5", "Входной тест", D(2025, 2, 2), 9, 20, 14, S),
        # As read from a Moodle export: no attempt date, maximum or pass mark.
        TestResult("L2", "Тест: Итоговое тестирование & <проверка>", None, 17.5, None, None, S,
                   exported=D(2025, 2, 10)),
    )
    orders = (
        Order("о зачислении", "3-к", D(2025, 1, 20), "S1", S),
        Order("об утверждении состава аттестационной комиссии", "7-о", D(2025, 2, 1), "S1", S),
        Order("об отчислении", "9-к", D(2025, 2, 3), "S1", S),
        Order("об окончании обучения и отчислении", "12-к", D(2025, 2, 11), "S1", S),
    )
    done = Group(
        number="ПК-2025-01", program_code="PK1", start=D(2025, 2, 1), end=D(2025, 2, 10), curator_id="S2",
        commission_id="K1", final_date=D(2025, 2, 10), protocol_no="1", signed=False, correction=None,
        orders=orders, members=members, lessons=lessons, marks=marks, interim=interim, final=final,
        issued=issued, tests=tests, file="groups/pk-2025-01.xlsx", file_sha256="0" * 64,
    )
    running = Group(
        number="ПК-2025-02", program_code="PK1", start=D(2025, 3, 1), end=D(2025, 3, 12), curator_id="S2",
        commission_id=None, final_date=None, protocol_no=None, signed=False, correction=None,
        orders=(Order("о зачислении", "15-к", D(2025, 2, 27), "S1", S),),
        members=members[:2], lessons=lessons[:4], marks=(), interim=(), final=(), issued=(), tests=(),
        file="groups/pk-2025-02.xlsx", file_sha256="1" * 64,
    )
    nomenclature = {
        key: CaseRule(key, f"01-{i:02d}", key, 5, "5", None, False, True, None, S)
        for i, key in enumerate(CARRIER_KEYS, 1)
    }
    return Dataset(
        organization=org, programs={"PK1": program}, staff=staff, commissions={"K1": commission},
        nomenclature=nomenclature, learners=learners, groups={done.number: done, running.number: running},
    )
