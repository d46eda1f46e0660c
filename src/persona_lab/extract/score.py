"""Scores a sentence for each kind of insight from its cues and its context.

Each kind's logit is a bias plus the weights of the cues found in the sentence,
adjusted for negation, questions, hypotheticals, praise and the interviewer's
question; the score is the logistic of the logit, so it reads as 0 to 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .patterns import Common, Cue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PRAISE_KINDS = ("pain", "objection")
HYPOTHETICAL_KINDS = ("pain", "goal")
PAST_TAGS = ("VBD", "VBN")


@dataclass(frozen=True)
class Scored:
    """A sentence's score per kind and the cues behind it (for --verbose and eval)."""

    scores: dict[str, float]
    cues: tuple[str, ...] = field(default=())

    def best(self, thresholds: dict[str, float]) -> tuple[str, float] | None:
        """The kind with the highest score over its threshold, if any."""
        passing = [
            (score, kind)
            for kind, score in self.scores.items()
            if score >= thresholds.get(kind, 0.5)
        ]
        if not passing:
            return None
        score, kind = max(passing)
        return kind, score


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def is_negated(tokens: Sequence[Token], sentence: Span, common: Common) -> bool:
    """Whether a cue is negated: a ``neg`` child, or a negation word just before it."""
    for token in tokens:
        if any(child.dep_ == "neg" for child in token.children):
            return True
        governed = token.head is not token and token.dep_ in ("acomp", "attr", "dobj", "xcomp")
        if governed and any(child.dep_ == "neg" for child in token.head.children):
            return True
    first = tokens[0].i
    window_start = max(sentence.start, first - common.negation_window)
    doc = sentence.doc
    return any(doc[i].lower_ in common.negation_words for i in range(window_start, first))


def score_sentence(
    sentence: Span,
    matches: Iterable[tuple[Cue, int, int]],
    kinds: Sequence[str],
    common: Common,
    *,
    asked: Sequence[str] = (),
    context_weight: float = 0.0,
) -> Scored:
    """Scores one sentence from the cue matches that fall inside it.

    Args:
        sentence: the sentence span.
        matches: (cue, start, end) token offsets in the sentence's doc.
        kinds: the kinds to score.
        common: sentence-level weights.
        asked: kinds the interviewer's preceding question asked about.
        context_weight: prior added to those kinds.
    """
    logits = {kind: common.bias for kind in kinds}
    seen: set[str] = set()
    cues: list[str] = []
    doc = sentence.doc
    for cue, start, end in matches:
        if cue.kind not in logits or cue.key in seen:
            continue
        if cue.skip_past and doc[start].tag_ in PAST_TAGS:
            continue  # "what I wanted" tells a story; it states no goal now
        if cue.only_when_asked and cue.kind not in asked:
            continue  # "my manager" says who decides only when asked who decides
        negated = is_negated([doc[i] for i in range(start, end)], sentence, common)
        weight = cue.weight
        if negated:
            if cue.when_negated == "invert":
                weight = -0.8 * cue.weight
            elif cue.when_negated == "ignore":
                continue
        elif cue.when_negated == "only":
            continue
        seen.add(cue.key)
        cues.append(cue.key + ("!neg" if negated else ""))
        logits[cue.kind] += weight

    words = [t.lower_ for t in sentence if not t.is_punct and not t.is_space]
    text = sentence.text.rstrip()
    for kind in kinds:
        if text.endswith("?"):
            logits[kind] += common.question
        if len(words) > common.long_tokens:
            logits[kind] += common.long_penalty
        if any(w in common.first_person_words for w in words):
            logits[kind] += common.first_person
        if kind in HYPOTHETICAL_KINDS and any(w in common.hypothetical_words for w in words[:2]):
            logits[kind] += common.hypothetical
        if kind in PRAISE_KINDS and any(w in common.praise_words for w in words):
            logits[kind] += common.praise
        if kind in asked:
            logits[kind] += context_weight
    if len(words) < common.short_tokens:
        return Scored({kind: 0.0 for kind in kinds}, tuple(cues))
    return Scored({kind: sigmoid(v) for kind, v in logits.items()}, tuple(cues))
