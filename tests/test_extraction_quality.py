"""Regression guard on extraction quality: figures recorded in BENCHMARKS.md."""

from __future__ import annotations

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

GOLD = ROOT / "src" / "persona_lab" / "data" / "gold" / "gold.jsonl"
# Cross-validated F1 of the fine-tuned classifier on the project's gold set (5 folds by call),
# as measured on 2026-11-27 (BENCHMARKS.md); a fall of more than 0.03 fails.
MEASURED = {"pain": 0.812, "goal": 0.914, "objection": 0.704}
TOLERANCE = 0.03


def test_classifier_f1_on_gold_does_not_regress(settings):
    from persona_lab.embed import load_embedder
    from persona_lab.evaluate import load_examples
    from persona_lab.nlp import load_pipeline
    from persona_lab.train import (
        cross_validated_tuned,
        featurize,
        predictions,
        reports_by_source,
        rule_predictions,
    )

    nlp = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    embedder = load_embedder(settings.embedding_model)
    featured = featurize(load_examples(GOLD), nlp, embedder, settings, tuned=True)
    probabilities = cross_validated_tuned(featured, settings, embedder)
    learned = reports_by_source(featured, predictions(probabilities, settings), settings.kinds)
    rules = reports_by_source(featured, rule_predictions(featured, settings), settings.kinds)
    for kind, value in MEASURED.items():
        assert learned["gold"].f1[kind] >= value - TOLERANCE, (kind, learned["gold"].f1[kind])
    assert learned["gold"].f1["pain"] > rules["gold"].f1["pain"]
