"""The ranking metrics every offline measure uses (offline/evaluation.py, offline/zone_quality.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence

K = 10
K_RECALL = 20
RELEVANT_MIN = 4.0   # a held-out rating at least this is a relevant film


def hit_rate(recs: Sequence[int], relevant: set[int], k: int = K) -> float:
    return 1.0 if any(m in relevant for m in recs[:k]) else 0.0


def ndcg(recs: Sequence[int], relevant: set[int], k: int = K) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, m in enumerate(recs[:k]) if m in relevant)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / idcg if idcg > 0 else 0.0


def recall(recs: Sequence[int], relevant: set[int], k: int = K_RECALL) -> float:
    return len(set(recs[:k]) & relevant) / len(relevant) if relevant else 0.0
