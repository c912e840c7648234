"""Templates of the paper archive: обложка дела, внутренняя опись, лист-заверитель, опись дел, номенклатура.

Forms follow Правила № 77 (Росархив, 2023) as practice reproduces them (NOTES §4.2–4.3, §12); the
2023 appendices were not seen word for word [B], so every line is in the template, where staff may
adjust it in Word. Filled by pipeline.paper.papers.
"""

from __future__ import annotations

import gost as g
from docx.enum.text import WD_ALIGN_PARAGRAPH

W = g.PORTRAIT_WIDTH_MM


def _right_block(doc, lines: list[str], style: str = "Body Plain", left_mm: float = W * 0.5) -> None:
    """Lines in the right half of the page (УТВЕРЖДАЮ, крайние даты on a cover), as a borderless table."""
    g.static_table(doc, [["", line] for line in lines], [left_mm, W - left_mm], style=style, bordered=False)


def _approved_head(doc) -> None:
    """«УТВЕРЖДАЮ» top right (the head's position, a line to sign, the name, a date to fill in), then the
    organisation's name."""
    _right_block(doc, ["УТВЕРЖДАЮ", "{{ head.position }}", "{{ org.short_name }}",
                       "_______________ {{ head.name }}", "«___» ______________ 20___ г."])
    g.spacer(doc, 12)
    g.para(doc, "{{ org.full_name }}", "Org Name")


def _agreed(doc) -> None:
    """«СОГЛАСОВАНО» with the ЭК's protocol, its date and number to fill in by hand."""
    g.spacer(doc, 12, keep_next=True)  # a signature never starts a page alone
    g.para(doc, "СОГЛАСОВАНО", "Body Plain", keep_next=True)
    g.para(doc, "Протокол экспертной комиссии {{ org.short_name }}", "Body Plain", keep_next=True)
    g.para(doc, "от «___» ______________ 20___ г. № _____", "Body Plain")


def _compiler(doc, *, agreed: bool = False) -> None:
    """The compiler's signature and the date, then with `agreed` the ЭК's «СОГЛАСОВАНО»; kept on one page
    with what precedes and follows it, so no page holds only a signature (the paragraph before it must
    keep with next)."""
    g.signature_block(doc, position="{{ compiler.position }}", name="{{ compiler.name }}")
    g.para(doc, "{{ doc_date }}", "Body Plain", keep_next=agreed)
    if agreed:
        _agreed(doc)


def case_cover():
    doc = g.new_document("Обложка дела")
    g.para(doc, "{{ org.full_name }}", "Org Name")
    g.spacer(doc, 96)
    g.para(doc, "ДЕЛО № {{ case.index }}", "Title Big")
    g.para(doc, "{{ case.heading }}", "Centered Heading")
    g.para(doc, "за {{ case.year }} год", "Place")
    g.spacer(doc, 72)
    _right_block(doc, ["{{ case.dates }}", "{{ case.sheets_phrase }}", "Хранить {{ case.retention }}"])
    # The archive code sits at the foot of the cover, in the first page's footer: a long заголовок
    # can never push it onto a second page.
    footer = doc.sections[0].first_page_footer
    footer.is_linked_to_previous = False
    lines = ["Ф. № {{ cipher.fund }}", "Оп. № {{ cipher.inventory }}", "Д. № {{ cipher.number }}"]
    footer.paragraphs[0].text = g.nbsp(lines[0])
    for line in lines[1:]:
        footer.add_paragraph(g.nbsp(line))
    for p in footer.paragraphs:
        p.style = doc.styles["Body Plain"]
    doc.sections[0].footer_distance = g.Mm(20)
    return doc


def case_inventory():
    doc = g.new_document("Внутренняя опись документов дела")
    g.kind_line(doc, "ВНУТРЕННЯЯ ОПИСЬ")
    g.para(doc, "документов дела № {{ case.index }}", "Centered Heading")
    g.para(doc, "{{ case.heading }}, {{ case.year }} г.", "Place")
    g.data_table(doc, ["№ п/п", "Регистра\u00adционный индекс документа", "Дата документа", "Заголовок документа",
                       "Номера листов дела", "Приме\u00adчание"],
                 ["{{ d.n }}", "{{ d.reg_index }}", "{{ d.date }}", "{{ d.title }}", "{{ d.sheets }}", "{{ d.note }}"],
                 [10, 27, 23, 66, 20, 24], "d in documents", small=True, center=(0, 1, 2, 4))
    g.spacer(doc)
    g.para(doc, "Итого {{ totals.documents }} ({{ totals.documents_words }}) {{ totals.documents_noun }}.", "Body Plain",
           keep_next=True)
    g.para(doc, "Количество листов внутренней описи {{ totals.own_sheets }} ({{ totals.own_sheets_words }}).",
           "Body Plain", keep_next=True)
    _compiler(doc)
    return doc


