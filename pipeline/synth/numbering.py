"""Numbers that run across groups per calendar year (orders, contracts, protocols, documents), and the frozen Groups."""

from __future__ import annotations

import datetime as dt
import random

from pipeline.core import ru
from pipeline.core.dataset import (
    Commission,
    CommissionMember,
    ExpertMeeting,
    ExpertOrder,
    Group,
    IssuedDocument,
    Member,
    Order,
    Source,
)
from pipeline.synth.calendar import previous_working_day
from pipeline.synth.groups import CERTIFICATE, COMMISSION, ENROL, EXPEL, GRADUATE, ORDER_RANK, Built, Draft
from pipeline.synth.people import CHAIR_IDS, DEPUTY_ID, HEAD_ID, METHODIST_IDS
from schemas import ORGANIZATION_FILE


def _numbered(events: list[tuple], key) -> dict[int, int]:
    """Number events per calendar year in `key` order; give {event position: number}."""
    order = sorted(range(len(events)), key=lambda k: key(events[k]))
    counters: dict[int, int] = {}
    numbers = {}
    for k in order:
        year = key(events[k])[0].year
        counters[year] = counters.get(year, 0) + 1
        numbers[k] = counters[year]
    return numbers


def freeze(
    rng: random.Random, drafts: list[Draft], built: list[Built]
) -> tuple[dict[str, Group], dict[str, Commission]]:
    """Number orders, contracts, protocols and documents across groups, and give the frozen records."""
    orders = sorted({(on, ORDER_RANK[kind], d.number, kind, gi) for gi, d in enumerate(drafts) for kind, on in d.orders})
    order_numbers = {}
    for series, kinds in (("сл", (ENROL, EXPEL, GRADUATE)), ("о", (COMMISSION,))):
        chosen = [o for o in orders if o[3] in kinds]
        for k, n in _numbered(chosen, lambda o: o).items():
            order_numbers[chosen[k]] = f"{n}-{series}"
    contracts = [(on, d.number, learner) for d in drafts for learner, on in d.contracts.items()]
    contract_numbers = {contracts[k][1:]: f"{contracts[k][0].year}/{n:04d}"
                        for k, n in _numbered(contracts, lambda c: c).items()}
    finals = [(d.end, d.number) for d in drafts if not d.in_training]
    protocol_numbers = {finals[k][1]: str(n) for k, n in _numbered(finals, lambda f: f).items()}
    docs = [(on, d.number, d.members.index(learner), learner, kind) for d in drafts for learner, kind, on in d.documents]
    reg_numbers = {}
    for k, n in _numbered(docs, lambda x: x).items():
        reg_numbers[docs[k][1], docs[k][3]] = f"{docs[k][0].year}-{n:04d}"
    blank = {key: f"{1000 + k:07d}" for k, key in enumerate(sorted(reg_numbers, key=reg_numbers.get))}

    groups: dict[str, Group] = {}
    commissions: dict[str, Commission] = {}
    commission_row = 2
    for gi, (d, b) in enumerate(zip(drafts, built, strict=True)):
        program, file = d.plan.program, d.file
        group_orders = sorted(
            (on, ORDER_RANK[kind], kind) for kind, on in d.orders
        )
        order_records = tuple(
            Order(kind, order_numbers[(on, rank, d.number, kind, gi)], on, HEAD_ID, Source(file, "Приказы", row))
            for row, (on, rank, kind) in enumerate(group_orders, start=2)
        )
        expel_no = next((o.number for o in order_records if o.kind == EXPEL), None)
        funding_budget = program.kind == "ПО"
        members = tuple(
            Member(
                learner_id=learner,
                contract_no=contract_numbers[(d.number, learner)],
                contract_date=d.contracts[learner],
                funding="Региональный бюджет" if funding_budget and rng.random() < 0.3 else "Платное обучение",
                status="обучается" if d.in_training else (
                    "отчислен досрочно" if learner in d.expelled else "завершил обучение"),
                expelled_on=d.expelled.get(learner),
                expel_reason="по собственному желанию" if learner in d.expelled else None,
                expel_order=expel_no if learner in d.expelled else None,
                src=Source(file, "Состав", row),
                expel_ground=f"заявление от {ru.date_short(previous_working_day(d.expelled[learner]))}"
                if learner in d.expelled else None,
            )
            for row, learner in enumerate(d.members, start=2)
        )
        commission_id = None
        if not d.in_training:
            commission_id = f"АК-{d.number}"
            order = next(o for o in order_records if o.kind == COMMISSION)
            teachers = sorted(set(b.teachers.values()))
            chair = CHAIR_IDS[1] if program.kind == "ПО" else CHAIR_IDS[0]
            secretary = METHODIST_IDS[d.index % len(METHODIST_IDS)]
            roles = [(chair, "председатель"), *((t, "член комиссии") for t in teachers[:2])]
            if len(teachers) < 2:
                roles.append((DEPUTY_ID, "член комиссии"))
            roles.append((secretary, "секретарь"))
            members_of = []
            for staff_id, role in roles:
                members_of.append(CommissionMember(staff_id, role, Source(ORGANIZATION_FILE, "Комиссии",
                                                                          commission_row)))
                commission_row += 1
            commissions[commission_id] = Commission(commission_id, order.number, order.date, tuple(members_of))
        issued = tuple(
            IssuedDocument(
                learner_id=learner, document=kind, series="ЭО" if kind == program.document and program.kind == "ПП"
                else None, number=blank[(d.number, learner)], reg_no=reg_numbers[(d.number, learner)],
                issued_on=on,
                # A справка is handed over in person (drawn from no random stream: other draws stay put).
                receipt="лично" if kind == CERTIFICATE else rng.choices(("лично", "по доверенности", "почтой"),
                                                                        (8, 1, 1))[0],
                status="Оригинал", lost=None, exchanged=None, destroyed=None, replaces=None,
                src=Source(file, "Выдача документов", row),
            )
            for row, (learner, kind, on) in enumerate(d.documents, start=2)
        )
        groups[d.number] = Group(
            number=d.number, program_code=program.code, start=d.start, end=d.end,
            curator_id=METHODIST_IDS[d.index % len(METHODIST_IDS)], commission_id=commission_id,
            final_date=d.final_date, protocol_no=protocol_numbers.get(d.number), signed=False, correction=None,
            orders=order_records, members=members, lessons=tuple(b.lessons), marks=tuple(b.marks),
            interim=tuple(b.interim), final=tuple(b.final), issued=issued, tests=tuple(b.tests),
            file=file, file_sha256="",
        )
    return groups, commissions


def expert_commission() -> tuple[tuple[ExpertOrder, ...], tuple[ExpertMeeting, ...]]:
    """The expert commission (ЭК): appointed once by the director's order; its first meeting approved two periods."""
    sheet = "Экспертная комиссия"
    members = [(DEPUTY_ID, "председатель"), (METHODIST_IDS[1], "член комиссии"), (METHODIST_IDS[0], "секретарь")]
    order = ExpertOrder("2-о", dt.date(2024, 12, 20), tuple(
        CommissionMember(staff_id, role, Source(ORGANIZATION_FILE, sheet, 2 + i))
        for i, (staff_id, role) in enumerate(members)), Source(ORGANIZATION_FILE, sheet, 2))
    # The periods of 03-05 and 03-06 are «утверждено» in the sample номенклатура: by this протокол.
    meeting = ExpertMeeting("1", dt.date(2025, 1, 15), (), ("03-05", "03-06"),
                            Source(ORGANIZATION_FILE, "Заседания ЭК", 2))
    return (order,), (meeting,)
