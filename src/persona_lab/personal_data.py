"""Where personal data stands in a text: spans of e-mail addresses, web addresses,
phone numbers and names, found by the patterns and word lists of
``data/redact.yaml``, the names of the round's people, and spaCy's entities.

``redact`` replaces what is found here; its docstring says exactly what is and is
not caught. Nothing here changes a text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from .ingest.labels import base_label
from .models import Participant

if TYPE_CHECKING:
    from spacy.language import Language

# When spans of two kinds overlap, the merged span takes the first kind listed.
KINDS = ("email", "url", "phone", "name")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15
# Phone numbers that need no phone word before them: this many digits and grouped.
PLAIN_PHONE_DIGITS = 10
PHONE_CUE_WINDOW = 30
URL_TRAILING = ".,;:!?)]}'\"`’”"
POSSESSIVE = re.compile(r"['’]s?$")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Components an entity recognizer may need to run: the shared embedding layer.
EMBEDDING_COMPONENTS = ("tok2vec", "transformer")


@dataclass(frozen=True)
class Rules:
    """The patterns and word lists of ``data/redact.yaml``."""

    patterns: Mapping[str, re.Pattern[str]]
    speaker_roles: frozenset[str]
    honorifics: frozenset[str]
    allow: frozenset[str]
    tools: frozenset[str]


@dataclass(frozen=True)
class Span:
    """Characters ``start:end`` of a text to replace by the token of ``kind``."""

    start: int
    end: int
    kind: str


def _data(name: str) -> Any:
    return yaml.safe_load(resources.files("persona_lab.data").joinpath(name).read_text("utf-8"))


def folded(words: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(w).casefold() for w in words)


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The shipped rules, read once."""
    data = _data("redact.yaml")
    tlds = "|".join(sorted((re.escape(str(t)) for t in data["tlds"]), key=len, reverse=True))
    patterns = {
        kind: re.compile(text.replace("{tlds}", tlds), re.IGNORECASE)
        for kind, text in data["patterns"].items()
    }
    tools = _data("tools.yaml")["tools"]
    names = [*tools, *(alias for aliases in tools.values() for alias in aliases)]
    return Rules(
        patterns,
        folded(data["speaker_roles"]),
        folded(data["honorifics"]),
        folded(data["allow"]),
        folded(names),
    )


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_phone(text: str, start: int, end: int, rules: Rules) -> bool:
    """Whether ``text[start:end]``, a run of digits and separators, is a phone number."""
    found = text[start:end]
    digits = _digits(found)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        return False
    if any(rules.patterns["date"].fullmatch(part) for part in (found, *found.split())):
        return False
    if rules.patterns["phone_cue"].search(text[max(0, start - PHONE_CUE_WINDOW) : start]):
        return True
    if found.startswith(("+", "00")) or "(" in found:
        return digits >= MIN_PHONE_DIGITS + 1
    groups = re.findall(r"\d+", found)
    thousands = len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
    years = all(len(g) == 4 for g in groups)
    ranged = rules.patterns["range"].fullmatch(found) is not None
    return digits >= PLAIN_PHONE_DIGITS and len(groups) > 1 and not (thousands or years or ranged)


def _phones_within(text: str, groups: Sequence[tuple[int, int]], rules: Rules) -> Iterator[Span]:
    """Phone numbers inside a run that is not one (two numbers side by side): from the
    left, the shortest window of 10 digits or more that is one, else the longest."""
    i = 0
    while i < len(groups):
        valid = [
            j for j in range(i, len(groups)) if _is_phone(text, groups[i][0], groups[j][1], rules)
        ]
        full = [
            j for j in valid if _digits(text[groups[i][0] : groups[j][1]]) >= PLAIN_PHONE_DIGITS
        ]
        if not valid:
            i += 1
            continue
        j = full[0] if full else valid[-1]
        yield Span(groups[i][0], groups[j][1], "phone")
        i = j + 1


def phone_spans(text: str, rules: Rules | None = None) -> list[Span]:
    """Phone numbers in ``text`` (see the module's docstring for which)."""
    rules = rules or load_rules()
    spans: list[Span] = []
    for m in rules.patterns["phone"].finditer(text):
        groups = [
            (m.start() + g.start(), m.start() + g.end()) for g in re.finditer(r"\S+", m.group())
        ]
        start, end = groups[0][0], groups[-1][1]
        if _is_phone(text, start, end, rules):
            spans.append(Span(start, end, "phone"))
        elif len(groups) > 1:
            spans += _phones_within(text, groups, rules)
    return spans


def pattern_spans(text: str, rules: Rules | None = None) -> list[Span]:
    """E-mail addresses, web addresses and phone numbers in ``text``."""
    rules = rules or load_rules()
    spans: list[Span] = []
    for kind, pattern in (("email", "email"), ("email", "spelled_email")):
        spans += [Span(m.start(), m.end(), kind) for m in rules.patterns[pattern].finditer(text)]
    for pattern in ("url", "domain"):
        for m in rules.patterns[pattern].finditer(text):
            found = m.group().rstrip(URL_TRAILING)
            if found.casefold().removeprefix("www.") not in rules.tools:
                spans.append(Span(m.start(), m.start() + len(found), "url"))
    return spans + phone_spans(text, rules)


