"""Gong call transcript exports, with the call's parties when the file holds them.

    {"callTranscripts": [{"callId": "..", "transcript": [{"speakerId": "..",
        "topic": "..", "sentences": [{"start": ms, "end": ms, "text": ".."}]}]}]}

Parties (``speakerId``, ``name``, ``title``, ``affiliation``) may sit at the top,
under ``calls`` or under ``metaData``. Internal parties are our side: interviewers.
Each sentence is one piece; consecutive monologues of one speaker are one turn.
Without parties a speaker is its ``speakerId``; without that, "unknown".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .fragments import Fragment
from .jsonsource import StringLines
from .labels import clean_label

MS = 1000.0
AFFILIATION = {"internal": True, "external": False}


@dataclass(frozen=True)
class Party:
    """What a Gong export says about a speaker."""

    name: str | None = None
    title: str | None = None
    interviewer: bool | None = None


def is_gong(data: Any) -> bool:
    """A Gong export: callTranscripts, or one call's transcript of monologues with sentences."""
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("callTranscripts"), list):
        return True
    monologues = data.get("transcript")
    return isinstance(monologues, list) and any(
        isinstance(m, dict) and "sentences" in m for m in monologues
    )


def _dicts(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _party_lists(data: Mapping[str, Any]) -> Iterator[list[Mapping[str, Any]]]:
    holders = [data, *_dicts(data.get("calls")), *_dicts(data.get("callTranscripts"))]
    for holder in holders:
        yield _dicts(holder.get("parties"))
        meta = holder.get("metaData")
        if isinstance(meta, dict):
            yield _dicts(meta.get("parties"))


def _text(value: Any) -> str | None:
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        return None
    return str(value).strip() or None


def _label(value: Any) -> str | None:
    text = _text(value)
    return clean_label(text) if text is not None else None


def parties(data: Mapping[str, Any]) -> dict[str, Party]:
    """The parties by speakerId, from wherever the export put them."""
    found: dict[str, Party] = {}
    for party_list in _party_lists(data):
        for party in party_list:
            speaker_id = _label(party.get("speakerId"))
            if speaker_id is None or speaker_id in found:
                continue
            affiliation = str(party.get("affiliation", "")).casefold()
            found[speaker_id] = Party(
                _label(party.get("name")), _text(party.get("title")), AFFILIATION.get(affiliation)
            )
    return found


def speaker_labels(known: Mapping[str, Party]) -> dict[str, str]:
    """The label of each speakerId: the party's name (with the id when two share it)."""
    names = [p.name for p in known.values() if p.name]
    labels = {}
    for sid, party in known.items():
        if not party.name:
            labels[sid] = sid
        else:
            labels[sid] = party.name if names.count(party.name) == 1 else f"{party.name} ({sid})"
    return labels


def _ms(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value / MS if 0 <= value < float("inf") else None


def gong_fragments(
    data: Mapping[str, Any], strings: StringLines, labels: Mapping[str, str]
) -> tuple[Fragment, ...]:
    """One fragment per sentence, in the export's order."""
    calls = _dicts(data.get("callTranscripts")) or [data]
    fragments: list[Fragment] = []
    for call in calls:
        for monologue in _dicts(call.get("transcript")):
            speaker_id = _label(monologue.get("speakerId")) or "unknown"
            speaker = labels.get(speaker_id, speaker_id)
            for sentence in _dicts(monologue.get("sentences")):
                text = sentence.get("text")
                if isinstance(text, str):
                    line = strings.line_of(text)
                    start, end = _ms(sentence.get("start")), _ms(sentence.get("end"))
                    fragments.append(Fragment(speaker, text, line, start, end))
    return tuple(fragments)


def call_ids(data: Mapping[str, Any]) -> list[str]:
    calls = _dicts(data.get("callTranscripts")) or [data]
    return [str(c["callId"]) for c in calls if isinstance(c.get("callId"), (str, int))]
