"""The extraction classifier: a softmax head over rule features and the sentence's meaning.

The shipped one reads the meaning through the embedder's fine-tuned top layers
(``tuned.py``) and blends in a logistic regression over the frozen embedding;
``persona-lab train --linear`` makes the regression alone. Trained on the
project's own labeled sentences and shipped as plain arrays in
``data/classifier.npz`` (never a pickle). Its probabilities are the one score
that combines the cue patterns, the interviewer's question and the sentence.
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
LINEAR = "linear__"
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
    # With tuned layers, a linear model over the frozen embedding whose probabilities
    # are blended in with this weight: it keeps cue words the tuned layers learned to
    # discount ("deal-breaker" in a B2B call); see BENCHMARKS.md.
    linear: Classifier | None = field(default=None, compare=False)
    linear_weight: float = 0.0

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per sentence, columns in ``classes`` order."""
        if len(features) == 0:
            return np.zeros((0, len(self.classes)), dtype=np.float64)
        z = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z.astype(np.float64))
        return e / e.sum(axis=1, keepdims=True)

    def blended(self, features: np.ndarray, linear_features: np.ndarray | None) -> np.ndarray:
        """Probabilities of this model, blended with the linear companion's if there is one."""
        own = self.probabilities(features)
        if self.linear is None or linear_features is None or not len(features):
            return own
        other = self.linear.probabilities(linear_features)
        return (1 - self.linear_weight) * own + self.linear_weight * other

    def arrays(self) -> dict[str, np.ndarray]:
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
        if self.linear is not None:
            arrays.update({f"{LINEAR}{k}": v for k, v in self.linear.arrays().items()})
            arrays["linear_weight"] = np.array(self.linear_weight, dtype=np.float32)
        return arrays

    def save(self, path: str | Path) -> None:
        np.savez_compressed(Path(path), **self.arrays())  # type: ignore[arg-type]


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


def _from_arrays(data: dict[str, np.ndarray], prefix: str = "") -> Classifier:
    def get(key: str) -> np.ndarray:
        return data[prefix + key]

    own = {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}
    linear = None
    if not prefix and f"{LINEAR}weights" in data:
        linear = _from_arrays(data, LINEAR)
    return Classifier(
        classes=tuple(str(c) for c in get("classes")),
        feature_names=tuple(str(n) for n in get("feature_names")),
        weights=get("weights"),
        bias=get("bias"),
        mean=get("mean"),
        scale=get("scale"),
        embedder=str(get("embedder")),
        metadata=json.loads(str(get("metadata"))),
        tuned=None if prefix else TunedTop.from_arrays(own),
        linear=linear,
        linear_weight=float(data["linear_weight"]) if linear is not None else 0.0,
    )


def shipped_path() -> Path:
    return Path(str(resources.files("persona_lab.data").joinpath("classifier.npz")))


def load_classifier(setting: str, embedder_name: str) -> Classifier | None:
    """The classifier the settings name: the shipped one, a file, or none (rules only)."""
    if not setting or setting == NONE:
        return None
    path = shipped_path() if setting == SHIPPED else Path(setting)
    try:
        with np.load(path, allow_pickle=False) as data:
            loaded = _from_arrays({k: data[k] for k in data.files})
    except (OSError, KeyError, ValueError) as exc:
        raise errors.SettingsError(
            f"classifier {path}: cannot be read ({exc}); retrain it with `persona-lab train` "
            'or set classifier = "none"'
        ) from exc
    if loaded.embedder != embedder_name:
        raise errors.SettingsError(
            f"classifier {path} was trained on '{loaded.embedder}' embeddings, not "
            f"'{embedder_name}'; retrain it with `persona-lab train` (`--linear` for a model "
            'without BERT-style layers) or set classifier = "none"'
        )
    return loaded
