"""A persona keeps its id and first name from round to round.

After a new round's personas are built, each one matched to a persona of the
previous round takes that persona's id and first name (the role label after
", the " is the new round's own); the others keep theirs unless a persona of the
previous round had it, so cards, links and what people call a persona stay the same
across refreshes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import numpy as np

from ..models import Insight, Persona
from .match import Pair, match_personas, persona_centroids

SEPARATOR = ", the "


def first_name(name: str) -> str:
    return name.split(SEPARATOR, 1)[0]


def role_label(name: str) -> str:
    return name.split(SEPARATOR, 1)[1] if SEPARATOR in name else name


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def carry_ids(
    previous: Sequence[Persona],
    personas: Sequence[Persona],
    pairs: Iterable[Pair],
    names: Sequence[str],
    avoid: Iterable[str] = (),
) -> tuple[Persona, ...]:
    """The new personas, renamed after the previous round's where they match.

    Args:
        previous: the previous round's personas.
        personas: the new round's personas, in their order (kept).
        pairs: matches from ``match_personas``.
        names: the pool of persona first names, for a new persona whose name is taken.
        avoid: participants' first names, never a persona's.
    """
    carried = {p.new: previous[p.old] for p in pairs}
    taken_ids = {old.id for old in carried.values()}
    # A persona that did not come back keeps its name too: a new one called by it
    # would read, in what changed, as the same person appearing and disappearing.
    previous_names = {first_name(old.name) for old in previous}
    taken_names = previous_names | {
        first_name(p.name) for j, p in enumerate(personas) if j not in carried
    }
    avoided = {a.lower() for a in avoid}
    spare = [n for n in names if n not in taken_names and n.lower() not in avoided]
    used_by_new: set[str] = set()
    out = []
    for j, persona in enumerate(personas):
        if j in carried:
            old = carried[j]
            name = f"{first_name(old.name)}{SEPARATOR}{role_label(persona.name)}"
            out.append(dataclasses.replace(persona, id=old.id, name=name))
            continue
        pid = _free_id(persona.id, taken_ids)
        taken_ids.add(pid)
        first = first_name(persona.name)
        clash = first in previous_names or first in used_by_new
        if clash and spare:
            first = spare.pop(0)
        used_by_new.add(first)
        name = f"{first}{SEPARATOR}{role_label(persona.name)}"
        out.append(dataclasses.replace(persona, id=pid, name=name))
    return _renamed_links(out, {p.id: q.id for p, q in zip(personas, out, strict=True)})


def _renamed_links(personas: Sequence[Persona], new_id: dict[str, str]) -> tuple[Persona, ...]:
    """The personas with each theme's ``shared_with`` naming the personas' new ids."""
    return tuple(
        dataclasses.replace(
            p,
            themes=tuple(
                dataclasses.replace(
                    t, shared_with=tuple(sorted(new_id.get(x, x) for x in t.shared_with))
                )
                if t.shared_with
                else t
                for t in p.themes
            ),
        )
        for p in personas
    )


def continued(
    previous: Sequence[Persona],
    previous_insights: Sequence[Insight],
    previous_vectors: np.ndarray,
    personas: Sequence[Persona],
    insights: Sequence[Insight],
    vectors: np.ndarray,
    names: Sequence[str],
    avoid: Iterable[str] = (),
) -> tuple[Persona, ...]:
    """``personas`` matched to ``previous`` (match_personas), then renamed (carry_ids)."""
    pairs = match_personas(
        previous,
        personas,
        persona_centroids(previous, previous_insights, previous_vectors),
        persona_centroids(personas, insights, vectors),
    )
    return carry_ids(previous, personas, pairs, names, avoid)
