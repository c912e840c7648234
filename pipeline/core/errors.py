"""The operational failures a run can meet (exit code 2), each with a Russian message for staff.

Data problems are not exceptions: they are `Problem` records (exit code 1). Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations


class UchetError(Exception):
    """An operational failure: a missing file or template, a document locked by Word, a busy output folder."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DataProblems(Exception):
    """Raised by a stage that was handed data it cannot use; carries the problems to report (exit 1)."""

    exit_code = 1

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
