"""A one-off tool: draft a new template from the ГОСТ building blocks in gost.py.

The .docx files in templates_docx/ are the only source of the templates: staff edit them in Word, and
nothing in `make`, `make test` or CI regenerates them. This script only writes a template that does not
exist yet (`make template-new NAME=order_enrolment`: a new carrier's first draft, or a deleted one's
default); it refuses to touch an existing file, so an edit made in Word is never lost. Once written,
the .docx is edited like any other and this script is not run for it again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import gost as g
from learner_card import learner_card
from paper import PAPERS
from qualification import TEMPLATES as QUALIFICATION_TEMPLATES

from pipeline.carriers.journal import GRID_COLUMNS, RESULT_COLUMNS

OUT = Path(__file__).resolve().parents[1]
W = g.PORTRAIT_WIDTH_MM
WL = g.LANDSCAPE_WIDTH_MM


def _new_order(title: str, heading: str, preamble: str):
    """An order up to «ПРИКАЗЫВАЮ:»: the head, the heading, the preamble with its grounds."""
    doc = g.new_document(title)
    g.document_head(doc, "ПРИКАЗ", dated=True)
    g.heading(doc, heading)
    g.para(doc, preamble)
    g.order_word(doc)
    return doc


def _order_roster(doc, *, others: bool = False) -> None:
    """A commission's composition in an order, «роль — Фамилия Имя Отчество, должность;» a line each:
    the chair, the members under «члены комиссии:», any other roles, the secretary's line ending the list."""
    role_line = "{{ m.role }} — {{ m.name }}, {{ m.position }};"
    g.each(doc, "m in chair", role_line, keep_next=True)
    g.titled_list(doc, "члены комиссии:", "m in members", "{{ m.name }}, {{ m.position }};", keep_next=True)
    if others:
        g.each(doc, "m in others", role_line)
    g.each(doc, "m in secretary", "{{ m.role|lower }} — {{ m.name }}, {{ m.position }}.")


def _order_foot(doc) -> None:
    """After the signature: «С приказом ознакомлены» and the отметка об исполнителе (ГОСТ Р 7.0.97)."""
    g.acquaintance_block(doc)
    g.executor_mark(doc)


def _closing_item(doc, text: str) -> None:
    """The last item stays on the signature's page: a page never holds the signature alone."""
    g.item(doc, text, keep_next=True)
    g.spacer(doc, 12, keep_next=True)
    g.signature_block(doc, position="{{ signer.position }}", name="{{ signer.name }}")


def _appendix_mark(doc, to: str = "к приказу {{ org.short_name }}") -> None:
    g.para(doc, "Приложение", "Appendix Mark")
    g.para(doc, to, "Appendix Mark")
    g.para(doc, "от {{ doc_date_short }} № {{ doc_number }}", "Appendix Mark")


def _list_if_any(doc, title: str, loop: str, heads: list[str], cells: list[str], widths_mm: list[float]) -> None:
    """A titled list in an order's appendix (graduates, those who failed), left out with its title when it is
    empty; the number, the blank's and the registration columns are centred."""
    g.tag(doc, f"{{%p if {g.loop_items(loop)} %}}")
    g.heading(doc, title, "Centered Heading")
    g.data_table(doc, heads, cells, widths_mm, loop, center=(0, 2, 3))
    g.tag(doc, "{%p endif %}")


def _tables_by_column_count(doc, max_cols: int, marks: str, widths_mm) -> None:
    """One table per column count inside a «c in …» loop: a part shows the one with exactly its columns,
    so no table carries empty columns. `marks` names the row's list of marks, `widths_mm(cols)` the widths."""
    for cols in range(1, max_cols + 1):
        g.tag(doc, f"{{%p if c.size == '{cols}' %}}")
        g.data_table(doc, ["№", "Фамилия, инициалы"] + [f"{{{{ c.heads[{i}] }}}}" for i in range(cols)],
                     ["{{ r.n }}", "{{ r.name }}"] + [f"{{{{ r.{marks}[{i}] }}}}" for i in range(cols)],
                     widths_mm(cols), "r in c.rows", small=True, center=tuple(range(2, cols + 2)) + (0,))
        g.tag(doc, "{%p endif %}")


