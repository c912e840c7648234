"""Results that cannot be true as written, and a номенклатура дел that cannot file every document.

- A test score above the test's maximum, a pass mark above it, or a maximum of zero (a result
  «120 из 20 — сдан» would otherwise be printed).
- An attestation result in the wrong kind of scale for its form: a mark «5» where the form is a
  «зачет» (whose result is «зачтено» / «не зачтено»), or «зачтено» where it is an exam.
- Every carrier that is filed needs its row in «Номенклатура дел»: without it the documents would be
  filed «нет в номенклатуре» and could never be disposed of.
"""

from __future__ import annotations

import difflib

from pipeline.carriers import CARRIERS
from pipeline.intake import nomenclature
from pipeline.intake.frames import ROW, raw_column, text
from pipeline.intake.rules.context import Context, groups
from pipeline.intake.sheet_check import not_in_list_params
from schemas import ORGANIZATION_FILE
from schemas.group import FinalSheet, InterimSheet, TestingSheet
from schemas.organization import NomenclatureSheet

TESTING_SHEET = "Тестирование"
PASS_FAIL = ("зачтено", "не зачтено")
MARKS = ("5", "4", "3", "2")
# Form -> the results its scale has («н/я» fits every form). Forms not listed take either scale.
SCALE = {
    "зачет": PASS_FAIL,
    "итоговый экзамен": MARKS,
    "квалификационный экзамен": MARKS,
    "экзамен": MARKS,
    "дифференцированный зачет": MARKS,
}


def test_scores(ctx: Context) -> None:
    """Scores and pass marks of the sheet «Тестирование» fit within the test's maximum."""
    for group in groups(ctx):
        for test in group.tests:
            if test.src.sheet != TESTING_SHEET or test.max_score is None:
                continue
            if test.max_score <= 0:
                ctx.at("test_max_not_positive", test.src, TestingSheet.max_score, _number(test.max_score))
                continue
            if test.score > test.max_score:
                ctx.at("test_score_above_max", test.src, TestingSheet.score, _number(test.score),
                       maximum=_number(test.max_score))
            if test.threshold is not None and test.threshold > test.max_score:
                ctx.at("test_threshold_above_max", test.src, TestingSheet.threshold, _number(test.threshold),
                       maximum=_number(test.max_score))


def result_scales(ctx: Context) -> None:
    """A result is written in the scale of its form: «зачтено» for a зачет, a mark for an exam."""
    for group in groups(ctx):
        program = ctx.program(group)
        if program is None:
            continue
        for result in group.final:
            _scale(ctx, result.src, FinalSheet.result, result.result.value, program.final_form,
                   "итоговой аттестации программы")
        forms = {m.number: m.form for m in program.modules}
        for result in group.interim:
            if result.module in forms:
                _scale(ctx, result.src, InterimSheet.result, result.result.value, forms[result.module],
                       f"промежуточной аттестации по модулю № {result.module}")


def _scale(ctx: Context, src, column: str, value: str, form: str, what: str) -> None:
    allowed = SCALE.get(form)
    if allowed is None or value in allowed or value == "н/я":
        return
    code = "mark_for_pass_fail" if form == "зачет" else "pass_fail_for_mark"
    ctx.at(code, src, column, value, form=form, what=what, allowed=" / ".join(f"«{v}»" for v in allowed))


def nomenclature_complete(ctx: Context) -> None:
    """Every «Носитель» is a key the registry knows (else not_in_list at its cell), and every carrier that is
    filed has a row in «Номенклатура дел» (one error per carrier, naming it)."""
    frame = ctx.loaded.frames.get((ORGANIZATION_FILE, nomenclature.SHEET))
    keys = raw_column(ctx.loaded, ORGANIZATION_FILE, nomenclature.SHEET, NomenclatureSheet.carrier)
    if frame is None or keys is None:  # the sheet or its column is missing: that is reported once, where it is
        return
    known = nomenclature.case_keys()
    # A row whose key is a carrier's title or a typo of its key is reported where it is (not_in_list,
    # naming the key): that carrier is not reported missing a second time.
    meant: set[str] = set()
    for typed, row in zip(frame[NomenclatureSheet.carrier], frame[ROW], strict=True):
        key = text(typed)
        if key is None or key in known:
            continue
        params = not_in_list_params(key, list(known), nomenclature.key_for(key))
        ctx.report("not_in_list", ORGANIZATION_FILE, nomenclature.SHEET, int(row), NomenclatureSheet.carrier, key,
                   **params)
        meant |= set(difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)) | {nomenclature.key_for(key)}
    # The ЭК's papers exist only once its sheets are filled: until then an older номенклатура needs no rows for them.
    unused = set()
    if not any(o.src.sheet == "Экспертная комиссия" for o in ctx.dataset.expert_orders):
        unused.add("order_expert_commission")
    if not ctx.dataset.expert_meetings:
        unused.add("expert_protocol")
    for key in nomenclature.unfiled(keys | meant | unused, (c.case_key for c in CARRIERS if c.archived)):
        ctx.report("nomenclature_missing", ORGANIZATION_FILE, nomenclature.SHEET, None, NomenclatureSheet.carrier,
                   key, title=known.get(key, key))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


GROUP_RULES = (test_scores, result_scales)
GLOBAL_RULES = (nomenclature_complete,)
