"""Short phrases made of a quote's own words, for theme labels.

A phrase is a noun chunk or a verb with its object, taken verbatim (leading
determiners and pronouns dropped), never reworded.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LEADING_DROP = {
    "DET",
    "PRON",
    "CCONJ",
    "PUNCT",
    "PART",
    "ADP",
    "SCONJ",
    "AUX",
    "INTJ",
    "ADV",
    "X",
    "SYM",
}
QUOTES = {"'", '"', "\u2018", "\u2019", "\u201c", "\u201d", "`"}


@functools.lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """The word lists of data/label_words.yaml."""
    text = resources.files("persona_lab.data").joinpath("label_words.yaml").read_text("utf-8")
    return {key: frozenset(words) for key, words in yaml.safe_load(text).items()}


LIGHT_VERBS = _words()["light_verbs"]
KIND_HEADS = _words()["kind_heads"]
EMPTY_LEADING = _words()["empty_leading"]
KEEP_LEADING = _words()["keep_leading"]
WEAK_HEADS = _words()["weak_heads"]
TIME_NOUNS = _words()["time_nouns"]


def _hyphen_after(token: Token) -> bool:
    """The token is the first part of a hyphenated word ("in-house"): keep it whole."""
    doc = token.doc
    return not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text == "-"


def _after_hyphen(token: Token) -> bool:
    """The token ends a hyphenated word whose first part lies outside the phrase."""
    doc = token.doc
    return token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_


SUSPENDED_HYPHEN = {"and", "or", "to", "&"}  # "pre- and post-sale": a word, not a restart


def _cut_off(token: Token) -> bool:
    """A word broken off as the speaker restarts ("But- teaching requires ...")."""
    if not (len(token.text) > 1 and token.text.endswith("-") and token.text[:-1].isalpha()):
        return False
    following = token.nbor() if token.i + 1 < len(token.doc) else None
    return following is None or following.lower_ not in SUSPENDED_HYPHEN


def _trimmed(tokens: list[Token]) -> list[Token]:
    while (
        tokens
        and tokens[0].lower_ not in KEEP_LEADING
        and not _hyphen_after(tokens[0])
        and (
            tokens[0].pos_ in LEADING_DROP
            or tokens[0].is_stop
            or _cut_off(tokens[0])
            or (tokens[0].lower_ in EMPTY_LEADING and tokens[0].pos_ == "ADJ")
        )
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in {"ADP", "CCONJ", "DET"}):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list[Token]) -> str:
    """The tokens' text as written, but a capital that is only the sentence's ("Admin
    capacity is my biggest concern") lowered, so labels read alike; a name, "I" or
    an acronym keeps its capital."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc[tokens[0].i : tokens[-1].i + 1].text
    first = tokens[0]
    sentence_capital = (
        first.is_sent_start
        and first.pos_ != "PROPN"
        and first.text != "I"
        and first.text[1:2].islower()
    )
    return text[:1].lower() + text[1:] if sentence_capital else text


def _after_list(tokens: list[Token]) -> list[Token]:
    """A chunk whose comma joins nouns ("legal, pen test results") runs two things
    together: its last item ("pen test results") is the phrase. Commas between
    adjectives ("complex, subjective topics") describe one thing and stay."""
    for n in range(len(tokens) - 2, -1, -1):
        if tokens[n].text in (",", ";") and tokens[n + 1].pos_ != "ADJ":
            return _trimmed(tokens[n + 1 :])
    return tokens


NEGATIVE_SUBJECTS = {"nobody", "noone", "none", "nothing", "neither"}
BE_FORMS = {"am", "is", "are", "was", "were", "'m", "'re", "'s", "m", "re"}
# Who can be "almost positive" or "pretty sure": a person (or "it" in "it is clear"),
# not "the problem" of "the problem is new users churn".
STATE_SUBJECTS = {"i", "we", "you", "he", "she", "they", "it"}


def _predicate_cut(chunk: Span, tokens: list[Token]) -> list[Token]:
    """A chunk that runs a speaker's state into the subject after it ("I am almost
    positive AI has a soul": the parser reads "almost positive AI"); "almost
    positive" is what the speaker is, said of the clause that follows. When the
    chunk comes right after "am" or "is" whose subject is a person, and is the
    subject of that verb's clause, its first adjective (with any adverbs before it)
    goes; the noun's own adjectives stay ("it is clear small schools can't ...")."""
    doc = chunk.doc
    root = chunk.root
    before = doc[chunk.start - 1] if chunk.start > 0 else None
    if (
        before is None
        or before.lower_ not in BE_FORMS
        or root.dep_ != "nsubj"
        or root.head.dep_ != "ccomp"
        or root.head.head.i != before.i
        or not any(c.dep_ == "nsubj" and c.lower_ in STATE_SUBJECTS for c in before.children)
    ):
        return tokens
    n = 0
    while n < len(tokens) and tokens[n].pos_ == "ADV" and tokens[n].i < root.i:
        n += 1
    if n < len(tokens) and tokens[n].pos_ == "ADJ" and tokens[n].i < root.i:
        return tokens[n + 1 :]
    return tokens


def _negated_above(verb: Token) -> bool:
    """The verb sits under a negated verb ("we don't want to lose data", "I can't say
    ... that it hasn't crossed my mind") or has a negative subject ("nobody trusts the
    numbers"): no phrase of its own keeps that."""
    if any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in NEGATIVE_SUBJECTS for c in verb.children
    ):
        return True
    head = verb
    while head.dep_ in ("xcomp", "ccomp", "conj") and head.head is not head:
        # A conjunct shares its first conjunct's head ("I can't say it worries me or
        # that it has crossed my mind"), not that conjunct's own negation.
        joined = head.dep_ == "conj"
        head = head.head
        if not joined and any(c.dep_ == "neg" for c in head.children):
            return True
    return False


