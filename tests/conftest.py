"""Fixtures shared by every test. Fast tests load no model: they use a blank
spaCy pipeline or hand-built Docs and a deterministic fake embedder."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings as hypothesis_profiles

from persona_lab.settings import Settings, default_settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "transcripts" / "demo"
SHARED_INTERVIEWS = ROOT.parent / "shared" / "data" / "interviews"

# `make test` tries the same generated examples every run, so a green run stays green;
# `make fuzz` draws new ones each time to look for what the fixed set misses.
hypothesis_profiles.register_profile("repeatable", derandomize=True, database=None)
hypothesis_profiles.register_profile("explore", derandomize=False)
hypothesis_profiles.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


class FakeEmbedder:
    """Deterministic bag-of-words vectors: texts sharing words are similar."""

    name = "fake-bow-64"
    dims = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                digest = hashlib.md5(word.encode()).digest()
                out[row, digest[0] % self.dims] += 1.0
                out[row, digest[1] % self.dims] += 0.5
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
        return out


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def settings() -> Settings:
    return default_settings()


@pytest.fixture(scope="session")
def blank_nlp():
    """A blank English pipeline with a rule-based sentencizer: tokenizer only."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture
def shared_interviews() -> Path:
    if not SHARED_INTERVIEWS.is_dir():
        pytest.skip("../shared/data/interviews is absent")
    return SHARED_INTERVIEWS


def make_transcript(source, turns, *, interviewer="Interviewer", titles=None, start_line=1):
    """A transcript built by hand: one piece a turn, one line a turn.

    ``turns`` is a list of (speaker, text); ``titles`` maps speaker -> (title,
    function, seniority) for the participants.
    """
    from persona_lab.models import Participant, Piece, Transcript, Turn

    built = [
        Turn(i, speaker, text, (Piece(0, start_line + i, float(i * 10), float(i * 10 + 9)),))
        for i, (speaker, text) in enumerate(turns)
    ]
    stem = source.rsplit("/", 1)[-1].split(".")[0]
    people = []
    for speaker in dict.fromkeys(s for s, _ in turns):
        title, function, seniority = (titles or {}).get(speaker, (None, "unknown", "unknown"))
        people.append(
            Participant(
                id=f"{stem}/{speaker.lower()}",
                speaker=speaker,
                name=speaker,
                is_interviewer=speaker == interviewer,
                interviewer_rule="label",
                title=title,
                title_source="metadata" if title else None,
                function=function,
                seniority=seniority,
                sources=(source,),
            )
        )
    return Transcript(source, "text", tuple(built), tuple(people), f"hash-{source}")


def hand_doc(vocab, words, lemmas=None, deps=None, heads=None, pos=None):
    """A Doc built by hand, one sentence, with optional lemmas and a dependency parse."""
    from spacy.tokens import Doc

    return Doc(
        vocab,
        words=words,
        lemmas=lemmas or [w.lower() for w in words],
        deps=deps,
        heads=heads,
        pos=pos,
        sent_starts=[True] + [False] * (len(words) - 1),
    )


@pytest.fixture(autouse=True)
def _store_home(tmp_path_factory, monkeypatch):
    """A named round is stored in $PERSONA_LAB_HOME: never in the repository during tests."""
    monkeypatch.setenv("PERSONA_LAB_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def fake_models(monkeypatch, tmp_path) -> Path:
    """The CLI's runs use the fake models (fixtures/store/fake_run.py); returns a
    --config file that turns the classifier off."""
    from persona_lab import pipeline

    monkeypatch.syspath_prepend(str(ROOT / "tests" / "fixtures" / "store"))
    from fake_run import lemma_nlp

    monkeypatch.setattr(pipeline, "load_pipeline", lambda *a, **k: lemma_nlp())
    monkeypatch.setattr(pipeline, "load_embedder", lambda *a, **k: FakeEmbedder())
    config = tmp_path / "fake.toml"
    config.write_text('classifier = "none"\n')
    return config
