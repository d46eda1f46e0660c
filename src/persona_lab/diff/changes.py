"""What changed inside one persona between two rounds: themes, objections, words.

A theme's share is the part of the persona's participants behind it. Themes of
the two rounds are paired by the similarity of their insights (per kind, by
optimal assignment); a theme with no partner is measured on the other side by
how many participants said something close to it, so a theme that only lost
its cluster is not reported as gone. Everything is a pure function of the two
personas and their insights' vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..cluster import centroid
from ..models import Insight, Persona, Quote, Round, Theme

# Cosine between two themes' centroids from which they are one theme (all-MiniLM-L6-v2:
# the same theme in two rounds scores about 0.75-0.95, two pains of one persona 0.3-0.65).
THEME_MATCH = 0.75
# Cosine between an insight and a theme's centroid from which it says the same.
SUPPORT_SIMILARITY = 0.6
# A change of share (0 to 1) that counts as growing or shrinking; in a small persona it
# must also be worth at least one participant of the smaller round (1/3 of three people).
SHARE_CHANGE = 0.15
# An objection closer than this to every objection of the older round is not new.
NEW_OBJECTION_SIMILARITY = 0.6
NEW_OBJECTIONS_SHOWN = 5
QUOTES_SHOWN = 2
KIND_ORDER = ("pain", "goal", "objection")


@dataclass(frozen=True)
class Side:
    """One round and its insights' vectors, looked up by insight key."""

    round: Round
    vectors: np.ndarray

    @cached_property
    def index(self) -> dict[tuple[str, int, int, str], int]:
        return {i.key: n for n, i in enumerate(self.round.insights)}

    def rows(self, insights: Sequence[Insight]) -> np.ndarray:
        picked = [self.index[i.key] for i in insights if i.key in self.index]
        if not picked or not len(self.vectors):
            return np.zeros((0, 0), dtype=np.float32)
        return self.vectors[picked]

    def insights_of(self, persona: Persona, kind: str) -> list[Insight]:
        ids = {p.id for p in persona.participants}
        return [i for i in self.round.insights if i.participant in ids and i.kind == kind]


@dataclass(frozen=True)
class ThemeChange:
    """One theme seen in either round, and how its share moved."""

    status: str  # new, grew, shrank, steady, faded
    kind: str
    label: str
    old_label: str | None
    old_participants: int
    new_participants: int
    old_share: float
    new_share: float
    quotes: tuple[Quote, ...]
    # An earlier theme no new theme took over, whose subject the new round says
    # inside another theme: that theme's label ("now within ...").
    within: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "kind": self.kind,
            "label": self.label,
            "old_label": self.old_label,
            "within": self.within,
            "old_participants": self.old_participants,
            "new_participants": self.new_participants,
            "old_share": round(self.old_share, 3),
            "new_share": round(self.new_share, 3),
            "quotes": [q.to_dict() for q in self.quotes],
        }


def _centroid(rows: np.ndarray) -> np.ndarray:
    return centroid(rows) if rows.size else np.zeros(0)


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b) if a.size and b.size and a.shape == b.shape else 0.0


def support(center: np.ndarray, persona: Persona, side: Side, kind: str) -> int:
    """Participants of ``persona`` with an insight of ``kind`` close to ``center``."""
    insights = side.insights_of(persona, kind)
    rows = side.rows(insights)
    if center.size == 0 or rows.size == 0 or rows.shape[1] != center.shape[0]:
        return 0
    close = rows @ center >= SUPPORT_SIMILARITY
    return len({i.participant for i, near in zip(insights, close, strict=True) if near})


def share_step(n_old: int, n_new: int) -> float:
    """The smallest change of share that is not noise: SHARE_CHANGE, or one participant."""
    return max(SHARE_CHANGE, 1 / max(1, min(n_old, n_new)))


def status_of(old_share: float, new_share: float, step: float = SHARE_CHANGE) -> str:
    """new, faded, grew, shrank or steady, from a theme's share in the two rounds."""
    if old_share == 0 and new_share > 0:
        return "new"
    if new_share == 0 and old_share > 0:
        return "faded"
    if new_share - old_share >= step - 1e-9:
        return "grew"
    if old_share - new_share >= step - 1e-9:
        return "shrank"
    return "steady"


