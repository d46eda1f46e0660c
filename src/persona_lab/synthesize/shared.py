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


def shared_with(themes: Sequence[ThemeVector], min_similarity: float) -> list[tuple[str, ...]]:
    """For each theme, the other personas (sorted ids) with a theme of its kind
    whose centroid has at least ``min_similarity`` cosine similarity to its own."""
    out: list[tuple[str, ...]] = []
    for theme in themes:
        others = {
            other.persona
            for other in themes
            if other.persona != theme.persona
            and other.kind == theme.kind
            and theme.centroid.size
            and other.centroid.shape == theme.centroid.shape
            # Rounded: the last bits of a vector depend on its batch neighbours.
            and round(float(theme.centroid @ other.centroid), 4) >= min_similarity
        }
        out.append(tuple(sorted(others)))
    return out
