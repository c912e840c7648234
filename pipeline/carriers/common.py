"""Context pieces every carrier shares: organisation, program, group, people, signatures.

Formatting (dates in words, plural hours, short and declined names) is done here with `pipeline.core.ru`,
so the templates that staff edit stay plain `{{ … }}` fields. Every value is text (or a list/dict
of text): the context is hashed as canonical JSON for the archive's «inputs unchanged» check.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.core import ru
from pipeline.core.dataset import (
    Commission,
    CommissionMember,
    Dataset,
    Group,
    Learner,
    Module,
    Order,
    Person,
    Program,
    Staff,
)

ORDER_ENROLMENT = "о зачислении"
ORDER_COMMISSION = "об утверждении состава аттестационной комиссии"
ORDER_GRADUATION = "об окончании обучения и отчислении"
ORDER_EXPULSION = "об отчислении"

CERTIFICATE = "Справка об обучении"

# The program named after «по» (dative) and in headings (nominative).
_PROGRAM_DATIVE = {
    "ПК": "дополнительной профессиональной программе повышения квалификации",
    "ПП": "дополнительной профессиональной программе профессиональной переподготовки",
    "ПО": "основной программе профессионального обучения",
}
_PROGRAM_NOMINATIVE = {
    "ПК": "Дополнительная профессиональная программа повышения квалификации",
    "ПП": "Дополнительная профессиональная программа профессиональной переподготовки",
    "ПО": "Основная программа профессионального обучения",
}
# A document after «выдать» (accusative), one and many.
DOCUMENT_ACCUSATIVE = {
    "Удостоверение о повышении квалификации": ("удостоверение о повышении квалификации",
                                               "удостоверения о повышении квалификации"),
    "Диплом о профессиональной переподготовке": ("диплом о профессиональной переподготовке",
                                                 "дипломы о профессиональной переподготовке"),
    "Свидетельство о профессии рабочего, должности служащего": (
        "свидетельство о профессии рабочего, должности служащего",
        "свидетельства о профессии рабочего, должности служащего"),
    CERTIFICATE: ("справку об обучении", "справки об обучении"),
}


NBSP = "\u00a0"


def date_long(value) -> str:
    """«10 февраля 2025 г.» with the day kept with its month and «г.» with the year (U+00A0):
    a date in words never wraps after its day or before «г.» (ГОСТ Р 7.0.97 reads it as one detail)."""
    return ru.date_long(value).replace(" ", NBSP, 1).replace(" г.", NBSP + "г.")


_QUOTED = re.compile(r"«[^«»]{1,40}»")


def _glued(name: str) -> str:
    """«Эко-Образование & Партнеры»: the «&» keeps both neighbours, so no line ends or starts with it,
    and a short name in quotes moves to the next line whole rather than break at its hyphen or space."""
    name = re.sub(r"\s*&\s*", f"{NBSP}&{NBSP}", name)
    return _QUOTED.sub(lambda m: ru.unbroken(m.group(0)).replace(" ", NBSP), name)


def org_context(ds: Dataset) -> dict[str, str]:
    org = ds.organization
    city = org.city.strip()
    place = city if re.match(r"^(г\.|город|пос|с\.|п\.)", city) else f"г. {city}"
    return {
        "full_name": _glued(org.full_name),
        "short_name": _glued(org.short_name),
        "address": org.address,
        "city": city,
        "place": place,
        "licence": org.licence,
        "inn": org.inn,
        "ogrn": org.ogrn,
    }


def program_context(program: Program) -> dict[str, Any]:
    return {
        "code": program.code,
        "name": program.name,
        "kind": program.kind,
        "kind_title": program.kind_title,
        "title": f"{_PROGRAM_NOMINATIVE[program.kind]} «{program.name}»",
        "title_dative": f"{_PROGRAM_DATIVE[program.kind]} «{program.name}»",
        # After a comma inside a sentence: «Группа № ПП-2025-01, дополнительная профессиональная …».
        "title_in_text": f"{_PROGRAM_NOMINATIVE[program.kind].lower()} «{program.name}»",
        "hours": str(program.hours),
        # Legal text states a program's volume in one form: «72 академических часа».
        "hours_text": ru.hours_acad(program.hours),
        "study_form": program.study_form.lower() + (" с применением ЭО и ДОТ" if program.distance else ""),
        "final_form": program.final_form,
        "document": program.document,
        "qualification": program.qualification or "",
        "rank": program.rank or "",
        "rank_genitive": rank_genitive(program.rank),
        "assigns": assigns_qualification(program),
    }


def rank_genitive(rank: str | None) -> str:
    """«3-го разряда» for a rank written «3»; a rank staff wrote in words («2 класс») prints as written."""
    if not rank:
        return ""
    rank = rank.strip()
    return f"{rank}{ru.NB_HYPHEN}го разряда" if rank.isdigit() else rank


def assigns_qualification(program: Program) -> str:
    """«с присвоением квалификации «…»» (ПП), «… 3-го разряда» (ПО); empty where the program assigns none (ПК)."""
    if program.kind == "ПК" or not program.qualification:
        return ""
    rank = f" {rank_genitive(program.rank)}" if program.kind == "ПО" and program.rank else ""
    return f"с присвоением квалификации «{program.qualification}»{rank}"


def legal_basis(ds: Dataset, program: Program) -> str:
    """The acts an order cites: the law (every order), then the Порядок of the program's kind.

    Both come from «Организация» (organization.xlsx): the Порядок changes (№ 499 → № 266 for ДПП),
    so it is data the office keeps current, never text in a template.
    """
    org = ds.organization
    order = org.basis_po if program.kind == "ПО" else org.basis_dpp
    text = "; ".join(part for part in (org.legal_basis, order) if part)
    # «№ 499», «273-ФЗ»: a number keeps its sign and its suffix on the line.
    return re.sub(r"(\d)-ФЗ", f"\\1{ru.NB_HYPHEN}ФЗ", text.replace("№ ", f"№{NBSP}"))


def group_context(ds: Dataset, group: Group) -> dict[str, str]:
    curator = ds.staff.get(group.curator_id)
    return {
        "number": ru.unbroken(group.number),
        "start": ru.date_short(group.start),
        "end": ru.date_short(group.end),
        "start_long": date_long(group.start),
        "end_long": date_long(group.end),
        "period": ru.period(group.start, group.end),
        "year": str(group.year),
        "curator": staff_name(curator),
        "curator_position": in_text(position_only(curator.position)) if curator else "",
    }


def staff_name(staff: Staff | None) -> str:
    """«И.И. Иванов», or an empty line when the staff member is unknown."""
    return ru.initials_surname(staff.person) if staff else ""


def staff_short(staff: Staff | None) -> str:
    """«Иванов И.И.» (tables)."""
    return ru.short_name(staff.person) if staff else ""


def signer(ds: Dataset, staff_id: str | None) -> dict[str, str]:
    """A signature row: position with the organisation's short name, and «И.О. Фамилия»."""
    staff = ds.staff.get(staff_id or "") or ds.head
    return {"position": ru.upper_first(position_only(staff.position)), "name": staff_name(staff)}


