"""The registry: the only list of carriers. Each family module contributes its entries."""

from __future__ import annotations

from pipeline.carriers import (
    attestation,
    certificates,
    expert,
    journal,
    learner_card,
    orders,
    qualification,
    register,
    testing,
)
from pipeline.carriers.registry import Carrier, DocumentSpec, RenderedDocument

CARRIERS: tuple[Carrier, ...] = (
    *journal.CARRIERS,
    *orders.CARRIERS,
    *attestation.CARRIERS,
    *register.CARRIERS,
    *testing.CARRIERS,
    *certificates.CARRIERS,
    *learner_card.CARRIERS,
    *qualification.CARRIERS,
    *expert.CARRIERS,
)


def carrier(key: str) -> Carrier:
    """Give the registry entry with this key."""
    return next(c for c in CARRIERS if c.key == key)


__all__ = ["CARRIERS", "Carrier", "DocumentSpec", "RenderedDocument", "carrier"]
