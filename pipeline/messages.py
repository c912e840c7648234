"""Russian message templates keyed by problem code: what is wrong and how to fix it.

Each entry is (what, fix); both are str.format templates over the Problem's fields and params
({value}, {column}, {sheet}, ...). Every code any stage emits must have an entry (a test checks it).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # Entries are added by the load/validate stages; keep them grouped by stage with a comment.
}


def render(problem) -> tuple[str, str]:
    """Give (what is wrong, how to fix it) for a Problem, in Russian."""
    what, fix = MESSAGES.get(problem.code, ("Ошибка {code}", "Обратитесь к ответственному за программу."))
    values = {
        "value": problem.value,
        "column": problem.column,
        "sheet": problem.sheet,
        "file": problem.file,
        "row": problem.row,
        "code": problem.code,
        **problem.params,
    }
    return what.format(**values), fix.format(**values)
