"""Which persona of one round is which persona of another: optimal assignment.

Two personas are the same persona when they have the same role and say similar
things. The score of a pair is the cosine similarity of the centroids of their
insights' vectors, plus a bonus for the same function and for the same
seniority; scipy's linear_sum_assignment picks the pairs with the highest total.
Personas of two different known functions are never paired (a Finance persona
does not become a Sales persona because both talk about forecasts); when a
function is unknown, the insights alone must be similar enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import centroid
from ..models import OTHER, UNKNOWN, Insight, Persona

FUNCTION_BONUS = 1.0
SENIORITY_BONUS = 0.25
# Centroid similarity two personas need when a function is unknown on either side (the
# same persona in two rounds scores above 0.9; two personas of one round 0.6-0.85).
MIN_SIMILARITY_WITHOUT_ROLE = 0.9
FORBIDDEN = -1e6


@dataclass(frozen=True)
class Pair:
    """A persona of the old round (index) matched to one of the new round."""

    old: int
    new: int
    similarity: float


def persona_centroids(
    personas: Sequence[Persona], insights: Sequence[Insight], vectors: np.ndarray
) -> list[np.ndarray]:
    """Each persona's unit centroid of its participants' insights (empty if none)."""
    rows: dict[str, list[int]] = {}
    for index, insight in enumerate(insights):
        rows.setdefault(insight.participant, []).append(index)
    out = []
    for persona in personas:
        mine = sorted(i for p in persona.participants for i in rows.get(p.id, []))
        out.append(centroid(vectors[mine]) if mine and len(vectors) else np.zeros(0))
    return out


def _known(function: str) -> bool:
    return function not in (UNKNOWN, OTHER, "")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 or b.size == 0 or a.shape != b.shape:
        return 0.0
    return float(a @ b)


def pair_score(old: Persona, new: Persona, cosine: float) -> float:
    """The assignment score of two personas, or FORBIDDEN when they cannot be one."""
    same_function = old.role.function == new.role.function
    if _known(old.role.function) and _known(new.role.function):
        if not same_function:
            return FORBIDDEN
    elif cosine < MIN_SIMILARITY_WITHOUT_ROLE:
        return FORBIDDEN
    bonus = FUNCTION_BONUS if same_function else 0.0
    bonus += SENIORITY_BONUS if old.role.seniority == new.role.seniority else 0.0
    return cosine + bonus


def match_personas(
    old: Sequence[Persona],
    new: Sequence[Persona],
    old_centroids: Sequence[np.ndarray],
    new_centroids: Sequence[np.ndarray],
) -> list[Pair]:
    """The best one-to-one pairing of old and new personas, in new-round order."""
    if not old or not new:
        return []
    from scipy.optimize import linear_sum_assignment

    cosine = np.array([[similarity(a, b) for b in new_centroids] for a in old_centroids])
    score = np.array(
        [[pair_score(o, n, cosine[i, j]) for j, n in enumerate(new)] for i, o in enumerate(old)]
    )
    rows, cols = linear_sum_assignment(score, maximize=True)
    pairs = [
        Pair(int(i), int(j), round(float(cosine[i, j]), 4))
        for i, j in zip(rows, cols, strict=True)
        if score[i, j] > FORBIDDEN / 2
    ]
    return sorted(pairs, key=lambda p: p.new)
