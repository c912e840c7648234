"""Template proof (`uchet proof`): render every carrier template with worst-case data before real use.

Staff edit the templates in Word; a tag split or mistyped there fails here, with the template and
the paragraph named, instead of in the middle of a real run. The worst case: 300 learners with the
longest names, 60 lessons (a grid split across pages), every special character in free text.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from pipeline.carriers import CARRIERS
from pipeline.carriers.registry import Carrier
from pipeline.core.errors import UchetError
from pipeline.core.fsutil import atomic_write_bytes, safe_component
from pipeline.render.compile import compile_template
from pipeline.render.proof_data import dataset
from pipeline.render.stage import docx_text

LEFTOVER = re.compile(r"\{\{|\{%|%\}|\}\}")


def proof_dataset():
    """300 learners, 60 lessons, special characters everywhere free text goes."""
    return dataset(extra_learners=294, lessons_count=60, nasty=True)


def check_carrier(carrier: Carrier, ds, templates_dir: Path, proof_dir: Path) -> list[str]:
    """Give the problems of one carrier's template (empty when it renders cleanly)."""
    path = templates_dir / carrier.template
    if not path.is_file():
        return [f"«{carrier.template}»: шаблон не найден."]
    try:
        template = compile_template(path)
    except UchetError as exc:
        return [exc.message]
    specs = list(carrier.build(ds))
    problems = []
    if specs:
        unknown = template.variables() - set(specs[0].context)
        if unknown:
            problems.append(f"«{carrier.template}»: неизвестные переменные {', '.join(sorted(unknown))} "
                            f"(их нет в данных носителя «{carrier.title}»).")
    for n, spec in enumerate(specs):
        try:
            data = template.render(spec.context)
        except UchetError as exc:
            problems.append(exc.message)
            break
        # Text values of the proof data hold «{{ }}» on purpose; a leftover tag is one the template
        # itself kept, so look for it with the data's own braces removed.
        text = docx_text(data).replace("{{ }} {% %}", "").replace("{{ x }}", "")
        if LEFTOVER.search(text):
            line = next(line for line in text.splitlines() if LEFTOVER.search(line))
            problems.append(f"«{carrier.template}»: в документе остался тег: «{line[:120]}».")
            break
        if n == 0:
            name = safe_component(f"{carrier.key} {Path(spec.file_name).stem}") + ".docx"
            atomic_write_bytes(proof_dir / name, data)
    return problems


def run_proof(templates_dir: Path, output_dir: Path) -> int:
    """Render every template with the proof data into output/proof/; give 0, or 2 when one is broken."""
    ds = proof_dataset()
    proof_dir = output_dir / "proof"
    broken = 0
    for carrier in CARRIERS:
        problems = check_carrier(carrier, ds, templates_dir, proof_dir)
        if problems:
            broken += 1
            for problem in problems:
                click.echo(f"ОШИБКА {problem}", err=True)
        else:
            click.echo(f"в порядке: {carrier.template} ({carrier.title})")
    if broken:
        click.echo(f"Шаблонов с ошибками: {broken}. Исправьте их в Word и запустите «make proof» снова.", err=True)
        return 2
    click.echo(f"Все шаблоны в порядке; образцы — в папке «{proof_dir}».")
    return 0
