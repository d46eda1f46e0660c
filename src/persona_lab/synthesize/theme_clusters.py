"""Clusters of a persona's insights of one kind: HDBSCAN in the space themes are
found in, noise joined where it lies inside a cluster, loose clusters split, close
ones merged, and what one person alone said kept apart as evidence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import attach_noise, cluster_labels, cohesion, merge_close, split_loose
from ..models import Insight
from ..settings import Settings

LEAF_FROM = 30  # insights of one kind from which leaf clusters are used
FEWEST_BEHIND_A_THEME = 2  # participants, even in a smaller persona


@dataclass(frozen=True)
class Cluster:
    """Insights of one kind in one persona that clustered together."""

    kind: str
    members: tuple[int, ...]  # indices into the round's insights


def clusters_of_kind(
    indices: Sequence[int], vectors: np.ndarray, kind: str, settings: Settings
) -> tuple[list[Cluster], list[int]]:
    """Clusters of the given insights, and the indices that fit none.

    ``vectors`` are the space themes are found in: the round's insight vectors
    with each kind's mean taken out (``cluster.centered``), in which the settings'
    similarity bars are measured.
    """
    if len(indices) < settings.min_theme_size:
        return [], list(indices)
    rows = vectors[list(indices)]
    # Many insights: fine leaf clusters, at least 1/40 of the insights each.
    large = len(indices) >= LEAF_FROM
    size = max(settings.min_theme_size, len(indices) // 40) if large else settings.min_theme_size
    labels = cluster_labels(
        rows,
        min_cluster_size=size,
        min_samples=max(1, size // 2),
        dimensions=settings.reduce_dimensions,
        seed=settings.seed,
        selection="leaf" if large else "eom",
        pair_similarity=settings.theme_min_cohesion,
    )
    labels = attach_noise(rows, labels, settings.theme_join_similarity)
    groups: dict[int, list[int]] = {}
    noise: list[int] = []
    for index, label in zip(indices, labels, strict=True):
        if label < 0:
            noise.append(index)
        else:
            groups.setdefault(int(label), []).append(index)
    found: list[list[int]] = []
    for key in sorted(groups):
        kept, left = _cohesive(groups[key], vectors, settings, size)
        found += kept
        noise += left
    found = merge_close(found, vectors, settings.theme_merge_similarity)
    if large:
        found, loose = close_pairs_only(found, vectors, settings.theme_pair_similarity)
        noise += loose
    return [Cluster(kind, tuple(members)) for members in found], sorted(noise)


def close_pairs_only(
    found: list[list[int]], vectors: np.ndarray, bar: float
) -> tuple[list[list[int]], list[int]]:
    """The clusters without the pairs less similar than ``bar``, and those pairs' members.

    Among many statements (where leaf clusters are pairs and triples) the closest
    pairs are often alike by chance; among a dozen, a pair is what two people said
    alike, so this applies to large pools only.
    """
    # Rounded: a vector's last bits depend on its batch neighbours.
    loose = [m for m in found if len(m) == 2 and round(cohesion(vectors[m]), 6) < bar]
    return [m for m in found if m not in loose], [i for m in loose for i in m]


def _cohesive(
    members: list[int], vectors: np.ndarray, settings: Settings, smallest: int
) -> tuple[list[list[int]], list[int]]:
    """A cluster whose quotes say one thing, or its tighter parts and the rest.

    HDBSCAN's "eom" on a few dozen sentences often returns everything as one
    cluster; on a card that reads as "11 of 14 participants" share a theme they do
    not. Such a cluster is split by average linkage on cosine distance, cut at
    the cohesion bar (HDBSCAN itself splits a dozen points erratically); parts
    smaller than ``smallest`` (the clustering's own minimum) or still too loose
    stay unthemed.
    """
    if cohesion(vectors[members]) >= settings.theme_min_cohesion:
        return [members], []
    labels = split_loose(vectors[members], 1.0 - settings.theme_min_cohesion)
    parts: dict[int, list[int]] = {}
    for index, label in zip(members, labels, strict=True):
        parts.setdefault(int(label), []).append(index)
    kept = [
        parts[k]
        for k in sorted(parts)
        if len(parts[k]) >= smallest and cohesion(vectors[parts[k]]) >= settings.theme_min_cohesion
    ]
    inside = {i for part in kept for i in part}
    return kept, [i for i in members if i not in inside]


def participants_needed(persona_size: int, settings: Settings) -> int:
    """How many of a persona's participants must say a theme: ``min_theme_participants``,
    or ``min_theme_share`` of a larger persona, and never more than the persona holds,
    except that one person's repeated point is no theme even in a one-person role
    (a card reading "1 of 1 participant" shows evidence, not a pattern), unless
    ``min_theme_participants`` is 1."""
    # Rounded to 9 places first: 0.1 * 30 is 3.0000000000000004, which must need 3.
    share = math.ceil(round(settings.min_theme_share * persona_size, 9))
    wanted = max(settings.min_theme_participants, share)
    fewest = 1 if settings.min_theme_participants <= 1 else FEWEST_BEHIND_A_THEME
    return max(fewest, min(persona_size, wanted))


def shared_by(
    clusters: Sequence[Cluster], insights: Sequence[Insight], participants: int
) -> tuple[list[Cluster], list[int]]:
    """The clusters said by at least ``participants`` people, and the members of
    the others: one person's repeated point is evidence, not a theme."""
    kept: list[Cluster] = []
    thin: list[int] = []
    for cluster in clusters:
        if len({insights[i].participant for i in cluster.members}) >= participants:
            kept.append(cluster)
        else:
            thin.extend(cluster.members)
    return kept, thin
