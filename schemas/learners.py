"""Sheet of `learners.xlsx`: one row per person, whatever programs he or she attends."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas import codes
from schemas.fields import SheetModel, column, snils_check_digits_ok


class LearnersSheet(SheetModel):
    """«Слушатели»: personal data once per person; groups refer to the id."""

    id: Series[str] = column("ID слушателя", "id", unique=True, width=12)
    surname: Series[str] = column("Фамилия", width=20)
    name: Series[str] = column("Имя", width=16)
    patronymic: Series[str] = column("Отчество", required=False, width=20)
    birth_date: Series[str] = column("Дата рождения", "date", width=12)
    sex: Series[str] = column("Пол", "code", values=codes.SEX, width=8)
    snils: Series[str] = column("СНИЛС", "snils", unique=True, width=16)
    citizenship: Series[str] = column(
        "Гражданство (ОКСМ)", "code", values=codes.CITIZENSHIP, width=10, hint="трехзначный код страны, Россия — 643"
    )
    education_level: Series[str] = column("Уровень образования", "code", values=codes.EDUCATION_LEVEL, width=34)
    edu_surname: Series[str] = column(
        "Фамилия в документе об образовании", required=False, width=20, hint="если отличается от текущей"
    )
    edu_series: Series[str] = column("Серия документа об образовании", "docno", required=False, width=12)
    edu_number: Series[str] = column("Номер документа об образовании", "docno", required=False, width=14)
    workplace: Series[str] = column("Место работы", required=False, width=40)
    position: Series[str] = column("Должность", required=False, width=30)
    phone: Series[str] = column("Телефон", "docno", required=False, width=16)
    email: Series[str] = column("Эл. почта", required=False, width=28)
    dative: Series[str] = column(
        "ФИО в дательном падеже", required=False, width=34,
        hint="только если в удостоверении или дипломе склонение неверно, например «Иванову Ивану Ивановичу»",
    )

    @pa.check("СНИЛС", name="snils_checksum")
    def _snils(cls, s: Series[str]) -> Series[bool]:
        """A СНИЛС whose check number is wrong is a typo; ФИС ФРДО rejects it."""
        return s.map(lambda v: v is None or snils_check_digits_ok(v))


class AwardsSheet(SheetModel):
    """«Поощрения» (optional): благодарности, грамоты … of a learner, each with the order or decision behind it."""

    learner: Series[str] = column("ID слушателя", "id", width=12)
    kind: Series[str] = column("Вид поощрения", "code", values=codes.AWARD_KIND, width=24)
    reason: Series[str] = column("За что", required=False, width=50, hint="например «за отличную защиту итоговой работы»")
    date: Series[str] = column("Дата", "date", width=12, hint="дата поощрения")
    basis_no: Series[str] = column(
        "Приказ (решение) №", "docno", width=14, hint="номер приказа или решения, которым объявлено поощрение"
    )
    basis_date: Series[str] = column("Дата приказа (решения)", "date", width=12)
    group: Series[str] = column("Номер группы", "id", required=False, width=14, hint="если поощрение связано с группой")
