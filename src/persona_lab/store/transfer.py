"""The whole store as JSON lines and back: for backups and for moving machines.

The first line says what the file is and the schema it was written with; each
other line is one row, ``{"table": ..., "row": {column: value}}``, tables in
the order their rows can be inserted, rows in key order, vectors as base64. An
export of an imported export is the same file, byte for byte.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from .. import __version__
from . import Store
from .keys import canonical
from .messages import BAD_EXPORT, NEWER_EXPORT, NOT_EMPTY, StoreError
from .schema import SCHEMA_VERSION, TABLES

FORMAT = "persona_lab-store"
BLOB = "$base64"


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """A table's columns, and its primary key columns in key order."""
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    keys = sorted((r["pk"], r["name"]) for r in info if r["pk"])
    return [r["name"] for r in info], [name for _, name in keys]


def _encoded(value: Any) -> Any:
    return {BLOB: base64.b64encode(value).decode("ascii")} if isinstance(value, bytes) else value


def _decoded(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {BLOB}:
        return base64.b64decode(value[BLOB])
    return value


def export_lines(store: Store) -> Iterator[str]:
    """Every row of the store, one JSON line each, after a header line (one snapshot)."""
    conn = store.conn
    conn.execute("BEGIN")
    try:
        yield canonical({"format": FORMAT, "schema": SCHEMA_VERSION, "version": __version__})
        for table in TABLES:
            columns, keys = _columns(conn, table)
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(keys)}"):
                values = {c: _encoded(row[c]) for c in columns}
                yield canonical({"table": table, "row": values})
    finally:
        conn.execute("COMMIT")


def _header(line: str, source: str) -> None:
    try:
        header = json.loads(line)
    except json.JSONDecodeError as exc:
        raise StoreError(BAD_EXPORT.format(source=source, line=1, problem=exc.msg)) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        problem = "the first line is not a persona_lab export header"
        raise StoreError(BAD_EXPORT.format(source=source, line=1, problem=problem))
    found = header.get("schema")
    if not isinstance(found, int) or found > SCHEMA_VERSION:
        raise StoreError(NEWER_EXPORT.format(source=source, found=found, known=SCHEMA_VERSION))
    # Older exports differ only by columns added since, which take their defaults
    # (schema 2 added rounds.inputs: such a round is rebuilt on its next run).
    if found < 1:
        problem = f"schema {found} is older than this persona_lab can read"
        raise StoreError(BAD_EXPORT.format(source=source, line=1, problem=problem))


def is_empty(conn: sqlite3.Connection) -> bool:
    return not any(conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in TABLES)


def _row(line: str, number: int, source: str, known: dict[str, list[str]]) -> tuple[str, dict]:
    def bad(problem: str) -> StoreError:
        return StoreError(BAD_EXPORT.format(source=source, line=number, problem=problem))

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise bad(exc.msg) from exc
    if not isinstance(item, dict) or item.get("table") not in known:
        raise bad("no known table")
    row = item.get("row")
    if not isinstance(row, dict) or not set(row) <= set(known[item["table"]]):
        raise bad(f"unknown columns for table {item['table']}")
    return item["table"], {k: _decoded(v) for k, v in row.items()}


def import_lines(
    store: Store, lines: Iterable[str], source: str, *, replace: bool = False
) -> dict[str, int]:
    """Loads an export into the store in one transaction; returns rows per table.

    Raises:
        StoreError: the store holds data (without ``replace``), or the file is not an
            export this persona_lab can read (the line is named).
    """
    counts = {table: 0 for table in TABLES}
    numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
    first = next(numbered, None)
    if first is None:
        raise StoreError(BAD_EXPORT.format(source=source, line=1, problem="the file is empty"))
    _header(first[1], source)
    with store.writing() as conn:
        if not is_empty(conn):
            if not replace:
                raise StoreError(NOT_EMPTY.format(path=store.path))
            for table in reversed(TABLES):
                conn.execute(f"DELETE FROM {table}")
        known = {table: _columns(conn, table)[0] for table in TABLES}
        for number, line in numbered:
            table, row = _row(line, number, source, known)
            names = list(row)
            marks = ",".join("?" * len(names))
            try:
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                    [row[n] for n in names],
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(
                    BAD_EXPORT.format(source=source, line=number, problem=str(exc))
                ) from exc
            counts[table] += 1
    return counts
