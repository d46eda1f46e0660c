"""Fragments, what every format reader yields, and the one place turns are built.

Each reader turns its format into fragments in source order; ``assemble_turns``
builds the ``Turn``s from them, so the Turn/Piece contract holds for every format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from ..models import Piece, Turn
from .decode import text_lines


@dataclass(frozen=True)
class Fragment:
    """Some of a speaker's words, verbatim from source line ``line``.

    ``text`` may hold line breaks (a JSON string, a .docx paragraph): it is cut
    there into pieces. ``follows`` says the fragment continues the one before it
    as plain text; it only joins when it stands on the very next line.
    """

    speaker: str
    text: str
    line: int
    start: float | None = None
    end: float | None = None
    follows: bool = False


@dataclass(frozen=True)
class _Part:
    speaker: str
    text: str
    line: int
    start: float | None
    end: float | None
    follows: bool


def pieces_of(text: str) -> list[str]:
    """The non-blank runs of ``text`` between line breaks, each stripped but verbatim."""
    return [part.strip() for part in text_lines(text) if part.strip()]


def _parts(fragments: Iterable[Fragment]) -> Iterable[_Part]:
    for fragment in fragments:
        for k, text in enumerate(pieces_of(fragment.text)):
            follows = fragment.follows and k == 0
            yield _Part(
                fragment.speaker, text, fragment.line, fragment.start, fragment.end, follows
            )


def _turn(index: int, parts: list[_Part]) -> Turn:
    pieces = []
    offset = 0
    for part in parts:
        pieces.append(Piece(offset=offset, line=part.line, start=part.start, end=part.end))
        offset += len(part.text) + 1
    contiguous = tuple(cur.follows and cur.line == prev.line + 1 for prev, cur in pairwise(parts))
    text = "\n".join(part.text for part in parts)
    return Turn(index, parts[0].speaker, text, tuple(pieces), contiguous)


def assemble_turns(fragments: Iterable[Fragment]) -> tuple[Turn, ...]:
    """Turns from fragments: consecutive words of one speaker make one turn; blanks drop."""
    groups: list[list[_Part]] = []
    for part in _parts(fragments):
        if groups and groups[-1][0].speaker == part.speaker:
            groups[-1].append(part)
        else:
            groups.append([part])
    return tuple(_turn(index, parts) for index, parts in enumerate(groups))