def _pair_themes(
    olds: Sequence[Theme], news: Sequence[Theme], old_c: list[np.ndarray], new_c: list[np.ndarray]
) -> list[tuple[int, int]]:
    if not olds or not news:
        return []
    from scipy.optimize import linear_sum_assignment

    score = np.array(
        [
            [1.0 if o.label == n.label else _cos(old_c[i], new_c[j]) for j, n in enumerate(news)]
            for i, o in enumerate(olds)
        ]
    )
    rows, cols = linear_sum_assignment(score, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if score[i, j] >= THEME_MATCH]


def _nearest_label(
    center: np.ndarray, news: Sequence[Theme], new_c: Sequence[np.ndarray]
) -> str | None:
    """The label of the new theme closest to an earlier theme's centroid, when it is
    close enough to have taken over its subject."""
    scored = [(_cos(center, c), n) for n, c in enumerate(new_c)]
    best = max(scored, default=None, key=lambda sc: (sc[0], -sc[1]))
    if best is None or best[0] < THEME_MATCH:
        return None
    return news[best[1]].label


def kinds_extracted(round_: Round) -> set[str]:
    """The kinds of insight a round looked for (its settings) or found."""
    found = {i.kind for i in round_.insights}
    for name in ("kinds", "extra_kinds"):
        value = round_.settings.get(name) or ()
        found |= {str(k) for k in value} if isinstance(value, (list, tuple)) else set()
    return found


def compared_kinds(old: Round, new: Round) -> tuple[str, ...]:
    """Kinds both rounds extracted, the usual three first: only these can be compared."""
    both = kinds_extracted(old) & kinds_extracted(new)
    return tuple(k for k in KIND_ORDER if k in both) + tuple(sorted(both - set(KIND_ORDER)))


def theme_changes(
    old: Persona, new: Persona, before: Side, after: Side, kinds: Sequence[str] = KIND_ORDER
) -> list[ThemeChange]:
    """Every theme of the given kinds of either round's persona, with its share in both."""
    n_old, n_new = max(1, len(old.participants)), max(1, len(new.participants))
    step = share_step(n_old, n_new)
    out: list[ThemeChange] = []
    for kind in kinds:
        olds, news = old.themes_of(kind), new.themes_of(kind)
        old_c = [_centroid(before.rows(t.insights)) for t in olds]
        new_c = [_centroid(after.rows(t.insights)) for t in news]
        pairs = _pair_themes(olds, news, old_c, new_c)
        partner = {j: i for i, j in pairs}
        for j, theme in enumerate(news):
            if j in partner:
                was = olds[partner[j]]
                old_count, old_label = was.participants, was.label
            else:
                old_count, old_label = support(new_c[j], old, before, kind), None
            share_old, share_new = old_count / n_old, theme.participants / n_new
            out.append(
                ThemeChange(
                    status_of(share_old, share_new, step),
                    kind,
                    theme.label,
                    old_label,
                    old_count,
                    theme.participants,
                    share_old,
                    share_new,
                    theme.quotes[:QUOTES_SHOWN],
                )
            )
        paired_old = {i for i, _ in pairs}
        for i, theme in enumerate(olds):
            if i in paired_old:
                continue
            count = support(old_c[i], new, after, kind)
            share_old, share_new = theme.participants / n_old, count / n_new
            out.append(
                ThemeChange(
                    status_of(share_old, share_new, step),
                    kind,
                    theme.label,
                    theme.label,
                    theme.participants,
                    count,
                    share_old,
                    share_new,
                    theme.quotes[:QUOTES_SHOWN],
                    _nearest_label(old_c[i], news, new_c) if count else None,
                )
            )
    return out


def new_objections(old: Persona, new: Persona, before: Side, after: Side) -> tuple[Quote, ...]:
    """Objections of the new round unlike any objection the persona raised before."""
    found = after.insights_of(new, "objection")
    rows = after.rows(found)
    earlier = before.rows(before.insights_of(old, "objection"))
    if not found:
        return ()
    if rows.size and earlier.size and rows.shape[1] == earlier.shape[1]:
        nearest = (rows @ earlier.T).max(axis=1)
    else:
        nearest = np.zeros(len(found))
    fresh = [i for i, near in zip(found, nearest, strict=True) if near < NEW_OBJECTION_SIMILARITY]
    fresh.sort(key=lambda i: (-i.score, i.key))
    return tuple(Quote.of(i) for i in fresh[:NEW_OBJECTIONS_SHOWN])


def vocabulary_shift(old: Persona, new: Persona) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words that became distinctive of the persona, and words that stopped being."""
    came = tuple(w for w in new.vocabulary if w not in old.vocabulary)
    went = tuple(w for w in old.vocabulary if w not in new.vocabulary)
    return came, went
