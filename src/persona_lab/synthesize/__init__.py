"""Insights and their vectors in, personas out.

Participants are grouped by role (grouping), each group's insights of each kind
are clustered into themes (themes), and each persona gets a name, a role label,
its company context and its distinctive vocabulary (profile, vocabulary).
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..cluster import centered, centroid
from ..models import Insight, Participant, Persona, Role, Theme, Transcript
from ..pseudonyms import HIDDEN_NAMES, name_hash
from ..settings import Settings
from . import grouping, theme_clusters, themes
from .config import persona_config, persona_names
from .profile import (
    assign_names,
    company_context,
    participant_texts,
    role_label,
    slug,
    titles_seen,
)
from .shared import ThemeVector, groups, links, shared_with
from .vocabulary import distinctive_terms, plain_words, stop_words

__all__ = ["build_personas"]


def min_group_size(min_participants: int, min_participant_share: float, participants: int) -> int:
    """The fewest participants a full persona needs: the setting, or a share of a big round."""
    return max(min_participants, math.ceil(min_participant_share * participants))


def _placed_groups(
    participants: dict[str, Participant],
    vectors_by_participant: dict[str, np.ndarray],
    settings: Settings,
) -> tuple[list[grouping.Group], list[str], set[str]]:
    """Role groups with unknown roles placed; the ids left over; the emerging keys."""
    config = persona_config()
    people = [participants[k] for k in sorted(participants)]
    needed = min_group_size(settings.min_participants, settings.min_participant_share, len(people))
    groups, unknown = grouping.by_role(people, config, needed)
    share_unknown = len(unknown) / max(1, len(people))
    if unknown and (not groups or share_unknown > config.discover_when_unknown_share):
        found, left = grouping.discover(
            unknown,
            participants,
            vectors_by_participant,
            min_participants=needed,
            dimensions=settings.reduce_dimensions,
            seed=settings.seed,
        )
        groups += found
    else:
        groups, left = grouping.join_nearest(
            groups, unknown, vectors_by_participant, config.join_similarity, config.join_margin
        )
    small = {g.key for g in groups if len(g.members) < needed}
    if settings.emerging == "merge" and small and len(small) < len(groups):
        big = [g for g in groups if g.key not in small]
        moving = [m for g in groups if g.key in small for m in g.members]
        groups, stranded = grouping.join_nearest(big, moving, vectors_by_participant, -1.0)
        left += stranded
        small = set()
    return groups, left, small


def _mark_shared(
    personas: list[Persona],
    theme_rows: dict[int, tuple[int, ...]],
    vectors: np.ndarray,
    min_similarity: float,
) -> list[Persona]:
    """The personas with each theme's ``shared_with`` (the other full personas with a
    theme of its kind saying the same) and ``shared_group`` (themes of one kind in
    several personas, every two of them saying the same, share a number); emerging
    roles are left out."""
    placed = [(n, t) for n, p in enumerate(personas) if not p.emerging for t in p.themes]
    entries = [
        ThemeVector(personas[n].id, t.kind, centroid(vectors[list(theme_rows[id(t)])]))
        for n, t in placed
    ]
    pairs = links(entries, min_similarity)
    marks = {
        id(t): (others, number)
        for (_, t), others, number in zip(
            placed, shared_with(entries, pairs), groups(len(entries), pairs), strict=True
        )
    }
    return [
        dataclasses.replace(
            p,
            themes=tuple(
                dataclasses.replace(t, shared_with=marks[id(t)][0], shared_group=marks[id(t)][1])
                if id(t) in marks
                else t
                for t in p.themes
            ),
        )
        for p in personas
    ]


def build_personas(
    transcripts: Sequence[Transcript],
    insights: Sequence[Insight],
    vectors: np.ndarray,
    settings: Settings,
    embed: themes.Embed | None = None,
) -> tuple[tuple[Persona, ...], tuple[Insight, ...]]:
    """The round's personas, and the insights of participants no persona holds.

    Args:
        transcripts: the round's transcripts (participants and their turns).
        insights: the round's insights, in a stable order.
        vectors: one unit vector per insight, same order.
        settings: the run's settings.
        embed: the embedder's ``encode``: theme labels are then the phrases
            nearest each theme's meaning (without it, TF-IDF alone picks them).
    """
    participants = {p.id: p for t in transcripts for p in t.participants if not p.is_interviewer}
    rows_by_participant: dict[str, list[int]] = defaultdict(list)
    for index, insight in enumerate(insights):
        rows_by_participant[insight.participant].append(index)
    vectors_by_participant = {pid: vectors[rows] for pid, rows in rows_by_participant.items()}
    groups, left, emerging = _placed_groups(participants, vectors_by_participant, settings)

    theme_space = centered(vectors, [i.kind for i in insights])
    clusters_by_group: dict[str, list[theme_clusters.Cluster]] = {}
    noise_by_group: dict[str, list[int]] = {}
    for group in groups:
        member_ids = set(group.members)
        clusters_by_group[group.key], noise_by_group[group.key] = [], []
        for kind in (*settings.kinds, *settings.extra_kinds):
            indices = [
                i for i, x in enumerate(insights) if x.kind == kind and x.participant in member_ids
            ]
            found, noise = theme_clusters.clusters_of_kind(indices, theme_space, kind, settings)
            needed = theme_clusters.participants_needed(len(group.members), settings)
            found, thin = theme_clusters.shared_by(found, insights, needed)
            noise = sorted(noise + thin)
            clusters_by_group[group.key] += found
            noise_by_group[group.key] += noise
    every_cluster = [c for cs in clusters_by_group.values() for c in cs]
    per_cluster, stats = themes.term_frequencies(every_cluster, insights)
    counts_of = {id(c): n for c, n in zip(every_cluster, per_cluster, strict=True)}

    said = participant_texts(transcripts)
    vocab = distinctive_terms(
        {g.key: {m: said.get(m, []) for m in g.members} for g in groups},
        stop_words() | plain_words(),
        top_n=settings.vocabulary_size,
    )
    config = persona_config()
    ids = {g.key: slug(g.key) for g in groups}
    first_names = {p.name.split()[0] for p in participants.values() if p.name.split()}
    hidden = {h for t in transcripts for h in t.metadata.get(HIDDEN_NAMES, ())}
    available = [n for n in persona_names(settings.names) if name_hash(n) not in hidden]
    names = assign_names(list(ids.values()), available, avoid=first_names)
    personas: list[Persona] = []
    theme_rows: dict[int, tuple[int, ...]] = {}  # id(theme) -> its insights' rows
    for group in groups:
        members = tuple(participants[m] for m in sorted(group.members))
        built: list[Theme] = []
        # Larger themes choose their labels first; a later one takes its next phrase.
        for c in sorted(clusters_by_group[group.key], key=lambda c: -len(c.members)):
            taken = [t.label for t in built if t.kind == c.kind]
            built.append(
                themes.theme_from(
                    c, insights, vectors, counts_of[id(c)], stats, settings, embed, taken
                )
            )
            theme_rows[id(built[-1])] = c.members
        label = role_label(members, group.function, group.band, config)
        words = vocab.get(group.key, ())
        if group.discovered and label == "Participant" and words:
            # No title names this group: the words that set it apart do.
            label = f"Participant who talks about {' and '.join(words[:2])}"
        pid = ids[group.key]
        personas.append(
            Persona(
                id=pid,
                name=f"{names[pid]}, the {label}",
                role=Role(
                    group.function,
                    grouping.main_seniority(members),
                    titles_seen(members),
                ),
                participants=members,
                themes=themes.rank(built, (*settings.kinds, *settings.extra_kinds)),
                vocabulary=vocab.get(group.key, ()),
                context=company_context(members, said),
                unthemed=tuple(
                    insights[i]
                    for i in sorted(noise_by_group[group.key], key=lambda i: insights[i].key)
                ),
                emerging=group.key in emerging,
            )
        )
    personas = _mark_shared(personas, theme_rows, vectors, settings.shared_theme_similarity)
    # Most people first; of personas as many, the one with more themed evidence.
    personas.sort(
        key=lambda p: (p.emerging, -len(p.participants), -sum(t.mentions for t in p.themes), p.id)
    )
    left_set = set(left)
    unassigned = tuple(i for i in insights if i.participant in left_set)
    return tuple(personas), unassigned