def _name_parts(label: str, kept: frozenset[str]) -> Iterator[str]:
    """The parts of a name worth hiding on their own: capitalized words, not titles."""
    for word in WORD.findall(label):
        if len(word) > 1 and word[0].isupper() and word.casefold() not in kept:
            yield word


def _is_role(label: str, rules: Rules, kept: frozenset[str]) -> bool:
    """A label naming a role ("Interviewer", "Speaker 2", "Sales Lead"), not a person."""
    as_written = " ".join(label.casefold().split())
    return (
        as_written in rules.speaker_roles
        or base_label(label) in rules.speaker_roles
        or _allowed(label, kept)
        or not any(c.isalpha() for c in label)
    )


def known_names(
    people: Iterable[Participant], rules: Rules | None = None, allow: Iterable[str] = ()
) -> re.Pattern[str] | None:
    """One pattern for every name of ``people``: full names in any case, their parts
    as written, capitalized or in capitals; longest first. None when there is none."""
    rules = rules or load_rules()
    kept = rules.allow | rules.speaker_roles | rules.honorifics | folded(allow)
    full: set[str] = set()
    parts: set[str] = set()
    for person in people:
        for label in (person.name, person.speaker):
            if not label or _is_role(label, rules, kept):
                continue
            if len(label.split()) > 1:
                full.add(r"\s+".join(re.escape(w) for w in label.split()))
            for part in _name_parts(label, kept):
                parts |= {re.escape(part), re.escape(part.capitalize()), re.escape(part.upper())}
    if not full and not parts:
        return None
    ordered = sorted(full, key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    cased = "|".join(f"(?i:{name})" for name in ordered[: len(full)])
    exact = "|".join(ordered[len(full) :])
    alternatives = "|".join(a for a in (cased, exact) if a)
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w@])")


def _allowed(text: str, allowed: frozenset[str]) -> bool:
    words = [w.casefold() for w in WORD.findall(text)]
    return text.casefold() in allowed or (bool(words) and all(w in allowed for w in words))


def _looks_like_a_name(text: str) -> bool:
    """Not "Q3" or "intro": a name has no digit and a capital letter somewhere."""
    return not any(c.isdigit() for c in text) and any(c.isupper() for c in text)


def _runs_entities(nlp: Language | None) -> bool:
    return nlp is not None and any(
        "doc.ents" in nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names
    )


def entity_spans(
    texts: Sequence[str], nlp: Language | None, allowed: frozenset[str]
) -> list[list[Span]]:
    """PERSON entities of each text (possessive 's cut off), unless allowed, or with
    a digit (Q3), or all lowercase (the small model's guesses there are mostly wrong)."""
    if not _runs_entities(nlp) or nlp is None:
        return [[] for _ in texts]
    needed = {n for n in nlp.pipe_names if "doc.ents" in nlp.get_pipe_meta(n).assigns}
    needed |= set(EMBEDDING_COMPONENTS)
    unused = [n for n in nlp.pipe_names if n not in needed]
    out: list[list[Span]] = []
    for doc in nlp.pipe(texts, disable=unused):
        spans = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            start = ent.start_char + len(ent.text) - len(ent.text.lstrip())
            text = POSSESSIVE.sub("", ent.text.strip())
            if text and _looks_like_a_name(text) and not _allowed(text, allowed):
                spans.append(Span(start, start + len(text), "name"))
        out.append(spans)
    return out


TITLE_BEFORE_NAME = re.compile(
    r"\b(?:CEO|CFO|CTO|COO|CRO|CMO|CIO|CISO|CPO|VP|SVP|EVP|[Dd]irector|[Mm]anager|[Hh]ead"
    r"|[Bb]oss|[Cc]olleague|[Ff]ounder|[Pp]resident|[Cc]ontroller|[Aa]dmin|[Aa]nalyst|[Rr]ep)"
    r",?\s+((?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){0,2})"
)


def titled_name_spans(text: str, allowed: frozenset[str], role_words: frozenset[str]) -> list[Span]:
    """Names right after a job title ("our CFO Maria Lopez"), which the small model's
    entity recognizer often misses; words of the taxonomy ("VP Sales") are not names."""
    found = []
    for match in TITLE_BEFORE_NAME.finditer(text):
        words = match.group(1).split()
        kept = []
        for word in words:
            if word.casefold() in role_words or _allowed(word, allowed):
                break
            kept.append(word)
        if kept:
            start = match.start(1)
            found.append(Span(start, start + len(" ".join(kept)), "name"))
    return found


def merged(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted, overlapping ones joined; of their kinds, the first in KINDS wins."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and span.start < out[-1].end:
            last = out[-1]
            kind = min(last.kind, span.kind, key=KINDS.index)
            out[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            out.append(span)
    return out
