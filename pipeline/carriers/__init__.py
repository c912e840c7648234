"""The registry: the only list of carriers. Each family module contributes its entries."""

from __future__ import annotations

from pipeline.carriers import learner_card
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument

CARRIERS: tuple[Carrier, ...] = (
    *learner_card.CARRIERS,
)


def carrier(key: str) -> Carrier:
    """Give the registry entry with this key."""
    return next(c for c in CARRIERS if c.key == key)


__all__ = ["CARRIERS", "Carrier", "DocumentSpec", "RenderedDocument", "carrier"]
