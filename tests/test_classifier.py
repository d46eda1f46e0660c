"""The extraction classifier: features, training, folds, the shipped file, decisions."""

from __future__ import annotations

import numpy as np
import pytest

from persona_lab.errors import SettingsError
from persona_lab.evaluate import Example
from persona_lab.extract.classifier import Classifier, decide, fit, load_classifier
from persona_lab.extract.features import (
    CLASSES,
    RuleEvidence,
    feature_matrix,
    feature_names,
    prototype_vectors,
)
from persona_lab.train import Featured, _folds, cross_validated, predictions

KINDS = ("pain", "goal", "objection")


def _rows(n: int) -> list[RuleEvidence]:
    return [RuleEvidence({k: 0.1 for k in KINDS}, (), False, False, 8) for _ in range(n)]


def _toy(fake_embedder) -> tuple[np.ndarray, list[str]]:
    texts = {
        "pain": ["it is slow and painful every week", "the slow painful export hurts"],
        "goal": ["I want one clear dashboard", "we want a clear dashboard someday"],
        "objection": ["the price is too high for us", "too high a price for the budget"],
        "other": ["thanks for having me today", "happy to be here today"],
    }
    labels = [label for label, items in texts.items() for _ in items] * 3
    sentences = [s for items in texts.values() for s in items] * 3
    vectors = fake_embedder.encode(sentences)
    features = feature_matrix(
        _rows(len(sentences)), vectors, prototype_vectors(fake_embedder), KINDS
    )
    return features, labels


def test_feature_matrix_has_named_columns(fake_embedder):
    features, _ = _toy(fake_embedder)
    assert features.shape[1] == len(feature_names(KINDS, fake_embedder.dims))
    assert features.dtype == np.float32


def test_fit_learns_and_round_trips_through_npz(fake_embedder, tmp_path):
    features, labels = _toy(fake_embedder)
    names = feature_names(KINDS, fake_embedder.dims)
    model = fit(features, labels, CLASSES, names, fake_embedder.name, c=10.0)
    predicted = [CLASSES[i] for i in model.probabilities(features).argmax(axis=1)]
    assert predicted == labels
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = load_classifier(str(path), fake_embedder.name)
    assert isinstance(loaded, Classifier)
    assert np.allclose(loaded.probabilities(features), model.probabilities(features), atol=1e-5)
    with pytest.raises(SettingsError, match="retrain"):
        load_classifier(str(path), "another-model")


def test_load_classifier_none_and_broken(tmp_path):
    assert load_classifier("none", "x") is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not an npz")
    with pytest.raises(SettingsError, match=r"broken\.npz"):
        load_classifier(str(broken), "x")


def test_shipped_classifier_loads_without_pickle(settings):
    model = load_classifier("shipped", settings.embedding_model)
    assert model is not None and model.classes == CLASSES
    assert model.metadata["cross_validated_f1"]


def test_decide_applies_thresholds_per_kind():
    probabilities = np.array([[0.1, 0.6, 0.2, 0.1], [0.5, 0.3, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]])
    thresholds = {"pain": 0.5, "goal": 0.5, "objection": 0.8}
    assert decide(probabilities, CLASSES, thresholds) == [("pain", 0.6), None, None]


def test_folds_keep_a_call_in_one_fold():
    groups = ["a", "a", "b", "c", "c", "d", "e", "f"]
    folds = _folds(groups, 3, seed=1)
    assert sorted(i for f in folds for i in f) == list(range(len(groups)))
    for fold in folds:
        held = {groups[i] for i in fold}
        rest = {g for i, g in enumerate(groups) if i not in set(fold)}
        assert not held & rest


def test_cross_validated_predicts_every_example_from_other_calls(fake_embedder, settings):
    features, labels = _toy(fake_embedder)
    examples = tuple(Example("x", label, "", f"call{i % 6}") for i, label in enumerate(labels))
    featured = Featured(examples, tuple(_rows(len(labels))), features)
    probabilities = cross_validated(featured, settings, fake_embedder.name, k=3, c=10.0)
    assert probabilities.shape == (len(labels), len(CLASSES))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert len(predictions(probabilities, settings)) == len(labels)


def test_source_weights_let_every_gold_set_count_the_same():
    from persona_lab.train import source_weights

    examples = [Example("a", "other", "", "g", "gold")] * 2 + [
        Example("b", "pain", "", "f", "real_interviews")
    ] * 6
    weights = source_weights(examples)
    assert weights[:2].sum() == pytest.approx(weights[2:].sum())
    assert weights.sum() == pytest.approx(len(examples))


def test_a_reference_gets_the_interviewers_whole_turn_as_its_question(tmp_path):
    from persona_lab.evaluate import load_examples

    (tmp_path / "t.md").write_text(
        "AI: That sounds like a lot of work.\n"
        "\n"
        "What is the hardest part of the month-end close?\n"
        "\n"
        "User: Chasing approvals. It takes days.\n"
        "Then the numbers are stale.\n",
        "utf-8",
    )
    refs = tmp_path / "refs.jsonl"
    refs.write_text(
        '{"file": "t.md", "line": 5, "start": 25, "end": 39, "label": "pain"}\n'
        '{"file": "t.md", "line": 6, "start": 0, "end": 27, "label": "pain"}\n',
        "utf-8",
    )
    first, second = load_examples(refs, tmp_path)
    assert first.text == "It takes days."
    assert second.text == "Then the numbers are stale."
    for example in (first, second):
        assert example.question.endswith("What is the hardest part of the month-end close?")
        assert example.question.startswith("That sounds like a lot of work.")