def _bound(doc, text: str, width_mm: float = W, dated: bool = False) -> None:
    """The закрепительная надпись of a bound book: sheets counted by hand, the keeper's signature, seal."""
    g.spacer(doc, 18)
    g.para(doc, text, "Body Plain", keep_next=True)
    g.signature_block(doc, position="{{ keeper.position }}", name="{{ keeper.name }}", width_mm=width_mm)
    if dated:
        g.para(doc, "Дата «____» ______________ 20___ г.", "Body Plain")
    g.para(doc, "М. П.", "Note")


def order_enrolment():
    doc = _new_order("Приказ о зачислении",
                     "О зачислении на обучение по {{ program.title_dative }}",
                     "В соответствии с нормативными правовыми актами ({{ legal_basis }}), на основании заявлений и договоров об образовании,")
    g.item(doc, "1. Зачислить с {{ group.start_long }} в группу № {{ group.number }} на обучение по "
                "{{ program.title_dative }} (объем {{ program.hours_text }}, форма обучения "
                "{{ program.study_form }}, срок обучения {{ group.period }}) слушателей согласно списку "
                "(приложение), всего {{ learners_count }}.")
    g.item(doc, "2. Назначить куратором группы № {{ group.number }} {{ curator_accusative }} "
                "({{ group.curator_position }}).")
    _closing_item(doc, "3. Контроль за исполнением приказа оставляю за собой.")
    _order_foot(doc)
    g.page_break(doc)
    _appendix_mark(doc)
    g.heading(doc, "Список слушателей группы № {{ group.number }}", "Centered Heading")
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Дата рождения", "Основание", "Источник финансирования"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.birth_date }}", "{{ r.contract }}", "{{ r.funding }}"],
                 [10, 54, 24, 44, 38], "r in learners", center=(0, 2))
    return doc


def order_commission():
    doc = _new_order("Приказ об утверждении состава аттестационной комиссии",
                     "Об утверждении состава итоговой аттестационной комиссии",
                     "В соответствии с нормативными правовыми актами ({{ legal_basis }}), в целях проведения итоговой аттестации слушателей группы "
                     "№ {{ group.number }}, обучающихся по {{ program.title_dative }} ({{ program.hours_text }}, "
                     "{{ group.period }}),")
    g.item(doc, "1. Утвердить итоговую аттестационную комиссию для группы № {{ group.number }} в составе:",
           keep_next=True)
    _order_roster(doc, others=True)
    g.spacer(doc)
    g.item(doc, "2. Комиссии провести итоговую аттестацию слушателей группы № {{ group.number }}: форма итоговой "
                "аттестации — {{ program.final_form }}; дата — {{ final_date }}; результаты итоговой аттестации "
                "оформить протоколом.")
    _closing_item(doc, "3. Контроль за исполнением приказа оставляю за собой.")
    _order_foot(doc)
    return doc


