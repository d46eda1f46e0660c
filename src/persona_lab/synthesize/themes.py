"""Themes inside a persona: label each cluster of its insights (``theme_clusters``)
with a phrase taken from its quotes, and pick representative quotes."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from ..cluster import centroid
from ..extract.no_statement import states_nothing
from ..models import Insight, Quote, Theme
from ..settings import Settings
from .mmr import mmr
from .theme_clusters import Cluster
from .vocabulary import CUT, in_written_case, label_span, plain_words, stop_words, terms

LABEL_SHORTLIST = 12  # phrases by class-based TF-IDF whose meaning is compared with the theme
LABEL_TFIDF_SHARE = 0.3  # weight of the TF-IDF score (scaled to 1) beside the cosine
COMMON_SHARE = 0.1  # a term in more of the round's themed quotes than this names no theme
COMMON_MIN = 10  # ... and in at least this many (in a small round no word is common)
LABEL_MIN_CHOICES = 3  # fewer TF-IDF candidates than this: the quotes' other phrases join
LABEL_TFIDF_FLOOR = 0.4  # a phrase under this share of the best TF-IDF score is no candidate

# A noun chunk across a dash, colon or semicolon ("the business - potential legal
# repercussions") is two phrases run together, not a label.
SPANS_A_BREAK = re.compile(r"\s[-\u2013\u2014]+\s|\u2014|;|(?<!\d):(?!\d)")

Embed = Callable[[Sequence[str]], np.ndarray]


def _words_of(found: set[str]) -> set[str]:
    """The single words among a phrase's terms (``terms`` also gives word pairs)."""
    return {t for t in found if " " not in t}


@dataclass(frozen=True)
class TermStats:
    """What the round's themes say overall, against which a theme's words stand out."""

    total: Counter[str]  # term counts over all clusters
    mean_terms: float  # mean number of terms a cluster has (the A of class-based TF-IDF)
    common: frozenset[str]  # terms in more than COMMON_SHARE (and COMMON_MIN) of the quotes


def term_frequencies(
    clusters: Sequence[Cluster], insights: Sequence[Insight]
) -> tuple[list[Counter[str]], TermStats]:
    """Each cluster's term counts, and the round's term statistics."""
    per_cluster = [
        Counter(t for i in c.members for t in terms(insights[i].text, stop_words()))
        for c in clusters
    ]
    total: Counter[str] = Counter()
    for counts in per_cluster:
        total.update(counts)
    quotes = [i for c in clusters for i in c.members]
    used_by = Counter(t for i in quotes for t in set(terms(insights[i].text, stop_words())))
    floor = max(COMMON_SHARE * len(quotes), COMMON_MIN)
    common = frozenset(t for t, n in used_by.items() if n > floor)
    mean_terms = sum(total.values()) / max(1, len(clusters))
    return per_cluster, TermStats(total, mean_terms, common)


def _candidates(
    members: Sequence[int],
    insights: Sequence[Insight],
    central: int,
    counts: Counter[str],
    stats: TermStats,
) -> list[tuple[float, str]]:
    """Phrases of the cluster's quotes with their class-based TF-IDF score, best first.

    Terms are weighted by tf in the cluster times log(1 + A / frequency over all
    clusters); a term counts by how many of the theme's participants use it (once
    a theme has three or more), so one person's rare words ("harmonic and melodic
    minors", "real potted plants" said twice) cannot name a theme of eight people.
    A phrase made only of the round's common words ("use AI" in interviews about
    AI) or of everyday words and units ("15 hours") names nothing. In a theme of
    one or two participants, where a term one person used counts, a phrase's score
    is scaled by the share of them who used all its words.
    """
    said_by = _said_by(members, insights)
    shared = Counter(t for words in said_by.values() for t in words)
    least = 2 if len(said_by) >= 3 else 1
    weight = {
        t: shared[t] * math.log(1 + stats.mean_terms / stats.total[t])
        for t in counts
        if shared[t] >= least
    }
    says_nothing = stats.common | plain_words()
    scored: dict[str, float] = {}
    for i in sorted(members, key=lambda m: (m != central, insights[m].key)):
        for phrase in insights[i].phrases:
            words = phrase.split()
            if len(words) > 6 or SPANS_A_BREAK.search(phrase):
                continue
            found = set(terms(phrase, stop_words()))
            if not any(t in weight for t in found) or _words_of(found) <= says_nothing:
                continue
            # Two to four words read as a label; one word ("AI", "students") rarely does.
            length_factor = 0.6 if len(words) == 1 else 1 / (1 + 0.2 * max(0, len(words) - 4))
            score = sum(weight.get(t, 0.0) for t in sorted(found)) * length_factor
            if least == 1:
                # In a theme of two, what both said names it better ("price per
                # seat" from two, not "pay a platform fee" from one).
                score *= _coverage(_words_of(found), said_by)
            score += 0.5 if i == central else 0.0
            text = " ".join(words)
            if score > scored.get(text, -1.0):
                scored[text] = score
    return sorted(((-s, t) for t, s in scored.items()))


def _said_by(members: Sequence[int], insights: Sequence[Insight]) -> dict[str, set[str]]:
    """The terms each of the theme's participants used."""
    said_by: dict[str, set[str]] = {}
    for i in members:
        said_by.setdefault(insights[i].participant, set()).update(
            terms(insights[i].text, stop_words())
        )
    return said_by


def _one_said(members: Sequence[int], insights: Sequence[Insight], phrase: str) -> bool:
    """A theme of two participants, and only one of them used all of the phrase's words."""
    said_by = _said_by(members, insights)
    if len(said_by) != 2:
        return False
    return _coverage(_words_of(set(terms(phrase, stop_words()))), said_by) < 1


def _coverage(words: set[str], said_by: dict[str, set[str]]) -> float:
    """The share of the theme's participants who used all of a phrase's words."""
    return sum(words <= said for said in said_by.values()) / len(said_by)


def label_choices(
    members: Sequence[int],
    insights: Sequence[Insight],
    central: int,
    counts: Counter[str],
    stats: TermStats,
    center: np.ndarray | None = None,
    embed: Embed | None = None,
) -> list[str]:
    """Phrases of the cluster's quotes that name it, as said, best first
    (``_phrase_choices``); in a theme of two participants whose best phrase only one
    of them used ("CEO" over "I sign anything over fifty thousand."), the central
    quote itself when it is short: the phrase would say both said it."""
    choices = _phrase_choices(members, insights, central, counts, stats, center, embed)
    said = insights[central].text
    if len(said.split()) <= SHORT_QUOTE_LABEL and _one_said(members, insights, choices[0]):
        return [as_label(said), *choices]
    return choices


def _phrase_choices(
    members: Sequence[int],
    insights: Sequence[Insight],
    central: int,
    counts: Counter[str],
    stats: TermStats,
    center: np.ndarray | None = None,
    embed: Embed | None = None,
) -> list[str]:
    """Phrases of the cluster's quotes that name it, as said, best first.

    The phrases richest in the theme's distinctive terms (class-based TF-IDF) are
    the candidates; with ``embed``, those nearest the theme's centre in meaning
    come first (KeyBERT's idea), so a broad theme is named by what most of its
    quotes say rather than by the rare words two of them share.
    """
    ranked = _candidates(members, insights, central, counts, stats)
    said = insights[central]
    fallback = said.summary or as_label(said.text)
    if embed is None or center is None:
        plain = ranked or _any_phrase(members, insights, stats)
        return [t for _, t in plain] + [fallback]
    top = -ranked[0][0] if ranked else 0.0
    # Generic phrases sit near every theme's centre; only phrases rich in what
    # sets this theme apart compete on meaning with a TF-IDF share ...
    shortlist = [
        (-score / top, text)
        for score, text in ranked[:LABEL_SHORTLIST]
        if -score >= LABEL_TFIDF_FLOOR * top
    ]
    if len(shortlist) < LABEL_MIN_CHOICES:
        # ... unless the theme shares too few distinctive words to offer a choice:
        # then its quotes' other phrases compete on meaning alone.
        have = {text for _, text in shortlist}
        extra = [t for _, t in _any_phrase(members, insights, stats) if t not in have]
        shortlist += [(0.0, t) for t in extra[:LABEL_SHORTLIST]]
    if not shortlist:
        return [fallback]
    similarity = embed([t for _, t in shortlist]) @ center
    order = sorted(
        range(len(shortlist)),
        key=lambda n: (
            # A single word ("feeling", "job") names a theme only when nothing longer does.
            len(shortlist[n][1].split()) == 1,
            # Rounded: a phrase's vector differs in its last bits with its batch
            # neighbours, which must not decide a label; the text breaks ties.
            -round(float(similarity[n]) + LABEL_TFIDF_SHARE * shortlist[n][0], 4),
            shortlist[n][1],
        ),
    )
    chosen = [shortlist[n][1] for n in order]
    return chosen + [t for _, t in ranked if t not in chosen] + [fallback]


SHORT_QUOTE_LABEL = 10  # words: a quote this short is its own label


def as_label(text: str) -> str:
    """The central quote as a label, when none of the theme's phrases names it: whole
    when short ("I would actually like to use more of it"), else its first words
    marked as cut, never a fragment that reads as a whole ("I would actually like
    to use")."""
    words = text.split()
    if len(words) <= SHORT_QUOTE_LABEL:
        return " ".join(words).rstrip(".!?;:,")
    return " ".join(words[:6]).rstrip(".!?;:,") + CUT


def _any_phrase(
    members: Sequence[int], insights: Sequence[Insight], stats: TermStats
) -> list[tuple[float, str]]:
    """When no phrase carries a shared distinctive term: the members' phrases that
    say more than the round's common words, the most used first."""
    says_nothing = stats.common | plain_words()
    used: Counter[str] = Counter()
    for i in members:
        for phrase in insights[i].phrases:
            found = set(terms(phrase, stop_words()))
            if (
                found
                and not _words_of(found) <= says_nothing
                and len(phrase.split()) <= 6
                and not SPANS_A_BREAK.search(phrase)
            ):
                used[" ".join(phrase.split())] += 1
    return sorted((-float(n), t) for t, n in used.items())


def theme_from(
    cluster: Cluster,
    insights: Sequence[Insight],
    vectors: np.ndarray,
    counts: Counter[str],
    stats: TermStats,
    settings: Settings,
    embed: Embed | None = None,
    taken: Collection[str] = (),
) -> Theme:
    """A theme with its label, counts and MMR-chosen quotes; its label is not one
    of ``taken`` (the labels of the persona's other themes of this kind) when the
    quotes offer another."""
    members = sorted(cluster.members, key=lambda i: insights[i].key)
    member_vectors = vectors[members]
    center = centroid(member_vectors)
    relevance = member_vectors @ center
    central = members[int(np.argmax(relevance))]
    # Quotes shown on a card must read without the sentence before them.
    alone = [stands_alone(insights[i].text) for i in members]
    pool = [n for n in range(len(members)) if alone[n]]
    if len(pool) < min(settings.quotes_per_theme, len(members)):
        pool = list(range(len(members)))
    picks = [
        pool[p]
        for p in mmr(
            member_vectors[pool],
            center,
            top_n=settings.quotes_per_theme,
            diversity=settings.mmr_diversity,
            groups=[insights[members[n]].participant for n in pool],
        )
    ]
    choices = label_choices(members, insights, central, counts, stats, center, embed)
    taken_lower = {t.lower() for t in taken}
    label = next((c for c in choices if c.lower() not in taken_lower), choices[0])
    label = in_written_case(label, (insights[i].text for i in members))
    shown = with_label_quote(
        [members[p] for p in picks],
        label,
        # A label's quote that reads alone is preferred, the most central first.
        [
            members[n]
            for n in sorted(
                range(len(members)),
                key=lambda n: (not alone[n], -round(float(relevance[n]), 4), n),
            )
        ],
        insights,
    )
    chosen = [insights[i] for i in shown]
    return Theme(
        kind=cluster.kind,
        label=label,
        participants=len({insights[i].participant for i in members}),
        mentions=len(members),
        quotes=tuple(Quote.of(i) for i in chosen),
        insights=tuple(insights[i] for i in members),
    )


# "So that was really frustrating.", "Or having it write entire essays.": said of
# something the sentence before named.
LEANS_BACK = re.compile(
    r"^(?:or\s|(?:(?:and|but|so)\s+)?(?:that|this)(?:'s|\s+(?:is|was|has|had|made|took))\s)",
    re.IGNORECASE,
)
SHORTEST_QUOTE = 4  # words: fewer say nothing alone


def stands_alone(text: str) -> bool:
    """A quote that reads without the sentences around it: not a few words, not a
    clause cut from its sentence ("is all that would be needed."), not a short
    sentence about "that" or "this" said before or announcing the story to come."""
    words = text.split()
    if len(words) < SHORTEST_QUOTE or (text[:1].isalpha() and not text[:1].isupper()):
        return False
    if states_nothing(text):
        return False
    return not (len(words) < 14 and LEANS_BACK.match(text))


def with_label_quote(
    shown: Sequence[int], label: str, by_relevance: Sequence[int], insights: Sequence[Insight]
) -> list[int]:
    """The quotes to show, the one the label was taken from among them.

    A label is a statement on the card; the reader must find it in a quote under
    it (cards mark it there). When no MMR pick says it, the most central member
    that does replaces the last pick (preferring a participant not already
    shown); the most central quote stays first.
    """
    if any(label_span(insights[i].text, label) is not None for i in shown):
        return list(shown)
    saying = [i for i in by_relevance if label_span(insights[i].text, label) is not None]
    if not saying or not shown:
        return list(shown)
    kept = list(shown[:-1])
    seen = {insights[i].participant for i in kept}
    return [*kept, next((i for i in saying if insights[i].participant not in seen), saying[0])]


def mean_score(theme: Theme) -> float:
    """How sure extraction was, on average, that the theme's statements are of its kind."""
    scores = [i.score for i in theme.insights]
    return round(sum(scores) / len(scores), 4) if scores else 0.0


def rank(themes: Sequence[Theme], kinds: Sequence[str]) -> tuple[Theme, ...]:
    """Kinds in settings order; within a kind, by distinct participants, then mentions;
    of themes tied on both, the one whose statements were surer of their kind first
    (three people's "sandbag their deals" before three descriptions of the forecast
    call), not the first label in the alphabet."""
    order = {k: n for n, k in enumerate(kinds)}
    return tuple(
        sorted(
            themes,
            key=lambda t: (
                order.get(t.kind, len(order)),
                -t.participants,
                -t.mentions,
                -mean_score(t),
                t.label,
            ),
        )
    )
