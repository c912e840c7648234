"""Fictional people: learners with valid СНИЛС and staff, with names that stress declension and escaping."""

from __future__ import annotations

import datetime as dt
import random

from pipeline.core.dataset import Learner, Person, Source, Staff
from schemas import LEARNERS_FILE, ORGANIZATION_FILE

_SURNAMES = (
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Федоров Морозов Волков Алексеев "
    "Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев "
    "Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв "
    "Гусев Киселев Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков "
    "Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов "
    "Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев "
    "Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков "
    "Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов "
    "Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров "
    "Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев "
    "Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров "
    "Симонов Прокофьев Харитонов Князев Цветков Лёвин Митрофанов Воронов Аксёнов Мальцев Логинов Горшков "
    "Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Хохлов Жданов Руднев Ёлкин Ершов "
    "Вишневский Островский Покровский Успенский Троицкий Жуковский Толстой Донской Ким Черных Шевчук "
    "Коваленко Седых Римский-Корсаков Петров-Водкин Соколов-Микитов"
).split()

# Male first name -> (patronymic of a son, patronymic of a daughter).
_FATHERS = {
    "Александр": ("Александрович", "Александровна"), "Алексей": ("Алексеевич", "Алексеевна"),
    "Андрей": ("Андреевич", "Андреевна"), "Антон": ("Антонович", "Антоновна"), "Артём": ("Артёмович", "Артёмовна"),
    "Борис": ("Борисович", "Борисовна"), "Вадим": ("Вадимович", "Вадимовна"), "Валерий": ("Валерьевич", "Валерьевна"),
    "Василий": ("Васильевич", "Васильевна"), "Виктор": ("Викторович", "Викторовна"),
    "Владимир": ("Владимирович", "Владимировна"), "Вячеслав": ("Вячеславович", "Вячеславовна"),
    "Геннадий": ("Геннадьевич", "Геннадьевна"), "Георгий": ("Георгиевич", "Георгиевна"),
    "Григорий": ("Григорьевич", "Григорьевна"), "Денис": ("Денисович", "Денисовна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"), "Евгений": ("Евгеньевич", "Евгеньевна"), "Егор": ("Егорович", "Егоровна"),
    "Иван": ("Иванович", "Ивановна"), "Игорь": ("Игоревич", "Игоревна"), "Илья": ("Ильич", "Ильинична"),
    "Кирилл": ("Кириллович", "Кирилловна"), "Константин": ("Константинович", "Константиновна"),
    "Леонид": ("Леонидович", "Леонидовна"), "Максим": ("Максимович", "Максимовна"),
    "Михаил": ("Михайлович", "Михайловна"), "Никита": ("Никитич", "Никитична"), "Николай": ("Николаевич", "Николаевна"),
    "Олег": ("Олегович", "Олеговна"), "Павел": ("Павлович", "Павловна"), "Пётр": ("Петрович", "Петровна"),
    "Роман": ("Романович", "Романовна"), "Семён": ("Семёнович", "Семёновна"), "Сергей": ("Сергеевич", "Сергеевна"),
    "Степан": ("Степанович", "Степановна"), "Тимофей": ("Тимофеевич", "Тимофеевна"),
    "Фёдор": ("Фёдорович", "Фёдоровна"), "Юрий": ("Юрьевич", "Юрьевна"), "Ярослав": ("Ярославович", "Ярославовна"),
}
_MALE_NAMES = tuple(_FATHERS)
_FEMALE_NAMES = (
    "Анна Мария Елена Ольга Татьяна Наталья Ирина Светлана Екатерина Юлия Анастасия Дарья Алёна Ксения Марина "
    "Людмила Галина Надежда Вера Любовь Виктория Полина Софья Евгения Валентина Оксана Елизавета Кристина Алла "
    "Жанна Лариса Яна Нина Зоя Арина"
).split()

