"""A round saved whole, listed, found by name or by date, and loaded back unchanged.

Saving replaces the stored round of the same name in one transaction; when the
round is the same as the stored one (same digest) nothing is written at all.
Loading rebuilds the very Round that was saved, so `show` renders the same files
without recomputing anything.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..models import Participant, Persona, Round, SkippedFile, Theme
from ..perfile import round_insights
from . import Store
from .codec import (
    PARTICIPANT_COLUMNS,
    dumps,
    insights_of,
    keys_of,
    participant_from_row,
    participant_values,
    persona_from_row,
    persona_values,
    theme_from_row,
    theme_values,
)
from .files import StoredFile, ensure_files, load_results, load_transcript, prune
from .keys import digest
from .messages import NO_ROUND, NO_ROUNDS, StoreError
from .vectors import insight_vectors, load_vectors, save_vectors


@dataclass(frozen=True)
class RoundSummary:
    """One line of `persona-lab rounds`."""

    name: str
    date: str
    files: int
    participants: int
    personas: int  # full personas, as `run` counts them
    stored_at: str
    emerging: int = 0  # emerging roles (thin evidence), counted apart


def round_digest(round_: Round, files: Sequence[StoredFile]) -> str:
    """Everything a stored round holds, hashed: same digest, nothing to write."""
    return digest(
        {
            "round": round_.to_dict(),
            "files": [
                [t.source, f.fingerprint, f.key]
                for t, f in zip(round_.transcripts, files, strict=True)
            ],
            "people": [[vars(p) for p in t.participants] for t in round_.transcripts],
            "skipped": [[s.source, s.reason] for s in round_.skipped],
        }
    )


def _insert_people(conn: sqlite3.Connection, round_id: int, round_: Round) -> None:
    marks = ",".join("?" * (3 + len(PARTICIPANT_COLUMNS)))
    columns = ", ".join(("round_id", "position", "seq", *PARTICIPANT_COLUMNS))
    conn.executemany(
        f"INSERT INTO participants ({columns}) VALUES ({marks})",
        [
            (round_id, position, seq, *participant_values(p))
            for position, transcript in enumerate(round_.transcripts)
            for seq, p in enumerate(transcript.participants)
        ],
    )


def insert_personas(conn: sqlite3.Connection, round_id: int, personas: Sequence[Persona]) -> None:
    """A round's personas and their themes (rows of an earlier version removed first)."""
    conn.execute("DELETE FROM personas WHERE round_id = ?", (round_id,))
    for position, persona in enumerate(personas):
        conn.execute(
            "INSERT INTO personas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (round_id, position, *persona_values(persona)),
        )
        conn.executemany(
            "INSERT INTO themes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (round_id, position, n, *theme_values(theme))
                for n, theme in enumerate(persona.themes)
            ],
        )


def save_round(
    store: Store,
    round_: Round,
    files: Sequence[StoredFile],
    vectors: np.ndarray,
    inputs: str = "",
) -> bool:
    """Stores the round, its files and its insights' vectors; false when nothing changed.

    ``inputs`` is what it was built from (keys.round_key), for ``reusable_round``.
    """
    signature = round_digest(round_, files)
    model = str(round_.settings.get("models", {}).get("embeddings", ""))
    with store.writing() as conn:
        row = conn.execute(
            "SELECT id, digest, inputs FROM rounds WHERE name = ?", (round_.name,)
        ).fetchone()
        if row is not None and row["digest"] == signature:
            if row["inputs"] != inputs:
                conn.execute("UPDATE rounds SET inputs = ? WHERE id = ?", (inputs, row["id"]))
            return False
        if row is not None:
            conn.execute("DELETE FROM rounds WHERE id = ?", (row["id"],))
        ids = ensure_files(conn, files)
        stored_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        round_id = conn.execute(
            "INSERT INTO rounds (name, date, settings, skipped, unassigned, digest, stored_at, "
            "inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                round_.name,
                round_.generated_at,
                dumps(round_.settings),
                dumps([[s.source, s.reason] for s in round_.skipped]),
                keys_of(round_.unassigned),
                signature,
                stored_at,
                inputs,
            ),
        ).lastrowid
        assert round_id is not None
        conn.executemany(
            "INSERT INTO round_files VALUES (?, ?, ?, ?, ?)",
            [
                (round_id, n, t.source, tid, f.key)
                for n, (t, f, tid) in enumerate(zip(round_.transcripts, files, ids, strict=True))
            ],
        )
        _insert_people(conn, round_id, round_)
        insert_personas(conn, round_id, round_.personas)
        save_vectors(conn, model, [i.text for i in round_.insights], vectors)
        prune(conn)
    return True


def reusable_round(store: Store, name: str, inputs: str) -> Round | None:
    """The stored round ``name`` when it was built from exactly ``inputs``."""
    row = store.conn.execute("SELECT inputs FROM rounds WHERE name = ?", (name,)).fetchone()
    if row is None or not inputs or row["inputs"] != inputs:
        return None
    return load_round(store, name)


