"""WebVTT (Zoom, Teams, Meet) and SubRip captions: timed cues, one speaker each.

The speaker is a ``<v Name>`` voice tag or a ``Name:`` prefix; a cue without one
continues the previous speaker. Consecutive cues of one speaker make one turn;
each cue line is a piece with its cue's start and end, never contiguous with a
piece of another cue. Tags are cut out, not rewritten: the text around an inline
tag becomes separate pieces, so each piece stays verbatim on its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .clock import parse_clock
from .fragments import Fragment
from .labels import clean_label, speaker_labels

TIMING = re.compile(r"^\s*(?P<start>\S+?)\s*-->\s*(?P<end>\S+)")
NOT_A_CUE = re.compile(r"^(?:WEBVTT|NOTE|STYLE|REGION)(?:\s|$)")
SRT_INDEX = re.compile(r"^\s*\d+\s*$")
# Cue markup: <v Name>, <c.x>, <i>, <b>, <u>, <lang en>, <ruby>, <rt>, <font ...>, <00:01.000>.
TAG = re.compile(
    r"</?(?:[bciuv]|lang|ruby|rt|font)(?:\.[\w.-]*)?(?:[ \t][^<>\n]*)?>"
    r"|<\d{1,3}(?::\d{2}){1,2}\.\d{3}>"
)
# Names and labels start with a non-blank, so leading blanks split one way only
# (linear time on a hostile line of blanks).
VOICE = re.compile(r"^<v(?:\.[\w.-]*)?[ \t]+(?P<name>[^<>\n \t][^<>\n]*)>$")
PREFIX = re.compile(r"^[ \t]*(?P<label>[^:<>\n \t][^:<>\n]{0,59}?):(?:[ \t]+|$)")


@dataclass(frozen=True)
class Cue:
    """One timed cue: its times (None when malformed) and its text lines by number."""

    start: float | None
    end: float | None
    lines: tuple[tuple[int, str], ...]


def _blocks(lines: Sequence[str]) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if line.strip():
            block.append((index + 1, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def read_cues(lines: Sequence[str]) -> tuple[Cue, ...]:
    """The cues of a VTT or SRT file; headers, NOTE/STYLE blocks and cue ids are skipped.

    A block without a timing line after a cue is that cue's text run on past a
    stray blank line; before any cue it is dropped. Cues keep the file's order even
    when their times go backwards; a cue ending before its start loses its end.
    """
    cues: list[Cue] = []
    for block in _blocks(lines):
        if NOT_A_CUE.match(block[0][1]):
            continue
        timings = ((k, TIMING.match(text)) for k, (_, text) in enumerate(block))
        k, match = next(((k, m) for k, m in timings if m), (0, None))
        if match is None:
            if cues and not SRT_INDEX.match(block[0][1]):
                last = cues[-1]
                cues[-1] = Cue(last.start, last.end, last.lines + tuple(block))
            continue
        start, end = parse_clock(match["start"]), parse_clock(match["end"])
        if start is not None and end is not None and end < start:
            end = None  # a cue that ends before it starts: its start is kept, not its end
        cues.append(Cue(start, end, tuple(block[k + 1 :])))
    return tuple(cues)


def _segments(line: str) -> Iterator[tuple[str | None, str]]:
    """(voice, text) runs of a cue line between tags; voice is set by a <v> tag."""
    voice: str | None = None
    position = 0
    for tag in TAG.finditer(line):
        yield voice, line[position : tag.start()]
        named = VOICE.match(tag.group())
        if named:
            voice = clean_label(named["name"]) or voice
        position = tag.end()
    yield voice, line[position:]


def _prefix(text: str) -> tuple[str, str] | None:
    match = PREFIX.match(text)
    return (match["label"].strip(), text[match.end() :]) if match else None


def _prefix_labels(cues: Sequence[Cue]) -> Iterator[str]:
    for cue in cues:
        for _, line in cue.lines:
            _, first = next(_segments(line))
            found = _prefix(first)
            if found:
                yield found[0]


def cue_fragments(
    cues: Sequence[Cue], known: frozenset[str], fallback: str
) -> tuple[Fragment, ...]:
    """Fragments of the cues; with no speaker anywhere, all of it is ``fallback``'s."""
    prefixes = speaker_labels(_prefix_labels(cues), known)
    speaker: str | None = None
    out: list[tuple[str | None, Fragment]] = []
    for cue in cues:
        for k, (number, line) in enumerate(cue.lines):
            for j, (voice, text) in enumerate(_segments(line)):
                found = _prefix(text) if j == 0 else None
                if found and found[0] in prefixes:
                    speaker, text = found
                speaker = voice or speaker
                follows = k > 0 and j == 0
                out.append((speaker, Fragment("", text, number, cue.start, cue.end, follows)))
    if all(who is None for who, _ in out):
        return tuple(_with_speaker(f, fallback) for _, f in out)
    return tuple(_with_speaker(f, who) for who, f in out if who is not None)


def _with_speaker(fragment: Fragment, speaker: str) -> Fragment:
    return Fragment(
        speaker, fragment.text, fragment.line, fragment.start, fragment.end, fragment.follows
    )


def looks_like_captions(lines: Sequence[str]) -> bool:
    """A timing line (``00:00:01.000 --> 00:00:04.000``) among the first lines."""
    for line in lines[:50]:
        match = TIMING.match(line)
        if match and parse_clock(match["start"]) is not None:
            return True
    return False