_WORKPLACES = (
    "ООО «ЭкоСервис»", "АО «Чистый город»", "ООО «Зеленый контур»", "МУП «Водоканал»", "ООО «ПромЭкоЛаб»",
    "АО «Северная ТЭЦ»", "ООО «Т&К Логистик»", "ГБУ «Природный парк «Лесные дали»»", "ООО «Вторресурс»",
    "АО «Мосочиствод»", "ООО «Агрохолдинг «Заря»»", "ПАО «Химпром-Восток»",
)
_POSITIONS = (
    "инженер-эколог", "эколог", "специалист по охране труда", "начальник участка", "оператор очистных сооружений",
    "главный инженер", "технолог", "мастер участка", "заведующий лабораторией", "специалист по экологической "
    "безопасности",
)
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(), strict=True,
))
_MAIL_DOMAINS = ("example.com", "example.org", "example.net")


def _female_surname(male: str) -> str:
    """«Иванов» -> «Иванова», «Троицкий» -> «Троицкая», «Толстой» -> «Толстая»; «Ким», «Черных» do not change."""
    parts = []
    for part in male.split("-"):
        if part.endswith(("ов", "ев", "ёв", "ин", "ын")):
            part += "а"
        elif part.endswith(("ский", "цкий")):
            part = part[:-2] + "ая"
        elif part.endswith("ой"):
            part = part[:-2] + "ая"
        parts.append(part)
    return "-".join(parts)


def _ascii(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalpha() or ch in "-").replace("-", "")


def format_snils(number: int) -> str:
    """«XXX-XXX-XXX YY» for a 9-digit number, with the ПФР check number (NOTES §6.1)."""
    digits = f"{number:09d}"
    check = sum(int(d) * w for d, w in zip(digits, range(9, 0, -1), strict=True)) % 101
    check = 0 if check == 100 else check
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]} {check:02d}"


def _snils_numbers(rng: random.Random, count: int, leading_zero: int) -> list[int]:
    """Give `count` distinct numbers above 001-001-998 (where the check applies); the first few start with 0."""
    seen: set[int] = set()
    numbers = []
    while len(numbers) < count:
        high = 99_999_999 if len(numbers) < leading_zero else 999_999_999
        n = rng.randint(1_001_999, high)
        text = f"{n:09d}"
        # Three equal digits in a row is something some validators warn about; keep the sample clean.
        if n in seen or any(text[i] == text[i + 1] == text[i + 2] for i in range(7)):
            continue
        seen.add(n)
        numbers.append(n)
    return numbers


# Fixed learners at the head of the list: each exercises a naming edge case in every document.
# surname, name, patronymic, sex, citizenship, surname in the education document
_FIXED = (
    ("Ёлкина", "Алёна", "Фёдоровна", "Жен", "643", None),
    ("Римский-Корсаков", "Николай", "Андреевич", "Муж", "643", None),
    ("д'Артаньян", "Шарль", None, "Муж", "250", None),
    ("Гусейнов", "Эльдар", "Рамиз оглы", "Муж", "031", None),
    ("Королёва", "Дарья", "Семёновна", "Жен", "643", "Лебедева"),
    ("Ким", "Ольга", "Викторовна", "Жен", "398", None),
    ("Петрова-Водкина", "Ксения", "Петровна", "Жен", "643", None),
    ("Семёнов", "Пётр", "Ильич", "Муж", "643", None),
)


def _education(rng: random.Random, birth: dt.date) -> tuple[str, str, str]:
    """Give (level, series, number) of a ВО/СПО diploma; older diplomas have letter series."""
    higher = rng.random() < 0.65
    level = "Высшее образование" if higher else "Среднее профессиональное образование"
    number = f"{rng.randrange(10**7):07d}"
    if birth.year < 1990:
        series = rng.choice(("ВСГ", "ВСА", "ДВС", "ВСБ") if higher else ("СБ", "АК", "СТ"))
    else:
        series = rng.choice(("10", "11", "13", "77", "02", "05")) + f"{rng.randrange(10**4):04d}"
    return level, series, number


