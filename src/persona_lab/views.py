"""What the templates are given: a Round arranged for reading, no I/O, no markup rules.

The templates/README.md lists every variable; this module builds them. Orders
are stable (persona order, then source order) so the same round renders to
the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import charts
from .diff.continuity import first_name
from .method_view import changed_rows, method_rows, name_bands, round_date_from
from .models import UNKNOWN, Insight, Participant, Persona, Quote, Round, Theme
from .roles import INDIVIDUAL
from .synthesize import min_group_size

# Most senior first, for role lines that list several levels.
LEVEL_ORDER = ("c_level", "founder", "vp", "director", "head", "manager", "lead", INDIVIDUAL)

KIND_ORDER = ("pain", "goal", "objection")
TOP_THEMES = 3  # per kind, on the round document's cards
VOCABULARY_SHOWN = 8  # "In their words" on the round document's cards
# Speaker labels that name nobody: such participants are shown by their file.
GENERIC_NAME = re.compile(
    r"(?:user|participant|interviewee|respondent|customer|client|guest|speaker|person|p)"
    r"[\s_#-]*\d*",
    re.IGNORECASE,
)
# Where a participant's details may be known; a column shows only when one is.
COMPANY_FIELDS = (("company", "Company"), ("industry", "Industry"), ("company_size", "Size"))


def filename(source: str) -> str:
    """The file name of a source path as given, whichever the separator."""
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def file_id(source: str) -> str:
    """A source's file name without its extension: how a file is named in a round."""
    name = filename(source)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return stem or name


@dataclass(frozen=True, eq=False)
class Card:
    """A persona as the templates show it.

    ``shown`` holds the first ``themes_per_kind`` themes of each kind, shown in
    full; ``more`` the rest, shown folded. ``chart`` draws the shown themes.
    ``core`` are the kinds the round document compares (pains, goals,
    objections and the ``kinds`` setting), in ``kinds`` order.
    """

    persona: Persona
    file: str
    kinds: tuple[str, ...]
    shown: dict[str, tuple[Theme, ...]]
    more: dict[str, tuple[Theme, ...]]
    chart: Markup
    core: tuple[str, ...] = ()

    @property
    def extra(self) -> tuple[str, ...]:
        """Kinds beyond the core ones (metrics, triggers, channels, decision power, ...)."""
        return tuple(k for k in self.kinds if k not in self.core)

    @property
    def n(self) -> int:
        return len(self.persona.participants)

    @property
    def first_name(self) -> str:
        """The made-up first name ("Nadia" of "Nadia, the Finance Leader")."""
        return first_name(self.persona.name)

    @property
    def levels_known(self) -> int:
        """How many participants have a known seniority (the role line's basis)."""
        return sum(1 for p in self.persona.participants if p.seniority != UNKNOWN)

    @property
    def levels(self) -> tuple[tuple[str, int], ...]:
        """The known seniorities of the participants with how many hold each, most
        senior first: a persona of a CFO, a VP and a director is not "C-level",
        however a tie is broken."""
        seen = Counter(p.seniority for p in self.persona.participants if p.seniority != UNKNOWN)
        order = {s: n for n, s in enumerate(LEVEL_ORDER)}
        return tuple(sorted(seen.items(), key=lambda item: (order.get(item[0], 99), item[0])))

    def themed_as(self, item: Insight) -> Theme | None:
        """The theme of another kind that holds the same sentence. A sentence can be
        a pain and a trigger; when only one kind found a theme, the other stays
        unthemed, and naming the theme keeps it from reading as a duplicate."""
        for theme in self.persona.themes:
            if theme.kind != item.kind and any(
                (i.source, i.line, i.text) == (item.source, item.line, item.text)
                for i in theme.insights
            ):
                return theme
        return None

    def top(self, kind: str) -> tuple[Theme, ...]:
        """The first themes of ``kind``, for the round document's cards."""
        return self.shown.get(kind, ())[:TOP_THEMES]

    @property
    def signature_theme(self) -> Theme | None:
        """The first theme with a quote, by kind order: its first quote is the persona
        in one line on the round document's card."""
        for kind in self.kinds:
            for theme in self.shown.get(kind, ()):
                if theme.quotes:
                    return theme
        return None

    @property
    def signature(self) -> Quote | None:
        """The first quote of ``signature_theme``."""
        theme = self.signature_theme
        return theme.quotes[0] if theme else None

    def others(self, theme: Theme) -> tuple[Insight, ...]:
        """The statements of ``theme`` that are not among its quotes, in source order."""
        quoted = {(q.source, q.line, q.text) for q in theme.quotes}
        return tuple(i for i in theme.insights if (i.source, i.line, i.text) not in quoted)


