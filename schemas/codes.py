"""Allowed values of every coded column staff fill in.

Where ФИС ФРДО has a dictionary, its values are taken verbatim from the pinned template data
(`frdo_templates.json`), so the export needs no translation table. The rest are the institution's
own codes; the README lists them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

FRDO_DATA_FILE = "frdo_templates.json"


@cache
def frdo_templates() -> dict:
    """Give the pinned ФИС ФРДО template data: version, and per kind the header, dictionaries, validation."""
    return json.loads(resources.files("schemas").joinpath(FRDO_DATA_FILE).read_text(encoding="utf-8"))


def frdo_dictionary(kind: str, name: str) -> tuple[str, ...]:
    """Give one named range of a template as clean strings (the published ПО lists carry stray spaces)."""
    values = frdo_templates()[kind]["named_ranges"][name]["values"]
    return tuple(str(v).strip() for v in values)


YES_NO = ("да", "нет")

SEX = frdo_dictionary("dpo", "Пол")  # Муж, Жен
STUDY_FORM = frdo_dictionary("dpo", "спФормаОбучения")  # Очная, Очно-заочная (вечерняя), Заочная
FUNDING = frdo_dictionary("dpo", "спИстФинан")
EDUCATION_LEVEL = frdo_dictionary("dpo", "спУровеньОбразования")
CITIZENSHIP = tuple(c.zfill(3) for c in frdo_dictionary("dpo", "спГражданство"))
PROF_AREA = frdo_dictionary("dpo", "спОбластьПрофДеятельности")
UGS = frdo_dictionary("dpo", "спУкрГрСпец")
PO_PROGRAM_KIND = frdo_dictionary("po", "проф")
DOC_STATUS = frdo_dictionary("dpo", "Статус")  # Оригинал, Дубликат
LOSS_CONFIRMATION = frdo_dictionary("dpo", "спУтраты")
EXCHANGE_CONFIRMATION = frdo_dictionary("dpo", "спОбмена")
DESTRUCTION_CONFIRMATION = frdo_dictionary("dpo", "спУничтожения")

PROGRAM_KIND = ("ПК", "ПП", "ПО")
PROGRAM_KIND_TITLE = {
    "ПК": "Повышение квалификации",
    "ПП": "Профессиональная переподготовка",
    "ПО": "Профессиональное обучение",
}
MIN_HOURS = {"ПК": 16, "ПП": 250}

DOCUMENT_KIND = (
    "Удостоверение о повышении квалификации",
    "Диплом о профессиональной переподготовке",
    "Свидетельство о профессии рабочего, должности служащего",
    "Справка об обучении",
)
# The qualification document each kind of program leads to.
DOCUMENT_FOR_KIND = {
    "ПК": "Удостоверение о повышении квалификации",
    "ПП": "Диплом о профессиональной переподготовке",
    "ПО": "Свидетельство о профессии рабочего, должности служащего",
}

FINAL_FORM = (
    "итоговый экзамен",
    "зачет",
    "тестирование",
    "защита итоговой работы",
    "квалификационный экзамен",
)
MODULE_FORM = ("зачет", "дифференцированный зачет", "экзамен", "тестирование", "нет")

COMMISSION_ROLE = ("председатель", "заместитель председателя", "член комиссии", "секретарь")

ORDER_KIND = (
    "о зачислении",
    "об утверждении состава аттестационной комиссии",
    "об окончании обучения и отчислении",
    "об отчислении",
)

ENROLMENT_STATUS = ("обучается", "завершил обучение", "отчислен досрочно")

LESSON_KIND = (
    "лекция",
    "практическое занятие",
    "семинар",
    "стажировка",
    "самостоятельная работа",
    "ЭО/ДОТ",
    "промежуточная аттестация",
    "итоговая аттестация",
)

# Attendance marks; an empty cell means present. Hours missed count every mark except «д».
ATTENDANCE_MARK = {
    "н": "отсутствовал",
    "б": "болезнь",
    "у": "уважительная причина",
    "д": "занимался дистанционно (ЭО/ДОТ)",
}
ABSENCE_MARKS = ("н", "б", "у")

GRADE_WORDS = {
    "5": "отлично",
    "4": "хорошо",
    "3": "удовлетворительно",
    "2": "неудовлетворительно",
}
RESULT = ("5", "4", "3", "2", "зачтено", "не зачтено", "н/я")
POSITIVE_RESULT = ("5", "4", "3", "зачтено")

RECEIPT = ("лично", "по доверенности", "почтой")

RETENTION_WORDS = ("постоянно", "до ликвидации организации")
NOMENCLATURE_STATUS = ("утверждено", "требует решения ЭК")

# The keys of the «Носитель» column of «Номенклатура дел»: every carrier of pipeline.carriers (a test
# keeps the two in step), plus the archive's own records. Titles are what staff type instead of a key.
CASE_KEYS = {
    "journal": "Журнал учета занятий",
    "order_enrolment": "Приказ о зачислении",
    "order_commission": "Приказ об утверждении состава аттестационной комиссии",
    "order_graduation": "Приказ об окончании обучения и отчислении",
    "order_expulsion": "Приказ об отчислении (досрочно)",
    "interim_sheet": "Ведомость промежуточной аттестации",
    "protocol": "Протокол заседания аттестационной комиссии",
    "issue_register": "Журнал регистрации выданных документов об обучении (книга за год)",
    "issue_extract": "Выписка из журнала регистрации выданных документов по группе",
    "testing": "Результаты тестирования (ЭО/ДОТ)",
    "study_certificate": "Справка об обучении",
    "learner_card": "Личная карточка слушателя",
    "order_expert_commission": "Приказ о создании экспертной комиссии",
    "expert_protocol": "Протокол заседания экспертной комиссии",
    "disposal_act": "Акт о выделении к уничтожению",
    "archive_inventory": "Опись дел",
}
# Words staff type for a coded value: «Приказ о зачислении» for the key «order_enrolment».
CODE_ALIASES = {title.casefold(): key for key, title in CASE_KEYS.items()}
# How a case of the номенклатура is formed: one дело per year, or one дело per group within the year.
CASE_FORMATION = ("за год", "по группам")
# Kinds of поощрение (seed 3.1 «учет … поощрений»): the institution's own list.
AWARD_KIND = ("благодарность", "благодарственное письмо", "грамота", "почетная грамота", "диплом")
