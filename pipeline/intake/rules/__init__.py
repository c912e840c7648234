"""The cross-sheet rules, one module per subject; `pipeline.intake.crosscheck` runs them.

A rule in GROUP_RULES looks at one group at a time (its own sheets and the reference workbooks), so
its findings for a group can be kept while that group's inputs do not change; a rule in GLOBAL_RULES
compares groups with each other or checks the reference workbooks, and runs on the whole dataset.
"""

from pipeline.intake.rules import (
    attendance,
    attestation,
    calendar,
    expert,
    hours,
    people,
    references,
    results,
)

_MODULES = (references, people, calendar, hours, attendance, attestation, results, expert)
GROUP_RULES = tuple(rule for module in _MODULES for rule in module.GROUP_RULES)
GLOBAL_RULES = tuple(rule for module in _MODULES for rule in module.GLOBAL_RULES)
RULES = GROUP_RULES + GLOBAL_RULES
