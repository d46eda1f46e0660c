"""Transcripts, their turns and each file's own result (roles, word counts, insights).

A transcript is stored once per fingerprint and a file result once per key, so
running a round again duplicates nothing; a round refers to them by id and key.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..embed import text_key
from ..models import Participant, Transcript
from ..perfile import FileResult
from .codec import dumps, insight_from_row, insight_values, turn_from_row, turn_row


@dataclass(frozen=True)
class StoredFile:
    """One file of a run as the store keeps it: the file as read and its own result."""

    fingerprint: str
    key: str
    transcript: Transcript
    result: FileResult


def load_results(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, FileResult]:
    """The stored results among ``keys``."""
    wanted = sorted(set(keys))
    found: dict[str, FileResult] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT file_key, spacy, roles, word_counts FROM file_results "
            f"WHERE file_key IN ({marks})",
            chunk,
        ).fetchall()
        for key, spacy, roles, counts in rows:
            insights = tuple(
                insight_from_row(r)
                for r in conn.execute(
                    "SELECT * FROM insights WHERE file_key = ? ORDER BY seq", (key,)
                )
            )
            found[key] = FileResult(json.loads(roles), json.loads(counts), insights, spacy)
    return found


def _transcript_id(conn: sqlite3.Connection, stored: StoredFile) -> int:
    t = stored.transcript
    inserted = conn.execute(
        "INSERT OR IGNORE INTO transcripts (fingerprint, content_hash, format, date, round, "
        "metadata) VALUES (?, ?, ?, ?, ?, ?)",
        (stored.fingerprint, t.content_hash, t.format, t.date, t.round, dumps(t.metadata)),
    ).rowcount
    (transcript_id,) = conn.execute(
        "SELECT id FROM transcripts WHERE fingerprint = ?", (stored.fingerprint,)
    ).fetchone()
    if inserted:
        conn.executemany(
            "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
            [turn_row(transcript_id, turn) for turn in t.turns],
        )
    return int(transcript_id)


def ensure_files(conn: sqlite3.Connection, files: Sequence[StoredFile]) -> list[int]:
    """Writes what the store lacks of each file; returns each file's transcript id.

    Rows already present are left as they are, so a file shared by rounds (or
    written by another run meanwhile) is stored once.
    """
    ids = []
    for stored in files:
        transcript_id = _transcript_id(conn, stored)
        result = stored.result
        inserted = conn.execute(
            "INSERT OR IGNORE INTO file_results VALUES (?, ?, ?, ?, ?)",
            (stored.key, transcript_id, result.spacy, dumps(result.roles), dumps(result.counts)),
        ).rowcount
        if inserted:
            conn.executemany(
                "INSERT INTO insights VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (stored.key, seq, *insight_values(i, text_key(i.text)))
                    for seq, i in enumerate(result.insights)
                ],
            )
        ids.append(transcript_id)
    return ids


def load_transcript(
    conn: sqlite3.Connection, transcript_id: int, source: str, people: Sequence[Participant]
) -> Transcript:
    """A stored transcript as a round used it: its path and resolved participants."""
    row = conn.execute(
        "SELECT content_hash, format, date, round, metadata FROM transcripts WHERE id = ?",
        (transcript_id,),
    ).fetchone()
    turns = tuple(
        turn_from_row(r)
        for r in conn.execute(
            "SELECT * FROM turns WHERE transcript_id = ? ORDER BY idx", (transcript_id,)
        )
    )
    return Transcript(
        source=source,
        format=row["format"],
        turns=turns,
        participants=tuple(people),
        content_hash=row["content_hash"],
        date=row["date"],
        round=row["round"],
        metadata=json.loads(row["metadata"]),
    )


def prune(conn: sqlite3.Connection) -> None:
    """Drops files and vectors no stored round uses any more."""
    conn.execute(
        "DELETE FROM file_results WHERE file_key NOT IN (SELECT file_key FROM round_files)"
    )
    conn.execute("DELETE FROM transcripts WHERE id NOT IN (SELECT transcript_id FROM round_files)")
    conn.execute("DELETE FROM embeddings WHERE text_hash NOT IN (SELECT text_hash FROM insights)")