def previous_digest(store: Store, name: str, date: str) -> str | None:
    """The name and digest of the round before ``name``, whose persona ids it keeps."""
    earlier = previous_round(store, name, date)
    if earlier is None:
        return None
    row = store.conn.execute("SELECT digest FROM rounds WHERE name = ?", (earlier,)).fetchone()
    return f"{earlier}:{row['digest']}"


def round_id(conn: sqlite3.Connection, name: str, path: object) -> int:
    row = conn.execute("SELECT id FROM rounds WHERE name = ?", (name,)).fetchone()
    if row is None:
        if conn.execute("SELECT 1 FROM rounds LIMIT 1").fetchone() is None:
            raise StoreError(NO_ROUNDS.format(path=path))
        raise StoreError(NO_ROUND.format(name=name, path=path))
    return int(row["id"])


def _people(conn: sqlite3.Connection, rid: int) -> dict[int, list[Participant]]:
    people: dict[int, list[Participant]] = defaultdict(list)
    for row in conn.execute(
        "SELECT * FROM participants WHERE round_id = ? ORDER BY position, seq", (rid,)
    ):
        people[row["position"]].append(participant_from_row(row))
    return people


def load_round(store: Store, name: str) -> Round:
    """The stored round as it was built, ready to render.

    Raises:
        StoreError: no round of that name.
    """
    conn = store.conn
    rid = round_id(conn, name, store.path)
    row = conn.execute("SELECT * FROM rounds WHERE id = ?", (rid,)).fetchone()
    files = conn.execute(
        "SELECT position, source, transcript_id, file_key FROM round_files "
        "WHERE round_id = ? ORDER BY position",
        (rid,),
    ).fetchall()
    people = _people(conn, rid)
    transcripts = tuple(
        load_transcript(conn, f["transcript_id"], f["source"], people[f["position"]]) for f in files
    )
    results = load_results(conn, (f["file_key"] for f in files))
    insights = round_insights(transcripts, [results[f["file_key"]] for f in files])
    by_key = {i.key: i for i in insights}
    members = {p.id: p for t in transcripts for p in t.participants if not p.is_interviewer}
    themes: dict[int, list[Theme]] = defaultdict(list)
    for t in conn.execute(
        "SELECT * FROM themes WHERE round_id = ? ORDER BY persona_position, position", (rid,)
    ):
        themes[t["persona_position"]].append(theme_from_row(t, by_key))
    personas = tuple(
        persona_from_row(p, themes[p["position"]], members, by_key)
        for p in conn.execute("SELECT * FROM personas WHERE round_id = ? ORDER BY position", (rid,))
    )
    return Round(
        name=row["name"],
        generated_at=row["date"],
        settings=json.loads(row["settings"]),
        transcripts=transcripts,
        insights=insights,
        personas=personas,
        unassigned=insights_of(row["unassigned"], by_key),
        skipped=tuple(SkippedFile(s, r) for s, r in json.loads(row["skipped"])),
    )


def round_vectors(store: Store, round_: Round) -> np.ndarray:
    """The stored vectors of a round's insights, in its order (zero rows if missing)."""
    model = str(round_.settings.get("models", {}).get("embeddings", ""))
    texts = [i.text for i in round_.insights]
    return insight_vectors(round_.insights, load_vectors(store.conn, model, texts))


def list_rounds(store: Store) -> list[RoundSummary]:
    """Every stored round, oldest first (by date, then name)."""
    rows = store.conn.execute(
        """
        SELECT r.name, r.date, r.stored_at,
            (SELECT COUNT(*) FROM round_files f WHERE f.round_id = r.id) AS files,
            (SELECT COUNT(DISTINCT p.id) FROM participants p
                WHERE p.round_id = r.id AND NOT p.is_interviewer) AS participants,
            (SELECT COUNT(*) FROM personas s
                WHERE s.round_id = r.id AND NOT s.emerging) AS personas,
            (SELECT COUNT(*) FROM personas s WHERE s.round_id = r.id AND s.emerging) AS emerging
        FROM rounds r ORDER BY r.date, r.name
        """
    ).fetchall()
    return [
        RoundSummary(
            r["name"],
            r["date"],
            r["files"],
            r["participants"],
            r["personas"],
            r["stored_at"],
            r["emerging"],
        )
        for r in rows
    ]


def previous_round(store: Store, name: str, date: str) -> str | None:
    """The newest stored round before a round of this name and date, if any."""
    row = store.conn.execute(
        "SELECT name FROM rounds WHERE name != ? AND (date < ? OR (date = ? AND name < ?)) "
        "ORDER BY date DESC, name DESC LIMIT 1",
        (name, date, date, name),
    ).fetchone()
    return None if row is None else str(row["name"])


def newest_round(store: Store) -> RoundSummary | None:
    found = list_rounds(store)
    return found[-1] if found else None
