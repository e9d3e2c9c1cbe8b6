"""Aggregate ids derive from business keys, so a code finds its aggregate without an index or a lookup."""

from __future__ import annotations

import uuid
from functools import lru_cache

KINDS: dict[str, str] = {"Parcel": "parcel", "WriteOffBatch": "batch", "Programme": "programme", "TaskForce": "taskforce",
                        "Person": "person", "Witnessing": "witnessing"}
"""Aggregate class names as the kinds the CLI, topics and findings speak of."""

NAMESPACE = uuid.UUID("8b0f4d52-6f57-4a55-9e39-5f0c3b1d2a61")


@lru_cache(maxsize=65536)
def aggregate_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")