def order_graduation():
    doc = _new_order("Приказ об окончании обучения и отчислении",
                     "Об окончании обучения и отчислении слушателей группы № {{ group.number }}",
                     "В связи с завершением обучения по {{ program.title_dative }} ({{ program.hours_text }}, "
                     "{{ group.period }}), в соответствии с нормативными правовыми актами ({{ legal_basis }}), на основании "
                     "протокола заседания итоговой аттестационной комиссии от {{ protocol_date }} №\u00a0{{ protocol_number }}")
    # The lists go to the appendix, so the order's text and its signature stay on one page however
    # large the group: a page never holds the signature alone.
    g.tag(doc, "{%p if graduates %}")
    g.item(doc, "1. Отчислить с {{ doc_date }} в связи с получением образования (завершением обучения) (пункт 1 "
                "части 1 статьи 61 Федерального закона от 29.12.2012 № 273-ФЗ «Об образовании в Российской "
                "Федерации») {{ graduates_whom }} группы № {{ group.number }}, успешно {{ graduates_passed }} итоговую "
                "аттестацию, {% if assigns %}{{ assigns }}, {% endif %}и выдать {{ document_plural }} согласно "
                "{{ graduates_list }} (приложение).")
    g.tag(doc, "{%p endif %}")
    g.tag(doc, "{%p if failed %}")
    g.item(doc, "{{ failed_item }}. Отчислить с {{ doc_date }} {{ failed_whom }} группы № {{ group.number }}, "
                "{{ failed_passed }} итоговую аттестацию, по инициативе организации в связи с невыполнением обязанностей "
                "по добросовестному освоению образовательной программы (пункт 2 части 2 статьи 61 Федерального закона "
                "от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации») и выдать {{ failed_document }} "
                "(часть 12 статьи 60 того же Федерального закона) согласно {{ failed_list }} (приложение).")
    g.tag(doc, "{%p endif %}")
    _closing_item(doc, "{{ control_item }}. Контроль за исполнением приказа оставляю за собой.")
    _order_foot(doc)
    g.page_break(doc)
    _appendix_mark(doc)
    _list_if_any(doc, "{{ graduates_list_title }}Слушатели группы № {{ group.number }}, успешно прошедшие "
                      "итоговую аттестацию", "r in graduates",
                 ["№ п/п", "Фамилия, имя, отчество", "Серия и номер бланка", "Рег. №"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.document }}", "{{ r.reg_no }}"], [12, 88, 40, 30])
    _list_if_any(doc, "{{ failed_list_title }}Слушатели группы № {{ group.number }}, не прошедшие итоговую "
                      "аттестацию", "r in failed",
                 ["№ п/п", "Фамилия, имя, отчество", "Результат итоговой аттестации", "Рег. № справки"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.result }}", "{{ r.reg_no }}"], [12, 78, 50, 30])
    return doc


def order_expulsion():
    doc = _new_order("Приказ об отчислении",
                     "Об отчислении {{ whom }} группы № {{ group.number }}",
                     "В соответствии с нормативными правовыми актами ({{ legal_basis }}), на основании {{ article_61 }} "
                     "Федерального закона от 29.12.2012 № 273-ФЗ {{ grounds }},")
    g.item(doc, "1. Отчислить досрочно {{ whom }} группы № {{ group.number }}, {{ studying }} по "
                "{{ program.title_dative }} ({{ group.period }}), согласно списку:", keep_next=True)
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Дата отчисления", "Причина и основание"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.date }}", "{{ r.reason }}"],
                 [12, 64, 28, 66], "r in learners", center=(0, 2), keep_last=True)
    g.spacer(doc)
    g.item(doc, "2. Выдать {{ issue_to }} {{ certificate }} (о периоде обучения) в соответствии с частью 12 "
                "статьи 60 Федерального закона от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации».",
           keep_next=True)
    _closing_item(doc, "3. Контроль за исполнением приказа оставляю за собой.")
    _order_foot(doc)
    return doc