def _verb_start(verb: Token) -> Token | None:
    """Where a verb's phrase must start to keep its negation: "don't allow local
    passwords", not "allow local passwords", which says the opposite. None when no
    verbatim phrase can keep the negation (it is not next to the verb, only its modal
    and adverbs between, or it belongs to a verb above); the verb itself when it is
    not negated."""
    if _negated_above(verb):
        return None
    negations = [c for c in verb.children if c.dep_ == "neg" and c.i < verb.i]
    if not negations:
        return verb
    start = min(negations, key=lambda t: t.i)
    before = verb.doc[start.i - 1] if start.i > 0 else None
    attached = before is not None and not before.whitespace_  # "do|n't", "ca|nt", "can|not"
    if before is not None and before.head == verb and before.dep_ == "aux":
        if attached or start.lower_ == "not":  # "don't allow", "do not allow"
            start = before
    elif attached:
        return None
    between = verb.doc[start.i : verb.i]
    if all(t.head == verb and t.dep_ in ("neg", "aux", "advmod") for t in between):
        return start
    return None


def _doers(sentence: Span, max_words: int) -> list[str]:
    """Who does what, as a noun with its "-ing" clause: "students using AI" from "my
    students using AI", "reps sandbagging the forecast". The verb alone ("using AI")
    would drop whose doing it is, which is often the point."""
    out = []
    doc = sentence.doc
    for verb in sentence:
        noun = verb.head
        if not (
            verb.dep_ == "acl"
            and (verb.tag_ == "VBG" or (not verb.tag_ and verb.lower_.endswith("ing")))
            and noun.pos_ in ("NOUN", "PROPN")
            and noun.i == verb.i - 1
            and noun.lower_ not in WEAK_HEADS | TIME_NOUNS
            and _verb_start(verb) is verb
        ):
            continue
        # "students using it" names nothing: the object must be said.
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ != "PRON"]
        if not objects:
            continue
        left = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and t.i == noun.i - 1]
        start = left[0].i if left else noun.i
        span = list(doc[start : objects[0].i + 1])
        words = len(_text(span).split())
        odd = any(t.is_quote or t.text in QUOTES or t.is_punct for t in span)
        if 3 <= words <= max_words and not odd:
            out.append(_text(span))
    return out


# A noun's "of" or "per" phrase is part of what it names: "price per seat", "lack of
# visibility", "quality of the data".
JOINING_PREPS = {"of", "per"}
JOINED_MAX_WORDS = 5


