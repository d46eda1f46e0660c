"""Plain-text and Markdown transcripts (and .docx paragraphs): ``Name: text`` turns.

A turn runs over lines and paragraphs until the next speaker label. Before the
first turn, ``Key: value`` lines are header metadata (``**Transcript ID:** x``),
and headings and rules are never turn text. With no speaker label at all, the
file is one participant's notes: every non-empty line is a piece.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .clock import CLOCK_PATTERN, parse_clock
from .fragments import Fragment
from .labels import LabelLine, label_line, speaker_labels

# The title runs to the end of the line; closing #s are cut off in code, since a
# lazy title before [ \t#]*$ backtracks quadratically on a long line of " #".
HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+(?P<title>.*)|[ \t#]*)$")
RULE = re.compile(r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
TIME_ONLY = re.compile(
    rf"^[ \t]*(?:[\[(](?P<bracketed>[\d:.,]{{1,15}})[\])]|(?P<bare>{CLOCK_PATTERN}))[ \t]*$"
)
KEY_CHARS = re.compile(r"\W+")


@dataclass(frozen=True)
class TextReading:
    """The fragments of a text transcript and the header values before its first turn."""

    fragments: tuple[Fragment, ...]
    headers: dict[str, str] = field(default_factory=dict)
    labeled: bool = True


def header_key(label: str) -> str:
    """A metadata key for a header label: "Transcript ID" -> "transcript_id"."""
    return KEY_CHARS.sub("_", label.casefold()).strip("_")


def _is_structure(line: str) -> bool:
    """Markdown headings and horizontal rules: layout, never anyone's words."""
    return bool(HEADING.match(line) or RULE.match(line))


def _keep_header(headers: dict[str, str], line: str, found: LabelLine | None) -> None:
    heading = HEADING.match(line)
    if heading:
        title = (heading["title"] or "").rstrip(" \t#").strip()
        if title:
            headers.setdefault("heading", title)
    elif found is not None and found.rest.strip():
        key = header_key(found.label)
        if key:
            headers.setdefault(key, found.rest.strip().strip("*").strip())


def read_text_lines(
    lines: Sequence[str], body_start: int, known: frozenset[str], notes_speaker: str
) -> TextReading:
    """Fragments of ``lines`` from index ``body_start`` on (line numbers count from 1)."""
    found = {
        i: label_line(lines[i])
        for i in range(body_start, len(lines))
        if not _is_structure(lines[i])
    }
    speakers = speaker_labels((f.label for f in found.values() if f is not None), known)
    speaker: str | None = None if speakers else notes_speaker
    start: float | None = None
    timed = False  # the line before was a bare timestamp, which times the next label
    headers: dict[str, str] = {}
    fragments: list[Fragment] = []
    for index in range(body_start, len(lines)):
        line, number = lines[index], index + 1
        if not line.strip():
            continue
        label = found.get(index)
        if speaker is None and (label is None or label.label not in speakers):
            _keep_header(headers, line, label)
            continue
        if _is_structure(line):
            continue
        clock = TIME_ONLY.match(line)
        if clock is not None:
            start, timed = parse_clock(clock["bracketed"] or clock["bare"]), True
            continue
        if label is not None and label.label in speakers:
            speaker = label.label
            start = label.time if label.time is not None or not timed else start
            fragments.append(Fragment(speaker, label.rest, number, start))
        elif speaker is not None:
            fragments.append(Fragment(speaker, line, number, start, follows=True))
        timed = False
    return TextReading(tuple(fragments), headers, labeled=bool(speakers))
