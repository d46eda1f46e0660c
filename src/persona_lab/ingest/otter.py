"""Otter.ai and Fireflies text exports: a speaker line with a time, then the words.

    Jane Doe  0:05            (Otter)
    Jane Doe - 00:01:05       (Fireflies)
    00:01:05 Jane Doe         (Fireflies, time first)

Consecutive blocks of one speaker join one turn; a new speaker line always
breaks contiguity, since a timestamp stands between the two runs of text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .clock import CLOCK_PATTERN, parse_clock
from .fragments import Fragment
from .labels import speaker_labels

_NAME = r"(?P<name>[^\W\d_][^\t:<>\[\]]{0,40}?)"
SPEAKER_THEN_TIME = re.compile(rf"^{_NAME}(?:[ \t]+-[ \t]+|[ \t]+)(?P<time>{CLOCK_PATTERN})[ \t]*$")
TIME_THEN_SPEAKER = re.compile(
    rf"^[\[(]?(?P<time>{CLOCK_PATTERN})[\])]?(?:[ \t]+-)?[ \t]+{_NAME}[ \t]*$"
)
# Otter appends this line to every export; it is nobody's words.
FOOTER = re.compile(r"^\s*Transcribed by https?://otter\.ai\S*\s*$", re.IGNORECASE)
MIN_SPEAKER_LINES = 2


@dataclass(frozen=True)
class SpeakerLine:
    name: str
    time: float | None


def speaker_line(line: str) -> SpeakerLine | None:
    """The speaker and time of an Otter or Fireflies speaker line."""
    match = SPEAKER_THEN_TIME.match(line) or TIME_THEN_SPEAKER.match(line)
    if match is None:
        return None
    name = match["name"].strip().rstrip("-").strip()
    return SpeakerLine(name, parse_clock(match["time"])) if name else None


def speaker_lines(
    lines: Sequence[str], body_start: int, known: frozenset[str]
) -> dict[int, SpeakerLine]:
    """The speaker lines of a file, by index, whose names pass the speaker-label test."""
    found = {i: speaker_line(lines[i]) for i in range(body_start, len(lines))}
    named = {i: s for i, s in found.items() if s is not None}
    speakers = speaker_labels((s.name for s in named.values()), known)
    return {i: s for i, s in named.items() if s.name in speakers}


def looks_like_otter(lines: Sequence[str], body_start: int, known: frozenset[str]) -> bool:
    return len(speaker_lines(lines, body_start, known)) >= MIN_SPEAKER_LINES


def read_otter_lines(
    lines: Sequence[str], body_start: int, known: frozenset[str]
) -> tuple[Fragment, ...]:
    """Fragments of an Otter or Fireflies export; text before the first speaker is dropped."""
    headers = speaker_lines(lines, body_start, known)
    fragments: list[Fragment] = []
    current: SpeakerLine | None = None
    for index in range(body_start, len(lines)):
        line = lines[index]
        if index in headers:
            current = headers[index]
        elif current is not None and line.strip() and not FOOTER.match(line):
            fragments.append(Fragment(current.name, line, index + 1, current.time, follows=True))
    return tuple(fragments)
