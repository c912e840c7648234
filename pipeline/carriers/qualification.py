"""The qualification documents a graduate takes home (273-ФЗ ст. 60 ч. 10): удостоверение о повышении
квалификации, диплом о профессиональной переподготовке with its приложение, свидетельство о профессии
рабочего, должности служащего.

One document per row of «Выдача документов» of that kind, originals and duplicates alike: every number
printed (series, blank, registration number, date of issue) is the row's own, so the document cannot
disagree with the register, the ФРДО export or the graduation order, which read the same row.

The documents themselves go to the learner and are not filed (`archived=False`); the organisation keeps
the record of issue in the register's case (03-04), which is why their case key is «issue_register».
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.carriers import common
from pipeline.carriers.registry import Carrier, DocumentSpec
from pipeline.core import ru
from pipeline.core.dataset import Dataset, Group, IssuedDocument, Learner, Program

PK = "Удостоверение о повышении квалификации"
PP = "Диплом о профессиональной переподготовке"
PO = "Свидетельство о профессии рабочего, должности служащего"
KINDS = (PK, PP, PO)
DUPLICATE = "Дубликат"

# Per kind: the word in capitals, its «о …» line, the genitive for «взамен …», and «Настоящее …».
_WORDING = {
    PK: ("УДОСТОВЕРЕНИЕ", "о повышении квалификации", "удостоверения", "Настоящее удостоверение выдано"),
    PP: ("ДИПЛОМ", "о профессиональной переподготовке", "диплома", "Настоящий диплом выдан"),
    PO: ("СВИДЕТЕЛЬСТВО", "о профессии рабочего, должности служащего", "свидетельства",
         "Настоящее свидетельство выдано"),
}
_COMMISSION = {
    "ПК": "итоговой аттестационной комиссии",
    "ПП": "итоговой аттестационной комиссии",
    "ПО": "квалификационной комиссии",
}
_ROLE_TITLE = {"председатель": "Председатель комиссии", "секретарь": "Секретарь"}


def dative_name(learner: Learner) -> str:
    """The name after «выдано»: the workbook's override when staff wrote one, else the declension library's."""
    return learner.dative or ru.dative(learner.person)


def _commission_signers(ds: Dataset, group: Group) -> dict[str, dict[str, str]]:
    """The chair and the secretary of the group's commission, by role; missing roles are left out."""
    commission = ds.commissions.get(group.commission_id or "")
    found: dict[str, dict[str, str]] = {}
    for member in commission.members if commission else ():
        staff = ds.staff.get(member.staff_id)
        if member.role in _ROLE_TITLE and staff and member.role not in found:
            found[member.role] = {"position": _ROLE_TITLE[member.role], "name": common.staff_name(staff)}
    return found


def signers(ds: Dataset, group: Group, kind: str) -> list[dict[str, str]]:
    """Who signs, top to bottom: the chair (diploma, свидетельство), the director, the secretary."""
    commission = _commission_signers(ds, group)
    head = {"position": "Руководитель", "name": common.staff_name(ds.head)}
    rows = []
    if kind != PK and "председатель" in commission:
        rows.append(commission["председатель"])
    rows.append(head)
    if "секретарь" in commission:
        rows.append(commission["секретарь"])
    return rows


def _original(ds: Dataset, doc: IssuedDocument) -> IssuedDocument | None:
    """The document a duplicate replaces: the row with that registration number, the same learner first."""
    matches = [d for g in ds.groups.values() for d in g.issued if d.reg_no == doc.replaces and d is not doc]
    same = [d for d in matches if d.learner_id == doc.learner_id]
    return (same or matches or [None])[0]


def duplicate_note(ds: Dataset, doc: IssuedDocument) -> str:
    """«Дубликат выдан взамен удостоверения рег. № 5/2025 от 20.01.2025, бланк 000123»; empty for an original."""
    if doc.status != DUPLICATE:
        return ""
    genitive = _WORDING[doc.document][2]
    original = _original(ds, doc) if doc.replaces else None
    if original is not None:
        return (f"Дубликат выдан взамен {genitive} рег. №{common.NBSP}{original.reg_no} "
                f"от {ru.date_short(original.issued_on)}, бланк {common.series_number(original)}")
    if doc.replaces:
        return f"Дубликат выдан взамен {genitive} рег. №{common.NBSP}{doc.replaces}"
    return f"Дубликат выдан взамен утраченного {genitive}"


