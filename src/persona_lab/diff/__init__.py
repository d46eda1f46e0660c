"""What changed between two rounds: personas matched, then each compared.

``diff_rounds`` pairs the personas of an older and a newer round (match), then
reports for each pair its themes that are new, grew, shrank or faded, its new
objections and its shift in vocabulary (changes), and names the personas that
appeared or disappeared. ``report`` renders the result as HTML, Markdown and JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models import Persona, Round
from ..settings import ROUND_LABEL_SETTINGS, default_settings
from .changes import (
    Side,
    ThemeChange,
    compared_kinds,
    kinds_extracted,
    new_objections,
    theme_changes,
    vocabulary_shift,
)
from .match import match_personas, persona_centroids

__all__ = ["PersonaChange", "PersonaSummary", "RoundDiff", "diff_rounds"]


@dataclass(frozen=True)
class PersonaSummary:
    """A persona that is only in one of the two rounds."""

    id: str
    name: str
    function: str
    seniority: str
    participants: int
    themes: tuple[tuple[str, str], ...]  # (kind, label), the first of each kind

    @classmethod
    def of(cls, persona: Persona) -> PersonaSummary:
        first: dict[str, str] = {}
        for theme in persona.themes:
            first.setdefault(theme.kind, theme.label)
        return cls(
            persona.id,
            persona.name,
            persona.role.function,
            persona.role.seniority,
            len(persona.participants),
            tuple(first.items()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "function": self.function,
            "seniority": self.seniority,
            "participants": self.participants,
            "themes": [{"kind": k, "label": label} for k, label in self.themes],
        }


@dataclass(frozen=True)
class PersonaChange:
    """One persona found in both rounds and what changed in it."""

    id: str
    name: str
    old_id: str
    old_name: str
    function: str
    seniority: str
    similarity: float
    old_participants: int
    new_participants: int
    themes: tuple[ThemeChange, ...]
    new_objections: tuple[Any, ...]
    words_in: tuple[str, ...]
    words_out: tuple[str, ...]
    # Thin evidence (an emerging role, not a persona) in the older and the newer round.
    old_emerging: bool = False
    new_emerging: bool = False

    def of_status(self, *statuses: str) -> tuple[ThemeChange, ...]:
        return tuple(t for t in self.themes if t.status in statuses)

    @property
    def changed(self) -> bool:
        return bool(
            self.of_status("new", "grew", "shrank", "faded")
            or self.new_objections
            or self.words_in
            or self.words_out
            or self.old_participants != self.new_participants
            or self.old_emerging != self.new_emerging
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "old_id": self.old_id,
            "old_name": self.old_name,
            "function": self.function,
            "seniority": self.seniority,
            "similarity": self.similarity,
            "participants": {"old": self.old_participants, "new": self.new_participants},
            "emerging": {"old": self.old_emerging, "new": self.new_emerging},
            "themes": {
                status: [t.to_dict() for t in self.of_status(status)]
                for status in ("new", "grew", "shrank", "faded", "steady")
            },
            "new_objections": [q.to_dict() for q in self.new_objections],
            "vocabulary": {"in": list(self.words_in), "out": list(self.words_out)},
        }


@dataclass(frozen=True)
class RoundDiff:
    """Two rounds compared, persona by persona."""

    old: str
    new: str
    old_date: str
    new_date: str
    old_participants: int
    new_participants: int
    personas: tuple[PersonaChange, ...]
    appeared: tuple[PersonaSummary, ...]
    disappeared: tuple[PersonaSummary, ...]
    kinds: tuple[str, ...] = ()
    not_compared: tuple[str, ...] = ()  # kinds only one of the rounds extracted
    # (setting, old value, new value) of the settings and models the rounds were built
    # with that differ: changes that may come from them rather than from the buyers
    method_changed: tuple[tuple[str, str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {
                "round": self.old,
                "date": self.old_date,
                "participants": self.old_participants,
            },
            "new": {
                "round": self.new,
                "date": self.new_date,
                "participants": self.new_participants,
            },
            "kinds": list(self.kinds),
            "not_compared": list(self.not_compared),
            "method_changed": [
                {"setting": name, "old": was, "new": now} for name, was, now in self.method_changed
            ],
            "personas": [p.to_dict() for p in self.personas],
            "appeared": [p.to_dict() for p in self.appeared],
            "disappeared": [p.to_dict() for p in self.disappeared],
        }


# Settings that name or date a round, change how fast it is built, or change how it is
# shown (names, quotes, formats), not what it finds.
NOT_METHOD = frozenset(
    {
        *ROUND_LABEL_SETTINGS,
        "workers",
        "batch_size",
        "embedding_batch_size",
        "formats",
        "templates",
        "names",
        "quotes_per_theme",
        "pseudonymize",
    }
)


def _flat(settings: dict[str, Any]) -> dict[str, str]:
    """A round's settings as text by name, the shipped default standing in for a setting
    the round was stored without (one added to persona_lab since)."""
    out: dict[str, str] = {}
    for name, value in {**default_settings().to_dict(), **settings}.items():
        if name in NOT_METHOD:
            continue
        if isinstance(value, dict) and name == "models":
            out.update({f"models.{k}": json.dumps(v) for k, v in value.items()})
        else:
            out[name] = json.dumps(value, sort_keys=True)
    return out


def method_changes(old: Round, new: Round) -> tuple[tuple[str, str, str], ...]:
    """The settings and models two rounds were built with that differ (a value one
    round does not have reads "—")."""
    before, after = _flat(old.settings), _flat(new.settings)
    return tuple(
        (name, before.get(name, "—"), after.get(name, "—"))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
        # A model's version that one round was stored without is no change.
        and not (
            name.startswith("models.")
            and name.endswith("_version")
            and (name not in before or name not in after)
        )
    )


def diff_rounds(
    old: Round, new: Round, old_vectors: np.ndarray, new_vectors: np.ndarray
) -> RoundDiff:
    """Matches the personas of two rounds and says what changed in each."""
    before, after = Side(old, old_vectors), Side(new, new_vectors)
    kinds = compared_kinds(old, new)
    only_one = sorted(kinds_extracted(old) ^ kinds_extracted(new))
    pairs = match_personas(
        old.personas,
        new.personas,
        persona_centroids(old.personas, old.insights, old_vectors),
        persona_centroids(new.personas, new.insights, new_vectors),
    )
    changes = []
    for pair in pairs:
        was, now = old.personas[pair.old], new.personas[pair.new]
        came, went = vocabulary_shift(was, now)
        changes.append(
            PersonaChange(
                id=now.id,
                name=now.name,
                old_id=was.id,
                old_name=was.name,
                function=now.role.function,
                seniority=now.role.seniority,
                similarity=pair.similarity,
                old_participants=len(was.participants),
                new_participants=len(now.participants),
                themes=tuple(theme_changes(was, now, before, after, kinds)),
                new_objections=new_objections(was, now, before, after),
                words_in=came,
                words_out=went,
                old_emerging=was.emerging,
                new_emerging=now.emerging,
            )
        )
    matched_old = {p.old for p in pairs}
    matched_new = {p.new for p in pairs}
    return RoundDiff(
        old=old.name,
        new=new.name,
        old_date=old.generated_at,
        new_date=new.generated_at,
        old_participants=len(old.participants),
        new_participants=len(new.participants),
        personas=tuple(changes),
        appeared=tuple(
            PersonaSummary.of(p) for j, p in enumerate(new.personas) if j not in matched_new
        ),
        disappeared=tuple(
            PersonaSummary.of(p) for i, p in enumerate(old.personas) if i not in matched_old
        ),
        kinds=kinds,
        not_compared=tuple(only_one),
        method_changed=method_changes(old, new),
    )
