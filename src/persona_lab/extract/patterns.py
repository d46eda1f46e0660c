"""Reads the cue patterns of each kind from the YAML files beside this module.

Patterns are data, reviewed like code: each file holds spaCy Matcher token
patterns with a weight and a rule for what a negated cue means.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

NEGATION_RULES = ("invert", "ignore", "keep", "only")


@dataclass(frozen=True)
class Cue:
    """One named pattern of one kind."""

    kind: str
    id: str
    weight: float
    when_negated: str
    pattern: tuple[dict[str, Any], ...]
    skip_past: bool = False
    # Counts only in an answer to a question about its kind ("Who signs off?").
    only_when_asked: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Common:
    """Sentence-level weights shared by all kinds (``common.yaml``)."""

    bias: float
    question: float
    short_tokens: int
    long_tokens: int
    long_penalty: float
    first_person: float
    first_person_words: frozenset[str]
    hypothetical: float
    hypothetical_words: frozenset[str]
    negation_window: int
    negation_words: frozenset[str]
    praise: float
    praise_words: frozenset[str]


@dataclass(frozen=True)
class ContextCues:
    """Phrases in the interviewer's question that raise a kind's prior."""

    weight: float
    phrases: dict[str, tuple[str, ...]]

    def kinds_asked(self, question: str) -> tuple[str, ...]:
        """The kinds a question asks about, in a stable order."""
        lowered = question.lower()
        return tuple(
            kind
            for kind, phrases in sorted(self.phrases.items())
            if any(phrase in lowered for phrase in phrases)
        )


def _read(name: str) -> Any:
    text = resources.files("persona_lab.extract").joinpath("patterns", name).read_text("utf-8")
    return yaml.safe_load(text)


@functools.lru_cache(maxsize=8)
def load_cues(kinds: tuple[str, ...]) -> tuple[Cue, ...]:
    """The cues of the given kinds, from ``patterns/<kind>.yaml``."""
    cues: list[Cue] = []
    for kind in kinds:
        data = _read(f"{kind}.yaml")
        for item in data["patterns"]:
            rule = item.get("when_negated", "keep")
            if rule not in NEGATION_RULES:
                raise ValueError(
                    f"{kind}.yaml: {item['id']}: when_negated must be one of {NEGATION_RULES}"
                )
            cues.append(
                Cue(
                    kind,
                    item["id"],
                    float(item["weight"]),
                    rule,
                    tuple(item["pattern"]),
                    bool(item.get("skip_past", False)),
                    bool(item.get("only_when_asked", False)),
                )
            )
    return tuple(cues)


@functools.lru_cache(maxsize=1)
def load_common() -> Common:
    data = _read("common.yaml")
    values: dict[str, Any] = {
        k: frozenset(str(w).lower() for w in v) if k.endswith("_words") else v
        for k, v in data.items()
    }
    return Common(**values)


@functools.lru_cache(maxsize=1)
def load_context() -> ContextCues:
    data = _read("context.yaml")
    phrases = {kind: tuple(p.lower() for p in items) for kind, items in data["kinds"].items()}
    return ContextCues(float(data["weight"]), phrases)