COMMISSION_ROLES = ("председатель", "заместитель председателя", "член комиссии", "секретарь")
"""The roles on «Комиссии» in the order a protocol or an order lists a commission's members."""


def seated(ds: Dataset, commission: Commission) -> list[tuple[CommissionMember, Staff]]:
    """The commission's members with their staff records, in COMMISSION_ROLES order (another role last).

    A member whose табельный № is not on «Сотрудники» is left out: validation has already reported it.
    """
    rank = {role: i for i, role in enumerate(COMMISSION_ROLES)}
    members = sorted(commission.members, key=lambda m: rank.get(m.role, len(COMMISSION_ROLES)))
    return [(m, ds.staff[m.staff_id]) for m in members if m.staff_id in ds.staff]


def records_keeper(ds: Dataset) -> dict[str, str]:
    """Who answers for the records (закрепительные надписи, cards): «Ответственный за учет» of
    organization.xlsx, or the director where none is named."""
    staff = ds.staff.get(getattr(ds.organization, "records_id", None) or "") or ds.head
    return {"position": ru.upper_first(staff.position), "name": staff_name(staff)}


def expelled_note(member, person: Person) -> str:
    """«отчислена 24.12.2025, приказ № 12-сл»: an early leaver's line in lists and result tables."""
    when = ru.date_short(member.expelled_on) if member.expelled_on else "дата не указана"
    order = f", приказ №{NBSP}{member.expel_order}" if member.expel_order else ""
    return f"{person_verb(person, 'отчислен', 'отчислена')} {when}{order}"


def certificate_registration(group: Group, learner_id: str):
    """The «Выдача документов» row of the learner's справка (its number is the one the справка and the
    issue book print), or None while the справка is not registered."""
    return issued_document(group, learner_id, CERTIFICATE)


