"""Themes inside a persona: cluster its insights of one kind, label each
cluster with a phrase taken from its quotes, and pick representative quotes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import attach_noise, centroid, cluster_labels
from ..models import Insight, Quote, Theme
from ..settings import Settings
from .mmr import mmr
from .vocabulary import stop_words, terms

LEAF_FROM = 30  # insights of one kind from which leaf clusters are used


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
    )
    labels = attach_noise(rows, labels, settings.theme_join_similarity)
    groups: dict[int, list[int]] = {}
    noise: list[int] = []
    for index, label in zip(indices, labels, strict=True):
        if label < 0:
            noise.append(index)
        else:
            groups.setdefault(int(label), []).append(index)
    return [Cluster(kind, tuple(groups[k])) for k in sorted(groups)], noise


def term_frequencies(
    clusters: Sequence[Cluster], insights: Sequence[Insight]
) -> tuple[list[Counter[str]], Counter[str], float]:
    """Each cluster's term counts, the counts over all clusters, and the mean
    number of terms a cluster has (the A of BERTopic's class-based TF-IDF)."""
    per_cluster = [
        Counter(t for i in c.members for t in terms(insights[i].text, stop_words()))
        for c in clusters
    ]
    total: Counter[str] = Counter()
    for counts in per_cluster:
        total.update(counts)
    mean_terms = sum(total.values()) / max(1, len(clusters))
    return per_cluster, total, mean_terms


def label_for(
    members: Sequence[int],
    insights: Sequence[Insight],
    central: int,
    counts: Counter[str],
    total: Counter[str],
    mean_terms: float,
) -> str:
    """The phrase of the cluster's quotes that best names it, as said.

    Terms are weighted by class-based TF-IDF (tf in the cluster times
    log(1 + A / frequency over all clusters)); each candidate phrase (a noun
    chunk or verb phrase of a member quote) scores the weights of its terms,
    so the label is the buyer's wording of what sets this theme apart.
    """
    # A label names what several quotes share: a term counts by how many of the
    # theme's quotes use it (once a theme has three or more), so one quote's rare
    # words ("harmonic and melodic minors") cannot name a theme of eight people.
    shared = Counter(t for i in members for t in set(terms(insights[i].text, stop_words())))
    least = 2 if len(members) >= 3 else 1
    weight = {
        t: shared[t] * math.log(1 + mean_terms / total[t]) for t in counts if shared[t] >= least
    }
    best: tuple[float, str] | None = None
    for i in sorted(members, key=lambda m: (m != central, insights[m].key)):
        for phrase in insights[i].phrases:
            words = phrase.split()
            if len(words) > 6:
                continue
            found = set(terms(phrase, stop_words()))
            if not found or not any(t in weight for t in found):
                continue
            # Two to four words read as a label; one word ("AI", "students") rarely does.
            length_factor = 0.6 if len(words) == 1 else 1 / (1 + 0.2 * max(0, len(words) - 4))
            score = sum(weight.get(t, 0.0) for t in found) * length_factor
            score += 0.5 if i == central else 0.0
            candidate = (-score, " ".join(words))
            if best is None or candidate < best:
                best = candidate
    if best is None:
        said = insights[central]
        return said.summary or " ".join(said.text.split()[:6])
    return best[1]


def theme_from(
    cluster: Cluster,
    insights: Sequence[Insight],
    vectors: np.ndarray,
    counts: Counter[str],
    total: Counter[str],
    mean_terms: float,
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
        label=label_for(members, insights, central, counts, total, mean_terms),
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
