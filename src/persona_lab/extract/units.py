"""Cuts participant turns into the text units the parser reads.

A unit is a run of contiguous pieces of one turn, so every sentence found in it
is a verbatim span of the source; interviewer turns are never units.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..models import Transcript, Turn
from .patterns import ContextCues


@dataclass(frozen=True)
class Unit:
    """Text of one participant turn that the parser reads in one go."""

    transcript: int
    turn: int
    offset: int
    text: str
    asked: tuple[str, ...] = ()


def segments(turn: Turn) -> Iterator[tuple[int, int]]:
    """(start, end) character ranges of ``turn.text`` that run without a gap."""
    if not turn.pieces:
        return
    start = turn.pieces[0].offset
    for i in range(1, len(turn.pieces)):
        if not turn.is_contiguous(i):
            yield start, turn.pieces[i].offset - 1
            start = turn.pieces[i].offset
    yield start, len(turn.text)


def _question_before(transcript: Transcript, index: int) -> str:
    """The interviewer's words right before turn ``index``, if the turn answers them."""
    if index == 0:
        return ""
    previous = transcript.turns[index - 1]
    speaker = transcript.participant_for(previous.speaker)
    if speaker is None or not speaker.is_interviewer:
        return ""
    return previous.text[-400:]


def participant_units(transcripts: Sequence[Transcript], context: ContextCues) -> Iterator[Unit]:
    """Every unit of every participant turn, in source order."""
    for t_index, transcript in enumerate(transcripts):
        for turn in transcript.turns:
            participant = transcript.participant_for(turn.speaker)
            if participant is None or participant.is_interviewer:
                continue
            question = _question_before(transcript, turn.index)
            asked = context.kinds_asked(question) if "?" in question else ()
            for start, end in segments(turn):
                text = turn.text[start:end]
                if text.strip():
                    yield Unit(t_index, turn.index, start, text, asked)
