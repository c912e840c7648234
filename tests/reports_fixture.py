"""A small hand-built Dataset for the report and learner-card tests: every outcome once.

L1 attends two programs (ПК in 2024, ПП in 2025) and passes both; L2 fails the final attestation
in 2024 and is at risk (attendance) in a group still in training; L3 is expelled early; L4 misses
more hours than allowed in the ПП group and fails a module.
"""

from __future__ import annotations

import datetime as dt

from pipeline.core import dataset

D = dt.date
SRC = dataset.Source("fixture.xlsx", "Лист", 2)


def _program(code, name, kind, hours, modules, min_att, document, standard=None, qualification=None):
    mods = tuple(dataset.Module(code, i + 1, n, h, f, SRC) for i, (n, h, f) in enumerate(modules))
    return dataset.Program(
        code=code, name=name, kind=kind, po_kind=None, hours=hours, study_form="Очная", distance=False,
        prof_standard=standard, qualification=qualification, rank=None, document=document,
        final_form="итоговый экзамен", min_attendance=min_att, prof_area=None, ugs=None, modules=mods, src=SRC,
    )


def _learner(lid, surname, name, patronymic, sex, born, snils):
    return dataset.Learner(
        id=lid, person=dataset.Person(surname, name, patronymic, sex), birth_date=born, snils=snils, citizenship="643",
        education_level="Высшее образование - бакалавриат", edu_surname=None, edu_series="1077",
        edu_number="0123456", workplace="ООО «Ромашка»", position="Инженер", phone=None, email=None, src=SRC,
    )


def _member(lid, status="завершил обучение", expelled_on=None, reason=None):
    return dataset.Member(lid, f"Д-{lid}", D(2024, 1, 5), "Платное обучение", status, expelled_on, reason,
                  "7-к" if expelled_on else None, SRC)


def _lessons(start, plan):
    """plan: (hours, module, teacher) per lesson, one lesson a day from `start`."""
    return tuple(
        dataset.Lesson(i + 1, start + dt.timedelta(days=i), h, mod, f"Тема {i + 1}", "лекция", t, SRC)
        for i, (h, mod, t) in enumerate(plan)
    )


def _group(number, program, start, end, members, lessons, marks=(), interim=(), final=(), issued=(),
           graduated=True, final_date=None):
    orders = [dataset.Order("о зачислении", f"{number[-2:]}-к", start - dt.timedelta(days=3), "S1", SRC)]
    if graduated:
        orders.append(dataset.Order("об окончании обучения и отчислении", f"{number[-2:]}-о", end, "S1", SRC))
    return dataset.Group(
        number=number, program_code=program, start=start, end=end, curator_id="S2", commission_id="K1",
        final_date=final_date or (end if graduated else None), protocol_no="1" if graduated else None,
        signed=graduated, correction=None, orders=tuple(orders), members=tuple(members), lessons=lessons,
        marks=tuple(dataset.Mark(lid, n, mk, SRC) for lid, n, mk in marks),
        interim=tuple(dataset.InterimResult(lid, mod, d, dataset.Result(v), "S2", SRC) for lid, mod, d, v in interim),
        final=tuple(dataset.FinalResult(lid, d, dataset.Result(v), None, SRC) for lid, d, v in final),
        issued=tuple(
            dataset.IssuedDocument(lid, doc, None, num, reg, d, "лично", "Оригинал", None, None, None, None, SRC)
            for lid, doc, num, reg, d in issued
        ),
        tests=(), file=f"groups/{number}.xlsx", file_sha256="0" * 64,
    )