def learners(rng: random.Random, count: int) -> dict[str, Learner]:
    """Give `count` learners keyed by id («00001»…); the first ones carry the naming edge cases."""
    snils = _snils_numbers(rng, count, leading_zero=min(count, 5))
    out: dict[str, Learner] = {}
    for i in range(count):
        if i < len(_FIXED):
            surname, name, patronymic, sex, citizenship, edu_surname = _FIXED[i]
        else:
            sex = rng.choice(("Муж", "Жен"))
            male_surname = rng.choice(_SURNAMES)
            father = _FATHERS[rng.choice(_MALE_NAMES)]
            citizenship, edu_surname = "643", None
            if sex == "Муж":
                surname, name, patronymic = male_surname, rng.choice(_MALE_NAMES), father[0]
            else:
                surname, name, patronymic = _female_surname(male_surname), rng.choice(_FEMALE_NAMES), father[1]
                if rng.random() < 0.06:
                    edu_surname = _female_surname(rng.choice(_SURNAMES))
                    edu_surname = None if edu_surname == surname else edu_surname
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(38 * 365))
        level, series, number = _education(rng, birth)
        working = rng.random() < 0.9
        learner_id = f"{i + 1:05d}"
        mail = f"{_ascii(surname)}.{_ascii(name)[:1]}{rng.randrange(10, 100)}@{rng.choice(_MAIL_DOMAINS)}"
        out[learner_id] = Learner(
            id=learner_id,
            person=Person(surname, name, patronymic, sex),
            birth_date=birth,
            snils=format_snils(snils[i]),
            citizenship=citizenship,
            education_level=level,
            edu_surname=edu_surname,
            edu_series=series,
            edu_number=number,
            workplace=rng.choice(_WORKPLACES) if working else None,
            position=rng.choice(_POSITIONS) if working else None,
            phone=f"+7 9{rng.randrange(10, 100)} {rng.randrange(100, 1000)}-{rng.randrange(100):02d}-"
            f"{rng.randrange(100):02d}",
            email=mail,
            src=Source(LEARNERS_FILE, "Слушатели", i + 2),
        )
    return out


# id, surname, name, patronymic, sex, position
_STAFF_FIXED = (
    ("0001", "Соколова", "Ирина", "Владимировна", "Жен", "Директор"),
    ("0002", "Беляев", "Андрей", "Петрович", "Муж", "Заместитель директора по учебной работе"),
    ("0003", "Ёжикова", "Марина", "Сергеевна", "Жен", "Методист"),
    ("0004", "Орлов-Давыдов", "Кирилл", "Олегович", "Муж", "Методист"),
    ("0005", "Громова", "Наталья", "Юрьевна", "Жен",
     "Главный эколог АО «Чистый город» (председатель аттестационной комиссии по договору)"),
    ("0006", "Лазарев", "Виктор", "Степанович", "Муж",
     "Начальник очистных сооружений МУП «Водоканал» (председатель аттестационной комиссии по договору)"),
)
HEAD_ID = "0001"
DEPUTY_ID = "0002"
RECORDS_ID = DEPUTY_ID  # «Ответственный за учет»: the deputy for studies keeps the records
METHODIST_IDS = ("0003", "0004")
CHAIR_IDS = ("0005", "0006")


def staff(rng: random.Random, teachers: int) -> tuple[dict[str, Staff], tuple[str, ...]]:
    """Give the staff keyed by табельный № and the ids of the teachers among them."""
    rows = list(_STAFF_FIXED)
    teacher_ids = []
    for i in range(teachers):
        sex = rng.choice(("Муж", "Жен"))
        father = _FATHERS[rng.choice(_MALE_NAMES)]
        male_surname = rng.choice(_SURNAMES)
        if sex == "Муж":
            person = (male_surname, rng.choice(_MALE_NAMES), father[0])
        else:
            person = (_female_surname(male_surname), rng.choice(_FEMALE_NAMES), father[1])
        staff_id = f"{len(_STAFF_FIXED) + i + 1:04d}"
        position = rng.choice(("Преподаватель", "Старший преподаватель", "Преподаватель-эколог"))
        rows.append((staff_id, *person, sex, position))
        teacher_ids.append(staff_id)
    out = {
        sid: Staff(sid, Person(surname, name, patronymic, sex), position, Source(ORGANIZATION_FILE, "Сотрудники", row))
        for row, (sid, surname, name, patronymic, sex, position) in enumerate(rows, start=2)
    }
    return out, tuple(teacher_ids)
