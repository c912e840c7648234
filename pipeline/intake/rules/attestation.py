"""Expulsions, attestations, commissions and issued documents tell one consistent story."""

from __future__ import annotations

from collections import Counter

from pipeline.intake.rules.calendar import GRADUATION
from pipeline.intake.rules.context import Context, groups
from schemas.group import FinalSheet, GroupSheet, InterimSheet, IssuedSheet, MembersSheet, OrdersSheet
from schemas.organization import CommissionsSheet

EXPULSION = "об отчислении"
CERTIFICATE = "Справка об обучении"


def expulsions(ctx: Context) -> None:
    """An early expulsion has a date and an order of the group; a date alone, without the status, is suspect."""
    for group in groups(ctx):
        orders = {o.number for o in group.orders if o.kind == EXPULSION}
        all_orders = {o.number for o in group.orders}
        typed = ctx.typed(group.file, "Приказы", OrdersSheet.number)
        for member in group.members:
            if not member.expelled_early:
                if member.expelled_on:
                    ctx.at("expel_date_not_expelled", member.src, MembersSheet.expelled_on, member.expelled_on,
                           status=member.status)
                continue
            if member.expelled_on is None:
                ctx.at("expelled_no_date", member.src, MembersSheet.expelled_on)
            if not member.expel_order:
                ctx.at("expelled_no_order", member.src, MembersSheet.expel_order)
            elif member.expel_order not in orders and not (
                member.expel_order in typed and member.expel_order not in all_orders
            ):
                ctx.at("expel_order_unknown", member.src, MembersSheet.expel_order, member.expel_order)


def after_expulsion(ctx: Context) -> None:
    """Nobody expelled early sits the final attestation, gets a qualification, or an interim result later."""
    for group in groups(ctx):
        expelled = {m.learner_id: m for m in group.members if m.expelled_early}
        if not expelled:
            continue
        for result in group.final:
            if result.learner_id in expelled:
                ctx.at("expelled_has_final", result.src, FinalSheet.learner, result.learner_id)
        for doc in group.issued:
            if doc.learner_id in expelled and doc.document != CERTIFICATE:
                ctx.at("expelled_has_qualification", doc.src, IssuedSheet.document, doc.document)
        for result in group.interim:
            member = expelled.get(result.learner_id)
            if member and member.expelled_on and result.date > member.expelled_on:
                ctx.at("result_after_expulsion", result.src, InterimSheet.date, result.date,
                       expelled_on=member.expelled_on)


def interim_once(ctx: Context) -> None:
    """One interim result per learner and module."""
    for group in groups(ctx):
        seen = set()
        for result in group.interim:
            key = (result.learner_id, result.module)
            if key in seen:
                ctx.at("interim_duplicate", result.src, InterimSheet.module, result.module,
                       learner=result.learner_id)
            seen.add(key)


def final_list(ctx: Context) -> None:
    """A completed group has a final result (or «н/я») for every member not expelled early,
    a commission and a protocol number."""
    for group in groups(ctx):
        typed = ctx.typed(group.file, "Итоговая аттестация", FinalSheet.learner)
        if group.completed:
            sat = {r.learner_id for r in group.final}
            for member in group.members:
                if not member.expelled_early and member.learner_id not in sat and member.learner_id not in typed:
                    ctx.at("final_missing", member.src, MembersSheet.learner, member.learner_id)
        if not (group.final or group.completed):
            continue
        if group.commission_id is None and ctx.group_raw(group, GroupSheet.commission) is None:
            ctx.at_group("commission_missing", group, GroupSheet.commission)
        if group.final and group.protocol_no is None and ctx.group_raw(group, GroupSheet.protocol_no) is None:
            ctx.at_group("protocol_no_missing", group, GroupSheet.protocol_no)


def commission_roles(ctx: Context) -> None:
    """Each commission has exactly one chair and a secretary."""
    for commission in sorted(ctx.dataset.commissions.values(), key=lambda c: c.members[0].src.row):
        roles = Counter(m.role for m in commission.members)
        first = commission.members[0].src
        if roles["председатель"] == 0:
            ctx.at("commission_no_chair", first, CommissionsSheet.role, commission.id)
        elif roles["председатель"] > 1:
            second = [m for m in commission.members if m.role == "председатель"][1]
            ctx.at("commission_two_chairs", second.src, CommissionsSheet.role, second.role)
        if roles["секретарь"] == 0:
            ctx.at("commission_no_secretary", first, CommissionsSheet.role, commission.id)


