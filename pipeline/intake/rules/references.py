"""Every id a row names exists: learners, programs, modules, staff, commissions, documents replaced."""

from __future__ import annotations

from pipeline.intake.frames import keyvalue_row
from pipeline.intake.rules.context import Context, grid_rows, groups
from schemas import LEARNERS_FILE, ORGANIZATION_FILE, headers
from schemas import group as gsheet  # the group workbook's sheets
from schemas.learners import AwardsSheet, LearnersSheet
from schemas.organization import CommissionsSheet, OrganizationSheet, ProgramsSheet, StaffSheet

ORG = ORGANIZATION_FILE
_STAFF_ID = headers(StaffSheet).id  # read once: pandera's descriptor is slow in a loop over every lesson


def _staff_missing(ctx: Context, staff_id: str) -> bool:
    return bool(staff_id) and ctx.missing(staff_id, ctx.dataset.staff, ORG, "Сотрудники", _STAFF_ID)


def head_and_commission_staff(ctx: Context) -> None:
    """The head and the commission members are on «Сотрудники»."""
    org = ctx.dataset.organization
    if _staff_missing(ctx, org.head_id):
        ctx.report("ref_head_unknown", org.src.file, org.src.sheet,
                   keyvalue_row(ctx.loaded, ORG, "Организация", OrganizationSheet.head_id), OrganizationSheet.head_id,
                   org.head_id)
    if org.records_id and _staff_missing(ctx, org.records_id):
        ctx.report("ref_records_unknown", org.src.file, org.src.sheet,
                   keyvalue_row(ctx.loaded, ORG, "Организация", OrganizationSheet.records_id),
                   OrganizationSheet.records_id, org.records_id)
    for commission in sorted(ctx.dataset.commissions.values(), key=lambda c: c.id):
        for member in commission.members:
            if _staff_missing(ctx, member.staff_id):
                ctx.at("ref_staff_unknown", member.src, CommissionsSheet.staff, member.staff_id)


def staff_references(ctx: Context) -> None:
    """Curators, signatories, teachers and examiners are on «Сотрудники»."""
    for group in groups(ctx):
        if _staff_missing(ctx, group.curator_id):
            ctx.at_group("ref_staff_unknown", group, gsheet.GroupSheet.curator, group.curator_id)
        for order in group.orders:
            if _staff_missing(ctx, order.signatory_id):
                ctx.at("ref_staff_unknown", order.src, gsheet.OrdersSheet.signatory, order.signatory_id)
        for lesson in group.lessons:
            if _staff_missing(ctx, lesson.teacher_id):
                ctx.at("ref_staff_unknown", lesson.src, gsheet.LessonsSheet.teacher, lesson.teacher_id)
        for result in group.interim:
            if _staff_missing(ctx, result.examiner_id):
                ctx.at("ref_staff_unknown", result.src, gsheet.InterimSheet.examiner, result.examiner_id)


def program_and_commission_references(ctx: Context) -> None:
    """A group's program and commission are defined in organization.xlsx."""
    for group in groups(ctx):
        if ctx.missing(group.program_code, ctx.dataset.programs, ORG, "Программы", ProgramsSheet.code):
            ctx.at_group("ref_program_unknown", group, gsheet.GroupSheet.program, group.program_code)
        cid = group.commission_id
        if cid and ctx.missing(cid, ctx.dataset.commissions, ORG, "Комиссии", CommissionsSheet.commission):
            ctx.at_group("ref_commission_unknown", group, gsheet.GroupSheet.commission, cid)


def learner_references(ctx: Context) -> None:
    """Members are on «Слушатели»; every other sheet of a group names only its members."""
    learners = ctx.dataset.learners
    for group in groups(ctx):
        for member in group.members:
            if ctx.missing(member.learner_id, learners, LEARNERS_FILE, "Слушатели", LearnersSheet.id):
                ctx.at("ref_learner_unknown", member.src, gsheet.MembersSheet.learner, member.learner_id)
        members = {m.learner_id for m in group.members}
        rows = [
            *((lid, src, gsheet.AttendanceSheet.learner) for lid, src in grid_rows(ctx, group)),
            *((r.learner_id, r.src, gsheet.InterimSheet.learner) for r in group.interim),
            *((r.learner_id, r.src, gsheet.FinalSheet.learner) for r in group.final),
            *((d.learner_id, d.src, gsheet.IssuedSheet.learner) for d in group.issued),
            *((t.learner_id, t.src, gsheet.TestingSheet.learner) for t in group.tests),
        ]
        for learner_id, src, header in rows:
            if ctx.missing(learner_id, members, group.file, "Состав", gsheet.MembersSheet.learner):
                ctx.at("ref_not_member", src, header, learner_id, group=group.number)


def module_references(ctx: Context) -> None:
    """Lessons and interim results name modules of the group's own program."""
    for group in groups(ctx):
        program = ctx.program(group)
        if program is None or not program.modules:
            continue  # no curriculum at all is reported once, as program_no_modules
        numbers = {m.number for m in program.modules}
        for lesson in group.lessons:
            if lesson.module not in numbers:
                ctx.at("ref_module_unknown", lesson.src, gsheet.LessonsSheet.module, lesson.module, program=program.code)
        for result in group.interim:
            if result.module not in numbers:
                ctx.at("ref_module_unknown", result.src, gsheet.InterimSheet.module, result.module, program=program.code)


def replaced_documents(ctx: Context) -> None:
    """A duplicate or corrected document names the registration number of one issued before."""
    issued = {d.reg_no for g in ctx.dataset.groups.values() for d in g.issued}
    for group in groups(ctx):
        for doc in group.issued:
            if doc.replaces and doc.replaces not in issued:
                ctx.at("ref_replaces_unknown", doc.src, gsheet.IssuedSheet.replaces, doc.replaces)


# Each group on its own (with the reference workbooks), and the whole dataset at once.
def award_references(ctx: Context) -> None:
    """A поощрение names a known learner, a known group the learner was a member of, and an order
    (decision) dated no later than the поощрение itself."""
    for award in ctx.dataset.awards:
        if ctx.missing(award.learner_id, ctx.dataset.learners, LEARNERS_FILE, "Слушатели", LearnersSheet.id):
            ctx.at("award_learner_unknown", award.src, AwardsSheet.learner, award.learner_id)
        if award.group:
            group = ctx.dataset.groups.get(award.group)
            if group is None:
                ctx.at("award_group_unknown", award.src, AwardsSheet.group, award.group)
            elif award.learner_id in ctx.dataset.learners and group.member(award.learner_id) is None:
                ctx.at("award_not_member", award.src, AwardsSheet.group, award.group, learner=award.learner_id)
        if award.basis_date > award.date:
            ctx.at("award_basis_after", award.src, AwardsSheet.basis_date, award.basis_date, date=award.date)


GROUP_RULES = (staff_references, program_and_commission_references, learner_references, module_references)
GLOBAL_RULES = (head_and_commission_staff, replaced_documents, award_references)
