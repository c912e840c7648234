"""The номенклатура дел a new centre starts from (`uchet init`), and what a номенклатура must hold.

Periods come from Перечень 236 where it has an article (orders on the main activity, ст. 19 «а»: kept
permanently, which for an organisation that is not a source of a state archive means «до ликвидации
организации»). The others are not itemised in the Перечень: their periods follow the practice of
educational organisations and are marked «требует решения ЭК», so the centre's expert commission
approves them before anything can be disposed of. Each carrier declares its own case in the registry
(`Carrier.case`); only the archive's own records are declared here.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.carriers import CARRIERS
from pipeline.carriers.registry import Case
from schemas import codes

SHEET = "Номенклатура дел"
"""`uchet init` fills this sheet; a workbook whose only records are here is still a blank one."""
APPROVED, OPEN = codes.NOMENCLATURE_STATUS
# The archive's own records: filed by the archive stage, not rendered from a carrier template.
ARCHIVE_CASES: dict[str, Case] = {
    "disposal_act": Case("01-05", "Акты о выделении к уничтожению документов, не подлежащих хранению",
                         "до ликвидации организации", "Статья Перечня не установлена; акты хранятся постоянно."),
    "archive_inventory": Case("01-06", "Описи дел и архивные индексы", "до ликвидации организации",
                              "Статья Перечня не установлена; описи хранятся до ликвидации организации."),
}


# What staff may type in «Носитель» instead of the key of the archive's own records.
ARCHIVE_TITLES = {"disposal_act": "Акт о выделении к уничтожению", "archive_inventory": "Опись дел"}


def case_keys() -> dict[str, str]:
    """Give every key «Носитель» accepts with its title: the registry's own cases, then the archive's records."""
    return {c.key: c.title for c in CARRIERS if c.case is not None} | ARCHIVE_TITLES


def key_for(typed: str) -> str | None:
    """Give the key staff meant by a title typed instead of it («Приказ о зачислении»), if any."""
    titles = {" ".join(title.casefold().split()): key for key, title in case_keys().items()}
    return titles.get(" ".join(typed.casefold().split()))


def recommended_cases() -> dict[str, Case]:
    """Give every case key with its recommended row: the registry's own cases, then the archive's, by index."""
    cases = {c.key: c.case for c in CARRIERS if c.case is not None} | ARCHIVE_CASES
    return dict(sorted(cases.items(), key=lambda item: item[1].index))


# carrier, index, title, retention, article (None: not in the Перечень), ЭПК, note — from the registry.
RECOMMENDED: tuple[tuple[str, str, str, str, str | None, bool, str], ...] = tuple(
    (key, case.index, case.title, case.retention, case.article, case.epk, case.note)
    for key, case in recommended_cases().items()
)


def recommended_rows() -> list[dict[str, str | None]]:
    """Give the recommended rows as «Номенклатура дел» records (sheet headers by schema attribute)."""
    return [
        {"carrier": key, "case_index": index, "case_title": title, "retention": retention, "article": article,
         "epk": "да" if epk else "нет", "status": APPROVED if article else OPEN, "note": note}
        for key, index, title, retention, article, epk, note in RECOMMENDED
    ]


def unfiled(keys: Iterable[str], filed_keys: Iterable[str]) -> list[str]:
    """Give the case keys of carriers that are filed (`filed_keys`) but have no row among `keys`, in order."""
    present = set(keys)
    return [key for key in dict.fromkeys(filed_keys) if key not in present]
