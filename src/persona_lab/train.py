"""Train the extraction classifier and measure it on sentences it was not trained on.

``persona-lab train GOLD...`` reads labeled sentences, builds the rule and
embedding features, reports grouped k-fold figures (each fold's sentences come
from calls the model did not see), then fits on everything and writes the weights.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from . import errors
from .embed import Embedder
from .evaluate import OTHER, Example, Report, report
from .extract import build_matcher, load_context, load_cues, score_span
from .extract.classifier import Classifier, decide, fit
from .extract.features import (
    CLASSES,
    RuleEvidence,
    evidence,
    feature_matrix,
    feature_names,
    prototype_vectors,
    rule_features,
)
from .settings import Settings

# Opens a progress bar: its name and total, and what advances it.
Stage = Callable[[str, int], Callable[[int], None]]

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass(frozen=True)
class Featured:
    """Examples with their rule evidence and full feature rows."""

    examples: tuple[Example, ...]
    rules: tuple[RuleEvidence, ...]
    features: np.ndarray
    # Token states below the tuned layers, per example: empty unless fine-tuning.
    states: tuple[np.ndarray, ...] = ()


def featurize(
    examples: Sequence[Example],
    nlp: Language,
    embedder: Embedder,
    settings: Settings,
    *,
    tuned: bool = False,
    stage: Stage | None = None,
) -> Featured:
    """The same features extraction builds, for labeled example sentences."""
    matcher, by_id = build_matcher(nlp.vocab, load_cues(settings.kinds))
    context = load_context()
    rules: list[RuleEvidence] = []
    for example, doc in zip(examples, nlp.pipe(e.text for e in examples), strict=True):
        matches = [(by_id[m], s, e) for m, s, e in matcher(doc)]
        asked = context.kinds_asked(example.question) if "?" in example.question else ()
        scored = score_span(doc[:], matches, settings, asked)
        words = sum(1 for t in doc if not t.is_punct and not t.is_space)
        rules.append(evidence(scored, asked, example.text, words))
    vectors = embedder.encode([e.text for e in examples])
    features = feature_matrix(rules, vectors, prototype_vectors(embedder), settings.kinds)
    texts = [e.text for e in examples]
    states = _hidden_states(embedder, texts, stage) if tuned else []
    return Featured(tuple(examples), tuple(rules), features, tuple(states))


def _tunable(embedder: Embedder) -> tuple[Any, Any, int]:
    """The embedder that exposes its layers, its transformer, and the first layer to tune."""
    from .extract.tuned import first_tuned
    from .tune import TUNED_LAYERS

    inner = getattr(embedder, "inner", embedder)
    auto_model = inner.transformer() if hasattr(inner, "transformer") else None
    first = first_tuned(auto_model, TUNED_LAYERS) if auto_model is not None else None
    if first is None:
        raise errors.SettingsError(errors.NOT_TUNABLE.format(name=embedder.name))
    return inner, auto_model, first


def _hidden_states(embedder: Embedder, texts: list[str], stage: Stage | None) -> list[np.ndarray]:
    inner, _, first = _tunable(embedder)
    bar = stage("Reading hidden states", len(texts)) if stage else None
    states: list[np.ndarray] = inner.hidden_states(texts, first, bar)
    return states


def cross_validated_tuned(
    featured: Featured,
    settings: Settings,
    embedder: Embedder,
    *,
    k: int = 5,
    c: float = 0.1,
    stage: Stage | None = None,
) -> np.ndarray:
    """Out-of-fold probabilities of the fine-tuned classifier, each fold tuned afresh,
    blended with the linear model's as the shipped classifier blends them."""
    from .tune import EPOCHS, LINEAR_WEIGHT, fit_tuned, tuned_probabilities

    _, auto_model, first = _tunable(embedder)
    labels = [e.label for e in featured.examples]
    groups = [f"{e.source}:{e.group}" for e in featured.examples]
    rules = rule_features(featured.rules, settings.kinds)
    weights = source_weights(featured.examples)
    out = np.zeros((len(labels), len(CLASSES)))
    bar = stage(f"Tuning {k} folds", EPOCHS * (k - 1) * len(labels)) if stage else None
    for held in _folds(groups, k, settings.seed):
        train_rows = np.setdiff1d(np.arange(len(labels)), held)
        model = fit_tuned(
            rules[train_rows],
            [featured.states[i] for i in train_rows],
            [labels[i] for i in train_rows],
            weights[train_rows],
            auto_model,
            settings.kinds,
            embedder.name,
            seed=settings.seed,
            first=first,
            progress=bar,
        )
        held_states = [featured.states[i] for i in held]
        out[held] = tuned_probabilities(model, rules[held], held_states, auto_model)
    linear = cross_validated(featured, settings, embedder.name, k=k, c=c)
    blended: np.ndarray = (1 - LINEAR_WEIGHT) * out + LINEAR_WEIGHT * linear
    return blended


