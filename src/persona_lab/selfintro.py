"""Job titles from how participants introduce themselves, in their own words.

"I'm the VP of Sales at Acme", "I work as a cybersecurity manager", "I run RevOps
here": a trigger (spaCy Matcher, patterns in ``data/selfintro.yaml``) and the
words after it up to a stop word. Only token text is used, so this works on a
tokenizer-only pipeline too; the role taxonomy decides whether the words name a job.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from .roles import Taxonomy, normalize, normalize_title

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

_KEEP_PUNCT = {"-", "&", "/", "'s", "’s"}
_TRUSTED_RULES = ("title", "keyword")


@dataclass(frozen=True)
class Trigger:
    id: str
    strong: bool
    seniority: str | None
    department: bool
    accept: str
    pattern: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class IntroPatterns:
    triggers: tuple[Trigger, ...]
    lead_words: frozenset[str]
    stop_words: frozenset[str]
    and_breakers: frozenset[str]
    job_suffixes: tuple[str, ...]
    not_jobs: frozenset[str]
    not_job_starts: frozenset[str]
    not_title_ends: frozenset[str]
    max_tokens: int

    def looks_like_job(self, words: list[str]) -> bool:
        """Whether a title the taxonomy does not know still ends in a job noun."""
        norm = normalize_title(" ".join(words)).split()
        if not norm or norm[-1] in self.not_jobs or " ".join(norm[-2:]) in self.not_jobs:
            return False
        return len(norm[-1]) > 4 and norm[-1].endswith(self.job_suffixes)


@dataclass(frozen=True)
class TitleMatch:
    """A title a participant gave, the sentence it stands in, and how it was found."""

    title: str
    sentence: str
    trigger: str
    strong: bool
    seniority_hint: str | None = None


@functools.lru_cache(maxsize=1)
def load_patterns() -> IntroPatterns:
    text = resources.files("persona_lab.data").joinpath("selfintro.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    triggers = tuple(
        Trigger(
            id=str(t["id"]),
            strong=t.get("strength") == "strong",
            seniority=t.get("seniority"),
            department=bool(t.get("department", False)),
            accept=str(t.get("accept", "taxonomy")),
            pattern=tuple(t["pattern"]),
        )
        for t in data["triggers"]
    )

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w) for w in data[key])

    return IntroPatterns(
        triggers,
        words("lead_words"),
        words("stop_words"),
        words("and_breakers"),
        tuple(str(w) for w in data["job_suffixes"]),
        words("not_jobs"),
        words("not_job_starts"),
        words("not_title_ends"),
        int(data["max_tokens"]),
    )


@functools.lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> Matcher:
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for trigger in load_patterns().triggers:
        matcher.add(trigger.id, [list(trigger.pattern)])
    return matcher


def _is_stop(token: Token, patterns: IntroPatterns) -> bool:
    """A word that ends a title; an acronym never does ("Head of IT", not "it")."""
    acronym = len(token.text) > 1 and token.text.isupper()
    return not acronym and (token.lower_ in patterns.stop_words or token.lower_ == "and")


def title_after(doc: Doc, start: int, patterns: IntroPatterns, department: bool) -> Span | None:
    """The words after a trigger that can be a title: lead words dropped, cut at a stop."""
    i = start
    limit = len(doc)
    while i < limit and doc[i].lower_ in patterns.lead_words:
        if department and doc[i].lower_ in ("a", "an", "the"):
            return None  # "I'm in a lab" names a place, not a department
        i += 1
    end = i
    while end < limit and end - i < patterns.max_tokens:
        token = doc[end]
        if token.is_space or (_is_stop(token, patterns) and token.lower_ != "and"):
            break
        if token.lower_ == "and":
            following = doc[end + 1] if end + 1 < limit else None
            if (
                following is None
                or following.is_punct
                or following.lower_ in patterns.and_breakers
                # "analysis and understanding federal regulations": a task follows
                # ("student and teaching assistant": a second job)
                or (following.tag_ == "VBG" and not _job_follows(doc, end + 1, patterns))
            ):
                break
        if token.is_punct and token.text not in _KEEP_PUNCT:
            break
        end += 1
    while end > i and (doc[end - 1].is_punct or _is_stop(doc[end - 1], patterns)):
        end -= 1
    return doc[i:end] if end > i else None


def _job_follows(doc: Doc, at: int, patterns: IntroPatterns) -> bool:
    """The word at ``at`` and the next one name a job ("teaching assistant")."""
    return patterns.looks_like_job([t.text for t in doc[at : at + 2]])


def is_job(span: Span, trigger: Trigger, taxonomy: Taxonomy, patterns: IntroPatterns) -> bool:
    """Whether the words after a trigger name a job, not a mood ("I'm a nerd at heart")."""
    if span[0].lower_ in patterns.not_job_starts or span[-1].lower_ in patterns.not_title_ends:
        return False
    if normalize(span.text, taxonomy).rule in _TRUSTED_RULES:
        return True
    if trigger.accept != "job" or not span[-1].is_alpha:
        return False
    return patterns.looks_like_job([t.text for t in span])


def candidates(doc: Doc, taxonomy: Taxonomy) -> Iterator[TitleMatch]:
    """Every self-stated title in ``doc`` that the taxonomy recognises, in order."""
    patterns = load_patterns()
    by_id = {t.id: t for t in patterns.triggers}
    matches = sorted(_matcher(doc.vocab)(doc), key=lambda m: (m[1], -m[2]))
    seen_starts: set[int] = set()
    for match_id, start, end in matches:
        if start in seen_starts:
            continue
        seen_starts.add(start)
        trigger = by_id[doc.vocab.strings[match_id]]
        span = title_after(doc, end, patterns, trigger.department)
        if span is None:
            continue
        if not is_job(span, trigger, taxonomy, patterns):
            continue
        sentence = span.sent.text if doc.has_annotation("SENT_START") else doc.text
        yield TitleMatch(span.text, sentence, trigger.id, trigger.strong, trigger.seniority)


def find_title(docs: Iterable[Doc], taxonomy: Taxonomy) -> TitleMatch | None:
    """A participant's title from their parsed turns: the first strong statement, else
    the first weak one ("I'm a teacher"), else None."""
    weak: TitleMatch | None = None
    for doc in docs:
        for match in candidates(doc, taxonomy):
            if match.strong:
                return match
            weak = weak or match
    return weak
