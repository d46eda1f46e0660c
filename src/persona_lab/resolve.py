"""Participants' titles and roles, resolved once the participant text is parsed.

A title comes from metadata first, else from how the participant introduces
themselves; the taxonomy then turns it into a function and a seniority.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .embed import Embedder
from .models import UNKNOWN, Participant, Transcript
from .roles import INDIVIDUAL, Taxonomy, normalize
from .selfintro import find_title
from .talk import functions_from_talk, word_counts

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .extract import Parsed


def docs_by_participant(
    transcripts: Sequence[Transcript], parsed: Parsed
) -> dict[tuple[int, str], list[Doc]]:
    """Each participant's parsed units in order, keyed by (transcript, speaker)."""
    out: dict[tuple[int, str], list[Doc]] = defaultdict(list)
    for unit, doc in parsed:
        speaker = transcripts[unit.transcript].turns[unit.turn].speaker
        out[(unit.transcript, speaker)].append(doc)
    return out


def resolve_roles(
    transcripts: Sequence[Transcript],
    parsed: Parsed,
    taxonomy: Taxonomy,
    embedder: Embedder | None = None,
) -> tuple[Transcript, ...]:
    """The transcripts with every participant's title, function and seniority set."""
    docs = docs_by_participant(transcripts, parsed)
    titled = resolve_titles(transcripts, docs, taxonomy, embedder)
    return merge_people(roles_from_talk(titled, docs, taxonomy))


def resolve_titles(
    transcripts: Sequence[Transcript],
    docs: dict[tuple[int, str], list[Doc]],
    taxonomy: Taxonomy,
    embedder: Embedder | None = None,
) -> tuple[Transcript, ...]:
    """Titles and roles each file gives on its own (metadata, self-introduction).

    Kept apart from the round-wide steps (talk statistics, merging people) so a
    stored file's result can be reused without parsing it again.
    """
    resolved: list[Transcript] = []
    for t_index, transcript in enumerate(transcripts):
        people = []
        for p in transcript.participants:
            if p.is_interviewer:
                people.append(p)
                continue
            title, source, hint = p.title, p.title_source, None
            if not title:
                match = find_title(docs.get((t_index, p.speaker), []), taxonomy)
                if match is not None:
                    title, source, hint = match.title, "self-introduction", match.seniority_hint
            if title:
                role = normalize(title, taxonomy, embedder=embedder)
                seniority = role.seniority
                if hint and seniority in (INDIVIDUAL, UNKNOWN):
                    seniority = hint  # "I run RevOps": the verb says the level
                p = dataclasses.replace(
                    p,
                    title=title,
                    title_source=source,
                    function=role.function,
                    seniority=seniority,
                    role_source=f"title ({role.rule})",
                )
            people.append(p)
        resolved.append(dataclasses.replace(transcript, participants=tuple(people)))
    return tuple(resolved)


def talk_counts(
    transcripts: Sequence[Transcript], docs: dict[tuple[int, str], list[Doc]]
) -> dict[tuple[int, str], Counter[str]]:
    """Each participant's word counts, keyed by (transcript, speaker)."""
    return {
        (t_index, p.speaker): word_counts(
            t.lower_ for doc in docs.get((t_index, p.speaker), []) for t in doc if t.is_alpha
        )
        for t_index, transcript in enumerate(transcripts)
        for p in transcript.participants
        if not p.is_interviewer
    }


def roles_from_talk(
    transcripts: Sequence[Transcript],
    docs: dict[tuple[int, str], list[Doc]],
    taxonomy: Taxonomy,
) -> tuple[Transcript, ...]:
    """Participants with no known function get the one their own words point to."""
    return roles_from_counts(transcripts, talk_counts(transcripts, docs), taxonomy)


def roles_from_counts(
    transcripts: Sequence[Transcript],
    counts: Mapping[tuple[int, str], Counter[str]],
    taxonomy: Taxonomy,
) -> tuple[Transcript, ...]:
    """roles_from_talk from word counts, which a store keeps instead of parses."""
    found = functions_from_talk({f"{k[0]}\t{k[1]}": v for k, v in counts.items()}, taxonomy)
    out: list[Transcript] = []
    for t_index, transcript in enumerate(transcripts):
        people = []
        for p in transcript.participants:
            match = found.get(f"{t_index}\t{p.speaker}")
            if match is not None and not p.is_interviewer and p.function == UNKNOWN:
                p = dataclasses.replace(p, function=match.function, role_source=match.describe())
            people.append(p)
        out.append(dataclasses.replace(transcript, participants=tuple(people)))
    return tuple(out)


def person_key(participant: Participant) -> tuple[str, str] | None:
    """Who a participant is across files: full name and company, when both are known.

    A bare label ("User", "Dana") or a missing company is not enough to say two
    calls had the same person, so those stay apart.
    """
    name = " ".join(participant.name.lower().split())
    company = " ".join((participant.company or "").lower().split())
    if participant.is_interviewer or len(name.split()) < 2 or not company:
        return None
    return name, company


def merge_people(transcripts: Sequence[Transcript]) -> tuple[Transcript, ...]:
    """One id per person: someone interviewed twice counts once in every theme."""
    first: dict[tuple[str, str], Participant] = {}
    sources: dict[tuple[str, str], list[str]] = defaultdict(list)
    for transcript in transcripts:
        for p in transcript.participants:
            key = person_key(p)
            if key is not None:
                first.setdefault(key, p)
                sources[key] += [s for s in p.sources if s not in sources[key]]
    merged: list[Transcript] = []
    for transcript in transcripts:
        people = []
        for p in transcript.participants:
            key = person_key(p)
            if key is not None:
                p = dataclasses.replace(p, id=first[key].id, sources=tuple(sources[key]))
                if not p.title and first[key].title:
                    known = first[key]
                    p = dataclasses.replace(
                        p,
                        title=known.title,
                        title_source=known.title_source,
                        function=known.function,
                        seniority=known.seniority,
                        role_source=known.role_source,
                    )
            people.append(p)
        merged.append(dataclasses.replace(transcript, participants=tuple(people)))
    return tuple(merged)
