"""JSON transcripts: a list of ``{speaker, text, start, end}`` turns, times in seconds.

Also ``{"turns": [...]}`` (or segments/utterances), and the key spellings other
tools use (``speaker_name``, ``name``, ``start_time``). A turn with no speaker
continues the previous one; with no speaker anywhere, the file is one person's.
Numbers are speakers too (``"speaker": 2``); a speaker too long to be a name, or
``true``/``false``, counts as no speaker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .clock import seconds_value
from .fragments import Fragment
from .jsonsource import StringLines
from .labels import clean_label

SPEAKER_KEYS = ("speaker", "speaker_name", "speakerName", "name", "participant")
TEXT_KEYS = ("text", "content", "utterance", "transcript")
START_KEYS = ("start", "start_time", "startTime", "begin")
END_KEYS = ("end", "end_time", "endTime")
LIST_KEYS = ("turns", "segments", "utterances", "transcript", "monologues")


def _first(record: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        if record.get(key) is not None:
            return record[key]
    return None


def turn_records(data: Any) -> list[Mapping[str, Any]] | None:
    """The turn records of a plain JSON transcript; None when it is not one."""
    if isinstance(data, dict):
        data = next((data[k] for k in LIST_KEYS if isinstance(data.get(k), list)), None)
    if not isinstance(data, list):
        return None
    records: list[Mapping[str, Any]] = [r for r in data if isinstance(r, dict)]
    if not any(isinstance(_first(r, TEXT_KEYS), str) for r in records):
        return None
    return records


def _speaker(record: Mapping[str, Any]) -> str | None:
    value = _first(record, SPEAKER_KEYS)
    if isinstance(value, dict):
        value = _first(value, ("name", "id"))
    if value is None or isinstance(value, (bool, list, dict)):
        return None
    return clean_label(str(value))


def json_turn_fragments(
    records: Sequence[Mapping[str, Any]], strings: StringLines, fallback: str
) -> tuple[Fragment, ...]:
    """One fragment per record with text; its line is where the text value stands."""
    speakers = [_speaker(r) for r in records]
    anyone = any(speakers)
    fragments: list[Fragment] = []
    current: str | None = None if anyone else fallback
    for record, speaker in zip(records, speakers, strict=True):
        text = _first(record, TEXT_KEYS)
        if not isinstance(text, str):
            continue
        line = strings.line_of(text)
        current = speaker or current
        if current is None:
            continue
        start = seconds_value(_first(record, START_KEYS))
        end = seconds_value(_first(record, END_KEYS))
        fragments.append(Fragment(current, text, line, start, end))
    return tuple(fragments)
