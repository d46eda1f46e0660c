"""Who is who in one transcript: a Participant per speaker, interviewer or buyer.

The interviewer's words must never pass for a buyer's, so the rules run from the
most explicit to the least: manifest (or front matter), the --interviewer flag,
the interviewer labels of the settings, Gong's affiliation, and only then a
heuristic on who asks the questions. A file where everyone is an interviewer has
no participant to learn from and is refused.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .. import errors
from ..models import Participant, Turn
from ..settings import Settings
from .frontmatter import FrontMatter, PersonFacts
from .gong import Party
from .labels import base_label
from .manifest import ManifestRow

SLUG_JUNK = re.compile(r"[^a-z0-9]+")
MAX_SLUG_CHARS = 64
MIN_QUESTION_SHARE = 0.4
CLEAR_MARGIN = 0.2
# Opening and closing the call is what interviewers do: it lowers the margin needed.
HOST_MARGIN = 0.1


@dataclass(frozen=True)
class Evidence:
    """What the manifest, the front matter and the file say about its speakers."""

    rows: tuple[ManifestRow, ...] = ()
    front: FrontMatter = field(default_factory=FrontMatter)
    parties: Mapping[str, Party] = field(default_factory=dict)

    def row_for(self, speaker: str) -> ManifestRow | None:
        folded = speaker.casefold()
        return next((r for r in self.rows if r.speaker and r.speaker.casefold() == folded), None)

    @property
    def file_row(self) -> ManifestRow | None:
        return next((r for r in self.rows if not r.speaker), None)

    def named_participant(self, speakers: Sequence[str]) -> str | None:
        """The speaker the front matter names as the participant, if it names one."""
        wanted = [w.casefold() for w in (self.front.speaker, self.front.participant_name) if w]
        return next((s for w in wanted for s in speakers if s.casefold() == w), None)


@dataclass(frozen=True)
class Decision:
    is_interviewer: bool
    rule: str


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]


def slug(text: str) -> str:
    """Lowercase [a-z0-9-]; a short hash when nothing of the text is left, and in
    place of the tail of a long one (ids end up in file names and URLs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = SLUG_JUNK.sub("-", ascii_text.lower()).strip("-")
    if len(cleaned) > MAX_SLUG_CHARS:
        cleaned = cleaned[: MAX_SLUG_CHARS - 9].rstrip("-") + "-" + _digest(text)
    return cleaned or "x" + _digest(text)


def _by_manifest(speaker: str, evidence: Evidence, speakers: Sequence[str]) -> bool | None:
    row = evidence.row_for(speaker)
    if row is not None and row.interviewer is not None:
        return row.interviewer
    names = {speaker.casefold()} | ({row.name.casefold()} if row and row.name else set())
    if any(n.casefold() in names for n in evidence.front.interviewers):
        return True
    if evidence.named_participant(speakers) == speaker:
        return False
    return None


def _name_of(speaker: str, evidence: Evidence) -> str | None:
    row = evidence.row_for(speaker)
    party = evidence.parties.get(speaker)
    return (row.name if row else None) or (party.name if party else None)


def _explicit(
    speaker: str, evidence: Evidence, speakers: Sequence[str], settings: Settings
) -> Decision | None:
    """The first rule that decides ``speaker``, or None when no rule knows."""
    name = (_name_of(speaker, evidence) or "").casefold()
    flagged = {n.casefold() for n in settings.interviewers}
    labels = {label.casefold() for label in settings.interviewer_labels}
    rules: list[tuple[str, Callable[[], bool | None]]] = [
        ("manifest", lambda: _by_manifest(speaker, evidence, speakers)),
        ("flag", lambda: True if {speaker.casefold(), name} & flagged else None),
        ("label", lambda: True if {speaker.casefold(), base_label(speaker)} & labels else None),
        (
            "gong-affiliation",
            lambda: p.interviewer if (p := evidence.parties.get(speaker)) else None,
        ),
    ]
    for rule, decide in rules:
        verdict = decide()
        if verdict is not None:
            return Decision(verdict, rule)
    return None


def question_share(turns: Sequence[Turn], speaker: str) -> float:
    """The share of a speaker's turns that end in a question mark."""
    own = [t for t in turns if t.speaker == speaker]
    asks = sum(1 for t in own if t.text.rstrip(" \"'”’)").endswith("?"))
    return asks / len(own) if own else 0.0


def heuristic_interviewer(
    turns: Sequence[Turn], speakers: Sequence[str], candidates: Sequence[str]
) -> str | None:
    """The candidate who clearly asks the most questions, if one does."""
    if len(speakers) < 2 or not candidates or not turns:
        return None
    shares = {s: question_share(turns, s) for s in speakers}
    hosting = {s: (turns[0].speaker == s) + (turns[-1].speaker == s) for s in speakers}
    best = max(candidates, key=lambda s: (shares[s], hosting[s]))
    runner_up = max((shares[s] for s in speakers if s != best), default=0.0)
    margin = HOST_MARGIN if hosting[best] == 2 else CLEAR_MARGIN
    if shares[best] >= MIN_QUESTION_SHARE and shares[best] - runner_up >= margin:
        return best
    return None


def decide(
    source: str, turns: Sequence[Turn], evidence: Evidence, settings: Settings
) -> dict[str, Decision]:
    """Interviewer or not, and by which rule, for every speaker of the turns."""
    speakers = list(dict.fromkeys(t.speaker for t in turns))
    found = {s: _explicit(s, evidence, speakers, settings) for s in speakers}
    decisions: dict[str, Decision] = {}
    if len(speakers) == 1:
        only = found[speakers[0]]
        if only is None or not only.is_interviewer:
            only = Decision(False, "single-speaker")
        decisions[speakers[0]] = only
    else:
        decisions = {s: d for s, d in found.items() if d is not None}
        if not any(d.is_interviewer for d in decisions.values()):
            undecided = [s for s in speakers if s not in decisions]
            asker = heuristic_interviewer(turns, speakers, undecided)
            if asker is not None:
                decisions[asker] = Decision(True, "heuristic")
        decisions = {s: decisions.get(s, Decision(False, "default")) for s in speakers}
    if all(d.is_interviewer for d in decisions.values()):
        raise errors.InputError(source, errors.NO_PARTICIPANT)
    return decisions


def _facts(speaker: str, is_described: bool, evidence: Evidence) -> PersonFacts:
    """Manifest row first, then file-level row and front matter, then Gong's party."""
    row = evidence.row_for(speaker)
    facts = row.person if row else PersonFacts()
    if is_described:
        file_row = evidence.file_row
        if file_row is not None:
            facts = facts.over(file_row.person)
        facts = facts.over(evidence.front.person)
    party = evidence.parties.get(speaker)
    if party is not None:
        facts = facts.over(PersonFacts(party.name, party.title))
    return facts


def _described(
    speakers: Sequence[str], decisions: Mapping[str, Decision], evidence: Evidence
) -> str | None:
    """The speaker the file-level metadata is about: named, or the only participant."""
    named = evidence.named_participant(speakers)
    if named is not None:
        return named
    buyers = [s for s in speakers if not decisions[s].is_interviewer]
    return buyers[0] if len(buyers) == 1 else None


def build_participants(
    source: str, id_prefix: str, turns: Sequence[Turn], evidence: Evidence, settings: Settings
) -> tuple[Participant, ...]:
    """One Participant per distinct speaker, in order of first words."""
    decisions = decide(source, turns, evidence, settings)
    speakers = list(decisions)
    described = _described(speakers, decisions, evidence)
    used: set[str] = set()
    people = []
    for speaker in speakers:
        decision = decisions[speaker]
        facts = _facts(speaker, speaker == described, evidence)
        people.append(
            Participant(
                id=_unique(f"{id_prefix}:{slug(speaker)}", used),
                speaker=speaker,
                name=facts.name or speaker,
                is_interviewer=decision.is_interviewer,
                interviewer_rule=decision.rule,
                title=facts.title,
                title_source="metadata" if facts.title else None,
                company=facts.company,
                industry=facts.industry,
                company_size=facts.company_size,
                sources=(source,),
            )
        )
    return tuple(people)


def _unique(candidate: str, used: set[str]) -> str:
    result, n = candidate, 1
    while result in used:
        n += 1
        result = f"{candidate}-{n}"
    used.add(result)
    return result
