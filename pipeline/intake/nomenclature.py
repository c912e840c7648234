"""The номенклатура дел a new centre starts from (`uchet init`), and what a номенклатура must hold.

Periods come from Перечень 236 where it has an article (orders on the main activity, ст. 19 «а»: kept
permanently, which for an organisation that is not a source of a state archive means «до ликвидации
организации»). The others are not itemised in the Перечень: their periods follow the practice of
educational organisations and are marked «требует решения ЭК», so the centre's expert commission
approves them before anything can be disposed of.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemas import codes

SHEET = "Номенклатура дел"
"""`uchet init` fills this sheet; a workbook whose only records are here is still a blank one."""
APPROVED, OPEN = codes.NOMENCLATURE_STATUS
_ORDERS = ("Приказы по контингенту слушателей подшиваются в дело приказов по основной деятельности "
           "(ст. 19 «а» Перечня 236); «постоянно» для организации, не являющейся источником комплектования "
           "госархива, — до ликвидации организации.")

# carrier, index, title, retention, article (None: not in the Перечень), ЭПК, note
RECOMMENDED: tuple[tuple[str, str, str, str, str | None, bool, str], ...] = (
    ("order_enrolment", "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
     "ст. 19 «а»", False, _ORDERS),
    ("order_commission", "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
     "ст. 19 «а»", False, _ORDERS),
    ("order_graduation", "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
     "ст. 19 «а»", False, _ORDERS),
    ("order_expulsion", "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
     "ст. 19 «а»", False, _ORDERS),
    ("journal", "03-01", "Журналы учета занятий групп (по группам)", "5", None, False,
     "В Перечне 236 не найден; 5 лет — по практике образовательных организаций."),
    ("interim_sheet", "03-02", "Ведомости промежуточной аттестации", "5", None, False,
     "В Перечне 236 не найден; 5 лет — по практике; итоговые результаты хранятся дольше в протоколах."),
    ("protocol", "03-03", "Протоколы заседаний итоговых аттестационных комиссий", "до ликвидации организации",
     None, False, "В Перечне 236 не найден; протоколы подтверждают квалификацию, поэтому предложен долгий срок."),
    ("issue_register", "03-04", "Книга регистрации выданных документов об обучении и о квалификации",
     "до ликвидации организации", None, False,
     "В Перечне 236 не найден; по книге выдаются дубликаты, поэтому предложен самый долгий срок."),
    ("issue_extract", "03-05", "Выписки из книги регистрации выданных документов (по группам)", "5", None, False,
     "В Перечне 236 не найден; копия сведений книги регистрации (подлинник — в деле 03-04)."),
    ("testing", "03-06", "Результаты тестирования с применением ЭО и ДОТ", "5", None, False,
     "В Перечне 236 не найден; срок как у ведомостей, которые они заменяют."),
    ("study_certificate", "03-07", "Копии справок об обучении (о периоде обучения)", "50", None, True,
     "В Перечне 236 не найден; справка подтверждает период обучения — по аналогии с личными делами."),
    ("learner_card", "03-08", "Личные карточки слушателей", "50", None, True,
     "В Перечне 236 не найден; по аналогии с личными делами работников (50 лет ЭПК)."),
    ("order_expert_commission", "01-01", "Приказы директора по основной деятельности", "до ликвидации организации",
     "ст. 19 «а»", False, _ORDERS),
    # [B] Перечень 236 keeps the protocols of an organisation's commissions permanently; the article was not
    # verified here, so the row waits for the ЭК like the others without an article.
    ("expert_protocol", "01-04", "Протоколы заседаний экспертной комиссии", "до ликвидации организации", None, False,
     "Статья Перечня не проверена; протоколы ЭК подтверждают сроки хранения и уничтожение документов — "
     "хранятся до ликвидации организации."),
    ("disposal_act", "01-05", "Акты о выделении к уничтожению документов, не подлежащих хранению",
     "до ликвидации организации", None, False, "Статья Перечня не установлена; акты хранятся постоянно."),
    ("archive_inventory", "01-06", "Описи дел и архивные индексы", "до ликвидации организации", None, False,
     "Статья Перечня не установлена; описи хранятся до ликвидации организации."),
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
