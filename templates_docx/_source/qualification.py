"""Build the qualification documents' templates (удостоверение, диплом with its приложение, свидетельство).

Each is an A4 landscape sheet folded in two, like the blanks sold for these documents: the left half
carries the organisation, the kind of document, the blank's series and number, the registration number,
the city and the date of issue; the right half the text «Настоящее … выдано …», the commission's
decision and the signatures with «М. П.». The halves are the two columns of one section, so staff edit
plain paragraphs in Word. The diploma's приложение follows on portrait pages with the module table,
whose header repeats when it runs onto a second sheet.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gost as g  # noqa: E402

MARGIN_MM = 15
GAP_MM = 30  # between the halves: the fold runs through its middle
HALF_MM = (297 - 2 * MARGIN_MM - GAP_MM) / 2


def _styles(doc) -> None:
    """Styles of the document's own face; staff adjust them in Word like any other."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    g.add_style(doc, "Qual Org", size=12, bold=True, align=center, after=6)
    g.add_style(doc, "Qual Kind", size=24, bold=True, align=center, before=24)
    g.add_style(doc, "Qual About", size=14, bold=True, align=center, after=18)
    g.add_style(doc, "Qual Label", size=10, align=center, before=6)
    g.add_style(doc, "Qual Value", size=14, bold=True, align=center, after=4)
    g.add_style(doc, "Qual Text", size=12, align=center, after=3)
    g.add_style(doc, "Qual Name", size=16, bold=True, align=center, before=6, after=6)
    g.add_style(doc, "Qual Duplicate", size=16, bold=True, align=center, after=6)
    g.add_style(doc, "Qual Body", size=12, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
    g.add_style(doc, "Qual Duplicate Mark", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _folded_sheet(title: str):
    doc = g.new_document(title, landscape=True)
    _styles(doc)
    section = doc.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    # The face of the document carries no page number; the приложение numbers its own pages.
    section.different_first_page_header_footer = True
    cols = g.get_or_add(section._sectPr, "w:cols")
    cols.set(qn("w:num"), "2")
    cols.set(qn("w:space"), str(int(GAP_MM * 56.7)))
    return doc


def _kept(table) -> None:
    """Keep every signature row with the next, so the block stays whole and with «М. П.»."""
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True


def _column_break(doc) -> None:
    p = doc.add_paragraph()
    p.style = doc.styles["Normal"]
    p.add_run().add_break(WD_BREAK.COLUMN)


def _left_half(doc) -> None:
    """The cover half: who issued what, under which numbers."""
    g.para(doc, "{{ org.full_name }}", "Qual Org")
    g.para(doc, "{{ doc.kind_word }}", "Qual Kind")
    g.para(doc, "{{ doc.kind_about }}", "Qual About")
    g.para(doc, "серия и номер бланка", "Qual Label")
    g.para(doc, "{{ doc.series_number }}", "Qual Value")
    g.para(doc, "регистрационный номер", "Qual Label")
    g.para(doc, "{{ doc.reg_no }}", "Qual Value")
    g.para(doc, "город", "Qual Label")
    g.para(doc, "{{ org.city }}", "Qual Value")
    g.para(doc, "дата выдачи", "Qual Label")
    g.para(doc, "{{ doc.date }}", "Qual Value")


def _duplicate(doc) -> None:
    g.tag(doc, "{%p if doc.duplicate %}")
    g.para(doc, "{{ doc.duplicate }}", "Qual Duplicate")
    g.tag(doc, "{%p endif %}")


def _signatures(doc) -> None:
    g.spacer(doc, 6)
    # The name column is wide enough for «К. О. Орлов-Давыдов» on one line; a long position wraps instead.
    _kept(g.signature_block(doc, "s in signers", position="{{ s.position }}", name="{{ s.name }}",
                            widths_mm=[HALF_MM - 84, 26, 58]))
    g.para(doc, "М. П.", "Note")
    g.tag(doc, "{%p if doc.duplicate_note %}")
    g.para(doc, "{{ doc.duplicate_note }}", "Note")
    g.tag(doc, "{%p endif %}")


def _opening(doc) -> None:
    _duplicate(doc)
    g.para(doc, "{{ doc.opening }}", "Qual Text")
    g.para(doc, "{{ learner.dative }}", "Qual Name")


def _new_face(title: str, completed: str, exam: str = ""):
    """The folded sheet with its cover half written and the text half begun: the duplicate mark, the opening,
    the name and «в том, что … `completed` … в объеме …» (with the exam passed, when there was one)."""
    doc = _folded_sheet(title)
    _left_half(doc)
    _column_break(doc)
    _opening(doc)
    g.para(doc, "в том, что {{ learner.pronoun }} {{ period }} {{ learner.studied }} " + completed
                + " в {{ org.short_name }} по {{ program.title_dative }} в объеме {{ hours }}" + exam + ".", "Qual Text")
    return doc


def qualification_pk():
    doc = _new_face("Удостоверение о повышении квалификации", "повышение квалификации")
    g.para(doc, "Решением {{ commission }} (протокол {{ protocol }}) удостоверение выдано по результатам "
                "итоговой аттестации ({{ final.form }}: {{ final.result }}).", "Qual Text")
    _signatures(doc)
    return doc


def qualification_po():
    doc = _new_face("Свидетельство о профессии рабочего, должности служащего", "профессиональное обучение",
                    " и {{ learner.passed_exam }} квалификационный экзамен с оценкой {{ final.result }}")
    g.para(doc, "Решением {{ commission }} (протокол {{ protocol }}) присвоена квалификация (профессия рабочего, "
                "должность служащего)", "Qual Text")
    g.para(doc, "{{ qualification }}{% if rank %} {{ rank }}{% endif %}", "Qual Name")
    _signatures(doc)
    return doc


def qualification_pp():
    doc = _new_face("Диплом о профессиональной переподготовке", "профессиональную переподготовку")
    g.tag(doc, "{%p if qualification %}")
    g.para(doc, "Решением {{ commission }} (протокол {{ protocol }}) {{ learner.dative }} присвоена квалификация",
           "Qual Text")
    g.para(doc, "{{ qualification }}", "Qual Name")
    g.para(doc, "и удостоверено право на ведение профессиональной деятельности в этой сфере.", "Qual Text")
    g.tag(doc, "{%p else %}")
    g.para(doc, "Решением {{ commission }} (протокол {{ protocol }}) удостоверено право на ведение "
                "профессиональной деятельности в сфере, соответствующей программе.", "Qual Text")
    g.tag(doc, "{%p endif %}")
    g.para(doc, "Диплом действителен с приложением.", "Note")
    _signatures(doc)
    _supplement(doc)
    return doc


def _continuation_header(section) -> None:
    """From the приложение's second sheet on: whose приложение it is and the sheet's number, so a loose
    sheet still names its diploma."""
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("Приложение к диплому рег. № {{ doc.reg_no }} ({{ learner.full_name }}), лист ")
    run.font.size = Pt(10)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    inner.append(copy.deepcopy(run._r.get_or_add_rPr()))  # the number in the words' size
    text = OxmlElement("w:t")
    text.text = "2"
    inner.append(text)
    field.append(inner)
    p._p.append(field)


def _supplement(doc) -> None:
    """The приложение: every module with its hours and result, the final attestation, the totals."""
    section = g.new_section(doc, landscape=False)
    section._sectPr.find(qn("w:cols")).set(qn("w:num"), "1")  # the new section copied the halves' two columns
    # The приложение is a sheet of its own: numbered from 1, the number shown from its second page on.
    section.different_first_page_header_footer = True
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)
    _continuation_header(section)
    g.para(doc, "Приложение к диплому о профессиональной переподготовке", "Appendix Mark")
    g.para(doc, "рег. № {{ doc.reg_no }}, бланк {{ doc.series_number }}", "Appendix Mark")
    g.tag(doc, "{%p if doc.duplicate %}")
    g.para(doc, "{{ doc.duplicate }}", "Qual Duplicate Mark")
    g.tag(doc, "{%p endif %}")
    g.para(doc, "{{ org.full_name }}", "Org Name")
    g.kind_line(doc, "ПРИЛОЖЕНИЕ")
    g.para(doc, "к диплому о профессиональной переподготовке", "Centered Heading")
    w = g.PORTRAIT_WIDTH_MM
    g.key_values(doc, [
        ["Фамилия, имя, отчество", "{{ learner.full_name }}"],
        ["Программа", "{{ program.title }}"],
        ["Срок обучения", "{{ period }}"],
        ["Объем программы", "{{ hours }}"],
        ["Форма обучения", "{{ program.study_form }}"],
        ["Присвоенная квалификация", "{{ qualification or '—' }}"],
    ], 50, style="Table Text")
    g.spacer(doc)
    g.para(doc, "За время обучения {{ learner.studied }} промежуточную аттестацию по модулям программы:",
           "Qual Body", keep_next=True)
    g.data_table(doc, ["№ п/п", "Наименование модуля (дисциплины)", "Объем, ак. ч", "Результат"],
                 ["{{ m.n }}", "{{ m.name }}", "{{ m.hours }}", "{{ m.result }}"], [10, 86, 20, 54], "m in modules",
                 center=(0, 2, 3))
    g.spacer(doc)
    g.para(doc, "Всего по модулям программы: {{ modules_hours }}.", "Qual Body")
    g.para(doc, "Итоговая аттестация ({{ final.form }}): {{ final.result }}.", "Qual Body")
    g.tag(doc, "{%p if final.topic %}")
    g.para(doc, "Тема итоговой работы: «{{ final.topic }}».", "Qual Body")
    g.tag(doc, "{%p endif %}")
    # The closing lines stay on the page of the signatures: no page holds only a signature.
    g.para(doc, "Решение {{ commission }}: протокол {{ protocol }}.", "Qual Body", keep_next=True)
    signatures = g.signature_block(doc, "s in signers", position="{{ s.position }}", name="{{ s.name }}",
                                   widths_mm=[w - 110, 45, 65])
    signatures.rows[1].height = Mm(11)  # a little tighter than in orders: the приложение should keep to one sheet
    _kept(signatures)
    g.para(doc, "М. П.", "Note")




def issue_sheet():
    """Ведомость выдачи документов: one row per document, empty cells for the recipient's signature."""
    doc = g.new_document("Ведомость выдачи документов", landscape=True)
    g.document_head(doc, "ВЕДОМОСТЬ", "выдачи документов об обучении и о квалификации")
    g.key_values(doc, [
        ["Группа №", "{{ group.number }}, {{ group.period }}"],
        ["Программа", "{{ program.title }} ({{ program.hours_text }})"],
        ["Протокол ИАК", "{{ protocol }}"],
        ["Приказ об отчислении", "{{ order }}"],
    ], 50, width_mm=g.LANDSCAPE_WIDTH_MM, style="Table Text")
    g.spacer(doc)
    g.data_table(doc, ["№ п/п", "Фамилия, имя, отчество получателя", "Документ", "Рег. №", "Серия, номер бланка",
                       "Дата выдачи", "Способ получения", "Представитель: ФИО, доверенность № и дата",
                       "Подпись получателя (представителя)"],
                 ["{{ r.n }}", "{{ r.name }}", "{{ r.document }}", "{{ r.reg_no }}", "{{ r.series_number }}",
                  "{{ r.date }}", "{{ r.receipt }}", "{{ r.proxy }}", "{{ r.signature }}"],
                 [10, 42, 36, 20, 22, 20, 27, 40, 40], "r in rows", small=True, center=(0, 3, 4, 5))
    g.spacer(doc)
    g.para(doc, "Всего: {{ total }}. Ведомость составлена {{ doc_date }}", "Body Plain", keep_next=True)
    _kept(g.signature_block(doc, position="Документы выдал: {{ issuer.position }}", name="{{ issuer.name }}",
                            width_mm=g.LANDSCAPE_WIDTH_MM * 0.7))
    return doc


TEMPLATES = {
    "qualification_pk": qualification_pk,
    "qualification_pp": qualification_pp,
    "qualification_po": qualification_po,
    "issue_sheet": issue_sheet,
}
