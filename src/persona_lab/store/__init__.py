"""The research store: every round, its files and its personas in one SQLite file.

``open_store`` opens (or creates) it and brings its schema up to date. The
modules beside this one each hold one concern: ``files`` (transcripts and
per-file results), ``vectors`` (float32 embeddings), ``rounds`` (a round saved
and loaded again), ``forget``, ``transfer`` (export and import) and ``keys``
(what makes a stored file result reusable).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .connect import as_store_error, connect, default_path, transaction
from .messages import StoreError
from .schema import migrate

__all__ = ["Store", "StoreError", "default_path", "open_store"]


@dataclass
class Store:
    """An open store: its path (for messages) and its connection."""

    path: Path
    conn: sqlite3.Connection

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of its writes land, or none does."""
        with transaction(self.conn, self.path) as conn:
            yield conn


@contextmanager
def open_store(path: str | Path | None = None, *, create: bool = True) -> Iterator[Store]:
    """The store at ``path`` (default: ``default_path()``), migrated, closed on exit.

    Raises:
        StoreError: the store is missing (``create=False``), unreadable, or newer than
            this persona_lab.
    """
    where = Path(path) if path is not None else default_path()
    conn = connect(where, create=create)
    try:
        try:
            migrate(conn, where)
        except sqlite3.DatabaseError as exc:
            raise as_store_error(where, exc) from exc
        yield Store(where, conn)
    finally:
        conn.close()