def case_certifier():
    doc = g.new_document("Лист-заверитель дела")
    g.kind_line(doc, "ЛИСТ-ЗАВЕРИТЕЛЬ ДЕЛА № {{ case.index }}")
    g.para(doc, "{{ case.heading }}, {{ case.year }} г.", "Place")
    g.spacer(doc)
    g.para(doc, "В деле подшито и пронумеровано {{ totals.sheets }} ({{ totals.sheets_words }}) {{ totals.sheets_noun }}"
                "{% if totals.last %}, с № 1 по № {{ totals.last }}{% endif %}, в том числе:")
    g.para(doc, "литерные номера листов: нет;", "Body Plain")
    g.para(doc, "пропущенные номера листов: нет;", "Body Plain")
    g.para(doc, "+ {{ totals.inventory }} ({{ totals.inventory_words }}) {{ totals.inventory_noun }} внутренней описи.",
           "Body Plain")
    g.spacer(doc)
    g.static_table(doc, [["Особенности физического состояния и формирования дела", "Номера листов"],
                         ["{{ features }}", "{{ feature_sheets }}"]], [125, 45], header=True)
    _compiler(doc)
    return doc


def case_list():
    doc = g.new_document("Опись дел")
    _approved_head(doc)
    g.para(doc, "Фонд № {{ fund }}", "Place")
    g.kind_line(doc, "ОПИСЬ № {{ inventory.number }}")
    g.para(doc, "дел {{ inventory.kind }}", "Centered Heading")
    g.para(doc, "за {{ year }} год", "Place")
    g.tag(doc, "{%p if inventory.note %}")
    g.para(doc, "{{ inventory.note }}", "Note")
    g.tag(doc, "{%p endif %}")
    g.data_table(doc, ["№ п/п", "Индекс дела", "Заголовок дела", "Крайние даты", "Срок хранения",
                       "Количе\u00adство листов", "Примечание"],
                 ["{{ c.number }}", "{{ c.index }}", "{{ c.heading }}", "{{ c.dates }}", "{{ c.retention }}",
                  "{{ c.sheets }}", "{{ c.note }}"],
                 [10, 16, 44, 25, 25, 23, 27], "c in cases", small=True, center=(0, 1, 3, 5))
    g.spacer(doc)
    g.para(doc, "В данный раздел описи внесено {{ totals.count }} ({{ totals.count_words }}) {{ totals.count_noun }} "
                "с № {{ totals.first }} по № {{ totals.last }}, в том числе: литерные номера: нет; "
                "пропущенные номера: нет.", keep_next=True)
    _compiler(doc, agreed=True)
    return doc


def nomenclature():
    doc = g.new_document("Номенклатура дел")
    _approved_head(doc)
    g.kind_line(doc, "НОМЕНКЛАТУРА ДЕЛ")
    g.para(doc, "на {{ year }} год", "Place")
    g.data_table(doc, ["Индекс дела", "Заголовок дела (тома, части)", "Количе\u00adство дел (томов, частей)",
                       "Срок хранения дела (тома, части) и № статьи по перечню", "Примечание"],
                 ["{{ r.index }}", "{{ r.title }}", "{{ r.count }}", "{{ r.retention }}", "{{ r.note }}"],
                 [16, 46, 23, 35, 50], "r in rows", small=True, center=(0, 2))
    g.spacer(doc)
    g.para(doc, "Итоговая запись о категориях и количестве дел, заведенных в {{ year }} году в организации",
           "Centered Heading")
    summary = g.static_table(
        doc, [["По срокам хранения", "Всего", "в том числе переходящих", "в том числе с отметкой «ЭПК»"]]
        + [[f"{{{{ summary[{i}].label }}}}", f"{{{{ summary[{i}].total }}}}", f"{{{{ summary[{i}].carried }}}}",
            f"{{{{ summary[{i}].epk }}}}"] for i in range(4)], [70, 30, 35, 35], header=True)
    # The five rows stay together: every paragraph but the last row's keeps with the next.
    for r, row in enumerate(summary.rows):
        for c, cell in enumerate(row.cells):
            cell.paragraphs[0].paragraph_format.keep_with_next = r < len(summary.rows) - 1
            if c and r:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    g.spacer(doc, 6, keep_next=True)
    _compiler(doc, agreed=True)
    return doc


def case_labels():
    doc = g.new_document("Ярлыки дел")
    g.para(doc, "{{ org.short_name }}", "Org Name")
    g.para(doc, "Ярлыки для корешков дел за {{ year }} год", "Centered Heading")
    g.para(doc, "Вырежьте по рамке и наклейте на корешок папки дела.", "Note")
    g.data_table(doc, ["Ярлык"], ["{{ l.text }}"], [W], "l in labels")
    return doc


PAPERS = {
    "case_cover": case_cover,
    "case_inventory": case_inventory,
    "case_certifier": case_certifier,
    "case_list": case_list,
    "nomenclature": nomenclature,
    "case_labels": case_labels,
}
