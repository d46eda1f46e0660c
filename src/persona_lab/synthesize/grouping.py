"""Participants into role groups: by function, split by seniority band where
each band has enough people; unknown roles join the nearest group, or, when
most roles are unknown, groups are discovered by clustering insight profiles."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import centroid, cluster_labels
from ..models import UNKNOWN, Participant
from .config import PersonaConfig


@dataclass(frozen=True)
class Group:
    """Participants who will make one persona."""

    key: str
    function: str
    band: str
    members: tuple[str, ...]
    discovered: bool = False


def main_seniority(members: Sequence[Participant]) -> str:
    """The most common known seniority of some participants (the role line's)."""
    counts = Counter(p.seniority for p in members if p.seniority != UNKNOWN)
    if not counts:
        return UNKNOWN
    return min(counts, key=lambda s: (-counts[s], s))


def _role_key(function: str, band: str, split: bool) -> str:
    return f"{function}-{band}" if split and band != "unknown" else function


def by_role(
    participants: Sequence[Participant], config: PersonaConfig, min_participants: int
) -> tuple[list[Group], list[str]]:
    """Groups of known-role participants, and the ids whose role is unknown."""
    by_function: dict[str, list[Participant]] = defaultdict(list)
    unknown: list[str] = []
    for p in participants:
        if not p.function_known:
            unknown.append(p.id)
        else:
            by_function[p.function].append(p)
    groups: list[Group] = []
    for function in sorted(by_function):
        members = by_function[function]
        bands: dict[str, list[str]] = defaultdict(list)
        for p in members:
            bands[config.band(p.seniority)].append(p.id)
        big = [b for b in sorted(bands) if b != "unknown" and len(bands[b]) >= min_participants]
        if len(big) < 2:
            # Named by the band its known levels share (as its role line says), so 16
            # untitled creatives and 14 individual contributors are "Practitioners".
            main = config.band(main_seniority(members))
            groups.append(Group(function, function, main, tuple(p.id for p in members)))
            continue
        # Split: each big band is a persona; small bands join the largest band.
        largest = max(big, key=lambda b: (len(bands[b]), b))
        for band in big:
            ids = list(bands[band])
            if band == largest:
                ids += [i for b in sorted(bands) if b not in big for i in bands[b]]
            groups.append(Group(_role_key(function, band, True), function, band, tuple(ids)))
    return groups, unknown


def profile(ids: Sequence[str], vectors_by_participant: Mapping[str, np.ndarray]) -> np.ndarray:
    """The centroid of the insights of some participants."""
    rows = [vectors_by_participant[i] for i in ids if i in vectors_by_participant]
    if not rows:
        return np.zeros(0)
    return centroid(np.vstack(rows))


def join_nearest(
    groups: list[Group],
    ids: Sequence[str],
    vectors_by_participant: Mapping[str, np.ndarray],
    min_similarity: float,
    min_margin: float = 0.0,
) -> tuple[list[Group], list[str]]:
    """Adds each id to the group whose insights are most like its own.

    Returns the new groups and the ids that could not be placed: no insights, no
    group similar enough, or (``min_margin``) no group clearly nearer than the next.
    """
    centroids = {g.key: profile(g.members, vectors_by_participant) for g in groups}
    added: dict[str, list[str]] = defaultdict(list)
    left: list[str] = []
    for pid in ids:
        mine = profile([pid], vectors_by_participant)
        key = nearest_group(mine, centroids, min_margin)
        if key is None or float(mine @ centroids[key]) < min_similarity:
            left.append(pid)
        else:
            added[key].append(pid)
    new = [
        Group(g.key, g.function, g.band, g.members + tuple(added[g.key]), g.discovered)
        for g in groups
    ]
    return new, left


def nearest_group(
    mine: np.ndarray, centroids: Mapping[str, np.ndarray], min_margin: float
) -> str | None:
    """The group whose centroid is nearest, when it leads the next by ``min_margin``."""
    options = sorted(
        ((float(mine @ c), key) for key, c in centroids.items() if c.size and mine.size),
        reverse=True,
    )
    if not options:
        return None
    if len(options) > 1 and options[0][0] - options[1][0] < min_margin:
        return None
    return options[0][1]


def placement_check(
    groups: Sequence[Group], vectors_by_participant: Mapping[str, np.ndarray], min_margin: float
) -> tuple[int, int, int]:
    """How well insights place people whose role is known: each member, left out
    of its own group, goes to the nearest group (with the margin). Returns
    (members with insights, placed, placed in their own group)."""
    tried = placed = right = 0
    for group in groups:
        for member in group.members:
            mine = profile([member], vectors_by_participant)
            if not mine.size:
                continue
            tried += 1
            centroids = {
                g.key: profile([m for m in g.members if m != member], vectors_by_participant)
                for g in groups
            }
            key = nearest_group(mine, centroids, min_margin)
            placed += key is not None
            right += key == group.key
    return tried, placed, right


def discover(
    ids: Sequence[str],
    participants: Mapping[str, Participant],
    vectors_by_participant: Mapping[str, np.ndarray],
    *,
    min_participants: int,
    dimensions: int,
    seed: int,
) -> tuple[list[Group], list[str]]:
    """Groups found by clustering participants on their insight profiles."""
    usable = [i for i in ids if i in vectors_by_participant]
    if not usable:
        return [], list(ids)
    points = np.vstack([profile([i], vectors_by_participant) for i in usable])
    # A discovered persona needs at least three people, and "everyone is one
    # persona" is no discovery: on synthetic rounds with hidden titles this took the
    # adjusted Rand index from 0.0-0.79 to 0.92-1.0 (BENCHMARKS.md).
    labels = cluster_labels(
        points,
        min_cluster_size=max(3, min_participants),
        min_samples=1,
        dimensions=dimensions,
        seed=seed,
        allow_single=False,
    )
    clusters: dict[int, list[str]] = defaultdict(list)
    noise: list[str] = []
    for pid, label in zip(usable, labels, strict=True):
        (clusters[int(label)] if label >= 0 else noise).append(pid)
    groups: list[Group] = []
    for label in sorted(clusters):
        members = clusters[label]
        known = Counter(participants[m].function for m in members if participants[m].function_known)
        function = known.most_common(1)[0][0] if known else "other"
        groups.append(Group(f"group-{label + 1}", function, "unknown", tuple(members), True))
    left = [i for i in ids if i not in vectors_by_participant]
    if groups:
        groups, unplaced = join_nearest(groups, noise, vectors_by_participant, -1.0)
        left += unplaced
    else:
        groups = [Group("group-1", "other", "unknown", tuple(noise), True)] if noise else []
    return groups, left
