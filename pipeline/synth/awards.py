"""Поощрения of the sample: a благодарность to the best graduate of each finished group, by its
graduation order. Drawn from no random stream, so adding them leaves every other generated value as it was."""

from __future__ import annotations

from pipeline.core.dataset import Award, Group, Source
from pipeline.synth.groups import GRADUATE
from schemas import LEARNERS_FILE

SHEET = "Поощрения"


def awards(groups: dict[str, Group]) -> tuple[Award, ...]:
    """One благодарность per finished group to its first member graded «5» at the final attestation."""
    out = []
    for group in sorted(groups.values(), key=lambda g: (g.end, g.number)):
        order = group.order(GRADUATE)
        best = next((r for r in group.final if r.result.value == "5"), None)
        if order is None or best is None:
            continue
        out.append(Award(best.learner_id, "благодарность", "за отличные результаты итоговой аттестации",
                         order.date, order.number, order.date, group.number,
                         Source(LEARNERS_FILE, SHEET, len(out) + 2)))
    return tuple(out)
