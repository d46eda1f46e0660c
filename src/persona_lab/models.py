"""Frozen dataclasses passed between the pipeline stages.

Data flows one way: ingest makes ``Transcript``s, extract makes ``Insight``s,
synthesize makes ``Persona``s with ``Theme``s, and a ``Round`` holds them all.
Nothing here does I/O; every stage returns new objects instead of mutating.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "unknown"
OTHER = "other"


@dataclass(frozen=True)
class Piece:
    """One verbatim run of a turn's text, taken from one source line.

    ``offset`` is where the piece starts inside ``Turn.text``; ``line`` is the
    1-based source line it stands on. A piece never holds a newline and is
    always a verbatim substring of that line (for JSON, of the decoded string
    value; for .docx, of the paragraph, counted as a line).
    """

    offset: int
    line: int
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class Turn:
    """One speaker turn: what a speaker said before someone else spoke.

    ``text`` is the pieces joined with ``"\\n"``. ``contiguous[i - 1]`` is true when
    piece ``i`` stands on the source line right after piece ``i - 1`` and the two
    read as one run of text there, so a quote may run across them; a quote never
    runs across a gap (a VTT timestamp, a blank line, a new JSON sentence).
    """

    index: int
    speaker: str
    text: str
    pieces: tuple[Piece, ...]
    contiguous: tuple[bool, ...] = ()

    @property
    def line(self) -> int:
        return self.pieces[0].line if self.pieces else 0

    @property
    def start(self) -> float | None:
        return self.pieces[0].start if self.pieces else None

    @property
    def end(self) -> float | None:
        return self.pieces[-1].end if self.pieces else None

    def piece_at(self, offset: int) -> int:
        """Index of the piece holding character ``offset`` of ``text``."""
        offsets = [p.offset for p in self.pieces]
        return max(0, bisect.bisect_right(offsets, offset) - 1)

    def line_at(self, offset: int) -> int:
        """1-based source line of character ``offset`` of ``text``."""
        return self.pieces[self.piece_at(offset)].line

    def piece_text(self, i: int) -> str:
        end = self.pieces[i + 1].offset - 1 if i + 1 < len(self.pieces) else len(self.text)
        return self.text[self.pieces[i].offset : end]

    def is_contiguous(self, i: int) -> bool:
        """Whether piece ``i`` continues piece ``i - 1`` on the next source line."""
        return 0 < i <= len(self.contiguous) and self.contiguous[i - 1]


@dataclass(frozen=True)
class Participant:
    """A person in one transcript: a buyer, or the interviewer.

    ``interviewer_rule`` says which rule decided ``is_interviewer`` (manifest,
    flag, label, heuristic, default) so ``--verbose`` can show it.
    ``title_source`` says where the title came from (metadata, self-introduction);
    ``role_source`` how the function was decided (the title, or their own words).
    """

    id: str
    speaker: str
    name: str
    is_interviewer: bool
    interviewer_rule: str = "default"
    title: str | None = None
    title_source: str | None = None
    function: str = UNKNOWN
    seniority: str = UNKNOWN
    company: str | None = None
    industry: str | None = None
    company_size: str | None = None
    sources: tuple[str, ...] = ()
    role_source: str | None = None

    @property
    def function_known(self) -> bool:
        """Whether the title or their words gave a function a persona can be built on
        ("other": a title outside the taxonomy, which says no function)."""
        return self.function not in (UNKNOWN, "other", "")


@dataclass(frozen=True)
class Transcript:
    """One interview or call, read from one file."""

    source: str
    format: str
    turns: tuple[Turn, ...]
    participants: tuple[Participant, ...]
    content_hash: str
    date: str | None = None
    round: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def participant_words(self) -> int:
        """Words said by participants (not the interviewer): what the parser reads."""
        spoken = {p.speaker for p in self.participants if not p.is_interviewer}
        return sum(len(t.text.split()) for t in self.turns if t.speaker in spoken)

    def participant_for(self, speaker: str) -> Participant | None:
        for participant in self.participants:
            if participant.speaker == speaker:
                return participant
        return None


@dataclass(frozen=True)
class SkippedFile:
    """A file that was not read, and the one-line reason shown to the user."""

    source: str
    reason: str


@dataclass(frozen=True)
class Insight:
    """A verbatim statement of a participant, classified by kind.

    ``text`` is a verbatim span of the source beginning at ``line``; ``summary``
    is a short phrase made of the quote's own words, for theme labels.
    """

    kind: str
    text: str
    source: str
    line: int
    speaker: str
    participant: str
    start: float | None
    end: float | None
    score: float
    summary: str = ""
    turn: int = 0
    char_start: int = 0
    phrases: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, int, int, str]:
        """Stable identity and sort order: where it stands, then its kind."""
        return (self.source, self.turn, self.char_start, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "source": self.source,
            "line": self.line,
            "speaker": self.speaker,
            "participant": self.participant,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Quote:
    """An insight as shown on a card: the words and where they stand."""

    text: str
    source: str
    line: int
    speaker: str
    participant: str
    start: float | None

    @classmethod
    def of(cls, insight: Insight) -> Quote:
        return cls(
            insight.text,
            insight.source,
            insight.line,
            insight.speaker,
            insight.participant,
            insight.start,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "source": self.source,
            "line": self.line,
            "speaker": self.speaker,
            "start": self.start,
        }


@dataclass(frozen=True)
class Theme:
    """Insights of one kind that say the same thing, within one persona."""

    kind: str
    label: str
    participants: int
    mentions: int
    quotes: tuple[Quote, ...]
    insights: tuple[Insight, ...] = field(default=(), repr=False)
    # Ids of the round's other personas with a theme of this kind that says the same,
    # and a number shared by a group of such themes every two of which say the same
    # (the round document's "Said across personas"); 0: in no group.
    shared_with: tuple[str, ...] = ()
    shared_group: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "participants": self.participants,
            "mentions": self.mentions,
            "quotes": [q.to_dict() for q in self.quotes],
            "shared_with": list(self.shared_with),
            "shared_group": self.shared_group,
        }


@dataclass(frozen=True)
class Role:
    function: str
    seniority: str
    titles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"function": self.function, "seniority": self.seniority, "titles": list(self.titles)}


@dataclass(frozen=True)
class CompanyContext:
    """The ICP side of a persona: the companies it was seen in, never the person."""

    industries: tuple[tuple[str, int], ...] = ()
    company_sizes: tuple[tuple[str, int], ...] = ()
    companies: tuple[str, ...] = ()
    tools: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "industries": [{"name": n, "participants": c} for n, c in self.industries],
            "company_sizes": [{"name": n, "participants": c} for n, c in self.company_sizes],
            "companies": list(self.companies),
            "tools": [{"name": n, "mentions": c} for n, c in self.tools],
        }


@dataclass(frozen=True)
class Persona:
    """A role-level buyer profile built from the evidence of its participants."""

    id: str
    name: str
    role: Role
    participants: tuple[Participant, ...]
    themes: tuple[Theme, ...]
    vocabulary: tuple[str, ...]
    context: CompanyContext = CompanyContext()
    unthemed: tuple[Insight, ...] = ()
    emerging: bool = False

    def themes_of(self, kind: str) -> tuple[Theme, ...]:
        return tuple(t for t in self.themes if t.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.to_dict(),
            "emerging": self.emerging,
            "participants": [
                {
                    "id": p.id,
                    "name": p.name,
                    "title": p.title,
                    "company": p.company,
                    "sources": list(p.sources),
                }
                for p in self.participants
            ],
            "themes": [t.to_dict() for t in self.themes],
            "vocabulary": list(self.vocabulary),
            "context": self.context.to_dict(),
            "unthemed": [i.to_dict() for i in self.unthemed],
        }


@dataclass(frozen=True)
class Round:
    """Everything one run produced, ready to render or store."""

    name: str
    generated_at: str
    settings: dict[str, Any]
    transcripts: tuple[Transcript, ...]
    insights: tuple[Insight, ...]
    personas: tuple[Persona, ...]
    unassigned: tuple[Insight, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()

    @property
    def participants(self) -> tuple[Participant, ...]:
        """Every person interviewed, once each, in source order (one id per person)."""
        people: dict[str, Participant] = {}
        for transcript in self.transcripts:
            for p in transcript.participants:
                if not p.is_interviewer:
                    people.setdefault(p.id, p)
        return tuple(people.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.name,
            "generated_at": self.generated_at,
            "settings": self.settings,
            "personas": [p.to_dict() for p in self.personas],
            "unassigned": [i.to_dict() for i in self.unassigned],
        }
