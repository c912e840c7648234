"""The shape of the code (issue 15): stages as packages, one direction, no private names across modules.

Read from the source with `ast`, so a new cycle, a hidden function-level import or a reach into another
module's `_name` fails here before a reviewer has to spot it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAZY_MARK = "# lazy:"
"""A function-level import is allowed only under a comment that starts so and says what start-up cost it saves."""


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    tree: ast.Module
    lines: list[str]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def sources(*folders: str) -> list[Source]:
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            found.append(Source(_module_name(path), path, ast.parse(text), text.splitlines()))
    return found


PIPELINE = sources("pipeline")
MODULES = {s.name for s in PIPELINE}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing(node: ast.AST, parents: dict[ast.AST, ast.AST], kinds) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, kinds):
            return node
    return None


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    block = _enclosing(node, parents, ast.If)
    return block is not None and "TYPE_CHECKING" in ast.unparse(block.test)


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The pipeline modules an import statement loads (a name imported from a package may be a module)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "pipeline"]
    if node.level or not node.module or node.module.split(".")[0] != "pipeline":
        return []
    return [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module for a in node.names]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {s.name: set() for s in PIPELINE}
    for src in PIPELINE:
        parents = _parents(src.tree)
        for node in ast.walk(src.tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not _type_checking_only(node, parents):
                for target in _targets(node):
                    graph[src.name] |= {t for t in (target, *_outer_packages(target, src.name))
                                        if t in MODULES and t != src.name}
    return graph


def _outer_packages(target: str, importer: str) -> list[str]:
    """The packages Python initialises first when `importer` imports `target` (those it is not inside).

    Importing pipeline.archive.retention runs pipeline/archive/__init__.py first: what that imports is
    part of the importer's cost and of any cycle. A package's own modules do not re-run its __init__.
    """
    parts = target.split(".")
    outer = [".".join(parts[:i]) for i in range(2, len(parts))]
    return [p for p in outer if not (importer == p or importer.startswith(p + "."))]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def function_level_imports() -> list[str]:
    """Imports inside a function without a `# lazy:` reason on the line above."""
    unjustified = []
    for src in PIPELINE:
        parents = _parents(src.tree)
        for node in ast.walk(src.tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if _enclosing(node, parents, (ast.FunctionDef, ast.AsyncFunctionDef)) is None:
                continue
            above = src.lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if not (above.startswith(LAZY_MARK) or (above.startswith("from ") or above.startswith("import "))
                    and _justified_group(src, node.lineno - 2)):
                unjustified.append(f"{src.path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return unjustified


def _justified_group(src: Source, line_index: int) -> bool:
    """Consecutive import lines share the `# lazy:` comment above the first of them."""
    while line_index >= 0:
        text = src.lines[line_index].strip()
        if text.startswith(LAZY_MARK):
            return True
        if not (text.startswith("from ") or text.startswith("import ")):
            return False
        line_index -= 1
    return False


def private_uses(srcs: list[Source]) -> list[str]:
    """Names starting with one underscore taken from another pipeline module."""
    found = []
    for src in srcs:
        aliases: dict[str, str] = {}
        for node in ast.walk(src.tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "pipeline":
                        aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if full in MODULES:
                        aliases[a.asname or a.name] = full
                    elif a.name.startswith("_") and not a.name.startswith("__") and node.module != src.name:
                        found.append(f"{src.path.relative_to(ROOT)}:{node.lineno}: {full}")
        for node in ast.walk(src.tree):
            private = None
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                module = aliases.get(ast.unparse(node.value))
                private = f"{module}.{node.attr}" if module else None
            elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("setattr") and len(node.args) >= 2:
                target, name = node.args[0], node.args[1]
                module = aliases.get(ast.unparse(target))
                if module and isinstance(name, ast.Constant) and str(name.value).startswith("_"):
                    private = f"{module}.{name.value}"
                elif isinstance(target, ast.Constant) and isinstance(target.value, str):
                    last = target.value.rsplit(".", 1)[-1]
                    if target.value.startswith("pipeline.") and last.startswith("_") and not last.startswith("__"):
                        private = target.value
            if private and not private.startswith(src.name + "."):
                found.append(f"{src.path.relative_to(ROOT)}:{node.lineno}: {private}")
    return sorted(set(found))


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_function_level_imports_say_why():
    assert function_level_imports() == []


def test_no_private_name_crosses_a_module():
    assert private_uses(PIPELINE + sources("bench", "tests")) == []


def test_carriers_never_import_reports_and_reports_never_render():
    graph = import_graph()
    carriers = {m for m in graph if m.startswith("pipeline.carriers")}
    reports = {m for m in graph if m.startswith("pipeline.reports")}
    assert {(c, t) for c in carriers for t in graph[c] if t.startswith("pipeline.reports")} == set()
    assert {(r, t) for r in reports for t in graph[r] if t.startswith("pipeline.render")} == set()


def test_core_depends_on_no_stage():
    graph = import_graph()
    stages = ("pipeline.intake", "pipeline.render", "pipeline.archive", "pipeline.reports", "pipeline.frdo",
              "pipeline.paper", "pipeline.carriers", "pipeline.build", "pipeline.cli")
    assert {(m, t) for m in graph if m.startswith("pipeline.core")
            for t in graph[m] if t.startswith(stages)} == set()


def test_the_checks_catch_what_they_forbid(tmp_path):
    """The detectors themselves: a two-module cycle, an unmarked lazy import, a private reach."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    code = "import pipeline.core.ru as ru\n\ndef f():\n    from pipeline.core import ru\n    return ru._x\n"
    src = Source("pipeline.fake", ROOT / "pipeline" / "fake.py", ast.parse(code), code.splitlines())
    assert private_uses([src]) == ["pipeline/fake.py:5: pipeline.core.ru._x"]
    marked = code.replace("    from pipeline.core", "    # lazy: start-up\n    from pipeline.core")
    global PIPELINE
    saved = PIPELINE
    try:
        PIPELINE = [src]
        assert function_level_imports() == ["pipeline/fake.py:4: from pipeline.core import ru"]
        PIPELINE = [Source("pipeline.fake", src.path, ast.parse(marked), marked.splitlines())]
        assert function_level_imports() == []
    finally:
        PIPELINE = saved