def _module_rows(program: Program, group: Group, learner_id: str, person) -> list[dict[str, str]]:
    """Every module of the curriculum with its hours and the result of its ведомость («—» when none).

    A curriculum's own module «Итоговая аттестация» has no ведомость: it shows the final result, so
    the recipient does not read a dash against the attestation he passed.
    """
    results = {r.module: r for r in group.interim if r.learner_id == learner_id}
    final = group.final_of(learner_id)
    rows = []
    for n, module in enumerate(program.modules, 1):
        result = results.get(module.number)
        if result is not None:
            text = common.result_words(result.result, person)
        elif module.form == "нет" and module.name.lower().startswith("итоговая аттестация") and final:
            text = common.result_words(final.result, person)
        else:
            text = "—"
        rows.append({"n": str(n), "name": module.name, "hours": str(module.hours), "result": text})
    return rows


def document_context(ds: Dataset, group: Group, doc: IssuedDocument, learner: Learner) -> dict[str, Any]:
    """Everything one qualification document prints, as text."""
    program = ds.program_of(group)
    person = learner.person
    word, about, _genitive, opening = _WORDING[doc.document]
    final = group.final_of(learner.id)
    protocol_date = group.final_date or (final.date if final else None)
    modules = _module_rows(program, group, learner.id, person)
    series = doc.series if doc.series and doc.series.lower() != "нет" else ""
    return {
        **common.base_context(ds, group),
        "doc": {
            "kind_word": word,
            "kind_about": about,
            "opening": opening,
            "series": series,
            "number": doc.number,
            "series_number": common.series_number(doc),
            "reg_no": doc.reg_no,
            "date": common.date_long(doc.issued_on),
            "date_short": ru.date_short(doc.issued_on),
            "duplicate": "ДУБЛИКАТ" if doc.status == DUPLICATE else "",
            "duplicate_note": duplicate_note(ds, doc),
        },
        "learner": {
            "full_name": person.full_name,
            "surname": person.surname,
            "name_patronymic": " ".join(p for p in (person.name, person.patronymic) if p),
            "dative": dative_name(learner),
            "pronoun": common.person_verb(person, "он", "она"),
            "studied": common.person_verb(person, "прошел", "прошла"),
            "passed_exam": common.person_verb(person, "сдал", "сдала"),
        },
        "period": ru.period_long(group.start, group.end),
        "hours": ru.hours_acad(program.hours),
        "qualification": program.qualification or "",
        "rank": common.rank_genitive(program.rank),
        "commission": _COMMISSION[program.kind],
        "protocol": (f"от {ru.date_short(protocol_date)} №{common.NBSP}{group.protocol_no}"
                     if protocol_date and group.protocol_no else ""),
        "final": {
            "form": program.final_form,
            "result": common.result_words(final.result, person) if final else "",
            "topic": (final.topic or "") if final else "",
        },
        "modules": modules,
        "modules_hours": ru.hours_acad(sum(m.hours for m in program.modules)),
        "signers": signers(ds, group, doc.document),
    }


def issued_rows(ds: Dataset, kind: str) -> Iterator[tuple[Group, IssuedDocument, Learner]]:
    """Every issued row of `kind` whose learner is on «Слушатели», in group and register order."""
    for group in ds.groups.values():
        for doc in sorted(group.issued, key=lambda d: common.natural_key(d.reg_no)):
            if doc.document == kind and doc.learner_id in ds.learners:
                yield group, doc, ds.learners[doc.learner_id]


def _file_stem(kind: str, doc: IssuedDocument, learner: Learner) -> str:
    word = _WORDING[kind][0].capitalize()
    dup = " (дубликат)" if doc.status == DUPLICATE else ""
    reg = doc.reg_no.replace("/", "-").replace("\\", "-")  # a file name holds no folder separator
    return f"{word} рег. № {reg}{dup} {ru.short_name(learner.person)} ({learner.id})"


def _builder(key: str, kind: str):
    def build(ds: Dataset) -> Iterator[DocumentSpec]:
        for group, doc, learner in issued_rows(ds, kind):
            stem = _file_stem(kind, doc, learner)
            yield DocumentSpec(
                doc_id=f"{group.number}/{key}/{doc.reg_no}",
                file_name=f"{group.number} {stem}.docx",
                title=f"{_WORDING[kind][0].capitalize()} {_WORDING[kind][1]} рег. № {doc.reg_no}: "
                      f"{ru.short_name(learner.person)} (группа {group.number})",
                context=document_context(ds, group, doc, learner), year=group.year, group=group.number,
                learner_id=learner.id, date=doc.issued_on,
                sources=(group.file, learner.src.file),
            )
    return build


