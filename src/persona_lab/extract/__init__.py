"""Insights from participant turns: pains, goals and objections, verbatim.

``parse`` runs spaCy over participant text only; ``insights_from_docs`` scores
each sentence with the cue patterns of ``patterns/`` and keeps the kind that
passes its threshold. Both are plain functions so a stored parse or a stored set
of insights can stand in for a stage.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..models import Insight, Transcript
from ..settings import Settings
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
    for unit, doc in zip(units, docs, strict=True):
        parsed.append((unit, doc))
        if progress is not None:
            progress(1)
    return parsed


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


def _sentences(doc: Doc) -> Iterator[Span]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        yield from doc.sents
    else:
        yield doc[:]


def insights_from_docs(
    transcripts: Sequence[Transcript], parsed: Parsed, settings: Settings
) -> tuple[Insight, ...]:
    """The insights of parsed units, in source order."""
    if not parsed:
        return ()
    cues = load_cues(settings.kinds)
    matcher, by_id = build_matcher(parsed[0][1].vocab, cues)
    found: list[Insight] = []
    for unit, doc in parsed:
        transcript = transcripts[unit.transcript]
        turn = transcript.turns[unit.turn]
        participant = transcript.participant_for(turn.speaker)
        if participant is None or participant.is_interviewer:
            continue
        all_matches = [(by_id[m], s, e) for m, s, e in matcher(doc)]
        for sentence in _sentences(doc):
            text = sentence.text
            stripped = text.strip()
            if not stripped:
                continue
            inside = [
                (cue, s, e)
                for cue, s, e in all_matches
                if s >= sentence.start and e <= sentence.end
            ]
            scored = score_span(sentence, inside, settings, unit.asked)
            best = scored.best(settings.thresholds)
            if best is None:
                continue
            kind, score = best
            char_start = unit.offset + sentence.start_char + (len(text) - len(text.lstrip()))
            char_end = char_start + len(stripped)
            first = turn.pieces[turn.piece_at(char_start)]
            last = turn.pieces[turn.piece_at(max(char_start, char_end - 1))]
            cue_tokens = {i for cue, s, e in inside if cue.kind == kind for i in range(s, e)}
            found.append(
                Insight(
                    kind=kind,
                    text=stripped,
                    source=transcript.source,
                    line=first.line,
                    speaker=turn.speaker,
                    participant=participant.id,
                    start=first.start,
                    end=last.end,
                    score=score,
                    summary=summary(sentence, cue_tokens),
                    turn=turn.index,
                    char_start=char_start,
                    phrases=phrases(sentence),
                )
            )
    return tuple(found)


def extract(
    transcripts: Sequence[Transcript],
    nlp: Language,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
) -> tuple[Insight, ...]:
    """Parse, then score: the insights of a round's participant turns."""
    return insights_from_docs(transcripts, parse(transcripts, nlp, settings, progress), settings)
