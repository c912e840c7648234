"""The first draft of templates_docx/learner_card.docx (Личная карточка слушателя), from gost.py's blocks.

Written only when missing, by make_templates.py (`make template-new NAME=learner_card`). A card holds the person's data, then one block
per program (key/value table and the modules' results), then the dynamics table across programs.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gost as g  # noqa: E402

W = g.PORTRAIT_WIDTH_MM


def learner_card():
    doc = g.new_document("Личная карточка слушателя")
    g.org_header(doc)
    g.kind_line(doc, "ЛИЧНАЯ КАРТОЧКА СЛУШАТЕЛЯ")
    g.para(doc, "ID слушателя {{ learner.id }}", "Place")
    g.heading(doc, "1. Сведения о слушателе")
    g.key_values(doc, [
        ["Фамилия, имя, отчество", "{{ learner.full_name }}"],
        ["Дата рождения", "{{ learner.birth_date }}"],
        ["Пол", "{{ learner.sex }}"],
        ["СНИЛС", "{{ learner.snils }}"],
        ["Гражданство", "{{ learner.citizenship }}"],
        ["Уровень образования", "{{ learner.education_level }}"],
        ["Документ об образовании", "{{ learner.education_document }}"],
        ["Место работы, должность", "{{ learner.work }}"],
        ["Контакты", "{{ learner.contacts }}"],
    ], 55, style="Table Text", bordered=True)
    g.heading(doc, "2. Обучение")
    g.tag(doc, "{%p for p in programs %}")
    g.para(doc, "2.{{ p.n }}. {{ p.title }}", "Doc Heading")
    g.key_values(doc, [
        ["Группа", "{{ p.group }}"],
        ["Сроки обучения", "{{ p.period }}"],
        ["Объем программы", "{{ p.hours }}"],
        ["Зачисление", "{{ p.enrolment }}"],
        ["Окончание обучения", "{{ p.ending }}"],
        ["Посещаемость", "{{ p.attendance }}"],
        ["Итоговая аттестация", "{{ p.final }}"],
        ["Выданный документ", "{{ p.document }}"],
        ["Ожидаемые результаты", "{{ p.expected }}"],
        ["Выполнение требований", "{{ p.verdict }}"],
    ], 55, style="Table Text", bordered=True)
    g.spacer(doc, 4)
    g.para(doc, "Промежуточная аттестация", "Body Plain", keep_next=True)
    # «Результат» holds «3 (удовлетворительно)» on whole words, «Форма» «дифференцированный зачет».
    g.data_table(doc, ["№", "Модуль", "Объем, ак. ч.", "Форма аттестации", "Результат", "Дата"],
                 ["{{ m.n }}", "{{ m.name }}", "{{ m.hours }}", "{{ m.form }}", "{{ m.result }}", "{{ m.date }}"],
                 [8, 43, 17, 38, 43, W - 149], "m in p.modules", small=True, center=(0, 2, 5))
    g.tag(doc, "{%p endfor %}")
    g.heading(doc, "3. Поощрения")
    g.tag(doc, "{%p if awards %}")
    g.data_table(doc, ["№", "Вид поощрения", "За что", "Дата", "Приказ (решение)", "Группа"],
                 ["{{ a.n }}", "{{ a.kind }}", "{{ a.reason }}", "{{ a.date }}", "{{ a.basis }}", "{{ a.group }}"],
                 [8, 28, 44, 21, 43, W - 144], "a in awards", small=True, center=(0, 3))
    g.tag(doc, "{%p else %}")
    g.para(doc, "Поощрений нет.", "Body Plain")
    g.tag(doc, "{%p endif %}")
    g.heading(doc, "4. Динамика результатов")
    g.data_table(doc, ["№", "Период обучения", "Программа", "Посещаемость, %", "Средний балл модулей",
                       "Итоговая аттестация", "Требования программы"],
                 ["{{ r.n }}", "{{ r.period }}", "{{ r.program }}", "{{ r.attendance }}", "{{ r.interim }}",
                  "{{ r.final }}", "{{ r.state }}"],
                 [6, 21, 38, 28, 17, 38, W - 148], "r in dynamics", small=True, center=(0, 3, 4), narrow=True)
    g.spacer(doc, 6)
    g.para(doc, "Сведения внесены по данным учета на {{ as_of }}.", "Note")
    g.spacer(doc, 12)
    g.signature_block(doc, position="{{ keeper.position }}", name="{{ keeper.name }}")
    return doc
