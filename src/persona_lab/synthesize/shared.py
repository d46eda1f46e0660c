"""Themes that several personas share: what sets a persona apart is what the
others do not say. Two themes of the same kind in two personas are the same
theme when the centroids of their statements' vectors are close; a group of such
themes (the round document's "Said across personas") is one where every two are."""

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


def links(themes: Sequence[ThemeVector], min_similarity: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity), i < j, of themes of one kind in two personas whose
    centroids have at least ``min_similarity`` cosine similarity."""
    found = []
    for i, a in enumerate(themes):
        for j in range(i + 1, len(themes)):
            b = themes[j]
            if a.persona == b.persona or a.kind != b.kind or not a.centroid.size:
                continue
            if b.centroid.shape != a.centroid.shape:
                continue
            # Rounded: the last bits of a vector depend on its batch neighbours.
            similarity = round(float(a.centroid @ b.centroid), 4)
            if similarity >= min_similarity:
                found.append((i, j, similarity))
    return found


def groups(count: int, pairs: Sequence[tuple[int, int, float]]) -> list[int]:
    """A group number per theme, numbered 1, 2, ... in the order of their first
    theme; 0 for a theme in no group.

    Complete linkage, strongest links first: two groups join only when every theme
    of one is linked to every theme of the other. Joined through one another
    (A like B, B like C), six personas' objections once made one "shared" group
    of which two said nothing alike; and a group never holds two themes of one
    persona, as two themes of one persona are never linked.
    """
    linked = {(i, j) for i, j, _ in pairs}
    group_of = list(range(count))
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    for i, j, _ in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        a, b = sorted((group_of[i], group_of[j]))
        if a == b:
            continue
        if all((min(x, y), max(x, y)) in linked for x in members[a] for y in members[b]):
            for x in members.pop(b):
                group_of[x] = a
                members[a].append(x)
    numbers: dict[int, int] = {}
    out = []
    for i in range(count):
        if len(members.get(group_of[i], ())) < 2:
            out.append(0)
            continue
        out.append(numbers.setdefault(group_of[i], len(numbers) + 1))
    return out


def shared_with(
    themes: Sequence[ThemeVector], pairs: Sequence[tuple[int, int, float]]
) -> list[tuple[str, ...]]:
    """For each theme, the other personas (sorted ids) with a theme it is linked to.

    Directly linked, not through the groups: a theme like one of a group but not
    like all of it is in no group, and is still said by that other persona too.
    """
    others: list[set[str]] = [set() for _ in themes]
    for i, j, _ in pairs:
        others[i].add(themes[j].persona)
        others[j].add(themes[i].persona)
    return [tuple(sorted(o)) for o in others]
