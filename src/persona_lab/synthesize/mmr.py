"""Maximal marginal relevance: quotes that are central and not alike."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def mmr(
    vectors: np.ndarray,
    target: np.ndarray,
    *,
    top_n: int,
    diversity: float,
    groups: Sequence[str] | None = None,
    group_penalty: float = 0.15,
) -> list[int]:
    """Indices of ``top_n`` rows, each chosen for relevance minus redundancy.

    Args:
        vectors: unit row vectors of the candidates.
        target: the unit vector they should be close to (the theme's centroid).
        top_n: how many to pick.
        diversity: 0 picks by relevance only, 1 by difference only.
        groups: a group per row (the participant); a second pick from a group
            already chosen pays ``group_penalty``, so quotes come from
            different people where possible.
    """
    n = len(vectors)
    if n == 0 or top_n <= 0:
        return []
    relevance = vectors @ target
    similarity = vectors @ vectors.T
    chosen = [int(np.argmax(relevance))]
    while len(chosen) < min(top_n, n):
        best, best_score = -1, -np.inf
        for i in range(n):
            if i in chosen:
                continue
            redundancy = float(similarity[i, chosen].max())
            score = (1 - diversity) * float(relevance[i]) - diversity * redundancy
            if groups is not None and groups[i] in {groups[c] for c in chosen}:
                score -= group_penalty
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return chosen
