"""Forgetting one participant everywhere: a privacy request, in one transaction.

Their turns, insights and vectors leave every stored file and round. A file
where they were the only participant goes whole; in a group call only their
turns go, and the file's stored result is re-keyed so a later run reads the
file again instead of reusing the redacted one. Each round they were in is
rebuilt from what remains (personas keep their ids and names), deleted pages
are overwritten (secure_delete) and the write-ahead log is emptied.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .. import errors
from ..diff.continuity import continued
from ..models import Insight, Persona
from ..settings import Settings, default_settings
from . import Store
from .codec import dumps, keys_of
from .files import prune
from .messages import INTERVIEWER_ONLY, NO_PARTICIPANT, StoreError
from .rounds import insert_personas, load_round, round_vectors


@dataclass(frozen=True)
class Forgotten:
    """What forgetting someone removed."""

    names: tuple[str, ...]
    ids: tuple[str, ...]
    files_removed: int
    files_redacted: int
    insights: int
    rounds: tuple[str, ...]
    rounds_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Before:
    """A round's personas as they were, so rebuilt ones keep their ids."""

    personas: tuple[Persona, ...]
    insights: tuple[Insight, ...]
    vectors: np.ndarray


def _spaced(text: str) -> str:
    return " ".join(text.split()).casefold()


def matches(store: Store, who: str) -> list[sqlite3.Row]:
    """Participant rows (with their transcript) whose id or full name is ``who``."""
    rows = store.conn.execute(
        "SELECT p.*, f.transcript_id, f.file_key, r.name AS round_name FROM participants p "
        "JOIN round_files f ON f.round_id = p.round_id AND f.position = p.position "
        "JOIN rounds r ON r.id = p.round_id"
    ).fetchall()
    wanted = _spaced(who)
    found = [r for r in rows if r["id"] == who or _spaced(r["name"]) == wanted]
    if not found:
        raise StoreError(NO_PARTICIPANT.format(who=who, path=store.path))
    buyers = [r for r in found if not r["is_interviewer"]]
    if not buyers:
        raise StoreError(INTERVIEWER_ONLY.format(who=who, path=store.path))
    return buyers


# Bars that were raw cosines until themes were found on centred vectors, when
# theme_merge_similarity came in: a round stored before then takes today's defaults.
RAW_COSINE_BARS = ("theme_join_similarity", "theme_min_cohesion")


def settings_of(recorded: dict[str, Any]) -> Settings:
    """The settings a stored round was built with (unknown names ignored)."""
    known = {f.name for f in fields(Settings)}
    if "theme_merge_similarity" not in recorded:
        known -= set(RAW_COSINE_BARS)
    if "min_theme_share" not in recorded:  # recorded before the setting: no share
        recorded = {**recorded, "min_theme_share": 0.0}
    if "theme_pair_similarity" not in recorded:  # before it: no bar of its own for pairs
        recorded = {**recorded, "theme_pair_similarity": -1.0}
    return default_settings().with_overrides(**{k: v for k, v in recorded.items() if k in known})


def _others(conn: sqlite3.Connection, transcript_id: int, speakers: set[str]) -> bool:
    """Whether another participant (not an interviewer) speaks in the transcript."""
    rows = conn.execute(
        "SELECT DISTINCT p.speaker FROM participants p JOIN round_files f "
        "ON f.round_id = p.round_id AND f.position = p.position "
        "WHERE f.transcript_id = ? AND NOT p.is_interviewer",
        (transcript_id,),
    ).fetchall()
    return any(r["speaker"] not in speakers for r in rows)


def _drop_file(conn: sqlite3.Connection, transcript_id: int) -> int:
    count = conn.execute(
        "SELECT COUNT(*) FROM insights i JOIN file_results r ON r.file_key = i.file_key "
        "WHERE r.transcript_id = ?",
        (transcript_id,),
    ).fetchone()[0]
    conn.execute("DELETE FROM round_files WHERE transcript_id = ?", (transcript_id,))
    conn.execute("DELETE FROM transcripts WHERE id = ?", (transcript_id,))
    return int(count)


def _without(data: str, speakers: set[str]) -> str:
    return dumps({k: v for k, v in json.loads(data).items() if k not in speakers})


def _scrubbed(metadata: str, names: set[str]) -> str:
    """File metadata (front matter) without any value that names the person."""
    data = json.loads(metadata)
    return dumps({k: v for k, v in data.items() if not any(n in str(v) for n in names)})


