"""Who and what an act of disposal names, from organization.xlsx: fund, city, director, expert commission (ЭК).

The archive itself knows only the organisation's name; the act needs the archive fund number, the place
it is drawn up, the director who approves it (УТВЕРЖДАЮ) and the expert commission whose chair and members
sign it (NOTES §4.1). The ЭК is on the sheet «Экспертная комиссия» (chair, secretary, members, by the
director's order that appointed them; pipeline.intake.expert_sheets); the composition that signs an act is the
one in force on the act's date (pipeline.intake.expert_sheets.in_force).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core import ru
from pipeline.core.dataset import Commission, ExpertOrder, Organization, Staff
from pipeline.core.errors import UchetError
from pipeline.intake.expert_sheets import from_legacy, in_force
from pipeline.intake.workbook_check import read_workbooks
from schemas import ORGANIZATION_FILE

EXPERT_COMMISSION = "ЭК"
"""The «Код комиссии» the expert commission had on «Комиссии» before it had a sheet of its own."""


@dataclass(frozen=True)
class Signer:
    position: str
    name: str
    """«И.О. Фамилия» as ГОСТ Р 7.0.97 writes a signature (non-breaking space before the surname)."""


@dataclass(frozen=True)
class ActPeople:
    fund: str = ""
    city: str = ""
    head: Signer | None = None
    commission_order: tuple[str, dt.date] | None = None
    """(number, date) of the order that appointed the ЭК."""
    chair: Signer | None = None
    secretary: Signer | None = None
    members: tuple[Signer, ...] = field(default_factory=tuple)


def after_comma(position: str) -> str:
    """A position as it reads after a comma in a signature line: «Председатель экспертной комиссии, методист».

    A common noun after a comma takes a small letter, so the first word's capital is lowered («Директор» →
    «директор», «И.о. директора» → «и.о. директора»); an abbreviation keeps its case, since its letters are the
    initials of words («ВрИО директора», «ВРИО директора», «ЧОУ …»): a first word with a capital past its first
    letter is left as it is.
    """
    word = position.split(" ", 1)[0]
    return position if any(ch.isupper() for ch in word[1:]) else position[:1].lower() + position[1:]


def signature_name(person) -> str:
    """«И.О. Фамилия»: no space between the initials, a non-breaking space before the surname."""
    text = ru.initials_surname(person)
    initials, _, surname = text.rpartition(" ")
    return f"{initials.replace(' ', '')}\u00a0{surname}" if initials else text


def _signer(staff: dict[str, Staff], staff_id: str) -> Signer | None:
    person = staff.get(staff_id)
    return Signer(person.position, signature_name(person.person)) if person else None


def people_of(organization: Organization, staff: dict[str, Staff], commissions: dict[str, Commission],
              orders: tuple[ExpertOrder, ...] = (), on: dt.date | None = None) -> ActPeople:
    """Give the act's facts from the organisation's reference data; the ЭК in force on `on` (default: the latest).

    orders: «Экспертная комиссия»; empty: the commission coded «ЭК» on «Комиссии» (an older workbook).
    """
    orders = orders or from_legacy(commissions)
    ek = in_force(orders, on or dt.date.max) or (orders[0] if orders else None)
    chair = secretary = None
    members: list[Signer] = []
    if ek is not None:
        for member in ek.members:
            signer = _signer(staff, member.staff_id)
            if signer is None:
                continue
            if member.role == "председатель" and chair is None:
                chair = signer
            elif member.role == "секретарь" and secretary is None:
                secretary = signer
            else:
                members.append(signer)
    return ActPeople(
        fund=organization.archive_fund or "", city=organization.city,
        head=_signer(staff, organization.head_id),
        commission_order=(ek.order_no, ek.order_date) if ek else None,
        chair=chair, secretary=secretary, members=tuple(members),
    )


def load_people(input_dir: Path, on: dt.date | None = None) -> ActPeople:
    """Read organization.xlsx alone (the ЭК in force on `on`); refuse (with the first problem) when it cannot be used."""
    built = load_organization(input_dir)
    return people_of(built["organization"], built["staff"], built["commissions"], built.get("expert_orders", ()), on)


def load_organization(input_dir: Path) -> dict:
    """Give the model objects of organization.xlsx alone; refuse (with the first problem) when it cannot be used."""
    path = Path(input_dir) / ORGANIZATION_FILE
    if not path.is_file():
        raise UchetError(f"Нет файла «{path}»: из него берутся номер фонда, город, руководитель и состав "
                         "экспертной комиссии для акта. Укажите папку с рабочими книгами: --input ПАПКА.")
    [book], _frames = read_workbooks(Path(input_dir), [(ORGANIZATION_FILE, ORGANIZATION_FILE)])
    built = book.built or {}
    errors = [p for p in (*book.load_problems, *book.problems) if p.is_error]
    if errors or built.get("organization") is None:
        where = f" (лист «{errors[0].sheet}», строка {errors[0].row})" if errors and errors[0].sheet else ""
        raise UchetError(f"В «{path}» есть ошибки{where}: с актом ничего не сделано. Выполните «uchet validate», "
                         "исправьте ошибки и повторите.")
    return built


__all__ = ["EXPERT_COMMISSION", "ActPeople", "Signer", "after_comma", "load_organization", "load_people", "people_of",
           "signature_name"]
