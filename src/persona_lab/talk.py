"""A function for participants who give no title, from the words of their own turns.

"My students", "the lesson plan", "debugging the code": what people talk about
says what they do. Each word of a function's talk list (in the role taxonomy)
counts by how rare it is in the round (inverse document frequency), so words that
everyone uses say little. The function must lead clearly, or none is set.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .roles import Taxonomy


@dataclass(frozen=True)
class TalkMatch:
    """The function someone's talk points to, and the words that said so."""

    function: str
    score: float
    words: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        shown = ", ".join(f"{w} ×{n}" for w, n in self.words[:4])
        return f"{self.function} from their words ({shown})"


def word_counts(words: Iterable[str]) -> Counter[str]:
    return Counter(w.lower() for w in words)


def functions_from_talk(
    counts: Mapping[str, Counter[str]], taxonomy: Taxonomy
) -> dict[str, TalkMatch]:
    """For each key (a participant) of ``counts``, the function their words point to, if any."""
    if not taxonomy.talk or not counts:
        return {}
    documents = Counter(w for c in counts.values() for w in c)
    n = len(counts)
    idf = {w: math.log((1 + n) / (1 + df)) + 1.0 for w, df in documents.items()}
    found: dict[str, TalkMatch] = {}
    for key in sorted(counts):
        said = counts[key]
        scores: list[tuple[float, str, int]] = []
        for function, vocabulary in sorted(taxonomy.talk.items()):
            used = [w for w in said if w in vocabulary]
            total = sum(said[w] for w in used)
            score = sum(said[w] * idf[w] for w in used)
            scores.append((score, function, total))
        scores.sort(key=lambda s: (-s[0], s[1]))
        best = scores[0]
        # Related fields (writing and the arts) share words; the lead that counts is
        # over the best function outside the leader's family.
        family = taxonomy.related(best[1])
        runner_up = next((s for s in scores if s[1] not in family), (0.0, "", 0))
        if best[2] < taxonomy.talk_min_count or best[0] < taxonomy.talk_margin * runner_up[0]:
            continue
        vocabulary = taxonomy.talk[best[1]]
        words = sorted(
            ((w, c) for w, c in said.items() if w in vocabulary), key=lambda x: (-x[1], x[0])
        )
        found[key] = TalkMatch(best[1], round(best[0], 3), tuple(words))
    return found
