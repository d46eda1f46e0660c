"""What the classifier sees of a sentence: the rules' evidence and the sentence's meaning.

Rule features are the cue patterns' per-kind logits and the context flags; meaning
is the sentence embedding and its similarity to each kind's prototypes
(``patterns/prototypes.yaml``). Pure functions over arrays, so training and
extraction build exactly the same features.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

from ..embed import Embedder
from .score import Scored

CLASSES = ("other", "pain", "goal", "objection")
LOGIT_CLIP = 8.0


@dataclass(frozen=True)
class RuleEvidence:
    """What the rules found in one sentence, before any embedding."""

    scores: dict[str, float]
    asked: tuple[str, ...]
    question: bool
    negated: bool
    words: int


def evidence(scored: Scored, asked: Sequence[str], text: str, words: int) -> RuleEvidence:
    negated = any(c.endswith("!neg") for c in scored.cues)
    return RuleEvidence(
        dict(scored.scores), tuple(asked), text.rstrip().endswith("?"), negated, words
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return max(-LOGIT_CLIP, min(LOGIT_CLIP, math.log(p / (1 - p))))


def rule_feature_names(kinds: Sequence[str]) -> list[str]:
    return (
        [f"rule_logit_{k}" for k in kinds]
        + [f"asked_{k}" for k in kinds]
        + ["question", "negated", "log_words"]
    )


def rule_features(rows: Sequence[RuleEvidence], kinds: Sequence[str]) -> np.ndarray:
    """One row of rule features per sentence."""
    out = np.zeros((len(rows), 2 * len(kinds) + 3), dtype=np.float32)
    for i, row in enumerate(rows):
        values = [_logit(row.scores.get(k, 0.0)) for k in kinds]
        values += [1.0 if k in row.asked else 0.0 for k in kinds]
        values += [float(row.question), float(row.negated), math.log1p(row.words)]
        out[i] = values
    return out


@functools.lru_cache(maxsize=1)
def prototype_sentences() -> dict[str, tuple[str, ...]]:
    text = resources.files("persona_lab.extract").joinpath("patterns", "prototypes.yaml")
    data = yaml.safe_load(text.read_text("utf-8"))
    return {label: tuple(str(s) for s in data[label]) for label in CLASSES}


def prototype_vectors(embedder: Embedder) -> dict[str, np.ndarray]:
    """The prototypes of each class, embedded (a few dozen sentences: fast)."""
    return {label: embedder.encode(list(s)) for label, s in prototype_sentences().items()}


def prototype_features(vectors: np.ndarray, prototypes: dict[str, np.ndarray]) -> np.ndarray:
    """Each sentence's cosine similarity to the nearest prototype of every class."""
    if len(vectors) == 0:
        return np.zeros((0, len(CLASSES)), dtype=np.float32)
    columns = [(vectors @ prototypes[label].T).max(axis=1) for label in CLASSES]
    return np.stack(columns, axis=1).astype(np.float32)


def feature_names(kinds: Sequence[str], dims: int) -> list[str]:
    return (
        rule_feature_names(kinds)
        + [f"prototype_{c}" for c in CLASSES]
        + [f"embedding_{i}" for i in range(dims)]
    )


def tuned_feature_names(kinds: Sequence[str], dims: int) -> list[str]:
    return rule_feature_names(kinds) + [f"tuned_{i}" for i in range(dims)]


def tuned_feature_matrix(
    rows: Sequence[RuleEvidence], tapped: np.ndarray, kinds: Sequence[str]
) -> np.ndarray:
    """Rule features beside the pooled output of the classifier's tuned layers."""
    return np.hstack([rule_features(rows, kinds), tapped]).astype(np.float32)


def feature_matrix(
    rows: Sequence[RuleEvidence],
    vectors: np.ndarray,
    prototypes: dict[str, np.ndarray],
    kinds: Sequence[str],
) -> np.ndarray:
    """Rule features, prototype similarities and the embedding, side by side."""
    return np.hstack(
        [rule_features(rows, kinds), prototype_features(vectors, prototypes), vectors]
    ).astype(np.float32)