def safe_stem(persona_id: str) -> str:
    """A file name for a persona id: lowercase letters, digits, dash and underscore only."""
    return re.sub(r"[^a-z0-9_-]+", "-", persona_id.lower()).strip("-") or "persona"


def card_files(personas: Sequence[Persona]) -> list[str]:
    """One distinct safe file stem per persona, in persona order."""
    taken: set[str] = set()
    stems: list[str] = []
    for persona in personas:
        stem = base = safe_stem(persona.id)
        number = 2
        while stem in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem)
        stems.append(stem)
    return stems


def kinds_present(themes: Sequence[Theme]) -> tuple[str, ...]:
    """Pains, goals, objections first, then any other kind in the order it appears."""
    seen = list(dict.fromkeys(t.kind for t in themes))
    return tuple(k for k in KIND_ORDER if k in seen) + tuple(k for k in seen if k not in KIND_ORDER)


def core_kinds(round_: Round) -> tuple[str, ...]:
    """Pains, goals, objections and the kinds the settings extract with the classifier."""
    asked = round_.settings.get("kinds") or ()
    return KIND_ORDER + tuple(k for k in asked if isinstance(k, str) and k not in KIND_ORDER)


def build_cards(round_: Round, themes_per_kind: int) -> tuple[Card, ...]:
    """One card per persona: themes split into shown and folded, and a chart of the shown."""
    limit = max(1, themes_per_kind)
    core = core_kinds(round_)
    cards = []
    for persona, stem in zip(round_.personas, card_files(round_.personas), strict=True):
        kinds = kinds_present(persona.themes)
        shown = {kind: persona.themes_of(kind)[:limit] for kind in kinds}
        more = {kind: persona.themes_of(kind)[limit:] for kind in kinds}
        title = f"Themes of {persona.name} by participants"
        drawn = [theme for kind in kinds for theme in shown[kind]]
        chart = Markup(charts.theme_bars(drawn, len(persona.participants), title=title))
        in_core = tuple(k for k in kinds if k in core)
        cards.append(Card(persona, stem, kinds, shown, more, chart, in_core))
    return tuple(cards)


def display_names(people: Sequence[Participant]) -> dict[str, str]:
    """How each participant is named on the page, by id.

    A name that is unique in the round and names somebody is kept; a speaker
    label such as "User" or "Participant 2", or a name several participants
    share, gives way to the participant's file ("00008"), else the id.
    """
    counts = Counter(" ".join(p.name.split()) for p in people)
    kept: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for person in people:
        name = " ".join(person.name.split())
        if name and counts[name] == 1 and not GENERIC_NAME.fullmatch(name):
            kept[person.id] = name
        else:
            fallback[person.id] = file_id(person.sources[0]) if person.sources else person.id
    clashes = Counter(fallback.values()) + Counter(set(kept.values()))
    names: dict[str, str] = {}
    for person in people:
        if person.id in kept:
            names[person.id] = kept[person.id]
        else:
            label = fallback[person.id]
            names[person.id] = label if clashes[label] == 1 else person.id
    return names


def namer(names: dict[str, str]) -> Callable[[Participant | Insight | Quote], str]:
    """``who(x)``: the display name of a participant, or of whoever said an insight or quote."""

    def who(item: Participant | Insight | Quote) -> str:
        key = item.id if isinstance(item, Participant) else item.participant
        if key in names:
            return names[key]
        return item.name if isinstance(item, Participant) else item.speaker

    return who


