"""The fictional institution's reference data: organisation, programs, номенклатура дел."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.dataset import CaseRule, Module, Organization, Program, Source
from pipeline.intake.nomenclature import recommended_cases
from pipeline.paper.formation import DEFAULT_FORMATION
from schemas import ORGANIZATION_FILE, codes

_ORGANIZATION_SHEET = "Организация"
_PROGRAMS_SHEET = "Программы"
_MODULES_SHEET = "Модули"
_NOMENCLATURE_SHEET = "Номенклатура дел"
FINAL_MODULE = "Итоговая аттестация"


def _with_check_digit_inn(first9: str) -> str:
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first9 + str(sum(int(d) * w for d, w in zip(first9, weights, strict=True)) % 11 % 10)


def _with_check_digit_ogrn(first12: str) -> str:
    return first12 + str(int(first12) % 11 % 10)


def organization(head_id: str, records_id: str | None = None) -> Organization:
    """Give the fictional ЧОУ ДПО; its name carries «» and & on purpose (escaping in every output)."""
    return Organization(
        full_name="Частное образовательное учреждение дополнительного профессионального образования "
        "«Эко-Образование & Партнеры»",
        short_name="ЧОУ ДПО «Эко-Образование & Партнеры»",
        address="123456, г. Москва, ул. Лесная, д. 7, стр. 2, офис 15",
        city="Москва",
        inn=_with_check_digit_inn("770812345"),
        ogrn=_with_check_digit_ogrn("115774600012"),
        licence="№ Л035-01298-77/00123456 от 15.03.2016, выдана Департаментом образования и науки города Москвы",
        head_id=head_id,
        legal_basis="Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»",
        archive_fund="17",
        phone="8 (495) 012-34-56",
        src=Source(ORGANIZATION_FILE, _ORGANIZATION_SHEET, 2),
        basis_dpp="Порядок организации и осуществления образовательной деятельности по дополнительным "
        "профессиональным программам, утвержденный приказом Минобрнауки России от 01.07.2013 № 499",
        basis_po="Порядок организации и осуществления образовательной деятельности по основным программам "
        "профессионального обучения, утвержденный приказом Минпросвещения России от 26.08.2020 № 438",
        records_id=records_id,
        archivist_id="0003",
    )


@dataclass(frozen=True)
class ProgramPlan:
    """A program as the generator needs it: the record plus how its classes are scheduled."""

    program: Program
    hours_per_day: int
    topics: dict[int, tuple[str, ...]]  # module number -> lesson topics, cycled
    final_topics: tuple[str, ...] = ()  # final work topics, for «защита итоговой работы»


# code, name, kind, po_kind, study form, distance, standard, qualification, rank, final form,
# min attendance, area, УГС, hours per day, modules (name, hours, form, topics)
_PROGRAMS = (
    (
        "ПК-001", "Актуальные вопросы обращения с отходами производства и потребления", "ПК", None,
        "Очная", False, None, None, None, "зачет", 80, "Обеспечение безопасности",
        "Техносферная безопасность и природообустройство", 8,
        (
            ("Нормативное регулирование обращения с отходами", 6, "зачет",
             ("Законодательство об отходах: обзор изменений", "Лицензирование деятельности с отходами")),
            ("Паспортизация и учет отходов", 8, "тестирование",
             ("Паспорт отхода I-IV классов опасности", "Учет в области обращения с отходами",
              "Отчетность 2-ТП (отходы)")),
            (FINAL_MODULE, 2, "нет", ("Итоговая аттестация: зачет",)),
        ),
    ),
    (
        "ПК-002", "Обеспечение экологической безопасности руководителями и специалистами "
        "общехозяйственных систем управления", "ПК", None,
        "Заочная", True, None, None, None, "тестирование", 75, "Обеспечение безопасности",
        "Техносферная безопасность и природообустройство", 6,
        (
            ("Правовые основы охраны окружающей среды", 16, "тестирование",
             ("Система экологического законодательства", "Ответственность за экологические правонарушения")),
            ("Экологический контроль и мониторинг", 20, "тестирование",
             ("Государственный экологический надзор", "Производственный экологический контроль")),
            ("Обращение с отходами", 18, "тестирование",
             ("Классификация отходов", "Накопление и транспортирование отходов")),
            ("Экологическая отчетность", 14, "дифференцированный зачет",
             ("Декларация о плате за НВОС", "Статистическая отчетность")),
            (FINAL_MODULE, 4, "нет", ("Итоговое тестирование",)),
        ),
    ),
    (
        "ПК-003", "Экологический контроль на объектах, оказывающих негативное воздействие на окружающую среду",
        "ПК", None, "Очная", False, None, None, None, "итоговый экзамен", 80, "Обеспечение безопасности",
        "Техносферная безопасность и природообустройство", 8,
        (
            ("Категорирование объектов НВОС", 10, "зачет",
             ("Критерии отнесения объектов к категориям", "Постановка объектов на учет")),
            ("Программа производственного экологического контроля", 12, "экзамен",
             ("Структура программы ПЭК", "Отчет об организации и о результатах ПЭК")),
            (FINAL_MODULE, 2, "нет", ("Итоговый экзамен",)),
        ),
    ),
    (
        "ПП-001", "Экологическая безопасность", "ПП", None, "Очно-заочная (вечерняя)", False,
        "40.117 Специалист по экологической безопасности (в промышленности)",
        "Специалист в области экологической безопасности", None, "защита итоговой работы", 75,
        "Сквозные виды профессиональной деятельности в промышленности",
        "Техносферная безопасность и природообустройство", 6,
        (
            ("Основы экологии и природопользования", 40, "экзамен",
             ("Экосистемы и их устойчивость", "Природные ресурсы и их охрана", "Глобальные экологические проблемы")),
            ("Экологическое право", 36, "зачет",
             ("Источники экологического права", "Экологическая экспертиза", "Экологический контроль (надзор)")),
            ("Нормирование и контроль воздействия на окружающую среду", 56, "экзамен",
             ("Нормативы допустимых выбросов", "Нормативы допустимых сбросов", "Комплексные экологические "
              "разрешения", "Лабораторный контроль")),
            ("Обращение с отходами производства и потребления", 48, "дифференцированный зачет",
             ("Классы опасности отходов", "Лимиты на размещение отходов", "Объекты размещения отходов")),
            ("Экологический менеджмент и аудит", 40, "зачет",
             ("Стандарты ISO 14001", "Экологический аудит предприятия")),
            ("Стажировка", 28, "зачет", ("Стажировка на предприятии",)),
            (FINAL_MODULE, 8, "нет", ("Защита итоговой аттестационной работы",)),
        ),
    ),
    (
        "ПО-001", "Оператор очистных сооружений", "ПО",
        "Программа профессиональной подготовки по профессии рабочего, должности служащего",
        "Очная", False, None, "Оператор очистных сооружений", "3", "квалификационный экзамен", 80, None, None, 6,
        (
            ("Общепрофессиональный курс", 32, "зачет",
             ("Основы гидравлики", "Материаловедение", "Чтение технологических схем")),
            ("Технология очистки сточных вод", 48, "экзамен",
             ("Механическая очистка", "Биологическая очистка", "Обработка осадка", "Обеззараживание")),
            ("Охрана труда и промышленная безопасность", 16, "зачет",
             ("Безопасные методы работы", "Средства индивидуальной защиты")),
            ("Производственное обучение", 56, "дифференцированный зачет",
             ("Обслуживание решеток и песколовок", "Обслуживание аэротенков", "Отбор проб")),
            ("Квалификационный экзамен", 8, "нет", ("Практическая квалификационная работа и проверка знаний",)),
        ),
    ),
)

_FINAL_WORK_TOPICS = (
    "Разработка программы производственного экологического контроля предприятия",
    "Оценка воздействия котельной на атмосферный воздух",
    "Система управления отходами на предприятии пищевой промышленности",
    "Экологический аудит складского комплекса",
    "Проект нормативов образования отходов и лимитов на их размещение",
    "Снижение сбросов загрязняющих веществ очистными сооружениями «Северные»",
    "Внедрение системы экологического менеджмента по ISO 14001 в ООО «Т&К Логистик»",
    "Мониторинг состояния водного объекта в зоне влияния полигона ТКО",
)


def programs() -> tuple[ProgramPlan, ...]:
    """Give the five programs: three ПК (16, 24, 72 h; one with ЭО/ДОТ), one ПП (256 h), one ПО (160 h)."""
    plans = []
    module_row = 2
    for row, spec in enumerate(_PROGRAMS, start=2):
        (code, name, kind, po_kind, form, distance, standard, qualification, rank, final_form,
         min_attendance, area, ugs, per_day, module_specs) = spec
        modules = []
        topics = {}
        for number, (m_name, m_hours, m_form, m_topics) in enumerate(module_specs, start=1):
            modules.append(Module(code, number, m_name, m_hours, m_form, Source(ORGANIZATION_FILE, _MODULES_SHEET,
                                                                               module_row)))
            topics[number] = m_topics
            module_row += 1
        program = Program(
            code=code, name=name, kind=kind, po_kind=po_kind, hours=sum(m.hours for m in modules),
            study_form=form, distance=distance, prof_standard=standard, qualification=qualification, rank=rank,
            document=codes.DOCUMENT_FOR_KIND[kind], final_form=final_form, min_attendance=min_attendance,
            prof_area=area, ugs=ugs, modules=tuple(modules), src=Source(ORGANIZATION_FILE, _PROGRAMS_SHEET, row),
        )
        final_topics = _FINAL_WORK_TOPICS if final_form == "защита итоговой работы" else ()
        plans.append(ProgramPlan(program, per_day, topics, final_topics))
    return tuple(plans)


# The sample centre's expert commission has approved these periods; every other row is as recommended.
_EK_APPROVED = frozenset({"issue_extract", "testing"})
_EK_NOTE = "Срок утвержден экспертной комиссией (протокол ЭК от 15.01.2025 № 1, учебный пример). "


def nomenclature() -> dict[str, CaseRule]:
    """Give the sample's номенклатура: the recommended row of every case key (pipeline.intake.nomenclature, i.e. the
    registry's own declarations), two of them approved by the sample's ЭК."""
    rules = {}
    for row, (carrier, case) in enumerate(recommended_cases().items(), start=2):
        approved = case.article is not None or carrier in _EK_APPROVED
        rules[carrier] = CaseRule(
            carrier=carrier, case_index=case.index, case_title=case.title,
            retention_years=int(case.retention) if case.retention.isdigit() else None,
            retention_text=case.retention, article=case.article, epk=case.epk, approved=approved,
            note=(_EK_NOTE + case.note) if carrier in _EK_APPROVED else case.note,
            src=Source(ORGANIZATION_FILE, _NOMENCLATURE_SHEET, row), formation=DEFAULT_FORMATION[carrier],
        )
    return rules
