"""Sentence vectors kept as float32 blobs, keyed by the text's hash and the model's name.

An insight's text is embedded once per model, ever: a run takes the vectors it
finds here and embeds only the texts that are new.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..embed import text_key
from ..models import Insight
from .codec import from_blob, to_blob


def load_vectors(
    conn: sqlite3.Connection, model: str, texts: Iterable[str]
) -> dict[str, np.ndarray]:
    """The stored vectors of some texts, by ``text_key``; texts not stored are absent."""
    wanted = sorted({text_key(t) for t in texts})
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
            [model, *chunk],
        )
        for text_hash, blob in rows:
            found[text_hash] = from_blob(blob)
    return found


def save_vectors(
    conn: sqlite3.Connection, model: str, texts: Sequence[str], vectors: np.ndarray
) -> None:
    """Stores the vectors of texts not stored yet for this model."""
    rows = {
        text_key(text): (model, text_key(text), int(vector.shape[0]), to_blob(vector))
        for text, vector in zip(texts, vectors, strict=True)
    }
    conn.executemany("INSERT OR IGNORE INTO embeddings VALUES (?, ?, ?, ?)", list(rows.values()))


def insight_vectors(
    insights: Sequence[Insight], stored: Mapping[str, np.ndarray], dims: int = 0
) -> np.ndarray:
    """One row per insight from stored vectors; a missing one is a zero row."""
    if not insights:
        return np.zeros((0, dims), dtype=np.float32)
    width = next((len(v) for v in stored.values()), dims)
    rows = [stored.get(text_key(i.text), np.zeros(width, dtype=np.float32)) for i in insights]
    return np.vstack(rows).astype(np.float32)
