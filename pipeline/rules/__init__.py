"""The cross-sheet rules, one module per subject; `pipeline.crosscheck.check` runs them all."""

from pipeline.rules import attendance, attestation, calendar, hours, people, references

RULES = (
    *references.RULES,
    *people.RULES,
    *calendar.RULES,
    *hours.RULES,
    *attendance.RULES,
    *attestation.RULES,
)
