"""Sheets of one group workbook `groups/<name>.xlsx`: the unit staff work on day to day."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas import codes
from schemas.fields import SheetModel, column


class GroupSheet(SheetModel):
    """«Группа»: a two-column sheet «Параметр | Значение», read as one row."""

    number: Series[str] = column("Номер группы", "id", hint="например ПК-2025-017")
    program: Series[str] = column("Код программы", "id", hint="код с листа «Программы»")
    start: Series[str] = column("Дата начала", "date")
    end: Series[str] = column("Дата окончания", "date")
    curator: Series[str] = column("Куратор (табельный №)", "id")
    commission: Series[str] = column("Код комиссии", "id", required=False, hint="код с листа «Комиссии»")
    final_date: Series[str] = column("Дата итоговой аттестации", "date", required=False)
    protocol_no: Series[str] = column("Номер протокола", "docno", required=False)
    signed: Series[str] = column(
        "Документы подписаны", "bool", required=False, hint="«да», когда документы группы подписаны и подшиты"
    )
    correction: Series[str] = column(
        "Основание исправления", required=False, width=60,
        hint="например «приказ № 15-о от 03.03.2025 о внесении изменений»; нужно для изменения подписанных документов",
    )


class OrdersSheet(SheetModel):
    """«Приказы»: the orders of this group."""

    kind: Series[str] = column("Вид приказа", "code", values=codes.ORDER_KIND, width=44)
    number: Series[str] = column("Номер приказа", "docno", width=12)
    date: Series[str] = column("Дата приказа", "date", width=12)
    signatory: Series[str] = column("Подписант (табельный №)", "id", width=14)


class MembersSheet(SheetModel):
    """«Состав»: who is enrolled, on what contract, and how it ended."""

    learner: Series[str] = column("ID слушателя", "id", unique=True, width=12)
    full_name: Series[str] = column("ФИО (для проверки)", width=36, hint="сверяется со списком слушателей")
    contract_no: Series[str] = column("Договор №", "docno", width=12)
    contract_date: Series[str] = column("Дата договора", "date", width=12)
    funding: Series[str] = column("Источник финансирования", "code", values=codes.FUNDING, width=22)
    status: Series[str] = column("Статус", "code", values=codes.ENROLMENT_STATUS, width=20)
    expelled_on: Series[str] = column("Дата отчисления", "date", required=False, width=12, hint="только для досрочно отчисленных")
    expel_reason: Series[str] = column("Причина отчисления", required=False, width=36)
    expel_order: Series[str] = column("Приказ об отчислении №", "docno", required=False, width=14)
    expel_ground: Series[str] = column(
        "Основание отчисления", required=False, width=30,
        hint="документ, на основании которого отчислен досрочно, например «заявление от 20.12.2025»",
    )


class LessonsSheet(SheetModel):
    """«Занятия»: lessons conducted, in order."""

    number: Series[str] = column("№ занятия", "int", unique=True, width=8)
    date: Series[str] = column("Дата", "date", width=12)
    hours: Series[str] = column("Часы", "int", width=6)
    module: Series[str] = column("№ модуля", "int", width=8)
    topic: Series[str] = column("Тема", width=60)
    kind: Series[str] = column("Вид занятия", "code", values=codes.LESSON_KIND, width=24)
    teacher: Series[str] = column("Преподаватель (табельный №)", "id", width=14)


class AttendanceSheet(SheetModel):
    """«Посещаемость»: learners × lessons; a column per lesson headed by its №, empty cell = present."""

    learner: Series[str] = column("ID слушателя", "id", unique=True, width=12)
    full_name: Series[str] = column("ФИО", required=False, width=30)
    marks: Series[str] = pa.Field(
        alias=r"^\d+$", regex=True, nullable=True, isin=tuple(codes.ATTENDANCE_MARK),
        metadata={"kind": "code", "required": False, "values": tuple(codes.ATTENDANCE_MARK), "width": 4,
                  "hint": "отметка: н, б, у, д или пусто"},
    )


class InterimSheet(SheetModel):
    """«Промежуточная аттестация»: one row per learner and module."""

    learner: Series[str] = column("ID слушателя", "id", width=12)
    module: Series[str] = column("№ модуля", "int", width=8)
    date: Series[str] = column("Дата", "date", width=12)
    result: Series[str] = column("Результат", "code", values=codes.RESULT, width=12)
    examiner: Series[str] = column("Экзаменатор (табельный №)", "id", width=14)


class FinalSheet(SheetModel):
    """«Итоговая аттестация»: one row per learner who sat it (or did not show up)."""

    learner: Series[str] = column("ID слушателя", "id", unique=True, width=12)
    date: Series[str] = column("Дата", "date", width=12)
    result: Series[str] = column("Результат", "code", values=codes.RESULT, width=12)
    topic: Series[str] = column("Тема итоговой работы", required=False, width=60)


class IssuedSheet(SheetModel):
    """«Выдача документов»: the documents handed out, with ФИС ФРДО's status columns."""

    learner: Series[str] = column("ID слушателя", "id", width=12)
    document: Series[str] = column("Вид документа", "code", values=codes.DOCUMENT_KIND, width=40)
    series: Series[str] = column("Серия", "docno", required=False, width=10)
    number: Series[str] = column("Номер бланка", "docno", width=14)
    reg_no: Series[str] = column("Регистрационный №", "docno", width=12)
    issued_on: Series[str] = column("Дата выдачи", "date", width=12)
    receipt: Series[str] = column("Способ получения", "code", values=codes.RECEIPT, width=16)
    status: Series[str] = column("Статус документа", "code", values=codes.DOC_STATUS, width=12)
    lost: Series[str] = column("Подтверждение утраты", "code", values=codes.LOSS_CONFIRMATION, required=False, width=22)
    exchanged: Series[str] = column(
        "Подтверждение обмена", "code", values=codes.EXCHANGE_CONFIRMATION, required=False, width=22
    )
    destroyed: Series[str] = column(
        "Подтверждение уничтожения", "code", values=codes.DESTRUCTION_CONFIRMATION, required=False, width=12
    )
    replaces: Series[str] = column(
        "Заменяет документ (рег. №)", "docno", required=False, width=14, hint="для дубликата или исправленного документа"
    )


class TestingSheet(SheetModel):
    """«Тестирование» (optional): results of tests taken in the e-learning system."""

    learner: Series[str] = column("ID слушателя", "id", width=12)
    test: Series[str] = column("Тест", width=40)
    date: Series[str] = column("Дата", "date", width=12)
    score: Series[str] = column("Баллы", "number", width=8)
    max_score: Series[str] = column("Максимум", "number", width=8)
    threshold: Series[str] = column("Проходной балл", "number", width=8)
