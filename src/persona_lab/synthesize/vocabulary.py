""" "In their words": terms a persona uses more than the others.

Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and
Quinn, 2008): each term's z-score compares the persona's use with everyone
else's, shrunk toward the round's overall use so rare words don't win by chance.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")


@functools.lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English function words (data/stop_words.txt): read as data, so building
    personas from stored insights never imports spaCy (and torch behind it)."""
    text = resources.files("persona_lab.data").joinpath("stop_words.txt").read_text("utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


@functools.lru_cache(maxsize=1)
def plain_words() -> frozenset[str]:
    """Everyday words every persona says (data/plain_words.txt): never "In their words"."""
    text = resources.files("persona_lab.data").joinpath("plain_words.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.split("\n") if w.strip() and not w.startswith("#"))


def terms(text: str, stop_words: frozenset[str]) -> list[str]:
    """Lowercased unigrams and bigrams of content words, in order."""
    words = [w.lower() for w in WORD.findall(text)]
    content = [w if (w not in stop_words and len(w) > 2 and "'" not in w) else "" for w in words]
    out = [w for w in content if w]
    out.extend(f"{a} {b}" for a, b in itertools.pairwise(content) if a and b)
    return out


CUT = " \u2026"  # ends a label that is the first words of a longer quote


def label_span(text: str, label: str) -> tuple[int, int] | None:
    """Where a theme's label stands in a quote: its words in order, any case or
    spacing, not inside a longer word; None when the quote does not say it. A label
    cut from a long quote ("I hope the school lets us …") stands at its words."""
    words = label.removesuffix(CUT).split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    if words[0][0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if words[-1][-1].isalnum():
        pattern += r"(?!\w)"
    found = re.search(pattern, text, re.IGNORECASE)
    return found.span() if found else None


SHORT_LABEL = 4  # words: a longer label is a quote and keeps its capital


def in_written_case(label: str, texts: Iterable[str]) -> str:
    """A short label's first capital lowered when the quotes write that word in
    lower case and never with a capital inside a sentence ("Lesson planning" where
    they say "the lesson plans"): the parser takes some sentence-initial nouns for
    names, which keep their capital. A name ("Slack", though "no slack in the plan"),
    an acronym and "I" keep it."""
    first = label.split(" ", 1)[0]
    if len(label.split()) > SHORT_LABEL or not first[1:2].islower() or not first[:1].isupper():
        return label
    lowered = first[0].lower() + first[1:]
    texts = list(texts)
    if not any(re.search(_whole(lowered), text) for text in texts):
        return label
    for text in texts:
        for found in re.finditer(_whole(first), text):
            before = text[: found.start()].rstrip()
            if before and before[-1] not in '.!?:"\u201c(':
                return label  # a capital inside a sentence: a name
    return lowered + label[len(first) :]


def _whole(word: str) -> str:
    return r"(?<![\w'])" + re.escape(word) + r"(?![\w'])"


def log_odds(
    group: Counter[str], rest: Counter[str], prior: Counter[str], *, prior_size: float = 500.0
) -> dict[str, float]:
    """z-scores of each term of ``group`` against ``rest``."""
    total_prior = sum(prior.values()) or 1
    n_group = sum(group.values())
    n_rest = sum(rest.values())
    scores: dict[str, float] = {}
    for term, count in group.items():
        alpha = prior_size * prior[term] / total_prior
        alpha0 = prior_size
        in_group = math.log((count + alpha) / (n_group + alpha0 - count - alpha))
        other = rest.get(term, 0)
        in_rest = math.log((other + alpha) / (n_rest + alpha0 - other - alpha))
        variance = 1.0 / (count + alpha) + 1.0 / (other + alpha)
        scores[term] = (in_group - in_rest) / math.sqrt(variance)
    return scores


def distinctive_terms(
    texts_by_group: Mapping[str, Mapping[str, Sequence[str]]],
    stop_words: Iterable[str],
    *,
    top_n: int,
    min_speakers: int = 2,
) -> dict[str, tuple[str, ...]]:
    """The ``top_n`` distinctive terms of each group.

    Args:
        texts_by_group: group -> speaker -> texts that speaker said.
        stop_words: words never shown.
        top_n: terms kept per group.
        min_speakers: a term must be used by this many of the group's speakers
            (or all of them, when fewer), so one person's habit is not a persona's.
    """
    stops = frozenset(w.lower() for w in stop_words)
    counts: dict[str, Counter[str]] = {}
    speakers: dict[str, Counter[str]] = {}
    for group, by_speaker in texts_by_group.items():
        counts[group] = Counter()
        speakers[group] = Counter()
        for texts in by_speaker.values():
            said = [t for text in texts for t in terms(text, stops)]
            counts[group].update(said)
            speakers[group].update(set(said))
    prior: Counter[str] = Counter()
    for c in counts.values():
        prior.update(c)
    result: dict[str, tuple[str, ...]] = {}
    for group, group_counts in counts.items():
        rest = prior - group_counts
        need = min(min_speakers, max(1, len(texts_by_group[group])))
        scored = log_odds(group_counts, rest, prior)
        eligible = [
            (-score, term)
            for term, score in scored.items()
            if speakers[group][term] >= need and group_counts[term] >= 2
        ]
        chosen: list[str] = []
        for _, term in sorted(eligible):
            if any(term in kept or kept in term for kept in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top_n:
                break
        result[group] = tuple(chosen)
    return result