def journal():
    doc = g.new_document("Журнал учета занятий")
    g.org_header(doc)
    g.para(doc, "ЖУРНАЛ", "Title Big")
    g.para(doc, "учета занятий", "Centered Heading")
    g.spacer(doc, 24)
    g.key_values(doc, [
        ["Группа №", "{{ group.number }}"],
        ["Программа", "{{ program.title }}"],
        ["Вид программы", "{{ program.kind_title }}"],
        ["Объем", "{{ program.hours_text }}"],
        ["Форма обучения", "{{ program.study_form }}"],
        ["Срок обучения", "{{ group.period }}"],
        ["Приказ о зачислении", "{{ enrolment_order }}"],
        ["Куратор группы", "{{ group.curator }}"],
    ], 50)
    g.spacer(doc, 24)
    g.para(doc, "Начат: {{ started }}", "Body Plain")
    g.para(doc, "Окончен: {{ finished }}", "Body Plain")
    _bound(doc, "Пронумеровано и прошнуровано ____ листов")
    g.page_break(doc)
    g.heading(doc, "1. Список слушателей", "Centered Heading")
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Договор об образовании", "Отчислен досрочно (дата, приказ)"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.contract }}", "{{ r.expelled }}"],
                 [12, 70, 44, 44], "r in learners", center=(0,))
    g.new_section(doc, landscape=True)
    g.heading(doc, "2. Учет посещаемости занятий", "Centered Heading")
    g.tag(doc, "{%p for c in grid %}")
    g.para(doc, "{{ c.title }}", "Body Plain")
    _tables_by_column_count(doc, GRID_COLUMNS, "m", lambda cols: [8, 57] + [12] * cols)
    g.page_break_unless_last(doc)
    g.tag(doc, "{%p endfor %}")
    g.tag(doc, "{%p if not grid %}")
    g.para(doc, "Занятия еще не проводились.", "Body Plain")
    g.tag(doc, "{%p endif %}")
    g.spacer(doc)
    g.para(doc, "Условные обозначения: {% for x in legend %}{{ x.mark }} — {{ x.meaning }}"
                "{% if not loop.last %}; {% endif %}{% endfor %}.", "Note")
    g.page_break(doc)
    g.heading(doc, "3. Учет проведенных занятий", "Centered Heading")
    g.data_table(doc, ["№", "Дата", "Часы", "Модуль", "Тема занятия", "Вид занятия", "Преподаватель", "Подпись"],
                 ["{{ x.n }}", "{{ x.date }}", "{{ x.hours }}", "{{ x.module }}", "{{ x.topic }}", "{{ x.kind }}",
                  "{{ x.teacher }}", ""],
                 [10, 28, 16, 20, 81, 38, 40, 24], "x in lessons", center=(0, 1, 2, 3))
    g.spacer(doc)
    g.para(doc, "Всего проведено: {{ hours_conducted }}.", "Body Plain")
    g.page_break(doc)
    g.heading(doc, "4. Пропущено часов", "Centered Heading")
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Пропущено часов, всего",
                       "из них по болезни и уважительной причине"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.missed }}", "{{ r.excused }}"],
                 [12, 105, 60, 60], "r in missed", center=(0, 2, 3))
    g.page_break(doc)
    g.heading(doc, "5. Результаты промежуточной аттестации", "Centered Heading")
    g.tag(doc, "{%p for c in results %}")
    _tables_by_column_count(doc, RESULT_COLUMNS, "r", lambda cols: [10, 70] + [min(30, (WL - 80) / cols)] * cols)
    g.spacer(doc)
    g.tag(doc, "{%p endfor %}")
    g.tag(doc, "{%p if not results %}")
    g.para(doc, "Промежуточная аттестация еще не проводилась.", "Body Plain")
    g.tag(doc, "{%p endif %}")
    g.para(doc, "Модули программы:", "Note", keep_next=True)
    g.each(doc, "m in modules", "Модуль {{ m.number }} — {{ m.name }} ({{ m.about }})", "Note")
    g.para(doc, "Оценки: {% for x in grades %}{{ x.mark }} — {{ x.meaning }}; {% endfor %}зачтено / не зачтено.", "Note")
    g.page_break(doc)
    g.heading(doc, "6. Результаты итоговой аттестации", "Centered Heading")
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Дата", "Результат", "Протокол"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.date }}", "{{ r.result }}", "{{ r.protocol }}"],
                 [12, 105, 35, 60, 45], "r in final", center=(0, 2, 3, 4))
    g.heading(doc, "Отметки о проверке журнала", "Centered Heading")
    g.static_table(doc, [["Дата проверки", "Замечания", "Должность, подпись проверяющего"]] + [["", "", ""]] * 4,
                   [40, 140, 77], header=True)
    return doc


