"""The input contract: every workbook, sheet and column staff maintain, defined once.

`SHEETS` is the only list of sheets. The loader reads by it, `uchet init` writes blank workbooks from
it, docs/input-contract.md is generated from it, and validation runs its pandera models.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Literal

import pandera.pandas as pa

from schemas.group import (
    AttendanceSheet,
    FinalSheet,
    GroupSheet,
    InterimSheet,
    IssuedSheet,
    LessonsSheet,
    MembersSheet,
    OrdersSheet,
    TestingSheet,
)
from schemas.learners import AwardsSheet, LearnersSheet
from schemas.organization import (
    CommissionsSheet,
    ExpertCommissionSheet,
    ExpertMeetingsSheet,
    ModulesSheet,
    NomenclatureSheet,
    OrganizationSheet,
    ProgramsSheet,
    StaffSheet,
)

ORGANIZATION_FILE = "organization.xlsx"
LEARNERS_FILE = "learners.xlsx"
GROUPS_DIR = "groups"
GROUP_FILE = "groups/*.xlsx"


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the input contract."""

    workbook: str
    """Which workbook: ORGANIZATION_FILE, LEARNERS_FILE or GROUP_FILE (one per group)."""
    name: str
    """The sheet name exactly as staff see it."""
    model: type[pa.DataFrameModel]
    """The pandera model; its aliases are the column headers."""
    layout: Literal["table", "keyvalue", "grid"] = "table"
    """table: header row then records; keyvalue: «Параметр | Значение» rows read as one record;
    grid: a table whose regex-named columns repeat (attendance)."""
    required: bool = True
    """An optional sheet may be absent; a required one missing is an error."""


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(ORGANIZATION_FILE, "Организация", OrganizationSheet, "keyvalue"),
    SheetSpec(ORGANIZATION_FILE, "Программы", ProgramsSheet),
    SheetSpec(ORGANIZATION_FILE, "Модули", ModulesSheet),
    SheetSpec(ORGANIZATION_FILE, "Сотрудники", StaffSheet),
    SheetSpec(ORGANIZATION_FILE, "Комиссии", CommissionsSheet),
    SheetSpec(ORGANIZATION_FILE, "Номенклатура дел", NomenclatureSheet),
    SheetSpec(ORGANIZATION_FILE, "Экспертная комиссия", ExpertCommissionSheet, required=False),
    SheetSpec(ORGANIZATION_FILE, "Заседания ЭК", ExpertMeetingsSheet, required=False),
    SheetSpec(LEARNERS_FILE, "Слушатели", LearnersSheet),
    SheetSpec(LEARNERS_FILE, "Поощрения", AwardsSheet, required=False),
    SheetSpec(GROUP_FILE, "Группа", GroupSheet, "keyvalue"),
    SheetSpec(GROUP_FILE, "Приказы", OrdersSheet),
    SheetSpec(GROUP_FILE, "Состав", MembersSheet),
    SheetSpec(GROUP_FILE, "Занятия", LessonsSheet),
    SheetSpec(GROUP_FILE, "Посещаемость", AttendanceSheet, "grid"),
    SheetSpec(GROUP_FILE, "Промежуточная аттестация", InterimSheet),
    SheetSpec(GROUP_FILE, "Итоговая аттестация", FinalSheet),
    SheetSpec(GROUP_FILE, "Выдача документов", IssuedSheet),
    SheetSpec(GROUP_FILE, "Тестирование", TestingSheet, required=False),
)


def sheets_of(workbook: str) -> tuple[SheetSpec, ...]:
    """Give the sheets of one workbook kind, in the order staff see them."""
    return tuple(s for s in SHEETS if s.workbook == workbook)


@cache
def headers(model: type[pa.DataFrameModel]) -> SimpleNamespace:
    """Give a model's column headers as plain attributes: `headers(LearnersSheet).surname` is «Фамилия».

    Reading a header off the model itself goes through pandera's descriptor each time; the Dataset
    builder reads a million of them at 10,000 learners, which cost most of a second.
    """
    return SimpleNamespace(**{info.original_name: info.alias or info.original_name
                              for _annotation, info in model.__fields__.values()})


def columns(spec: SheetSpec) -> list[tuple[str, str, dict]]:
    """Give (attribute, header, metadata) for each column of a sheet, in order."""
    return [
        (info.original_name, info.alias or info.original_name, dict(info.metadata or {}))
        for _key, (_annotation, info) in spec.model.__fields__.items()
    ]