def shared_groups(
    cards: Sequence[Card],
) -> list[tuple[str, list[tuple[Card, list[Theme]]]]]:
    """Themes that personas share, one group per ``shared_group`` number, each
    persona once with its themes in the group (most participants first): groups
    of most personas first, then most participants."""
    found: dict[int, dict[str, tuple[Card, list[Theme]]]] = {}
    for card in cards:
        for theme in card.persona.themes:
            if theme.shared_group:
                group = found.setdefault(theme.shared_group, {})
                group.setdefault(card.persona.id, (card, []))[1].append(theme)
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    out = []
    for number in sorted(found):
        members = []
        for card, themes in found[number].values():
            ranked = sorted(themes, key=lambda t: (-t.participants, t.label))
            members.append((card, ranked))
        members.sort(key=lambda ct: (-ct[1][0].participants, ct[0].persona.id))
        out.append((members[0][1][0].kind, members))
    out.sort(
        key=lambda g: (
            order.get(g[0], len(order)),
            -len(g[1]),
            -sum(t.participants for _, themes in g[1] for t in themes),
            g[1][0][1][0].label,
        )
    )
    return out


def _people_in(cards: Sequence[Card], *, emerging: bool) -> int:
    """Participants of the full personas, or of the emerging roles."""
    return len(
        {
            m.id
            for card in cards
            if card.persona.emerging == emerging
            for m in card.persona.participants
        }
    )


def document_context(round_: Round, cards: Sequence[Card]) -> dict[str, Any]:
    """Everything the templates may use, in stable orders (see templates/README.md)."""
    participants = round_.participants
    who = namer(display_names(participants))
    persona_of = {p.id: card for card in cards for p in card.persona.participants}
    models, settings_rows = method_rows(round_.settings)
    core = core_kinds(round_)
    every_kind = kinds_present([t for card in cards for t in card.persona.themes])
    unthemed = [(card, card.persona.unthemed) for card in cards if card.persona.unthemed]
    said = Counter((i.source, i.line, i.text) for i in round_.insights)
    # A participant is in one persona at most.
    in_full, in_emerging = (_people_in(cards, emerging=e) for e in (False, True))
    return {
        "round": round_,
        "cards": cards,
        "who": who,
        "speaker_of": who,
        "persona_of": persona_of,
        "card_of": {card.persona.id: card for card in cards},
        "shared": shared_groups(cards),
        "participants": participants,
        "company_fields": [
            (field, title)
            for field, title in COMPANY_FIELDS
            if any(getattr(p, field) for p in participants)
        ],
        "compare_kinds": KIND_ORDER
        + tuple(k for k in every_kind if k in core and k not in KIND_ORDER),
        "compare_industries": any(card.persona.context.industries for card in cards),
        "unthemed": unthemed,
        "unassigned": round_.unassigned,
        "models": models,
        "settings_rows": settings_rows,
        "settings_changed": changed_rows(round_.settings),
        "bands": name_bands(),
        "top_themes": TOP_THEMES,
        "min_persona_size": min_group_size(
            int(round_.settings.get("min_participants", 2)),
            float(round_.settings.get("min_participant_share", 0.0)),
            len(participants),
        ),
        "vocabulary_shown": VOCABULARY_SHOWN,
        "counts": {
            "files": len(round_.transcripts),
            "skipped": len(round_.skipped),
            "participants": len(participants),
            "insights": len(round_.insights),
            # One sentence can be two insights (a goal that names a metric).
            "sentences": len(said),
            "multi_kind": sum(1 for n in said.values() if n > 1),
            "personas": len(round_.personas),
            "full_personas": sum(1 for p in round_.personas if not p.emerging),
            "emerging": sum(1 for p in round_.personas if p.emerging),
            "unthemed": sum(len(card.persona.unthemed) for card in cards),
            "themed": sum(t.mentions for card in cards for t in card.persona.themes),
            "unassigned": len(round_.unassigned),
            "without_persona": len(participants) - in_full - in_emerging,
            "in_full_personas": in_full,
            "in_emerging": in_emerging,
        },
        "round_date_from": round_date_from(round_),
    }