def _joined(chunk: Span, tokens: list[Token], chunks: list[Span], max_words: int) -> str | None:
    """The chunk (as trimmed to ``tokens``, which ``phrases`` keeps only when its head
    names something) with the "of" or "per" phrase right after it, when the two read as
    one thing; None when there is none, or it only measures ("lack of time")."""
    doc = chunk.doc
    # "student use of AI" is "use AI" as a noun: a light verb's object names nothing more.
    head = tokens[-1]
    if chunk.end >= len(doc) or {head.lower_, head.lemma_.lower()} & LIGHT_VERBS:
        return None
    prep = doc[chunk.end]
    if prep.lower_ not in JOINING_PREPS or prep.head.i != chunk.root.i or prep.dep_ != "prep":
        return None
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if not objects:
        return None
    after = next((c for c in chunks if c.start == prep.i + 1 and c.root.i == objects[0].i), None)
    if after is None:
        return None
    span = tokens + list(doc[prep.i : after.end])
    if (
        len(_text(span).split()) > min(JOINED_MAX_WORDS, max_words)
        or span[-1].lower_ in WEAK_HEADS | TIME_NOUNS
        or any(t.is_punct or t.is_quote or t.text in QUOTES for t in span)
    ):
        return None
    return _text(span)


def phrases(sentence: Span, *, max_words: int = 6) -> tuple[str, ...]:
    """Candidate label phrases of a sentence, most specific first, without repeats."""
    found: list[str] = []
    chunks = []
    try:
        chunks = list(sentence.noun_chunks)
    except ValueError:  # no parser: noun_chunks needs dependencies
        chunks = []
    for chunk in chunks:
        tokens = _after_list(_trimmed(_predicate_cut(chunk, list(chunk))))
        if not tokens or len(tokens) > max_words or tokens[-1].lower_ in WEAK_HEADS:
            continue
        if tokens[-1].lower_ in KIND_HEADS and not any(
            t.pos_ in ("NOUN", "PROPN") for t in tokens[:-1]
        ):
            continue
        if all(t.is_stop for t in tokens) or _after_hyphen(tokens[0]):
            continue
        if any(t.is_quote or t.text in QUOTES for t in tokens):  # cut out of its quotes
            continue
        # A verb with this chunk as its object: "pulling numbers", "trust the number".
        head = chunk.root.head
        if (
            chunk.root.dep_ in ("dobj", "pobj")
            and head.pos_ == "VERB"
            and head.i < chunk.start
            and head.lemma_.lower() not in LIGHT_VERBS
            and (start := _verb_start(head)) is not None
        ):
            verb_on = _trimmed(list(sentence.doc[head.i : chunk.end]))
            span = list(sentence.doc[start.i : head.i]) + verb_on
            quoted = any(t.is_quote or t.text in QUOTES for t in span)
            # Words as written: "don't" is one word of two tokens.
            short = bool(span) and len(_text(span).split()) <= max_words
            listed = any(t.text in (",", ";") for t in span)
            if verb_on and short and verb_on[0].pos_ == "VERB" and not quoted and not listed:
                found.append(_text(span))
        if (joined := _joined(chunk, tokens, chunks, max_words)) is not None:
            found.append(joined)
        found.append(_text(tokens))
    found.extend(_doers(sentence, max_words))
    if not found:
        # No chunk names anything: its nouns may. A lone verb or adjective ("start",
        # "useful") or a word that restates the kind ("concern") names no theme.
        content = [
            t
            for t in sentence
            if t.pos_ in ("NOUN", "PROPN")
            and not t.is_stop
            and t.lower_ not in KIND_HEADS | WEAK_HEADS
        ]
        found.extend(t.text for t in content[:3])
    unique: list[str] = []
    for phrase in found:
        if phrase and phrase.lower() not in (u.lower() for u in unique):
            unique.append(phrase)
    return tuple(unique)


def summary(sentence: Span, cue_tokens: set[int]) -> str:
    """The phrase nearest the sentence's cue, or its first phrase."""
    candidates = phrases(sentence)
    if not candidates:
        return ""
    if cue_tokens:
        text = sentence.text.lower()
        doc = sentence.doc
        positions = [doc[i].idx - sentence.start_char for i in cue_tokens]

        def distance(phrase: str) -> int:
            at = text.find(phrase.lower())
            return min(abs(at - p) for p in positions) if at >= 0 else 10**6

        return min(candidates, key=distance)
    return candidates[0]
