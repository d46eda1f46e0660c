"""The parts of a persona that describe it rather than its themes: its name,
its role label, its company context and what its participants said."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from ..models import CompanyContext, Participant, Transcript
from ..roles import normalize_title
from .config import PersonaConfig, tool_patterns


def participant_texts(transcripts: Sequence[Transcript]) -> dict[str, list[str]]:
    """Everything each participant said, by participant id (interviewers left out)."""
    said: dict[str, list[str]] = defaultdict(list)
    for transcript in transcripts:
        for turn in transcript.turns:
            p = transcript.participant_for(turn.speaker)
            if p is not None and not p.is_interviewer:
                said[p.id].append(turn.text)
    return said


def slug(text: str) -> str:
    """A lowercase ASCII id safe as a file name: letters, digits and dashes only."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60] or "persona"


def _spellings(members: Sequence[Participant]) -> dict[str, Counter[str]]:
    """Each title (lowercased, spaces collapsed) with the spellings members used."""
    spellings: dict[str, Counter[str]] = {}
    for p in members:
        if p.title:
            said = " ".join(p.title.split())
            spellings.setdefault(said.lower(), Counter())[said] += 1
    return spellings


def _usual(forms: Counter[str]) -> str:
    """The spelling most members used (ties: the first in sort order)."""
    return min(forms, key=lambda s: (-forms[s], s))


def titles_seen(members: Sequence[Participant]) -> tuple[str, ...]:
    """Each title once, however it was capitalized ("Software Engineer", "software
    engineer"), in its usual spelling, in alphabetical order."""
    return tuple(sorted((_usual(f) for f in _spellings(members).values()), key=str.lower))


SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})


def headline(title: str) -> str:
    """A title as a persona's name shows it: "head of data analytics" -> "Head of Data
    Analytics", "teacher/tutor" -> "Teacher/Tutor"; a word with capitals of its own
    ("iOS", "RevOps") stays as written, and so do small words after the first."""

    def capital(word: str, first: bool) -> str:
        if not word.islower() or (word in SMALL_WORDS and not first):
            return word
        return "".join(part[:1].upper() + part[1:] for part in re.split(r"(?<=[/-])", word))

    return " ".join(capital(w, n == 0) for n, w in enumerate(title.split()))


def role_label(
    members: Sequence[Participant], function: str, band: str, config: PersonaConfig
) -> str:
    """A title most members share (in its usual spelling), else a specialty their titles
    share ("Sales Development"), else the function and band label."""
    spellings = _spellings(members)
    if spellings:
        shared = min(spellings.values(), key=lambda f: (-sum(f.values()), _usual(f).lower()))
        count = sum(shared.values())
        if count * 2 >= len(members) and (count > 1 or len(members) == 1):
            return headline(_usual(shared))
    specialty = shared_specialty(members, config.specialties.get(function, ()))
    if specialty is not None:
        band_label = config.band_labels.get(band)
        return f"{specialty} {band_label}" if band_label else specialty
    label = config.role_label(function, band)
    return label if function not in ("other", "unknown") else "Participant"


def shared_specialty(
    members: Sequence[Participant], specialties: Sequence[tuple[str, Sequence[str]]]
) -> str | None:
    """The specialty the titles of at least half the members name, if any."""
    titles = [f" {normalize_title(p.title)} " for p in members if p.title]
    for name, phrases in specialties:
        count = sum(any(f" {phrase} " in title for phrase in phrases) for title in titles)
        if count > 1 and count * 2 >= len(members):
            return name
    return None


def assign_names(
    ids: Sequence[str], names: Sequence[str], avoid: Iterable[str] = ()
) -> dict[str, str]:
    """A distinct first name per persona id, chosen by a stable hash of the id.

    Names in ``avoid`` (the participants' own first names) are skipped, so a
    persona is never mistaken for one of the people interviewed.
    """
    avoided = {a.lower() for a in avoid}
    usable = [n for n in names if n.lower() not in avoided]
    names = usable if len(usable) >= len(ids) else list(names)
    taken: set[int] = set()
    out: dict[str, str] = {}
    for pid in sorted(ids):
        start = int(hashlib.sha1(pid.encode()).hexdigest(), 16) % len(names)
        index = start
        while index in taken and len(taken) < len(names):
            index = (index + 1) % len(names)
        taken.add(index)
        out[pid] = names[index]
    return out


def _counted(values: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    counts = Counter(v.strip() for v in values if v and v.strip())
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# "We don't have Gong.", "we never used Clari", "no Outreach": the tool is not theirs.
_NOT_THERE = re.compile(
    r"(?:\b(?:don['\u2019]?t|do\s+not|doesn['\u2019]?t|does\s+not|didn['\u2019]?t|did\s+not"
    r"|never|no\s+longer|not)\s+(?:\w+\s+)?(?:have|has|had|use|uses|used|using|own|pay\s+for)"
    r"\s+(?:a|an|any|the)?\s*|\bno\s+)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
# The names listed before this one: "we don't have Gong or Clari" denies both.
# Names are capitalised ("Power BI"), so the verb before them ("use") is not taken.
_LISTED_BEFORE = re.compile(
    r"(?:\b[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*)?\s*(?:,|\bor\b|\band\b|\bnor\b)\s*)+$"
)


def tools_named(text: str) -> set[str]:
    """The tools a participant names as theirs or as ones they weighed."""
    named = set()
    for shown, pattern in tool_patterns():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            before = _SENTENCE_END.split(before)[-1]
            if not _NOT_THERE.search(_LISTED_BEFORE.sub("", before)):
                named.add(shown)
                break
    return named


def company_context(
    members: Sequence[Participant], said: Mapping[str, Sequence[str]]
) -> CompanyContext:
    """Industries, sizes and companies from metadata; tools from their own words.

    Industries and sizes are counted by companies (a participant with no company
    counts as one); tools by participants who name them, not by mentions.
    """
    tools: Counter[str] = Counter()
    for p in members:
        tools.update(tools_named("\n".join(said.get(p.id, ()))))
    # Two buyers of one company are one company of that industry and size (the first
    # of them to give each); a buyer with no company counts as one.
    industry: dict[tuple[str, str], str | None] = {}
    size: dict[tuple[str, str], str | None] = {}
    for p in members:
        company = (p.company or "").strip().casefold()
        key = ("company", company) if company else ("participant", p.id)
        industry[key] = industry.get(key) or p.industry
        size[key] = size.get(key) or p.company_size
    return CompanyContext(
        industries=_counted(industry.values()),
        company_sizes=_counted(size.values()),
        companies=tuple(sorted({p.company for p in members if p.company})),
        tools=tuple(sorted(tools.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