def interim_sheet():
    doc = g.new_document("Ведомость промежуточной аттестации")
    g.document_head(doc, "ВЕДОМОСТЬ", "промежуточной аттестации № {{ doc_number }}")
    g.key_values(doc, [
        ["Программа", "{{ program.title }} ({{ program.hours_text }})"],
        ["Группа №", "{{ group.number }}"],
        ["Модуль", "{{ module.number }}. {{ module.name }} ({{ module.hours_text }})"],
        ["Форма аттестации", "{{ module.form }}"],
        ["Дата", "{{ doc_date }}"],
        ["Экзаменатор", "{{ examiner.full_name }}, {{ examiner.position_text }}"],
    ], 45)
    g.spacer(doc)
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Оценка", "Подпись экзаменатора"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.result }}", ""], [12, 78, 50, 30], "r in rows", center=(0, 2))
    g.spacer(doc)
    g.para(doc, "Аттестовано: {{ totals.attested }}; не аттестовано: {{ totals.not_attested }}; "
                "не явились: {{ totals.absent }}.", "Body Plain")
    g.spacer(doc, 12)
    g.signature_block(doc, position="Экзаменатор", name="{{ examiner.name }}")
    return doc


def protocol():
    doc = g.new_document("Протокол заседания аттестационной комиссии")
    g.document_head(doc, "ПРОТОКОЛ", "заседания итоговой аттестационной комиссии", dated=True)
    g.each(doc, "s in chair", "{{ s.role }} — {{ s.name }}, {{ s.position }}")
    g.titled_list(doc, "Члены комиссии:", "s in members", "{{ s.name }}, {{ s.position }}")
    g.each(doc, "s in secretary", "Секретарь — {{ s.name }}, {{ s.position }}")
    g.para(doc, "Состав комиссии утвержден приказом {{ appointed_by }}.", "Body Plain")
    g.para(doc, "ПОВЕСТКА ДНЯ:", "Order Word")
    g.item(doc, "Итоговая аттестация слушателей группы № {{ group.number }}, обучавшихся {{ group.period }} по "
                "{{ program.title_dative }} (объем {{ program.hours_text }}, форма обучения {{ program.study_form }}). "
                "Форма итоговой аттестации: {{ program.final_form }}. Аттестацию {{ present_verb }} {{ present }}"
                "{% if absent %}; {{ absent_verb }}: {{ absent }}{% endif %}.")
    g.para(doc, "Результаты итоговой аттестации:", "Body Plain", keep_next=True)
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество", "Результат"],
                 ["{{ r.n }}", "{{ r.name }}{% if r.topic %}\nТема работы: {{ r.topic }}{% endif %}",
                  "{{ r.result }}"], [12, 103, 55], "r in rows", center=(0, 2), keep_last=True)
    g.para(doc, "РЕШИЛИ:", "Order Word")
    g.tag(doc, "{%p if pass_decision %}")
    g.item(doc, "1. {{ pass_decision }}", keep_next=True)
    g.tag(doc, "{%p endif %}")
    g.tag(doc, "{%p if fail_decision %}")
    g.item(doc, "{% if pass_decision %}2{% else %}1{% endif %}. {{ fail_decision }}", keep_next=True)
    g.tag(doc, "{%p endif %}")
    g.item(doc, "Прошли итоговую аттестацию: {{ passed }}; не прошли: {{ failed }}.", keep_next=True)
    g.spacer(doc, 12, keep_next=True)
    g.signature_block(doc, "s in signers", position="{{ s.role }}", name="{{ s.name }}")
    return doc


