"""Vectors in, clusters out: the space themes are found in (``centered``), HDBSCAN
after reducing the dimensions, and the steps around it (noise joining, splitting
loose clusters, merging close ones).

No I/O and no randomness beyond a fixed seed, so the same vectors always give
the same labels. Label -1 is noise: the caller keeps those items visible.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

# A noise point joins a cluster when it is at least as close to the centre as
# three in four of the cluster's own members.
RADIUS_QUANTILE = 0.25
# How many statements' worth of doubt ``centered`` puts on a kind's mean: a kind of n
# statements loses n / (n + CENTRE_PRIOR) of it (0.93 of it at 700, 0.29 at 20).
CENTRE_PRIOR = 50.0


def reduce(vectors: np.ndarray, dimensions: int, *, seed: int = 42) -> np.ndarray:
    """PCA to at most ``dimensions`` (hdbscan is ~25x slower on raw 384-d vectors)."""
    n, d = vectors.shape
    keep = min(dimensions, d, max(1, n - 1))
    if keep >= d or n < 3:
        return vectors.astype(np.float64)
    from sklearn.decomposition import PCA

    reduced = PCA(n_components=keep, svd_solver="full", random_state=seed).fit_transform(
        vectors.astype(np.float64)
    )
    return np.asarray(reduced, dtype=np.float64)


def cluster_labels(
    vectors: np.ndarray,
    *,
    min_cluster_size: int = 2,
    min_samples: int | None = 1,
    dimensions: int = 10,
    seed: int = 42,
    selection: str = "eom",
    allow_single: bool | None = None,
    pair_similarity: float = 0.6,
) -> np.ndarray:
    """HDBSCAN labels for the rows of ``vectors`` (-1 for noise).

    ``selection="leaf"`` keeps the fine clusters at the leaves of HDBSCAN's tree:
    on a few hundred sentence vectors "eom" tends to return two or three broad
    clusters, which make poor themes. ``allow_single`` (default: with "eom") lets
    everything be one cluster; discovering personas turns it off.
    """
    n = len(vectors)
    if n < max(2, min_cluster_size):
        return np.full(n, -1, dtype=int)
    if n == 2:
        similar = float(np.dot(vectors[0], vectors[1])) >= pair_similarity
        return np.array([0, 0]) if similar and min_cluster_size <= 2 else np.full(2, -1)
    import hdbscan

    points = reduce(vectors, dimensions, seed=seed)
    clusterer = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples,
        metric="euclidean",
        cluster_selection_method=selection,
        allow_single_cluster=selection == "eom" if allow_single is None else allow_single,
        core_dist_n_jobs=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        labels = clusterer.fit_predict(points)
    return canonical(np.asarray(labels, dtype=int))


def canonical(labels: np.ndarray) -> np.ndarray:
    """Renumbers clusters by first appearance, so label ids never depend on internals."""
    mapping: dict[int, int] = {}
    out = np.full(len(labels), -1, dtype=int)
    for i, label in enumerate(labels):
        if label < 0:
            continue
        out[i] = mapping.setdefault(int(label), len(mapping))
    return out


def attach_noise(vectors: np.ndarray, labels: np.ndarray, min_similarity: float) -> np.ndarray:
    """Noise points join the most similar cluster when they lie inside it.

    HDBSCAN leaves many sentences as noise; one that is clearly near a theme
    belongs to it (as BERTopic's outlier reduction does). "Near" is at least
    ``min_similarity`` to the centroid and within the radius that holds three in
    four of the cluster's own members (RADIUS_QUANTILE): a broad cluster's centroid
    is similar to almost everything, and attaching by the absolute bar alone grew
    one theme from 21 to 92 quotes.
    The rest stay noise.
    """
    found = sorted(set(labels.tolist()) - {-1})
    if not found:
        return labels
    centroids = np.stack([centroid(vectors[labels == k]) for k in found])
    radius = np.array(
        [
            float(np.quantile(vectors[labels == k] @ centroids[n], RADIUS_QUANTILE))
            for n, k in enumerate(found)
        ]
    )
    similarity = vectors @ centroids.T
    best = similarity.argmax(axis=1)
    out = labels.copy()
    for i in np.where(labels < 0)[0]:
        nearest = int(best[i])
        if similarity[i, nearest] >= max(min_similarity, radius[nearest]):
            out[i] = found[nearest]
    return out


def split_loose(vectors: np.ndarray, max_distance: float) -> np.ndarray:
    """Groups of unit vectors whose mean cosine distance stays under ``max_distance``.

    Average-linkage agglomerative clustering: deterministic, and on a dozen points
    it finds the close pairs that HDBSCAN's density estimate misses.
    """
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=max_distance
    )
    return canonical(np.asarray(model.fit_predict(vectors.astype(np.float64)), dtype=int))


def merge_close(
    groups: Sequence[Sequence[int]], vectors: np.ndarray, min_similarity: float
) -> list[list[int]]:
    """Groups of rows joined while two of them are, on average, at least ``min_similarity``
    similar (average linkage over whole groups, the closest pair first).

    HDBSCAN's leaf clusters of a few hundred statements are pairs and triples; several
    of them often say one thing ("debugging AI code", "a bug I could not track down"),
    and a card that shows them apart shows no theme larger than three people. Equal
    similarities are broken by the groups' first rows, so the order the groups come
    in never matters; empty groups are dropped.
    """
    merged = sorted((sorted(g) for g in groups if len(g)), key=lambda g: g[0])
    sums = [vectors[g].sum(axis=0) for g in merged]
    while len(merged) > 1:
        best: tuple[float, int, int] | None = None
        for a in range(len(merged)):
            for b in range(a + 1, len(merged)):
                similarity = float(sums[a] @ sums[b]) / (len(merged[a]) * len(merged[b]))
                # Rounded, so a difference in the last bits rarely picks another pair.
                similarity = round(similarity, 6)
                if similarity >= min_similarity and (best is None or similarity > best[0]):
                    best = (similarity, a, b)
        if best is None:
            break
        _, a, b = best
        merged[a] = sorted(merged[a] + merged[b])
        sums[a] = sums[a] + sums[b]
        del merged[b], sums[b]
    return sorted(merged, key=lambda g: g[0])


def centered(vectors: np.ndarray, groups: Sequence[str], prior: float = CENTRE_PRIOR) -> np.ndarray:
    """Unit vectors with each group's shared meaning taken out.

    In a round about one subject every statement shares its meaning ("AI" in
    interviews about AI at work): in the real interviews a theme's quotes are on
    average about 0.5 similar whether they say one thing or only "something about
    AI", so a bar on raw cosines cannot tell a theme from the whole kind. Without
    the group's mean direction, what remains is what sets statements apart. The
    mean of a few statements is mostly those statements, not a subject they share,
    so a group of n rows loses n / (n + ``prior``) of its mean. A row that was that
    share of the mean itself (or zero) is left at zero: it says nothing apart.
    """
    if len(groups) != len(vectors):
        raise ValueError(f"{len(groups)} group names for {len(vectors)} vectors")
    out = vectors.astype(np.float64).copy()
    for name in sorted(set(groups)):
        rows = [n for n, g in enumerate(groups) if g == name]
        share = len(rows) / (len(rows) + prior)
        moved = out[rows] - share * out[rows].mean(axis=0)
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        out[rows] = np.divide(moved, norms, out=np.zeros_like(moved), where=norms > 1e-9)
    return out


def cohesion(vectors: np.ndarray) -> float:
    """Mean cosine similarity between distinct unit vectors (1.0 for fewer than two)."""
    n = len(vectors)
    if n < 2:
        return 1.0
    total = vectors.sum(axis=0)
    return float((total @ total - n) / (n * (n - 1)))


def centroid(vectors: np.ndarray) -> np.ndarray:
    """Unit-length mean direction of some unit vectors."""
    if len(vectors) == 0:
        return vectors.sum(axis=0)
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean
