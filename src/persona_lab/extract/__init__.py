"""Insights from participant turns: pains, goals and objections, verbatim.

``parse`` runs spaCy over participant text only; ``insights_from_docs`` scores
each sentence with the cue patterns of ``patterns/`` and keeps the kind that
passes its threshold. Both are plain functions so a stored parse or a stored set
of insights can stand in for a stage.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from time import perf_counter as clock
from typing import TYPE_CHECKING

from .. import errors
from ..embed import CachedEmbedder, Embedder
from ..models import Insight, Transcript
from ..settings import Settings
from .classifier import Classifier, decide
from .features import (
    RuleEvidence,
    evidence,
    feature_matrix,
    prototype_vectors,
    tuned_feature_matrix,
)
from .no_statement import states_nothing
from .patterns import Cue, load_common, load_context, load_cues
from .score import Scored, score_sentence
from .summary import phrases, summary
from .units import Unit, participant_units

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

__all__ = ["Scored", "Unit", "extract", "insights_from_docs", "parse", "score_span"]

Parsed = list[tuple[Unit, "Doc"]]
LOG = logging.getLogger("persona_lab")


def parse(
    transcripts: Sequence[Transcript],
    nlp: Language,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Parses every participant unit once; interviewer turns are never parsed."""
    units = list(participant_units(transcripts, load_context()))
    docs = nlp.pipe(
        (u.text for u in units),
        batch_size=settings.batch_size,
        n_process=max(1, settings.workers),
    )
    parsed: Parsed = []
    seconds: dict[int, float] = defaultdict(float)
    last = clock()
    for unit, doc in zip(units, docs, strict=True):
        now = clock()
        seconds[unit.transcript] += now - last
        last = now
        parsed.append((unit, doc))
        if progress is not None:
            progress(1)
    for index in slow_files(seconds, [t.participant_words for t in transcripts]):
        LOG.warning(
            "%s took %.0f s to parse, far longer than the round's other files; "
            "split it if it holds several interviews, or lower --max-file-mb to skip such files",
            transcripts[index].source,
            seconds[index],
        )
    return parsed


def slow_files(
    seconds: dict[int, float], words: Sequence[int], *, floor: float = 30.0, factor: float = 5.0
) -> list[int]:
    """Files whose parse took over ``floor`` seconds and ``factor`` times what their
    length predicts at the round's median speed: reported, never silently waited on."""
    rates = sorted(seconds[i] / words[i] for i in seconds if words[i] > 0)
    if not rates:
        return []
    median = rates[len(rates) // 2]
    return [
        i
        for i in sorted(seconds)
        if seconds[i] > floor and seconds[i] > factor * median * max(1, words[i])
    ]


def build_matcher(vocab: Vocab, cues: Sequence[Cue]) -> tuple[Matcher, dict[int, Cue]]:
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    by_id: dict[int, Cue] = {}
    for cue in cues:
        matcher.add(cue.key, [list(cue.pattern)])
        by_id[vocab.strings[cue.key]] = cue
    return matcher, by_id


def score_span(
    sentence: Span,
    matches: list[tuple[Cue, int, int]],
    settings: Settings,
    asked: Sequence[str] = (),
) -> Scored:
    """Scores one sentence with the shipped weights (used by extract and eval)."""
    context = load_context()
    return score_sentence(
        sentence,
        matches,
        settings.kinds,
        load_common(),
        asked=asked,
        context_weight=context.weight,
    )


MERGED_MAX_TOKENS = 80  # a run of "continuations" longer than this is left as split


SENTENCE_ENDS = {".", "?", "!", "...", "…"}


def _continues(sentence: Span) -> bool:
    """The parser's sentence starts in lowercase: the rest of the one before it
    ("I would love to have AI | do my grading for me!"), not a new sentence.
    A lowercase "i" starts a sentence of someone who types without capitals."""
    first = next((t for t in sentence if not t.is_space), None)
    if first is None or first.lower_ == "i" or first.lower_.startswith("i'"):
        return False
    return first.text[:1].isalpha() and first.text[:1].islower()


def _ended(sentence: Span) -> bool:
    """The sentence ends with a full stop, question or exclamation mark: what
    follows in lowercase is a new sentence typed without a capital."""
    last = next((t for t in reversed(sentence) if not t.is_space), None)
    return last is not None and last.text in SENTENCE_ENDS


# A line that starts a list item, a heading, a table row, code or bold run-in text.
MARKUP_LINE = re.compile(r"(?:[-*+] |#+ |\||\*\*|```)")


def _breaks(span: Span) -> Iterator[Span]:
    """The span cut at each line break that ends a sentence the parser ran on: after
    a colon when the next line does not go on in lower case ("comes out like this:" then
    a pasted table), or before a line of markup ("- Excel", "**Product"). A break
    inside wrapped prose or a wrapped list item is no cut."""
    doc = span.doc
    start = span.start
    for token in span:
        if not (token.is_space and "\n" in token.text) or token.i + 1 >= span.end:
            continue
        said = [t for t in doc[start : token.i] if not t.is_space]
        after = doc[token.i + 1]
        colon = bool(said) and said[-1].text == ":" and not after.text[:1].islower()
        if said and (colon or MARKUP_LINE.match(doc.text, after.idx)):
            yield doc[start : token.i]
            start = token.i + 1
    yield doc[start : span.end]


def _sentences(doc: Doc) -> Iterator[Span]:
    """The doc's sentences, cut at the line breaks that end one (``_breaks``)."""
    for sentence in _mended(doc):
        yield from _breaks(sentence)


def _mended(doc: Doc) -> Iterator[Span]:
    """The doc's sentences, a parser's split before a lowercase word mended, when
    the text is written in sentence case (most sentences start with a capital)."""
    if not (doc.has_annotation("SENT_START") or doc.has_annotation("DEP")):
        yield doc[:]
        return
    sents = list(doc.sents)
    cased = sum(1 for s in sents if not _continues(s)) * 2 > len(sents)
    start = end = None
    for sentence in sents:
        mend = (
            cased
            and start is not None
            and _continues(sentence)
            and not _ended(doc[start:end])
            and sentence.end - start <= MERGED_MAX_TOKENS
        )
        if mend:
            end = sentence.end
            continue
        if start is not None and end is not None:
            yield doc[start:end]
        start, end = sentence.start, sentence.end
    if start is not None and end is not None:
        yield doc[start:end]


@dataclass(frozen=True)
class Candidate:
    """A participant sentence long enough to quote, with what the rules found in it."""

    unit: Unit
    sentence: Span
    text: str
    char_start: int
    matches: tuple[tuple[Cue, int, int], ...]
    scored: Scored
    evidence: RuleEvidence
    extra: tuple[tuple[str, float], ...] = ()


def candidates(
    transcripts: Sequence[Transcript], parsed: Parsed, settings: Settings
) -> list[Candidate]:
    """Every participant sentence that could be an insight, scored by the cue patterns."""
    if not parsed:
        return []
    every_kind = (*settings.kinds, *settings.extra_kinds)
    matcher, by_id = build_matcher(parsed[0][1].vocab, load_cues(every_kind))
    shortest = load_common().short_tokens
    found: list[Candidate] = []
    for unit, doc in parsed:
        transcript = transcripts[unit.transcript]
        participant = transcript.participant_for(transcript.turns[unit.turn].speaker)
        if participant is None or participant.is_interviewer:
            continue
        all_matches = [(by_id[m], s, e) for m, s, e in matcher(doc)]
        for sentence in _sentences(doc):
            text = sentence.text
            stripped = text.strip()
            words = sum(1 for t in sentence if not t.is_punct and not t.is_space)
            if not stripped or words < shortest or states_nothing(stripped):
                continue
            inside = tuple(
                (cue, s, e)
                for cue, s, e in all_matches
                if s >= sentence.start and e <= sentence.end
            )
            scored = score_span(sentence, list(inside), settings, unit.asked)
            extra = extra_kinds_of(sentence, inside, settings, unit.asked)
            char_start = unit.offset + sentence.start_char + (len(text) - len(text.lstrip()))
            found.append(
                Candidate(
                    unit,
                    sentence,
                    stripped,
                    char_start,
                    inside,
                    scored,
                    evidence(scored, unit.asked, stripped, words),
                    extra,
                )
            )
    return found


def extra_kinds_of(
    sentence: Span,
    inside: Sequence[tuple[Cue, int, int]],
    settings: Settings,
    asked: Sequence[str] = (),
) -> tuple[tuple[str, float], ...]:
    """The further kinds (metric, trigger, ...) a sentence states, by their cues and
    the question it answers ("Who signs off?" then "Me and our CEO.")."""
    kinds = [k for k in settings.extra_kinds if any(cue.kind == k for cue, _, _ in inside)]
    if not kinds:
        return ()
    scored = score_sentence(
        sentence,
        inside,
        kinds,
        load_common(),
        asked=asked,
        context_weight=load_context().weight,
    )
    return tuple((k, s) for k, s in sorted(scored.scores.items()) if s >= settings.extra_threshold)


def classify(
    found: Sequence[Candidate],
    settings: Settings,
    classifier: Classifier | None = None,
    embedder: Embedder | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[str, float] | None]:
    """Each candidate's kind and score: the classifier's when there is one, else the rules'."""
    if classifier is None or embedder is None:
        return [c.scored.best(settings.thresholds) for c in found]
    texts = [c.text for c in found]
    cached = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)
    rows = [c.evidence for c in found]
    linear_features = None
    if classifier.tuned is not None:
        tapped = cached.encode_tapped(texts, classifier.tuned, progress=progress)
        features = tuned_feature_matrix(rows, tapped, settings.kinds)
        if classifier.linear is not None:  # the embeddings came with the same pass
            vectors = cached.encode(texts)
            prototypes = prototype_vectors(cached)
            linear_features = feature_matrix(rows, vectors, prototypes, settings.kinds)
    else:
        vectors = cached.encode(texts, progress=progress)
        features = feature_matrix(rows, vectors, prototype_vectors(cached), settings.kinds)
    if found and features.shape[1] != len(classifier.feature_names):
        raise errors.SettingsError(
            "the classifier was trained for other kinds or embeddings; retrain it with "
            '`persona-lab train` or set classifier = "none"'
        )
    probabilities = classifier.blended(features, linear_features)
    thresholds = {k: settings.thresholds.get(k, 0.5) for k in settings.kinds}
    return decide(probabilities, classifier.classes, thresholds)


