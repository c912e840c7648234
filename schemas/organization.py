"""Sheets of `organization.xlsx`: the institution's reference data."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas import codes
from schemas.fields import SheetModel, column, inn_ok, ogrn_ok


class OrganizationSheet(SheetModel):
    """«Организация»: a two-column sheet «Параметр | Значение», read as one row."""

    full_name: Series[str] = column("Полное наименование", width=60)
    short_name: Series[str] = column("Сокращенное наименование", width=40)
    address: Series[str] = column("Адрес", width=60)
    city: Series[str] = column("Город", width=20)
    inn: Series[str] = column("ИНН", "docno", hint="10 цифр, с контрольной цифрой")
    ogrn: Series[str] = column("ОГРН", "docno", hint="13 цифр, с контрольной цифрой")
    licence: Series[str] = column("Лицензия", width=60, hint="номер и дата лицензии на образовательную деятельность")
    head_id: Series[str] = column("Руководитель (табельный №)", "id", hint="табельный № с листа «Сотрудники»")
    records_id: Series[str] = column(
        "Ответственный за учет (табельный №)", "id", required=False,
        hint="кто заверяет журналы и личные карточки; если пусто — руководитель",
    )
    legal_basis: Series[str] = column(
        "Нормативное основание", width=80, hint="закон, на который ссылаются все приказы (273-ФЗ)"
    )
    basis_dpp: Series[str] = column(
        "Порядок для ДПП (ПК, ПП)", width=80, required=False,
        hint="порядок организации обучения по ДПП с датой и номером приказа; печатается в приказах групп ПК и ПП",
    )
    basis_po: Series[str] = column(
        "Порядок для ПО", width=80, required=False,
        hint="порядок организации профессионального обучения с датой и номером приказа; печатается в приказах групп ПО",
    )
    archive_fund: Series[str] = column("Номер фонда", "docno", required=False, hint="для актов об уничтожении")
    phone: Series[str] = column("Телефон", "docno", required=False)
    archivist_id: Series[str] = column(
        "Ответственный за архив (табельный №)", "id", required=False,
        hint="табельный № с листа «Сотрудники»: составитель описей и листов-заверителей дел",
    )

    @pa.check("ИНН", name="inn_checksum")
    def _inn(cls, s: Series[str]) -> Series[bool]:
        """ИНН with a wrong check digit is a typo; ФРДО and banks reject it."""
        return s.map(lambda v: v is None or inn_ok(v))

    @pa.check("ОГРН", name="ogrn_checksum")
    def _ogrn(cls, s: Series[str]) -> Series[bool]:
        """ОГРН with a wrong check digit is a typo."""
        return s.map(lambda v: v is None or ogrn_ok(v))


class ProgramsSheet(SheetModel):
    """«Программы»: one row per educational program."""

    code: Series[str] = column("Код программы", "id", unique=True, width=14)
    name: Series[str] = column("Наименование программы", width=60)
    kind: Series[str] = column("Вид программы", "code", values=codes.PROGRAM_KIND, width=10, hint="ПК, ПП или ПО")
    po_kind: Series[str] = column(
        "Вид программы ПО", "code", values=codes.PO_PROGRAM_KIND, required=False, width=40,
        hint="только для ПО: как в ФИС ФРДО",
    )
    hours: Series[str] = column("Объем, ак. ч", "int", width=10)
    study_form: Series[str] = column("Форма обучения", "code", values=codes.STUDY_FORM, width=22)
    distance: Series[str] = column("ЭО/ДОТ", "bool", width=8)
    prof_standard: Series[str] = column("Профессиональный стандарт", required=False, width=40)
    qualification: Series[str] = column("Квалификация", required=False, width=40)
    rank: Series[str] = column("Разряд", required=False, width=8, hint="для ПО: присваиваемый разряд, класс, категория")
    document: Series[str] = column("Выдаваемый документ", "code", values=codes.DOCUMENT_KIND, width=40)
    final_form: Series[str] = column("Форма итоговой аттестации", "code", values=codes.FINAL_FORM, width=24)
    min_attendance: Series[str] = column(
        "Мин. посещаемость, %", "int", width=10, hint="доля часов, которую слушатель должен посетить"
    )
    prof_area: Series[str] = column(
        "Область профессиональной деятельности", "code", values=codes.PROF_AREA, required=False, width=40
    )
    ugs: Series[str] = column("Укрупненная группа специальностей", "code", values=codes.UGS, required=False, width=40)


class ModulesSheet(SheetModel):
    """«Модули»: the curriculum of each program."""

    program: Series[str] = column("Код программы", "id", width=14)
    number: Series[str] = column("№ модуля", "int", width=8)
    name: Series[str] = column("Наименование модуля", width=60)
    hours: Series[str] = column("Объем, ак. ч", "int", width=10)
    form: Series[str] = column("Форма промежуточной аттестации", "code", values=codes.MODULE_FORM, width=26)


class StaffSheet(SheetModel):
    """«Сотрудники»: teachers, examiners, commission members, signatories."""

    id: Series[str] = column("Табельный №", "id", unique=True, width=12)
    surname: Series[str] = column("Фамилия", width=20)
    name: Series[str] = column("Имя", width=16)
    patronymic: Series[str] = column("Отчество", required=False, width=20)
    sex: Series[str] = column("Пол", "code", values=codes.SEX, width=8)
    position: Series[str] = column("Должность", width=40)


class CommissionsSheet(SheetModel):
    """«Комиссии»: members of each attestation commission, one row per member (the ЭК has a sheet of its own)."""

    commission: Series[str] = column(
        "Код комиссии", "id", width=12,
        hint="код комиссии, его указывают на листе «Группа»; экспертная комиссия по архиву — на листе "
             "«Экспертная комиссия»",
    )
    role: Series[str] = column("Роль", "code", values=codes.COMMISSION_ROLE, width=22)
    staff: Series[str] = column("Табельный №", "id", width=12)
    order_no: Series[str] = column("Приказ №", "docno", width=12, hint="приказ об утверждении состава комиссии")
    order_date: Series[str] = column("Дата приказа", "date", width=12)


class ExpertCommissionSheet(SheetModel):
    """«Экспертная комиссия»: the archive's expert commission (ЭК), one row per member, by the order that appointed it.

    A new order (a changed composition) is a new set of rows with its own number and date; the earlier
    rows stay, because a meeting held before the new order was held by the earlier composition.
    """

    order_no: Series[str] = column("Приказ №", "docno", width=12,
                                   hint="номер приказа руководителя о создании (составе) экспертной комиссии")
    order_date: Series[str] = column("Дата приказа", "date", width=12)
    role: Series[str] = column("Роль", "code", values=codes.COMMISSION_ROLE, width=24,
                               hint="председатель, заместитель председателя, член комиссии или секретарь")
    staff: Series[str] = column("Табельный №", "id", width=12, hint="табельный № с листа «Сотрудники»")


class ExpertMeetingsSheet(SheetModel):
    """«Заседания ЭК»: one row per meeting of the expert commission, entered when its протокол is drawn up."""

    protocol_no: Series[str] = column("Протокол №", "docno", unique=True, width=12)
    date: Series[str] = column("Дата заседания", "date", width=14)
    acts: Series[str] = column(
        "Утверждены акты №", required=False, width=20,
        hint="номера актов о выделении к уничтожению через запятую, например «1, 2»; уничтожить документы по "
             "акту можно только после записи о протоколе, который его утвердил",
    )
    case_indexes: Series[str] = column(
        "Утверждены сроки (индексы дел)", required=False, width=24,
        hint="индексы дел номенклатуры через запятую, чьи сроки «требует решения ЭК» утверждены на заседании, "
             "например «03-01, 03-02»",
    )


class NomenclatureSheet(SheetModel):
    """«Номенклатура дел»: where each carrier is filed and how long it is kept."""

    # The keys come from the carrier registry (pipeline.intake.nomenclature.case_keys), which this layer cannot
    # import: the rule «nomenclature_keys» checks them, `uchet init` gives the drop-down.
    carrier: Series[str] = column("Носитель", "id", unique=True, width=22,
                                  hint="ключ носителя — см. docs/templates.md; в пустых книгах — выпадающий список")
    case_index: Series[str] = column("Индекс дела", "docno", width=10)
    case_title: Series[str] = column("Заголовок дела", width=60)
    retention: Series[str] = column(
        "Срок хранения", width=16, hint="число лет, «постоянно» или «до ликвидации организации»"
    )
    article: Series[str] = column("Статья перечня", required=False, width=20)
    epk: Series[str] = column("ЭПК", "bool", width=6)
    status: Series[str] = column("Статус", "code", values=codes.NOMENCLATURE_STATUS, width=20)
    note: Series[str] = column("Примечание", required=False, width=60)
    formation: Series[str] = column(
        "Формируется", "code", values=codes.CASE_FORMATION, required=False, width=14,
        hint="«за год» — одно дело за год (приказы); «по группам» — дело на каждую группу; пусто — как принято для носителя",
    )

    @pa.check("Срок хранения", name="retention_format")
    def _retention(cls, s: Series[str]) -> Series[bool]:
        """A period is a whole number of years or one of the two words the Перечень uses."""
        return s.map(lambda v: v is None or v.isdigit() or v in codes.RETENTION_WORDS)