def issued_documents(ctx: Context) -> None:
    """A qualification document follows a positive final attestation and the graduation order,
    is the one the program gives, and is issued once; a «Справка» goes to those who did not pass."""
    for group in groups(ctx):
        program = ctx.program(group)
        expelled = {m.learner_id for m in group.members if m.expelled_early}
        finals = {r.learner_id: r for r in group.final}
        typed_finals = ctx.typed(group.file, "Итоговая аттестация", FinalSheet.learner)
        graduation = group.order(GRADUATION)
        typed_kinds = ctx.typed(group.file, "Приказы", OrdersSheet.kind)
        originals = set()
        for doc in group.issued:
            final = finals.get(doc.learner_id)
            if final and doc.issued_on < final.date:
                ctx.at("issued_before_final", doc.src, IssuedSheet.issued_on, doc.issued_on, final=final.date)
            if doc.document == CERTIFICATE:
                if final and final.result.positive:
                    ctx.at("certificate_to_graduate", doc.src, IssuedSheet.document, doc.document)
                continue
            if doc.learner_id in expelled:
                continue  # reported by after_expulsion
            if final is None or not final.result.positive:
                if doc.learner_id not in typed_finals or final is not None:
                    ctx.at("issued_without_pass", doc.src, IssuedSheet.document, doc.document,
                           result=final.result.value if final else None)
            if program and doc.document != program.document:
                ctx.at("issued_wrong_kind", doc.src, IssuedSheet.document, doc.document, expected=program.document)
            if graduation is None:
                if GRADUATION not in typed_kinds:
                    ctx.at("issued_without_graduation", doc.src, IssuedSheet.issued_on, doc.issued_on)
            elif doc.issued_on < graduation.date:
                ctx.at("issued_before_graduation", doc.src, IssuedSheet.issued_on, doc.issued_on,
                       order_no=graduation.number, order_date=graduation.date)
            if doc.status == "Оригинал":
                if doc.learner_id in originals:
                    ctx.at("issued_twice", doc.src, IssuedSheet.document, doc.document)
                originals.add(doc.learner_id)


def certificates_registered(ctx: Context) -> None:
    """Every справка the program prints is in the issue book: an early leaver, and a learner whose final
    attestation was not passed (or missed), has a «Справка об обучении» row on «Выдача документов»."""
    for group in groups(ctx):
        # Any row of the learner counts: a wrong kind in it is reported by issued_documents or after_expulsion.
        registered = {d.learner_id for d in group.issued}
        finals = {r.learner_id: r for r in group.final}
        for member in group.members:
            final = finals.get(member.learner_id)
            due = member.expelled_early or (final is not None and not final.result.positive)
            if due and member.learner_id not in registered:
                where = (member.src, MembersSheet.learner) if member.expelled_early or final is None \
                    else (final.src, FinalSheet.learner)
                ctx.at("certificate_not_registered", *where, member.learner_id)


def unique_numbers(ctx: Context) -> None:
    """Registration numbers and blanks (series + number) are used once across all groups."""
    reg_nos, blanks = {}, {}
    for group in groups(ctx):
        for doc in sorted(group.issued, key=lambda d: d.src.row):
            first = reg_nos.setdefault(doc.reg_no, doc.src)
            if first is not doc.src:
                ctx.at("reg_no_duplicate", doc.src, IssuedSheet.reg_no, doc.reg_no,
                       other_file=first.file, other_row=first.row)
            blank = (doc.series or "", doc.number)
            first = blanks.setdefault(blank, doc.src)
            if first is not doc.src:
                ctx.at("blank_duplicate", doc.src, IssuedSheet.number, " ".join(p for p in blank if p),
                       other_file=first.file, other_row=first.row)


GROUP_RULES = (expulsions, after_expulsion, interim_once, final_list, issued_documents, certificates_registered)
GLOBAL_RULES = (commission_roles, unique_numbers)
