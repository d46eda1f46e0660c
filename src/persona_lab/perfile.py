"""The half of a run that each file gives on its own, kept apart so a store can reuse it.

Parsing, titles from self-introductions, word counts and insights depend only
on one file (and the settings); talk statistics and merging people across calls
depend on the whole round. ``extract_files`` does the first part for the files
that need it, ``assemble`` the second for every file of the round, so a round
built from stored file results is the round a fresh run builds.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import extract
from .embed import Embedder
from .extract.classifier import Classifier
from .models import Insight, Transcript
from .nlp import pipeline_version
from .resolve import docs_by_participant, merge_people, resolve_titles, roles_from_counts
from .resolve import talk_counts as _talk_counts
from .roles import Taxonomy
from .settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language

# Participant fields a file's own words and metadata decide (resolve_titles).
ROLE_FIELDS = ("title", "title_source", "function", "seniority", "role_source")

Progress = Callable[[str, int], Callable[[int], None]]

# Files are parsed and extracted this many participant words at a time, so the
# parsed documents of a round of thousands of interviews never sit in memory at once.
CHUNK_WORDS = 50_000


@dataclass(frozen=True)
class FileResult:
    """What one file gives on its own, before anything round-wide.

    ``roles`` and ``counts`` are keyed by speaker label; ``insights`` carry the
    speaker, and their ``source`` and ``participant`` are set again by
    ``assemble``, since both depend on how the round names the file and its people.
    """

    roles: dict[str, dict[str, str | None]]
    counts: dict[str, dict[str, int]]
    insights: tuple[Insight, ...]
    spacy: str


def _split(
    titled: Sequence[Transcript],
    counts: dict[tuple[int, str], Counter[str]],
    insights: Sequence[Insight],
    spacy: str,
) -> list[FileResult]:
    index_of = {t.source: i for i, t in enumerate(titled)}
    by_file: list[list[Insight]] = [[] for _ in titled]
    for insight in insights:
        by_file[index_of[insight.source]].append(insight)
    results = []
    for i, transcript in enumerate(titled):
        roles = {
            p.speaker: {name: getattr(p, name) for name in ROLE_FIELDS}
            for p in transcript.participants
            if not p.is_interviewer
        }
        said = {speaker: dict(c) for (t, speaker), c in counts.items() if t == i}
        results.append(FileResult(roles, said, tuple(by_file[i]), spacy))
    return results


def count_units(transcripts: Sequence[Transcript]) -> list[int]:
    """Each file's participant units: what the parsing and scoring bars count."""
    context = extract.load_context()
    return [sum(1 for _ in extract.units.participant_units([t], context)) for t in transcripts]


def file_chunks(words: Sequence[int], limit: int = CHUNK_WORDS) -> Iterator[range]:
    """Runs of consecutive files holding at most ``limit`` words (one file at least)."""
    start, total = 0, 0
    for i, n in enumerate(words):
        if i > start and total + n > limit:
            yield range(start, i)
            start, total = i, 0
        total += n
    if start < len(words):
        yield range(start, len(words))


class UnitShare:
    """Progress in sentences scored, shown on a bar counted in parsed units, so one bar
    runs smoothly across chunks whose sentence counts are only known once parsed."""

    def __init__(self, advance: Callable[[int], None], units: int, sentences: int) -> None:
        self.advance, self.units, self.sentences = advance, units, sentences
        self.scored = self.shown = 0

    def __call__(self, n: int) -> None:
        self.scored += n
        self._show(self.units * self.scored // max(1, self.sentences))

    def finish(self) -> None:
        self._show(self.units)

    def _show(self, target: int) -> None:
        target = min(self.units, target)
        if target > self.shown:
            self.advance(target - self.shown)
            self.shown = target


def extract_files(
    transcripts: Sequence[Transcript],
    nlp: Language,
    settings: Settings,
    taxonomy: Taxonomy,
    embedder: Embedder,
    classifier: Classifier | None,
    progress: Progress,
) -> list[FileResult]:
    """Parses and extracts some files, each result standing on its own file.

    Every step here depends on one file only, so files go through in chunks
    (``CHUNK_WORDS``) and only one chunk's parsed documents are held at a time.
    """
    if not transcripts:
        return []
    units = count_units(transcripts)
    parsing = progress("Parsing participant turns", sum(units))
    scoring = progress("Scoring sentences", sum(units)) if classifier else (lambda n: None)
    results: list[FileResult] = []
    for chunk in file_chunks([t.participant_words for t in transcripts]):
        part = [transcripts[i] for i in chunk]
        bars = (parsing, scoring, sum(units[i] for i in chunk))
        results += extract_chunk(part, nlp, settings, taxonomy, embedder, classifier, bars)
    return results


def extract_chunk(
    transcripts: Sequence[Transcript],
    nlp: Language,
    settings: Settings,
    taxonomy: Taxonomy,
    embedder: Embedder,
    classifier: Classifier | None,
    bars: tuple[Callable[[int], None], Callable[[int], None], int],
) -> list[FileResult]:
    """extract_files for one chunk; ``bars`` are the parsing and scoring bars and the
    chunk's units."""
    parsing, scoring, units = bars
    parsed = extract.parse(transcripts, nlp, settings, parsing)
    docs = docs_by_participant(transcripts, parsed)
    titled = resolve_titles(transcripts, docs, taxonomy, embedder)
    counts = _talk_counts(titled, docs)
    found = extract.candidates(titled, parsed, settings)
    share = UnitShare(scoring, units, len({c.text for c in found}))
    decisions = extract.classify(found, settings, classifier, embedder, share)
    share.finish()
    insights = extract.build_insights(titled, found, decisions)
    return _split(titled, counts, insights, pipeline_version(nlp))


def _role_values(stored: dict[str, str | None]) -> dict[str, Any]:
    """Role fields as stored; function and seniority are never empty."""
    return {name: stored.get(name) for name in ROLE_FIELDS}


def with_roles(transcript: Transcript, result: FileResult) -> Transcript:
    """The transcript as read, with the roles its file result gave its participants."""
    people = tuple(
        dataclasses.replace(p, **_role_values(result.roles[p.speaker]))
        if p.speaker in result.roles
        else p
        for p in transcript.participants
    )
    return dataclasses.replace(transcript, participants=people)


def assemble(
    transcripts: Sequence[Transcript], results: Sequence[FileResult], taxonomy: Taxonomy
) -> tuple[tuple[Transcript, ...], tuple[Insight, ...]]:
    """The round-wide steps: roles from talk, one id per person, insights in key order."""
    titled = [with_roles(t, r) for t, r in zip(transcripts, results, strict=True)]
    counts = {
        (i, speaker): Counter(said)
        for i, result in enumerate(results)
        for speaker, said in result.counts.items()
    }
    resolved = merge_people(roles_from_counts(titled, counts, taxonomy))
    return resolved, round_insights(resolved, results)


def round_insights(
    transcripts: Sequence[Transcript], results: Sequence[FileResult]
) -> tuple[Insight, ...]:
    """Each file's insights named by the round: its source path and participant ids."""
    insights = []
    for transcript, result in zip(transcripts, results, strict=True):
        for insight in result.insights:
            person = transcript.participant_for(insight.speaker)
            if person is None:  # a participant forgotten from a stored round
                continue
            insights.append(
                dataclasses.replace(insight, source=transcript.source, participant=person.id)
            )
    return tuple(sorted(insights, key=lambda i: i.key))
