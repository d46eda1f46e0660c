"""Themes inside a persona: cluster its insights of one kind, label each
cluster with a phrase taken from its quotes, and pick representative quotes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import centroid, cluster_labels
from ..models import Insight, Quote, Theme
from ..settings import Settings
from .mmr import mmr


@dataclass(frozen=True)
class Cluster:
    """Insights of one kind in one persona that clustered together."""

    kind: str
    members: tuple[int, ...]  # indices into the round's insights


def clusters_of_kind(
    indices: Sequence[int], vectors: np.ndarray, kind: str, settings: Settings
) -> tuple[list[Cluster], list[int]]:
    """Clusters of the given insights, and the indices that fit none."""
    if len(indices) < settings.min_theme_size:
        return [], list(indices)
    labels = cluster_labels(
        vectors[list(indices)],
        min_cluster_size=settings.min_theme_size,
        min_samples=1,
        dimensions=settings.reduce_dimensions,
        seed=settings.seed,
    )
    groups: dict[int, list[int]] = {}
    noise: list[int] = []
    for index, label in zip(indices, labels, strict=True):
        if label < 0:
            noise.append(index)
        else:
            groups.setdefault(int(label), []).append(index)
    return [Cluster(kind, tuple(groups[k])) for k in sorted(groups)], noise


def phrase_key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def phrase_document_frequency(
    clusters: Sequence[Cluster], insights: Sequence[Insight]
) -> Counter[str]:
    """In how many clusters each phrase appears (the IDF side of class TF-IDF)."""
    df: Counter[str] = Counter()
    for cluster in clusters:
        df.update({phrase_key(p) for i in cluster.members for p in insights[i].phrases})
    return df


def label_for(
    members: Sequence[int],
    insights: Sequence[Insight],
    central: int,
    df: Mapping[str, int],
    n_clusters: int,
) -> str:
    """The phrase of the cluster's quotes that best names it, as said.

    Scored by class-based TF-IDF (how many of the cluster's insights use it,
    against how many clusters do), with a preference for 2-4 word phrases and
    for the most central quote's wording.
    """
    tf: Counter[str] = Counter()
    surface: dict[str, str] = {}
    for i in members:
        for phrase in insights[i].phrases:
            key = phrase_key(phrase)
            tf[key] += 1
            if i == central or key not in surface:
                surface[key] = " ".join(phrase.split())
    if not tf:
        return " ".join(insights[central].text.split()[:6])
    central_keys = {phrase_key(p) for p in insights[central].phrases}

    def score(key: str) -> float:
        words = len(key.split())
        shape = 1.0 + 0.35 * (min(words, 4) - 1) - (0.5 if words > 5 else 0.0)
        idf = math.log(1 + n_clusters / max(1, df.get(key, 1)))
        return tf[key] * idf * shape + (0.6 if key in central_keys else 0.0)

    best = min(tf, key=lambda k: (-score(k), k))
    return surface[best]


def theme_from(
    cluster: Cluster,
    insights: Sequence[Insight],
    vectors: np.ndarray,
    df: Mapping[str, int],
    n_clusters: int,
    settings: Settings,
) -> Theme:
    """A theme with its label, counts and MMR-chosen quotes."""
    members = sorted(cluster.members, key=lambda i: insights[i].key)
    member_vectors = vectors[members]
    center = centroid(member_vectors)
    relevance = member_vectors @ center
    central = members[int(np.argmax(relevance))]
    picks = mmr(
        member_vectors,
        center,
        top_n=settings.quotes_per_theme,
        diversity=settings.mmr_diversity,
        groups=[insights[i].participant for i in members],
    )
    chosen = [insights[members[p]] for p in picks]
    return Theme(
        kind=cluster.kind,
        label=label_for(members, insights, central, df, n_clusters),
        participants=len({insights[i].participant for i in members}),
        mentions=len(members),
        quotes=tuple(Quote.of(i) for i in chosen),
        insights=tuple(insights[i] for i in members),
    )


def rank(themes: Sequence[Theme], kinds: Sequence[str]) -> tuple[Theme, ...]:
    """Kinds in settings order; within a kind, by distinct participants, then mentions."""
    order = {k: n for n, k in enumerate(kinds)}
    return tuple(
        sorted(
            themes,
            key=lambda t: (order.get(t.kind, len(order)), -t.participants, -t.mentions, t.label),
        )
    )
