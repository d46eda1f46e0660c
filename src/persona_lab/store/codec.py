"""Rows to models and back: JSON columns, float32 blobs, insight references.

Every function here is pure. Lists inside a row are JSON; a vector is the
little-endian float32 bytes of a unit vector; a persona or theme refers to its
insights by ``Insight.key`` (source, turn, character, kind), which is unique
within a round and does not move when another insight is removed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..models import (
    CompanyContext,
    Insight,
    Participant,
    Persona,
    Piece,
    Quote,
    Role,
    Theme,
    Turn,
)

InsightKey = tuple[str, int, int, str]


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def to_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


def turn_from_row(row: Mapping[str, Any]) -> Turn:
    pieces = tuple(Piece(o, line, s, e) for o, line, s, e in json.loads(row["pieces"]))
    contiguous = tuple(bool(c) for c in json.loads(row["contiguous"]))
    return Turn(row["idx"], row["speaker"], row["text"], pieces, contiguous)


def turn_row(transcript_id: int, turn: Turn) -> tuple[Any, ...]:
    pieces = [[p.offset, p.line, p.start, p.end] for p in turn.pieces]
    return (
        transcript_id,
        turn.index,
        turn.speaker,
        turn.text,
        dumps(pieces),
        dumps(list(turn.contiguous)),
    )


PARTICIPANT_COLUMNS = (
    "id",
    "speaker",
    "name",
    "is_interviewer",
    "interviewer_rule",
    "title",
    "title_source",
    "function",
    "seniority",
    "company",
    "industry",
    "company_size",
    "sources",
    "role_source",
)


def participant_values(p: Participant) -> tuple[Any, ...]:
    values = {**vars(p), "is_interviewer": int(p.is_interviewer), "sources": dumps(p.sources)}
    return tuple(values[c] for c in PARTICIPANT_COLUMNS)


def participant_from_row(row: Mapping[str, Any]) -> Participant:
    values = {c: row[c] for c in PARTICIPANT_COLUMNS}
    values["is_interviewer"] = bool(values["is_interviewer"])
    values["sources"] = tuple(json.loads(values["sources"]))
    return Participant(**values)


INSIGHT_COLUMNS = (
    "kind",
    "text",
    "text_hash",
    "line",
    "speaker",
    "start_time",
    "end_time",
    "score",
    "summary",
    "turn",
    "char_start",
    "phrases",
)


def insight_values(insight: Insight, text_hash: str) -> tuple[Any, ...]:
    return (
        insight.kind,
        insight.text,
        text_hash,
        insight.line,
        insight.speaker,
        insight.start,
        insight.end,
        insight.score,
        insight.summary,
        insight.turn,
        insight.char_start,
        dumps(list(insight.phrases)),
    )


def insight_from_row(row: Mapping[str, Any]) -> Insight:
    """A stored insight; its source and participant are set by the round that uses it."""
    return Insight(
        kind=row["kind"],
        text=row["text"],
        source="",
        line=row["line"],
        speaker=row["speaker"],
        participant="",
        start=row["start_time"],
        end=row["end_time"],
        score=row["score"],
        summary=row["summary"],
        turn=row["turn"],
        char_start=row["char_start"],
        phrases=tuple(json.loads(row["phrases"])),
    )


def keys_of(insights: Sequence[Insight]) -> str:
    return dumps([list(i.key) for i in insights])


def insights_of(text: str, by_key: Mapping[InsightKey, Insight]) -> tuple[Insight, ...]:
    """Insights by stored keys; a key no longer stored (a forgotten participant) is left out."""
    found = (by_key.get((s, t, c, k)) for s, t, c, k in json.loads(text))
    return tuple(i for i in found if i is not None)


def context_from_dict(data: Mapping[str, Any]) -> CompanyContext:
    return CompanyContext(
        industries=tuple((d["name"], d["participants"]) for d in data["industries"]),
        company_sizes=tuple((d["name"], d["participants"]) for d in data["company_sizes"]),
        companies=tuple(data["companies"]),
        tools=tuple((d["name"], d["mentions"]) for d in data["tools"]),
    )


def persona_values(persona: Persona) -> tuple[Any, ...]:
    """id, name, function, seniority, titles, members, vocabulary, context, unthemed, emerging."""
    return (
        persona.id,
        persona.name,
        persona.role.function,
        persona.role.seniority,
        dumps(list(persona.role.titles)),
        dumps([p.id for p in persona.participants]),
        dumps(list(persona.vocabulary)),
        dumps(persona.context.to_dict()),
        keys_of(persona.unthemed),
        int(persona.emerging),
    )


def theme_values(theme: Theme) -> tuple[Any, ...]:
    """kind, label, participants, mentions, quotes, insights, shared_with, shared_group."""
    by_place = {(i.source, i.line, i.text, i.speaker): i for i in theme.insights}
    quoted = [by_place[(q.source, q.line, q.text, q.speaker)] for q in theme.quotes]
    return (
        theme.kind,
        theme.label,
        theme.participants,
        theme.mentions,
        keys_of(quoted),
        keys_of(theme.insights),
        dumps(list(theme.shared_with)),
        theme.shared_group,
    )


def theme_from_row(row: Mapping[str, Any], by_key: Mapping[InsightKey, Insight]) -> Theme:
    return Theme(
        kind=row["kind"],
        label=row["label"],
        participants=row["participants"],
        mentions=row["mentions"],
        quotes=tuple(Quote.of(i) for i in insights_of(row["quotes"], by_key)),
        insights=insights_of(row["insights"], by_key),
        shared_with=tuple(json.loads(row["shared_with"])),
        shared_group=int(row["shared_group"]),
    )


def persona_from_row(
    row: Mapping[str, Any],
    themes: Sequence[Theme],
    people: Mapping[str, Participant],
    by_key: Mapping[InsightKey, Insight],
) -> Persona:
    members = tuple(people[m] for m in json.loads(row["members"]) if m in people)
    return Persona(
        id=row["id"],
        name=row["name"],
        role=Role(row["function"], row["seniority"], tuple(json.loads(row["titles"]))),
        participants=members,
        themes=tuple(themes),
        vocabulary=tuple(json.loads(row["vocabulary"])),
        context=context_from_dict(json.loads(row["context"])),
        unthemed=insights_of(row["unthemed"], by_key),
        emerging=bool(row["emerging"]),
    )