def build() -> dataset.Dataset:
    """Give the fixture Dataset."""
    pk = _program("ПК-01", "Охрана труда", "ПК", 16, [("Основы", 8, "зачет"), ("Практика", 8, "экзамен")], 80,
                  "Удостоверение о повышении квалификации", "40.054 Специалист в области охраны труда")
    pp = _program("ПП-01", "Управление персоналом", "ПП", 24,
                  [("Право", 8, "зачет"), ("Кадры", 8, "экзамен"), ("Обзор", 8, "нет")], 90,
                  "Диплом о профессиональной переподготовке", "07.003 Специалист по управлению персоналом",
                  "Специалист по управлению персоналом")
    staff = {
        "S1": dataset.Staff("S1", dataset.Person("Директоров", "Иван", "Петрович", "Муж"), "Директор", SRC),
        "S2": dataset.Staff("S2", dataset.Person("Учителева", "Анна", "Сергеевна", "Жен"), "Преподаватель", SRC),
        "S3": dataset.Staff("S3", dataset.Person("Лекторов", "Олег", None, "Муж"), "Преподаватель", SRC),
    }
    learners = {
        "L1": _learner("L1", "Иванова", "Мария", "Петровна", "Жен", D(1990, 5, 1), "112-233-445 95"),
        "L2": _learner("L2", "Петров", "Петр", "Петрович", "Муж", D(1985, 2, 3), "123-456-789 64"),
        "L3": _learner("L3", "Сидоров", "Семен", None, "Муж", D(1979, 7, 7), "087-654-303 00"),
        "L4": _learner("L4", "Кузнецова", "Ольга", "Игоревна", "Жен", D(1995, 9, 9), "001-001-998 00"),
    }
    g1 = _group(
        "ПК-2024-01", "ПК-01", D(2024, 3, 1), D(2024, 3, 10),
        [_member("L1"), _member("L2"), _member("L3", "отчислен досрочно", D(2024, 3, 2), "по собственному желанию")],
        _lessons(D(2024, 3, 1), [(4, 1, "S2"), (4, 1, "S2"), (4, 2, "S3"), (4, 2, "S3")]),
        marks=[("L2", 3, "б"), ("L3", 3, "н"), ("L3", 4, "н")],
        interim=[("L1", 1, D(2024, 3, 2), "зачтено"), ("L1", 2, D(2024, 3, 4), "5"),
                 ("L2", 1, D(2024, 3, 2), "зачтено"), ("L2", 2, D(2024, 3, 4), "3")],
        final=[("L1", D(2024, 3, 10), "5"), ("L2", D(2024, 3, 10), "2")],
        issued=[("L1", "Удостоверение о повышении квалификации", "000101", "24-001", D(2024, 3, 11))],
    )
    g2 = _group(
        "ПП-2025-01", "ПП-01", D(2025, 2, 1), D(2025, 2, 20),
        [_member("L1"), _member("L4")],
        _lessons(D(2025, 2, 1), [(8, 1, "S2"), (8, 2, "S3"), (8, 3, "S3")]),
        marks=[("L4", 2, "н"), ("L1", 3, "д")],
        interim=[("L1", 1, D(2025, 2, 2), "зачтено"), ("L1", 2, D(2025, 2, 3), "4"),
                 ("L4", 1, D(2025, 2, 2), "зачтено"), ("L4", 2, D(2025, 2, 3), "2")],
        final=[("L1", D(2025, 2, 20), "4"), ("L4", D(2025, 2, 20), "3")],
        issued=[("L1", "Диплом о профессиональной переподготовке", "000202", "25-001", D(2025, 2, 21))],
    )
    g3 = _group(
        "ПК-2025-02", "ПК-01", D(2025, 5, 5), D(2025, 5, 30),
        [_member("L2", "обучается"), _member("L4", "обучается")],
        _lessons(D(2025, 5, 5), [(4, 1, "S2"), (4, 1, "S2"), (4, 2, "S3"), (4, 2, "S3")]),
        marks=[("L2", 1, "н"), ("L2", 2, "н")],
        interim=[("L4", 1, D(2025, 5, 6), "зачтено")],
        graduated=False,
    )
    org = dataset.Organization("Частное образовательное учреждение дополнительного профессионального образования "
                       "«Учебный центр»", "ЧОУ ДПО «Учебный центр»", "г. Москва, ул. Ленина, д. 1", "Москва",
                       "7701234567", "1027700000000", "№ 123 от 01.01.2020", "S1", "273-ФЗ", None, None, SRC)
    nomenclature = {
        "learner_card": dataset.CaseRule("learner_card", "05-12", "Личные карточки слушателей", 50, "50", None, True,
                                 True, None, SRC),
    }
    return dataset.Dataset(
        organization=org, programs={"ПК-01": pk, "ПП-01": pp}, staff=staff,
        commissions={"K1": dataset.Commission("K1", "1-о", D(2024, 1, 1), ())}, nomenclature=nomenclature,
        learners=learners, groups={g.number: g for g in (g1, g2, g3)},
    )