def _counter(kind: str):
    def count(ds: Dataset) -> int:
        """How many documents of `kind` the builder gives: one per issued row whose learner is listed."""
        return sum(1 for _ in issued_rows(ds, kind))
    return count


def _missing(kind: str):
    def missing(ds: Dataset, group: Group) -> list[str]:
        """Needed when the group's program issues this kind and someone passed; then its row is what is missing."""
        program = ds.program_of(group)
        if program.document != kind or not common.graduates(ds, group):
            return []
        if any(d.document == kind for d in group.issued):
            return common.not_in_learners({d.learner_id for d in group.issued
                                           if d.document == kind and d.learner_id not in ds.learners})
        return [f"нет строк «{kind}» на листе «Выдача документов»"]
    return missing



# --- Ведомость выдачи документов: printed before the documents are handed out, signed by each recipient ---

_PROXY_BLANK = ""  # filled in by hand: the representative's name and the power of attorney's number and date
_BY_POST = "почтой"
_BY_PROXY = "по доверенности"


def _issue_row(ds: Dataset, n: int, doc: IssuedDocument) -> dict[str, str]:
    learner = ds.learners.get(doc.learner_id)
    status = "" if doc.status != DUPLICATE else " (дубликат)"
    return {
        "n": str(n),
        "name": learner.person.full_name if learner else doc.learner_id,
        "document": doc.document + status,
        "reg_no": doc.reg_no,
        "series_number": common.series_number(doc),
        "date": ru.date_short(doc.issued_on),
        "receipt": doc.receipt,
        "proxy": _PROXY_BLANK if doc.receipt == _BY_PROXY else "—",
        # The recipient signs here; a document sent by post has no signature but the mailing's number.
        "signature": "почтовое отправление № ________ от ________" if doc.receipt == _BY_POST else "",
    }


def missing_issue_sheet(ds: Dataset, group: Group) -> list[str]:
    """Printed once documents are registered on «Выдача документов»."""
    return [] if group.issued else ["нет записей на листе «Выдача документов»"]


def build_issue_sheet(ds: Dataset) -> Iterator[DocumentSpec]:
    for group in ds.groups.values():
        if missing_issue_sheet(ds, group):
            continue
        order = {lid: i for i, lid in enumerate(x.id for x in common.learners_of(ds, group))}
        issued = sorted(group.issued, key=lambda d: (order.get(d.learner_id, len(order)), common.natural_key(d.reg_no)))
        date = min(d.issued_on for d in group.issued)
        graduation = group.order(common.ORDER_GRADUATION)
        curator = ds.staff.get(group.curator_id)
        context = {
            **common.base_context(ds, group),
            "doc_date": common.date_long(date),
            "rows": [_issue_row(ds, n, d) for n, d in enumerate(issued, 1)],
            "order": common.order_ref(graduation) or "—",
            "protocol": (f"от {ru.date_short(group.final_date)} №{common.NBSP}{group.protocol_no}"
                         if group.final_date and group.protocol_no else "—"),
            "total": ru.count(len(issued), "документ", "документа", "документов"),
            "issuer": {"position": common.in_text(curator.position) if curator else "",
                       "name": common.staff_name(curator)},
        }
        yield DocumentSpec(
            doc_id=f"{group.number}/issue_sheet",
            file_name=f"{group.number} Ведомость выдачи документов.docx",
            title=f"Ведомость выдачи документов группы {group.number}",
            context=context, year=group.year, group=group.number, date=date, sources=(group.file,),
        )


CARRIERS = (
    Carrier("qualification_pk", PK, "qualification_pk.docx", "learner", "issue_register",
            _builder("qualification_pk", PK), archived=False, missing=_missing(PK), every_group=False,
            count=_counter(PK)),
    Carrier("qualification_pp", PP + " с приложением", "qualification_pp.docx", "learner", "issue_register",
            _builder("qualification_pp", PP), archived=False, missing=_missing(PP), every_group=False,
            count=_counter(PP)),
    Carrier("qualification_po", PO, "qualification_po.docx", "learner", "issue_register",
            _builder("qualification_po", PO), archived=False, missing=_missing(PO), every_group=False,
            count=_counter(PO)),
    # Filed with the register (case 03-04): its signatures are the register's «подпись получателя».
    Carrier("issue_sheet", "Ведомость выдачи документов об обучении и о квалификации", "issue_sheet.docx", "group",
            "issue_register", build_issue_sheet, missing=missing_issue_sheet),
)
