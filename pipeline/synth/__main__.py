"""`python -m pipeline.synth --out input`: write the synthetic workbooks (the sample, or a large set for the benchmark)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from pipeline.intake.workbooks import write_input
from pipeline.synth import DEFAULT_SEED, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.synth",
        description="Записать вымышленные рабочие книги ЧОУ ДПО «Эко-Образование» (образец или данные для замеров).",
    )
    parser.add_argument("--out", type=Path, default=Path("input"), help="папка для книг (по умолчанию input)")
    parser.add_argument("--learners", type=int, default=130, help="число слушателей (130)")
    parser.add_argument("--groups", type=int, default=10, help="число групп (10)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"зерно генератора ({DEFAULT_SEED})")
    parser.add_argument("--years", type=int, nargs=2, default=(2025, 2026), metavar=("FIRST", "LAST"))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None, help="дата среза ГГГГ-ММ-ДД")
    args = parser.parse_args(argv)
    dataset = generate(args.seed, args.learners, args.groups, tuple(args.years), args.as_of)
    write_input(dataset, args.out)
    print(f"Записано: {len(dataset.learners)} слушателей, {len(dataset.groups)} групп в папку «{args.out}».")


if __name__ == "__main__":
    main()