def insights_from_docs(
    transcripts: Sequence[Transcript],
    parsed: Parsed,
    settings: Settings,
    classifier: Classifier | None = None,
    embedder: Embedder | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[Insight, ...]:
    """The insights of parsed units, in source order."""
    found = candidates(transcripts, parsed, settings)
    decisions = classify(found, settings, classifier, embedder, progress)
    return build_insights(transcripts, found, decisions)


def build_insights(
    transcripts: Sequence[Transcript],
    found: Sequence[Candidate],
    decisions: Sequence[tuple[str, float] | None],
) -> tuple[Insight, ...]:
    """Insights of the candidates that were given a kind, with their lines and times."""
    insights: list[Insight] = []
    for candidate, decision in zip(found, decisions, strict=True):
        for kind, score in ([decision] if decision else []) + list(candidate.extra):
            insights.append(_insight(transcripts, candidate, kind, score))
    return tuple(insights)


def _insight(
    transcripts: Sequence[Transcript], candidate: Candidate, kind: str, score: float
) -> Insight:
    """One insight: the candidate's words with their line, times, speaker and kind."""
    transcript = transcripts[candidate.unit.transcript]
    turn = transcript.turns[candidate.unit.turn]
    participant = transcript.participant_for(turn.speaker)
    assert participant is not None  # candidates() keeps participant turns only
    char_start = candidate.char_start
    char_end = char_start + len(candidate.text)
    first = turn.pieces[turn.piece_at(char_start)]
    last = turn.pieces[turn.piece_at(max(char_start, char_end - 1))]
    cue_tokens = {i for cue, s, e in candidate.matches if cue.kind == kind for i in range(s, e)}
    return Insight(
        kind=kind,
        text=candidate.text,
        source=transcript.source,
        line=first.line,
        speaker=turn.speaker,
        participant=participant.id,
        start=first.start,
        end=last.end,
        score=score,
        summary=summary(candidate.sentence, cue_tokens),
        turn=turn.index,
        char_start=char_start,
        phrases=phrases(candidate.sentence),
    )


def extract(
    transcripts: Sequence[Transcript],
    nlp: Language,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
) -> tuple[Insight, ...]:
    """Parse, then score: the insights of a round's participant turns."""
    return insights_from_docs(transcripts, parse(transcripts, nlp, settings, progress), settings)