def sort_key(person: Person) -> tuple[str, str, str]:
    """Alphabetical order as staff expect it («ё» files with «е»)."""
    return tuple((p or "").lower().replace("ё", "е") for p in (person.surname, person.name, person.patronymic))


def learners_of(ds: Dataset, group: Group, ids: set[str] | None = None) -> list[Learner]:
    """The group's learners (or only those with `ids`), alphabetically."""
    chosen = [ds.learners[m.learner_id] for m in group.members
              if m.learner_id in ds.learners and (ids is None or m.learner_id in ids)]
    return sorted(chosen, key=lambda learner: sort_key(learner.person))


def person_verb(person: Person, male: str, female: str) -> str:
    """«обучался»/«обучалась»: the verb form agrees with the person's «Пол»."""
    return female if person.sex == "Жен" else male


_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def position_only(position: str) -> str:
    """The position without a note staff added in brackets («Главный эколог АО «Чистый город»
    (председатель … по договору)» → «Главный эколог АО «Чистый город»»): a signed document prints
    the position, not the office's remark about it."""
    return _TRAILING_NOTE.sub("", position or "").strip() or (position or "")


def in_text(position: str) -> str:
    """A position inside a sentence: «методист», while «ИП …» or «УМО …» keep their capitals."""
    if len(position) > 1 and position[0].isupper() and position[1].islower():
        return position[0].lower() + position[1:]
    return position


def result_words(result, person: Person) -> str:
    """«5 (отлично)», «зачтено»; «не явилась» for a woman who missed the attestation."""
    return person_verb(person, "не явился", "не явилась") if result.absent else result.words


def agreeing(people: list, one_male: str, one_female: str, many: str) -> str:
    """The word form that agrees with a list of people: one man, one woman, or several."""
    if len(people) != 1:
        return many
    return person_verb(people[0].person, one_male, one_female)


def graduates(ds: Dataset, group: Group) -> list[Learner]:
    """Learners who passed the final attestation and were not expelled early."""
    ids = set()
    for result in group.final:
        member = group.member(result.learner_id)
        if result.result.positive and member is not None and not member.expelled_early:
            ids.add(result.learner_id)
    return learners_of(ds, group, ids)


def failed(ds: Dataset, group: Group) -> list[Learner]:
    """Learners who sat (or missed) the final attestation without passing it and were not expelled before."""
    ids = set()
    for result in group.final:
        member = group.member(result.learner_id)
        if not result.result.positive and member is not None and not member.expelled_early:
            ids.add(result.learner_id)
    return learners_of(ds, group, ids)


def attested_modules(program: Program) -> list[Module]:
    """The modules that end in an intermediate attestation (form other than «нет»)."""
    return [m for m in program.modules if m.form != "нет"]


def expulsion_order(group: Group, number: str | None) -> Order | None:
    """The group's order «об отчислении» with this number, or None."""
    return next((o for o in group.orders if o.kind == ORDER_EXPULSION and o.number == number), None)


def no_order(kind: str, number: str | None = None) -> str:
    """Why an order-based document is missing: «нет приказа о зачислении на листе «Приказы»»."""
    return f"нет приказа {kind}{' № ' + number if number else ''} на листе «Приказы»"


def not_in_learners(ids) -> list[str]:
    """Why a learner's document is missing when the person is absent from «Слушатели» (IDs only, no names)."""
    return [f"нет на листе «Слушатели» (learners.xlsx): {', '.join(sorted(ids))}"] if ids else []


def issued_document(group: Group, learner_id: str, kind: str | None = None):
    """The learner's original document of `kind` (any qualification document when None)."""
    for doc in group.issued:
        if doc.learner_id != learner_id or doc.status != "Оригинал":
            continue
        if (kind is None and doc.document != CERTIFICATE) or doc.document == kind:
            return doc
    return None


def series_number(doc) -> str:
    if doc is None:
        return ""
    return f"{doc.series} {doc.number}" if doc.series and doc.series.lower() != "нет" else doc.number


def order_ref(order) -> str:
    """«от 10.01.2025 № 12-к»."""
    return f"от {ru.date_short(order.date)} №{NBSP}{ru.unbroken(order.number)}" if order else ""


def natural_key(text: str) -> tuple:
    """«2/2025» before «10/2025»: numbers in a registration number compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or ""))


def base_context(ds: Dataset, group: Group) -> dict[str, Any]:
    """What every group-scoped document receives."""
    program = ds.program_of(group)
    return {
        "org": org_context(ds),
        "program": program_context(program),
        "group": group_context(ds, group),
        "legal_basis": legal_basis(ds, program),
    }
