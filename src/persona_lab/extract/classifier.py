"""A small logistic-regression classifier over rule features and sentence embeddings.

Trained on the project's own labeled sentences (``persona-lab train``) and shipped
as plain arrays in ``data/classifier.npz`` (never a pickle), so it loads with
NumPy alone. Its probabilities are the one score that combines the cue patterns,
the interviewer's question, the prototypes and the sentence's meaning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .. import errors
from .tuned import TunedTop

SHIPPED = "shipped"
NONE = "none"


@dataclass(frozen=True)
class Classifier:
    """Softmax weights over standardized features, and what they were trained with."""

    classes: tuple[str, ...]
    feature_names: tuple[str, ...]
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # (features,)
    scale: np.ndarray  # (features,)
    embedder: str
    metadata: dict[str, Any] = field(default_factory=dict, compare=False)
    # Fine-tuned top layers of the embedder: their pooled output replaces the
    # sentence embedding among the features. None: a linear model over the embedding.
    tuned: TunedTop | None = field(default=None, compare=False)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per sentence, columns in ``classes`` order."""
        if len(features) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float64)
        z = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z.astype(np.float64))
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: str | Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "classes": np.array(self.classes),
            "feature_names": np.array(self.feature_names),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "mean": self.mean.astype(np.float32),
            "scale": self.scale.astype(np.float32),
            "embedder": np.array(self.embedder),
            "metadata": np.array(json.dumps(self.metadata, sort_keys=True)),
            **(self.tuned.arrays() if self.tuned else {}),
        }
        np.savez_compressed(Path(path), **arrays)  # type: ignore[arg-type]


def fit(
    features: np.ndarray,
    labels: list[str],
    classes: tuple[str, ...],
    feature_names: list[str],
    embedder: str,
    *,
    c: float = 1.0,
    seed: int = 42,
    metadata: dict[str, Any] | None = None,
    weights: np.ndarray | None = None,
) -> Classifier:
    """Multinomial logistic regression on standardized features (scikit-learn);
    ``weights`` (one per example) set how much each sentence counts."""
    from sklearn.linear_model import LogisticRegression

    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-6] = 1.0
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit((features - mean) / scale, labels, sample_weight=weights)
    order = [list(model.classes_).index(k) for k in classes]
    return Classifier(
        classes=classes,
        feature_names=tuple(feature_names),
        weights=np.asarray(model.coef_)[order],
        bias=np.asarray(model.intercept_)[order],
        mean=mean,
        scale=scale,
        embedder=embedder,
        metadata=metadata or {},
    )


def decide(
    probabilities: np.ndarray, classes: tuple[str, ...], thresholds: dict[str, float]
) -> list[tuple[str, float] | None]:
    """Per sentence, the most probable kind if it passes its threshold, else None."""
    kinds = [(i, c) for i, c in enumerate(classes) if c in thresholds]
    out: list[tuple[str, float] | None] = []
    for row in probabilities:
        i, kind = max(kinds, key=lambda ic: (row[ic[0]], ic[1]))
        p = float(row[i])
        out.append((kind, p) if p >= thresholds[kind] else None)
    return out


def shipped_path() -> Path:
    return Path(str(resources.files("persona_lab.data").joinpath("classifier.npz")))


def load_classifier(setting: str, embedder_name: str) -> Classifier | None:
    """The classifier the settings name: the shipped one, a file, or none (rules only)."""
    if not setting or setting == NONE:
        return None
    path = shipped_path() if setting == SHIPPED else Path(setting)
    try:
        with np.load(path, allow_pickle=False) as data:
            loaded = Classifier(
                classes=tuple(str(c) for c in data["classes"]),
                feature_names=tuple(str(n) for n in data["feature_names"]),
                weights=data["weights"],
                bias=data["bias"],
                mean=data["mean"],
                scale=data["scale"],
                embedder=str(data["embedder"]),
                metadata=json.loads(str(data["metadata"])),
                tuned=TunedTop.from_arrays(data),
            )
    except (OSError, KeyError, ValueError) as exc:
        raise errors.SettingsError(
            f"classifier {path}: cannot be read ({exc}); retrain it with `persona-lab train` "
            'or set classifier = "none"'
        ) from exc
    if loaded.embedder != embedder_name:
        raise errors.SettingsError(
            f"classifier {path} was trained on '{loaded.embedder}' embeddings, not "
            f"'{embedder_name}'; retrain it with `persona-lab train` or set classifier = \"none\""
        )
    return loaded