def order_expert_commission():
    doc = _new_order("Приказ о создании экспертной комиссии",
                     "О создании экспертной комиссии",
                     "В соответствии с {{ basis }}, в целях организации и проведения экспертизы ценности документов, "
                     "отбора их на хранение и к уничтожению,")
    g.item(doc, "1. Создать постоянно действующую экспертную комиссию (ЭК) в составе:", keep_next=True)
    _order_roster(doc)
    g.spacer(doc)
    g.item(doc, "2. Экспертной комиссии ежегодно проводить экспертизу ценности документов; рассматривать номенклатуру "
                "дел, описи дел и акты о выделении к уничтожению документов, не подлежащих хранению; предлагать сроки "
                "хранения документов, не установленные перечнем. Решения комиссии оформлять протоколами, которые "
                "подписывают председатель и секретарь комиссии.")
    g.item(doc, "3. Документы уничтожать только по акту, согласованному экспертной комиссией и утвержденному "
                "руководителем организации.")
    g.tag(doc, "{%p if replaces %}")
    g.item(doc, "4. Признать утратившим силу приказ {{ replaces }} о составе экспертной комиссии.")
    g.tag(doc, "{%p endif %}")
    _closing_item(doc, "{% if replaces %}5{% else %}4{% endif %}. Контроль за исполнением приказа оставляю за собой.")
    _order_foot(doc)
    return doc


def expert_protocol():
    doc = g.new_document("Протокол заседания экспертной комиссии")
    g.document_head(doc, "ПРОТОКОЛ", "заседания экспертной комиссии", dated=True)
    g.each(doc, "s in chair", "Председатель — {{ s.name }}, {{ s.position }}")
    g.each(doc, "s in secretary", "Секретарь — {{ s.name }}, {{ s.position }}")
    g.titled_list(doc, "Присутствовали:", "s in present", "{{ s.name }}, {{ s.position }}")
    g.para(doc, "Состав комиссии утвержден приказом {{ appointed_by }}.", "Body Plain")
    g.para(doc, "ПОВЕСТКА ДНЯ:", "Order Word")
    g.tag(doc, "{%p for a in agenda %}")
    g.item(doc, "{{ a.n }}. {{ a.text }}")
    g.tag(doc, "{%p endfor %}")
    g.tag(doc, "{%p for a in agenda %}")
    g.item(doc, "{{ a.n }}. СЛУШАЛИ: {{ a.heard }}", keep_next=True)
    # every «РЕШИЛИ» keeps with what follows: the last one with the signatures (never a lone signature)
    g.item(doc, "РЕШИЛИ: {{ a.decision }}", keep_next=True)
    g.tag(doc, "{%p endfor %}")
    g.spacer(doc, 12, keep_next=True)
    g.signature_block(doc, "s in signers", position="{{ s.role }}", name="{{ s.name }}")
    g.tag(doc, "{%p if periods %}")
    g.page_break(doc)
    _appendix_mark(doc, "к протоколу заседания экспертной комиссии")
    g.heading(doc, "Сроки хранения дел, утвержденные экспертной комиссией", "Centered Heading")
    g.data_table(doc, ["Индекс дела", "Заголовок дела", "Срок хранения", "Примечание"],
                 ["{{ r.index }}", "{{ r.title }}", "{{ r.retention }}", "{{ r.note }}"],
                 [20, 55, 35, 60], "r in periods", center=(0,))
    # The appendix is part of the signed протокол (no second signature: a repeated signature table inside
    # the condition would also cost the template its fast rendering path).
    g.tag(doc, "{%p endif %}")
    return doc


_REGISTER_HEADS = ["Рег. №", "Вид документа", "Серия, номер бланка", "Дата выдачи", "Фамилия, имя, отчество",
                   "Программа, группа", "Объем, ч", "Протокол ИАК", "Приказ об отчислении"]
_REGISTER_CELLS = ["{{ r.reg_no }}", "{{ r.document }}", "{{ r.series_number }}", "{{ r.date }}", "{{ r.name }}",
                   "{{ r.program }}, {{ r.group }}", "{{ r.hours }}", "{{ r.protocol }}", "{{ r.order }}"]


