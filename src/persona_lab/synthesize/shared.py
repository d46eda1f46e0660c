"""Themes that several personas share: what sets a persona apart is what the
others do not say. Two themes of the same kind in two personas are the same
theme when the centroids of their statements' vectors are close."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ThemeVector:
    """A theme's persona, kind and unit centroid, for comparing across personas."""

    persona: str
    kind: str
    centroid: np.ndarray


def links(themes: Sequence[ThemeVector], min_similarity: float) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of themes of one kind in two personas whose centroids
    have at least ``min_similarity`` cosine similarity."""
    found = []
    for i, a in enumerate(themes):
        for j in range(i + 1, len(themes)):
            b = themes[j]
            if a.persona == b.persona or a.kind != b.kind or not a.centroid.size:
                continue
            # Rounded: the last bits of a vector depend on its batch neighbours.
            if (
                b.centroid.shape == a.centroid.shape
                and round(float(a.centroid @ b.centroid), 4) >= min_similarity
            ):
                found.append((i, j))
    return found


def shared_with(
    themes: Sequence[ThemeVector], pairs: Sequence[tuple[int, int]]
) -> list[tuple[str, ...]]:
    """For each theme, the other personas (sorted ids) it is linked to."""
    others: list[set[str]] = [set() for _ in themes]
    for i, j in pairs:
        others[i].add(themes[j].persona)
        others[j].add(themes[i].persona)
    return [tuple(sorted(o)) for o in others]


def groups(count: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    """A group number per theme: linked themes (directly or through others) share
    one, numbered 1, 2, ... in the order of their first theme; 0 for a theme
    linked to none."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[max(root(i), root(j))] = min(root(i), root(j))
    linked = {i for pair in pairs for i in pair}
    numbers: dict[int, int] = {}
    out = []
    for i in range(count):
        if i not in linked:
            out.append(0)
            continue
        out.append(numbers.setdefault(root(i), len(numbers) + 1))
    return out
