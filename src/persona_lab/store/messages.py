"""The store's exception and every message it shows, in one place (like errors.py)."""

from __future__ import annotations

from ..errors import PersonaLabError


class StoreError(PersonaLabError):
    """The research store cannot be used as asked."""


NEWER_STORE = (
    "the store {path} was written by a newer persona_lab (schema {found}, this one knows "
    "up to {known}); upgrade persona_lab or pass another --db"
)
NOT_A_STORE = "{path} is not a persona_lab store ({error}); pass another --db"
CANNOT_OPEN = "cannot open the store {path} ({error}); check the path and its permissions"
BUSY = "the store {path} stayed locked by another run for {seconds} s; try again when it ends"
NO_STORE = "no store at {path}; build a round first: persona-lab run PATH --round NAME --db {path}"
NO_ROUNDS = "the store {path} holds no round yet; build one with: persona-lab run PATH --db {path}"
NO_ROUND = "no round named {name!r} in {path}; `persona-lab rounds --db {path}` lists them"
NO_PREVIOUS = "no round before {name!r} in {path} to compare with; refresh needs an earlier round"
NO_PARTICIPANT = (
    "no participant matches {who!r} in {path}; give a full name or a participant id "
    "(as in personas.json)"
)
INTERVIEWER_ONLY = "{who!r} is only ever an interviewer in {path}; forget removes participants"
NOT_EMPTY = "the store {path} already holds data; import into a new --db, or pass --replace"
BAD_EXPORT = "{source}, line {line}: not a persona_lab store export ({problem})"
NEWER_EXPORT = (
    "{source} was exported from a newer persona_lab (schema {found}, this one knows up to "
    "{known}); upgrade persona_lab to import it"
)
STALE_OUTPUT = "re-render earlier outputs with `persona-lab show ROUND --out DIR` to drop them"
ROUND_REPLACED = (
    "warning: this replaced the round {name} stored at {stamp}; to keep both, run again with "
    "another --round (the earlier one can be rebuilt from its files)"
)
OLD_ROUND_RUN = (
    "warning: the newest stored round before this one, {name} ({date}), is more than six months "
    "older; `persona-lab diff {name} {new}` says what changed"
)
OLD_ROUND_TODAY = (
    "warning: the newest round, {name} ({date}), is more than six months old; refresh the "
    "personas with a new round: persona-lab refresh PATH --round NAME"
)
