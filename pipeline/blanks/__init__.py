"""`uchet blanks`: the qualification documents of a group printed onto pre-printed blanks (PDF).

Only the variable fields are printed, at the positions of input/blanks.xlsx, shifted by the chosen
printer's calibration offset; `--proof` prints them over the blank's underlay image to check alignment
on plain paper before a blank is spent. The values are the same contexts the plain-paper documents get
(pipeline.carriers.qualification), so a blank can never disagree with the register.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.blanks.layout import LAYOUT_FILE, Layout, Printer, read_layout
from pipeline.blanks.pdf import write_pdf
from pipeline.carriers.qualification import KINDS, document_context, issued_rows
from pipeline.core.dataset import Dataset
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import safe_component
from pipeline.core.paths import TEMPLATES_DIR
from pipeline.core.runlock import exclusive
from pipeline.intake import problem_report
from pipeline.intake.validate import validate_input

BLANKS_DIR = "blanks"
# The shipped layout of the folded A4 forms, with drawn underlays; the centre's own goes to input/blanks.xlsx.
SHIPPED_LAYOUT = TEMPLATES_DIR / LAYOUT_FILE


def layout_path_for(input_dir: Path, given: Path | None) -> Path:
    """The layout to use: the one named, else input/blanks.xlsx when the centre has made it, else the shipped one."""
    if given is not None:
        return given
    own = input_dir / LAYOUT_FILE
    return own if own.exists() else SHIPPED_LAYOUT
_PLURAL = {KINDS[0]: "Удостоверения", KINDS[1]: "Дипломы", KINDS[2]: "Свидетельства"}


def choose_printer(layout: Layout, name: str | None) -> Printer:
    """The printer by name; without a name, the only (or first) one of «Принтеры», or no offset at all."""
    if name is None:
        return next(iter(layout.printers.values()), Printer("без калибровки", 0.0, 0.0))
    if name not in layout.printers:
        known = ", ".join(f"«{p}»" for p in layout.printers) or "нет ни одного"
        raise UchetError(f"Принтера «{name}» нет на листе «Принтеры» книги {LAYOUT_FILE} (есть: {known}). "
                         f"Добавьте строку с его сдвигом или укажите другое имя в --printer.")
    return layout.printers[name]


def print_group(dataset: Dataset, number: str, layout: Layout, printer: Printer, out_dir: Path, *,
                proof: bool) -> list[tuple[Path, int]]:
    """Write a PDF per kind of document the group issued; give (file, pages)."""
    written = []
    for kind in KINDS:
        rows = [(g, doc, learner) for g, doc, learner in issued_rows(dataset, kind) if g.number == number]
        if not rows:
            continue
        blank = layout.blanks.get(kind)
        if blank is None or not blank.fields:
            raise UchetError(f"В книге {LAYOUT_FILE} нет макета для «{kind}» (листы «Бланки» и «Макет бланка»). "
                             f"Добавьте его или распечатайте документы группы {number} на обычной бумаге.")
        suffix = " (проба с подложкой)" if proof else f" на бланках ({printer.name})"
        path = out_dir / safe_component(number) / safe_component(f"{number} {_PLURAL[kind]}{suffix}.pdf")
        contexts = [document_context(dataset, g, doc, learner) for g, doc, learner in rows]
        pages = write_pdf(path, blank, contexts, printer, proof=proof, title=f"{_PLURAL[kind]} группы {number}")
        written.append((path, pages))
    if not written:
        raise UchetError(f"У группы {number} нет выданных удостоверений, дипломов или свидетельств на листе "
                         f"«Выдача документов» — печатать нечего.")
    return written


def run(input_dir: Path, output_dir: Path, groups: tuple[str, ...], *, proof: bool, printer_name: str | None,
        layout_path: Path | None) -> int:
    """Give the exit code of `uchet blanks` (data problems are reported like validation does)."""
    layout = read_layout(layout_path_for(input_dir, layout_path))
    printer = choose_printer(layout, printer_name)
    with exclusive(output_dir):
        validation = validate_input(input_dir)
        code = problem_report.report(list(validation.problems), input_dir, output_dir, strict=False)
        if code != 0 or validation.dataset is None:
            return code or 1
        dataset = validation.dataset
        unknown = [g for g in groups if g not in dataset.groups]
        if unknown:
            raise UchetError(f"Нет группы {', '.join(unknown)} в папке groups/. Известные группы: "
                             f"{', '.join(sorted(dataset.groups))}.")
        for number in groups:
            for path, pages in print_group(dataset, number, layout, printer, output_dir / BLANKS_DIR, proof=proof):
                click.echo(f"{path}: {pages} стр.")
        if not proof:
            click.echo(f"Печатайте в натуральную величину (масштаб 100 %, без «по размеру страницы»); "
                       f"сдвиг принтера «{printer.name}»: вправо {printer.dx_mm:g} мм, вниз {printer.dy_mm:g} мм.")
    return 0
