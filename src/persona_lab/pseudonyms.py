"""Pseudonyms: every speaker of a round shown as "Participant 1", "Interviewer 1", ...

Numbers follow the order people first speak in the round (transcripts in the
order given, participants in order of first words), so the same round always
gets the same pseudonyms. Someone known by full name and company (the key
``resolve.person_key`` merges people by) keeps one pseudonym across files, so a
follow-up call still counts as the same person; everyone else gets their own.
Only names, speaker labels and ids change; turn text is ``redact``'s job.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

from .ingest.participants import slug
from .models import Participant, Transcript

PARTICIPANT_PSEUDONYM = "Participant {n}"
INTERVIEWER_PSEUDONYM = "Interviewer {n}"


def _person(participant: Participant) -> tuple[bool, str, str] | None:
    """Who a participant is across files: full name and company, when both are known."""
    name = " ".join(participant.name.casefold().split())
    company = " ".join((participant.company or "").casefold().split())
    if len(name.split()) < 2 or not company:
        return None
    return participant.is_interviewer, name, company


def pseudonyms(transcripts: Sequence[Transcript]) -> dict[tuple[int, str], str]:
    """The pseudonym of each (transcript index, speaker label)."""
    known: dict[tuple[bool, str, str], str] = {}
    counts = {True: 0, False: 0}
    out: dict[tuple[int, str], str] = {}
    for index, transcript in enumerate(transcripts):
        for p in transcript.participants:
            person = _person(p)
            if person is not None and person in known:
                out[(index, p.speaker)] = known[person]
                continue
            counts[p.is_interviewer] += 1
            form = INTERVIEWER_PSEUDONYM if p.is_interviewer else PARTICIPANT_PSEUDONYM
            out[(index, p.speaker)] = form.format(n=counts[p.is_interviewer])
            if person is not None:
                known[person] = out[(index, p.speaker)]
    return out


def renamed(participant: Participant, pseudonym: str, source: str) -> Participant:
    """The participant under its pseudonym. The id is the pseudonym's slug alone: a file
    name often holds the person's name, so no part of the old id is kept. Pseudonyms
    are numbered across the round, so the id stays unique."""
    return dataclasses.replace(participant, id=slug(pseudonym), speaker=pseudonym, name=pseudonym)


def pseudonymize_transcripts(transcripts: Sequence[Transcript]) -> tuple[Transcript, ...]:
    """The transcripts with every participant's name, speaker label and id, and every
    turn's speaker, replaced by the pseudonym; the Turn/Piece structure is untouched."""
    names = pseudonyms(transcripts)
    out = []
    for index, transcript in enumerate(transcripts):
        people = tuple(
            renamed(p, names[(index, p.speaker)], transcript.source)
            for p in transcript.participants
        )
        turns = tuple(
            dataclasses.replace(turn, speaker=names.get((index, turn.speaker), turn.speaker))
            for turn in transcript.turns
        )
        metadata = {
            **transcript.metadata,
            HIDDEN_NAMES: sorted(name_hash(p.name) for p in transcript.participants),
        }
        out.append(
            dataclasses.replace(transcript, participants=people, turns=turns, metadata=metadata)
        )
    return tuple(out)


HIDDEN_NAMES = "hidden_first_name_hashes"


def name_hash(name: str) -> str:
    """A one-way mark of a first name, so a persona is never given a real participant's
    first name even after the names are gone (the name itself is not kept)."""
    first = name.split()[0].lower() if name.split() else ""
    return hashlib.sha256(f"persona-lab:{first}".encode()).hexdigest()[:16]
