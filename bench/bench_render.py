"""Renderer throughput: docxtpl's obvious loop against pipeline.render.compile, same templates, same run.

Usage: .venv/bin/python bench/bench_render.py [--rounds 3]
Prints documents per second for a protocol-like template (25-row table) and a one-page
certificate-like template, and the ratio fast/naive per round (median [min-max]). Every document is
written to its own file, as a build would.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.render.compile import compile_template  # noqa: E402
from tests.test_render import (  # noqa: E402
    build_certificate,
    build_protocol,
    certificate_context,
    naive,
    protocol_context,
)


def timed(render, contexts, out: Path | None) -> float:
    """Give the seconds it takes to render and write these documents, one file each."""
    start = time.perf_counter()
    for i, context in enumerate(contexts):
        data = render(context)
        if out is not None:
            (out / f"{i}.docx").write_bytes(data)
    return time.perf_counter() - start


def paired_round(naive_render, fast_render, make_context, naive_docs: int, fast_docs: int, out: Path):
    """Give (naive docs/s, fast docs/s) of one round, the two interleaved in 10 slices.

    The machine is shared: interleaving puts both loops under the same background load.
    """
    naive_s = fast_s = 0.0
    for k in range(10):
        naive_s += timed(
            naive_render, [make_context(k * naive_docs + i) for i in range(naive_docs // 10)], out
        )
        fast_s += timed(fast_render, [make_context(k * fast_docs + i) for i in range(fast_docs // 10)], out)
    return naive_docs / naive_s, fast_docs / fast_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--naive-docs", type=int, default=60)
    parser.add_argument("--fast-docs", type=int, default=600)
    parser.add_argument("--in-memory", action="store_true", help="render to bytes only, write nothing")
    args = parser.parse_args()
    mode = "rendered to bytes, nothing written" if args.in_memory else "each document written to its own file"
    print(f"{platform.node()} · Python {platform.python_version()} · {platform.machine()} · {mode}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = {
            "protocol": (build_protocol(root / "protocol.docx"), lambda i: protocol_context(i, "&<'\"")),
            "certificate": (
                build_certificate(root / "certificate.docx"),
                lambda i: certificate_context(i, "&<"),
            ),
        }
        for kind, (path, make_context) in cases.items():
            compiled = compile_template(path)
            naive_rates, fast_rates, ratios = [], [], []
            out = None if args.in_memory else root / "out"
            if out is not None:
                out.mkdir(exist_ok=True)
            for _ in range(args.rounds):
                n, f = paired_round(
                    lambda c, p=path: naive(p, c),
                    compiled.render,
                    make_context,
                    args.naive_docs,
                    args.fast_docs,
                    out,
                )
                naive_rates.append(n)
                fast_rates.append(f)
                ratios.append(f / n)

            def fmt(xs):
                return f"{statistics.median(xs):.1f} [{min(xs):.1f}-{max(xs):.1f}]"

            print(
                f"{kind:12} naive {fmt(naive_rates)} docs/s · fast {fmt(fast_rates)} docs/s · ×{fmt(ratios)}"
            )


if __name__ == "__main__":
    main()