def _redact_file(
    conn: sqlite3.Connection, transcript_id: int, speakers: set[str], names: set[str]
) -> int:
    marks = ",".join("?" * len(speakers))
    said = sorted(speakers)
    salt = hashlib.sha256(dumps(said).encode()).hexdigest()[:16]
    conn.execute(
        f"DELETE FROM turns WHERE transcript_id = ? AND speaker IN ({marks})",
        (transcript_id, *said),
    )
    (metadata,) = conn.execute(
        "SELECT metadata FROM transcripts WHERE id = ?", (transcript_id,)
    ).fetchone()
    conn.execute(
        "UPDATE transcripts SET fingerprint = 'redacted:' || ? || ':' || fingerprint, "
        "metadata = ? WHERE id = ?",
        (salt, _scrubbed(metadata, names | speakers), transcript_id),
    )
    removed = 0
    for row in conn.execute(
        "SELECT file_key, roles, word_counts FROM file_results WHERE transcript_id = ?",
        (transcript_id,),
    ).fetchall():
        removed += conn.execute(
            f"DELETE FROM insights WHERE file_key = ? AND speaker IN ({marks})",
            (row["file_key"], *said),
        ).rowcount
        conn.execute(
            "UPDATE file_results SET file_key = ?, roles = ?, word_counts = ? WHERE file_key = ?",
            (
                f"redacted:{salt}:{row['file_key']}",
                _without(row["roles"], speakers),
                _without(row["word_counts"], speakers),
                row["file_key"],
            ),
        )
    return removed


def _drop_if_empty(conn: sqlite3.Connection, name: str) -> bool:
    """Deletes a round none of whose files is left; true when it did."""
    left = conn.execute(
        "SELECT COUNT(*) FROM round_files f JOIN rounds r ON r.id = f.round_id WHERE r.name = ?",
        (name,),
    ).fetchone()[0]
    if left:
        return False
    conn.execute("DELETE FROM rounds WHERE name = ?", (name,))
    return True


def rebuild(store: Store, name: str, before: Before) -> None:
    """Builds a round's personas again from what it still holds, keeping their ids."""
    from .. import pipeline
    from ..synthesize import build_personas
    from ..synthesize.config import persona_names

    round_ = load_round(store, name)
    settings = settings_of(round_.settings)
    vectors = round_vectors(store, round_)
    # Themes are named as the run named them: with the round's own embedding model
    # (the one its vectors come from). Erasure never waits on a model: where it is
    # not installed, themes are named by TF-IDF alone.
    model = str(round_.settings.get("models", {}).get("embeddings", "")) or settings.embedding_model
    try:
        embed = pipeline.load_embedder(model, batch_size=settings.embedding_batch_size).encode
    except errors.ModelMissingError:
        embed = None
    personas, unassigned = build_personas(
        round_.transcripts, round_.insights, vectors, settings, embed
    )
    avoid = {p.name.split()[0] for p in round_.participants if p.name.split()}
    personas = continued(
        before.personas,
        before.insights,
        before.vectors,
        personas,
        round_.insights,
        vectors,
        persona_names(settings.names),
        avoid,
    )
    (rid,) = store.conn.execute("SELECT id FROM rounds WHERE name = ?", (name,)).fetchone()
    insert_personas(store.conn, rid, personas)
    # Never the digest of a run, so running the original files again rewrites the round.
    signature = hashlib.sha256(dumps([p.to_dict() for p in personas]).encode()).hexdigest()
    store.conn.execute(
        "UPDATE rounds SET unassigned = ?, digest = ?, inputs = '' WHERE id = ?",
        (keys_of(unassigned), f"forgotten:{signature}", rid),
    )


def forget(store: Store, who: str) -> Forgotten:
    """Removes a participant, by id or full name, from every file and round of the store.

    Raises:
        StoreError: nobody matches, or only an interviewer does.
    """
    rows = matches(store, who)
    speakers: dict[int, set[str]] = defaultdict(set)
    named: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        speakers[row["transcript_id"]].add(row["speaker"])
        named[row["transcript_id"]].add(row["name"])
    rounds = tuple(sorted({r["round_name"] for r in rows}))
    store.conn.execute("PRAGMA secure_delete = ON")
    with store.writing() as conn:
        before: dict[str, Before] = {}
        for name in rounds:
            loaded = load_round(store, name)
            before[name] = Before(loaded.personas, loaded.insights, round_vectors(store, loaded))
        removed = redacted = insights = 0
        for transcript_id, said in sorted(speakers.items()):
            if _others(conn, transcript_id, said):
                insights += _redact_file(conn, transcript_id, said, named[transcript_id])
                redacted += 1
            else:
                insights += _drop_file(conn, transcript_id)
                removed += 1
        for transcript_id, said in speakers.items():
            marks = ",".join("?" * len(said))
            conn.execute(
                "DELETE FROM participants WHERE (round_id, position) IN (SELECT round_id, "
                f"position FROM round_files WHERE transcript_id = ?) AND speaker IN ({marks})",
                (transcript_id, *sorted(said)),
            )
        emptied = tuple(n for n in rounds if _drop_if_empty(conn, n))
        for name in rounds:
            if name not in emptied:
                rebuild(store, name, before[name])
        prune(conn)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    names = tuple(sorted({r["name"] for r in rows}))
    ids = tuple(sorted({r["id"] for r in rows}))
    return Forgotten(names, ids, removed, redacted, insights, rounds, emptied)