def issue_register():
    doc = g.new_document("Журнал регистрации выданных документов", landscape=True)
    g.org_header(doc)
    g.spacer(doc, 36)
    g.para(doc, "ЖУРНАЛ", "Title Big")
    g.para(doc, "регистрации выданных документов об обучении и о квалификации", "Centered Heading")
    g.para(doc, "за {{ year }} год", "Centered Heading")
    g.spacer(doc, 36)
    g.para(doc, "Начат: {{ first_date }}", "Body Plain")
    g.para(doc, "Окончен: {{ last_date }}", "Body Plain")
    g.para(doc, "Всего записей: {{ total }}", "Body Plain")
    g.page_break(doc)
    # The recipient signs by hand: the signature columns stay blank; the way of receipt has its own column.
    # The program's volume shares its column (a column of its own squeezed «профессиональной» to a split).
    heads = [h for h in _REGISTER_HEADS if h != "Объем, ч"]
    heads[heads.index("Программа, группа")] = "Программа, объем, группа"
    cells = [c for c in _REGISTER_CELLS if c != "{{ r.hours }}"]
    cells[cells.index("{{ r.program }}, {{ r.group }}")] = "{{ r.program }}, {{ r.hours }}\u00a0ч, {{ r.group }}"
    g.data_table(doc, heads + ["Способ получения", "Подпись выдавшего", "Подпись получателя"],
                         cells + ["{{ r.receipt }}", "", ""],
                         [19, 31, 17, 19, 27, 34, 19, 23, 24, 22, 22], "r in rows", small=True,
                         center=(0, 2, 3, 8), narrow=True)
    _bound(doc, "В журнале пронумеровано и прошнуровано ____ листов", width_mm=WL * 0.7, dated=True)
    return doc


def issue_extract():
    doc = g.new_document("Выписка из журнала регистрации выданных документов", landscape=True)
    g.document_head(doc, "ВЫПИСКА", "из журнала регистрации выданных документов об обучении и о квалификации")
    g.para(doc, "Группа № {{ group.number }}, {{ program.title_in_text }}, {{ group.period }}", "Place")
    # The volume in the unit legal text uses (ак. ч), as on the справка.
    heads = [("Объем, ак. ч" if h == "Объем, ч" else h) for h in _REGISTER_HEADS]
    g.data_table(doc, heads + ["Способ получения"], _REGISTER_CELLS + ["{{ r.receipt }}"],
                 [20, 33, 21, 20, 36, 35, 16, 21, 23, 32], "r in rows", small=True, center=(0, 2, 3, 6))
    g.spacer(doc, 6)
    # The closing lines travel with the signature: its page always holds the count and the attestation.
    g.para(doc, "Всего записей в выписке: {{ rows|length }}.", "Body Plain", keep_next=True)
    g.para(doc, "Выписка верна. {{ doc_date }}", "Body Plain", keep_next=True)
    g.spacer(doc, 6, keep_next=True)
    g.signature_block(doc, position="{{ signer.position }}", name="{{ signer.name }}", width_mm=WL * 0.7)
    g.para(doc, "М. П.", "Note")
    return doc


def testing():
    doc = g.new_document("Результаты тестирования")
    g.document_head(doc, "РЕЗУЛЬТАТЫ ТЕСТИРОВАНИЯ",
                    "с применением электронного обучения и дистанционных образовательных технологий")
    g.key_values(doc, [
        ["Программа", "{{ program.title }} ({{ program.hours_text }})"],
        ["Группа №", "{{ group.number }}, {{ group.period }}"],
    ], 40)
    g.spacer(doc)
    g.data_table(doc, ["№ п/п", "Слушатель", "Тест", "Дата", "Баллы", "Проходной балл", "Результат"],
                         ["{{ r.n }}", "{{ r.name }}", "{{ r.test }}", "{{ r.date }}", "{{ r.score }}",
                          "{{ r.threshold }}", "{{ r.result }}"], [10, 29, 42, 24, 22, 22, 21], "r in rows",
                         small=True, center=(0, 3, 4, 5, 6), tail="t in tail", narrow=True)
    g.spacer(doc, keep_next=True)
    g.para(doc, "{{ summary }} {{ source_note }}", "Body Plain", keep_next=True)
    g.spacer(doc, 12, keep_next=True)
    g.signature_block(doc, position="{{ signer.position }}", name="{{ signer.name }}")
    return doc