def train_tuned(
    featured: Featured,
    settings: Settings,
    embedder: Embedder,
    *,
    c: float = 0.1,
    metadata: dict[str, Any] | None = None,
    stage: Stage | None = None,
) -> Classifier:
    """The fine-tuned classifier fitted on every example, with its linear companion."""
    from dataclasses import replace

    from .tune import EPOCHS, LINEAR_WEIGHT, fit_tuned

    _, auto_model, first = _tunable(embedder)
    tuned = fit_tuned(
        rule_features(featured.rules, settings.kinds),
        list(featured.states),
        [e.label for e in featured.examples],
        source_weights(featured.examples),
        auto_model,
        settings.kinds,
        embedder.name,
        seed=settings.seed,
        first=first,
        metadata=metadata,
        progress=stage("Tuning on every sentence", EPOCHS * len(featured.examples))
        if stage
        else None,
    )
    linear = train(featured, settings, embedder.name, c=c)
    return replace(tuned, linear=linear, linear_weight=LINEAR_WEIGHT)


def rule_predictions(featured: Featured, settings: Settings) -> list[str]:
    """What the cue patterns alone say, for comparison."""
    out = []
    for rule in featured.rules:
        passing = [(s, k) for k, s in rule.scores.items() if s >= settings.thresholds.get(k, 0.5)]
        out.append(max(passing)[1] if passing else OTHER)
    return out


def _folds(groups: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    """Fold index per example: whole groups (calls) go to one fold, shuffled by seed."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[i]: rank % k for rank, i in enumerate(order)}
    assignment = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(assignment == f) for f in range(k)]


def source_weights(examples: Sequence[Example]) -> np.ndarray:
    """One weight per example so that every gold set counts the same in total.

    The real interviews hold four times as many sentences as the written B2B set;
    unweighted, the model would learn one domain and lose the other.
    """
    sizes = Counter(e.source for e in examples)
    mean = len(examples) / len(sizes)
    return np.array([mean / sizes[e.source] for e in examples])


def cross_validated(
    featured: Featured, settings: Settings, embedder_name: str, *, k: int = 5, c: float = 1.0
) -> np.ndarray:
    """Out-of-fold class probabilities: each row predicted by a model that never saw its call."""
    labels = [e.label for e in featured.examples]
    groups = [f"{e.source}:{e.group}" for e in featured.examples]
    names = feature_names(settings.kinds, featured.features.shape[1] - 2 * len(settings.kinds) - 7)
    out = np.zeros((len(labels), len(CLASSES)))
    weights = source_weights(featured.examples)
    for held in _folds(groups, k, settings.seed):
        train = np.setdiff1d(np.arange(len(labels)), held)
        model = fit(
            featured.features[train],
            [labels[i] for i in train],
            CLASSES,
            names,
            embedder_name,
            c=c,
            seed=settings.seed,
            weights=weights[train],
        )
        out[held] = model.probabilities(featured.features[held])
    return out


def predictions(probabilities: np.ndarray, settings: Settings) -> list[str]:
    thresholds = {k: settings.thresholds.get(k, 0.5) for k in settings.kinds}
    return [d[0] if d else OTHER for d in decide(probabilities, CLASSES, thresholds)]


def reports_by_source(
    featured: Featured, predicted: Sequence[str], kinds: Sequence[str]
) -> dict[str, Report]:
    """Figures for each gold file separately: written sentences and real interviews differ."""
    out: dict[str, Report] = {}
    for source in sorted({e.source for e in featured.examples}):
        rows = [i for i, e in enumerate(featured.examples) if e.source == source]
        gold = [featured.examples[i].label for i in rows]
        out[source] = report(gold, [predicted[i] for i in rows], kinds)
    return out


def train(
    featured: Featured,
    settings: Settings,
    embedder_name: str,
    *,
    c: float = 1.0,
    metadata: dict[str, Any] | None = None,
) -> Classifier:
    """The classifier fitted on every example."""
    dims = featured.features.shape[1] - 2 * len(settings.kinds) - 7
    return fit(
        featured.features,
        [e.label for e in featured.examples],
        CLASSES,
        feature_names(settings.kinds, dims),
        embedder_name,
        c=c,
        seed=settings.seed,
        metadata=metadata,
        weights=source_weights(featured.examples),
    )
