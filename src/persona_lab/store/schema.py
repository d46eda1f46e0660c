"""The tables, as numbered migrations applied in order when a store is opened.

``PRAGMA user_version`` holds the number of the last migration applied. A new
schema change is a new ``m00N_...`` function appended to MIGRATIONS, never an
edit of an old one; a store whose version is higher than this code knows was
written by a newer persona_lab and is refused with one clear line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from .connect import transaction
from .messages import NEWER_STORE, StoreError


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Runs statements one by one (executescript would commit the open transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def m001_initial(conn: sqlite3.Connection) -> None:
    """Files (transcripts, turns, per-file results, insights), vectors and rounds."""
    _run(
        conn,
        """
        CREATE TABLE transcripts (
            id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            format TEXT NOT NULL,
            date TEXT,
            round TEXT,
            metadata TEXT NOT NULL
        );
        CREATE TABLE turns (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            text TEXT NOT NULL,
            pieces TEXT NOT NULL,
            contiguous TEXT NOT NULL,
            PRIMARY KEY (transcript_id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE file_results (
            file_key TEXT PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            spacy TEXT NOT NULL,
            roles TEXT NOT NULL,
            word_counts TEXT NOT NULL
        );
        CREATE INDEX file_results_transcript ON file_results(transcript_id);
        CREATE TABLE insights (
            file_key TEXT NOT NULL
                REFERENCES file_results(file_key) ON DELETE CASCADE ON UPDATE CASCADE,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            line INTEGER NOT NULL,
            speaker TEXT NOT NULL,
            start_time REAL,
            end_time REAL,
            score REAL NOT NULL,
            summary TEXT NOT NULL,
            turn INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            phrases TEXT NOT NULL,
            PRIMARY KEY (file_key, seq)
        ) WITHOUT ROWID;
        CREATE INDEX insights_text_hash ON insights(text_hash);
        CREATE TABLE embeddings (
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dims INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, text_hash)
        ) WITHOUT ROWID;
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL,
            settings TEXT NOT NULL,
            skipped TEXT NOT NULL,
            unassigned TEXT NOT NULL,
            digest TEXT NOT NULL,
            stored_at TEXT NOT NULL
        );
        CREATE TABLE round_files (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
            file_key TEXT NOT NULL REFERENCES file_results(file_key) ON UPDATE CASCADE,
            PRIMARY KEY (round_id, position)
        );
        CREATE INDEX round_files_transcript ON round_files(transcript_id);
        CREATE INDEX round_files_key ON round_files(file_key);
        CREATE TABLE participants (
            round_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            id TEXT NOT NULL,
            speaker TEXT NOT NULL,
            name TEXT NOT NULL,
            is_interviewer INTEGER NOT NULL,
            interviewer_rule TEXT NOT NULL,
            title TEXT,
            title_source TEXT,
            function TEXT NOT NULL,
            seniority TEXT NOT NULL,
            company TEXT,
            industry TEXT,
            company_size TEXT,
            sources TEXT NOT NULL,
            role_source TEXT,
            PRIMARY KEY (round_id, position, seq),
            FOREIGN KEY (round_id, position)
                REFERENCES round_files(round_id, position) ON DELETE CASCADE
        );
        CREATE INDEX participants_id ON participants(id);
        CREATE TABLE personas (
            round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            function TEXT NOT NULL,
            seniority TEXT NOT NULL,
            titles TEXT NOT NULL,
            members TEXT NOT NULL,
            vocabulary TEXT NOT NULL,
            context TEXT NOT NULL,
            unthemed TEXT NOT NULL,
            emerging INTEGER NOT NULL,
            PRIMARY KEY (round_id, position)
        );
        CREATE TABLE themes (
            round_id INTEGER NOT NULL,
            persona_position INTEGER NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            participants INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            quotes TEXT NOT NULL,
            insights TEXT NOT NULL,
            PRIMARY KEY (round_id, persona_position, position),
            FOREIGN KEY (round_id, persona_position)
                REFERENCES personas(round_id, position) ON DELETE CASCADE
        )
        """,
    )


def m002_round_inputs(conn: sqlite3.Connection) -> None:
    """What each round was built from (keys.round_key), so an unchanged run loads it."""
    conn.execute("ALTER TABLE rounds ADD COLUMN inputs TEXT NOT NULL DEFAULT ''")


def m003_shared_themes(conn: sqlite3.Connection) -> None:
    """Themes personas share: Theme.shared_with (a JSON list) and Theme.shared_group."""
    conn.execute("ALTER TABLE themes ADD COLUMN shared_with TEXT NOT NULL DEFAULT '[]'")
    conn.execute("ALTER TABLE themes ADD COLUMN shared_group INTEGER NOT NULL DEFAULT 0")


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (m001_initial, m002_round_inputs, m003_shared_themes)
SCHEMA_VERSION = len(MIGRATIONS)

# Tables in the order rows can be inserted (a row's references come first).
TABLES = (
    "transcripts",
    "turns",
    "file_results",
    "insights",
    "embeddings",
    "rounds",
    "round_files",
    "participants",
    "personas",
    "themes",
)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_version(found: int, path: Path) -> None:
    """Raises StoreError when the store is newer than this code."""
    if found > SCHEMA_VERSION:
        raise StoreError(NEWER_STORE.format(path=path, found=found, known=SCHEMA_VERSION))


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Applies the migrations the store lacks, each in its own transaction.

    The version is read again inside the transaction, so two processes opening a
    new store at once apply each migration once.
    """
    check_version(version(conn), path)
    while version(conn) < SCHEMA_VERSION:
        with transaction(conn, path):
            current = version(conn)
            check_version(current, path)
            if current < SCHEMA_VERSION:
                MIGRATIONS[current](conn)
                conn.execute(f"PRAGMA user_version = {current + 1}")