def study_certificate():
    doc = g.new_document("Справка об обучении")
    g.document_head(doc, "СПРАВКА", "об обучении (о периоде обучения)", address=True, dated=True)
    g.para(doc, "Выдана {{ learner.dative }}, {{ learner.birth_date }} года рождения, в том, что {{ learner.pronoun }} "
                "{{ learner.studied }} в {{ org.short_name }} {{ period }} по {{ program.title_dative }} "
                "(объем программы {{ program.hours_text }}, форма обучения {{ program.study_form }}) в группе "
                "№ {{ group.number }}. За период обучения посещено {{ hours_attended }} учебных занятий.")
    g.tag(doc, "{%p if modules %}")
    g.para(doc, "Результаты промежуточной аттестации:", "Body Plain", keep_next=True)
    g.data_table(doc, ["№ п/п", "Наименование модуля", "Объем, ак. ч", "Результат"],
                 ["{{ m.n }}", "{{ m.name }}", "{{ m.hours }}", "{{ m.result }}"], [12, 88, 20, 50], "m in modules",
                 center=(0, 2))
    g.spacer(doc)
    g.tag(doc, "{%p endif %}")
    g.para(doc, "{{ reason }}")
    g.para(doc, "Справка выдана в соответствии с частью 12 статьи 60 Федерального закона от 29.12.2012 № 273-ФЗ "
                "«Об образовании в Российской Федерации».")
    g.spacer(doc, 12)
    g.signature_block(doc, position="{{ signer.position }}", name="{{ signer.name }}")
    g.para(doc, "М. П.", "Note")
    return doc


TEMPLATES = {
    "issue_register": issue_register,
    "issue_extract": issue_extract,
    "testing": testing,
    "study_certificate": study_certificate,
    "interim_sheet": interim_sheet,
    "protocol": protocol,
    "journal": journal,
    "order_enrolment": order_enrolment,
    "order_commission": order_commission,
    "order_graduation": order_graduation,
    "order_expulsion": order_expulsion,
    "order_expert_commission": order_expert_commission,
    "expert_protocol": expert_protocol,
    "learner_card": learner_card,
    **QUALIFICATION_TEMPLATES,
    **PAPERS,
}


def write_missing(names: list[str], out: Path) -> int:
    """Write each named template that is missing from `out`; give 0, or 1 when one exists or is unknown."""
    refused = 0
    for name in names:
        target = out / f"{name}.docx"
        if name not in TEMPLATES:
            print(f"Нет заготовки «{name}». Известные: {', '.join(sorted(TEMPLATES))}.", file=sys.stderr)
            refused += 1
        elif target.exists():
            print(f"Шаблон «{target}» уже есть и не перезаписан: его правят в Word. Чтобы начать заново, "
                  f"сначала удалите или переименуйте файл.", file=sys.stderr)
            refused += 1
        else:
            g.save(TEMPLATES[name](), target)
            print(f"Записан новый шаблон: {target}")
    return 1 if refused else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="template names, e.g. order_enrolment")
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write into (default templates_docx/)")
    parser.add_argument("--missing", action="store_true", help="write every known template that is missing")
    args = parser.parse_args(argv)
    if args.missing:
        names = [n for n in TEMPLATES if not (args.out / f"{n}.docx").exists()]
    elif args.names:
        names = args.names
    else:
        parser.error("name a template (NAME) or give --missing")
    return write_missing(names, args.out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
