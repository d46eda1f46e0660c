"""Participants' titles and roles, resolved once the participant text is parsed.

A title comes from metadata first, else from how the participant introduces
themselves; the taxonomy then turns it into a function and a seniority.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .embed import Embedder
from .models import UNKNOWN, Transcript
from .roles import INDIVIDUAL, Taxonomy, normalize
from .selfintro import find_title

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
                )
            people.append(p)
        resolved.append(dataclasses.replace(transcript, participants=tuple(people)))
    return tuple(resolved)
