"""Opening a store: where it lives, the SQLite settings that make it safe, transactions.

WAL mode lets ``rounds`` and ``show`` read while a run writes; the busy timeout
makes a second writer wait for the first instead of failing; every write goes
through ``transaction`` (BEGIN IMMEDIATE ... COMMIT), so a run killed half way
leaves the store as it was before or complete, never in between.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .messages import BUSY, CANNOT_OPEN, NO_STORE, NOT_A_STORE, StoreError

DEFAULT_NAME = "persona_lab.db"
HOME_VARIABLE = "PERSONA_LAB_HOME"
BUSY_SECONDS = 120


def default_path() -> Path:
    """``$PERSONA_LAB_HOME/persona_lab.db`` when that is set, else in the working folder."""
    home = os.environ.get(HOME_VARIABLE)
    return Path(home).expanduser() / DEFAULT_NAME if home else Path(DEFAULT_NAME)


def as_store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """One line for a SQLite failure: busy, not a store, or cannot open."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(BUSY.format(path=path, seconds=BUSY_SECONDS))
    if isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
        return StoreError(NOT_A_STORE.format(path=path, error=text))
    return StoreError(CANNOT_OPEN.format(path=path, error=text))


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, foreign keys on.

    Raises:
        StoreError: no store at ``path`` (when ``create`` is false), or it cannot be opened.
    """
    if not create and not path.is_file():
        raise StoreError(NO_STORE.format(path=path))
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        conn.row_factory = sqlite3.Row
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(CANNOT_OPEN.format(path=path, error=exc)) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        conn.close()
        raise as_store_error(path, exc) from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write, whole or not at all; waits for another writer to finish first."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise as_store_error(path, exc) from exc
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise as_store_error(path, exc) from exc
