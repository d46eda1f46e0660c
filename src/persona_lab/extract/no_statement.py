"""Sentences that state nothing themselves, whatever cue words they hold.

"I can share a time where it made me frustrated." announces the story the next
sentences tell, "Just one more thing, something I think could be improved." the
point; "That's my main concern." points back at what was said before it; "I can't
think of a time it made me feel frustrated." denies a problem (a
negated pain: the labeling rules file it as no insight). Such sentences read as
pains or goals to a classifier that weighs "frustrated" or "improved", and on a card
one became a theme's label. Extraction skips them; cards never show one as a quote.
A denial of something good ("I can't recall a single time it gave me the right
answer") or of a negative ("... a time when it didn't help") is a statement and
stays.
"""

from __future__ import annotations

import re

_LEAD = r"^(?:(?:and|but|so|honestly|well|no|yeah|yes|um|uh|ok|okay|sure),?\s+)*"
_STORIES = "time|example|instance|occasion|story|situation|moment"
_WHAT = r"(?:" + _STORIES + r")s?\b"
ANNOUNCES = re.compile(
    _LEAD + r"(?:i\s+(?:can|could)\s+(?:share|give(?:\s+you)?|tell\s+you(?:\s+about)?)"
    r"|let\s+me\s+(?:share|tell|give)(?:\s+you)?(?:\s+about)?)"
    r"\s+(?:a|an|one)\s+" + _WHAT,
    re.IGNORECASE,
)
DENIES = re.compile(
    _LEAD + r"i\s+(?:can['\u2019]?t|cannot|can\s+not|couldn['\u2019]?t)\s+(?:really\s+)?"
    r"(?:think\s+of|come\s+up\s+with|recall)\s+(?:a|an|one|any)\s+"
    r"(?:specific\s+|particular\s+|single\s+)?(?:" + _STORIES + r"|task)s?\b",
    re.IGNORECASE,
)
# "Just one more thing, something I think could be improved.", "Another thing I'd
# like to add.": a point announced, said in the sentences after it.
ANNOUNCES_POINT = re.compile(
    _LEAD + r"(?:just\s+)?(?:(?:one|another)\s+(?:(?:more|last|final|other|further)\s+)?"
    r"|(?:the|a)\s+(?:last|final)\s+)"
    r"(?:thing|point|note)\b"
    r"(?:[,:]?\s*(?:(?:something|that|which)\s+)?(?:i\s+(?:think|feel|guess|believe)\s+)?"
    r"(?:could|should|can|might|would)\s+be\s+(?:improved|better|changed|added|mentioned)"
    r"|[,:]?\s*i(?:['\u2019]d|\s+would|\s+want(?:ed)?\s+to)\s+(?:like\s+to\s+)?"
    r"(?:add|mention|say|note|point\s+out))?\s*[.!]?$",
    re.IGNORECASE,
)
# "That's my main concern.", "That was the hardest part.": the concern or the hard
# part is in the sentence before, which is the quote worth showing.
REFERS_BACK = re.compile(
    _LEAD + r"(?:that|this|which|it)(?:['\u2019]s|\s+(?:is|was|would\s+be|will\s+be|has\s+been))"
    r"\s+(?:(?:really|probably|definitely|honestly|also|still)\s+)?(?:my|our|the|a|one|another)\s+"
    r"(?:(?:main|biggest|big|real|only|key|major|primary|top|greatest|first|second|third|other"
    r"|hardest|worst|toughest|number\s+one)\s+)*"
    r"(?:concern|worry|problem|issue|fear|hesitation|challenge|thing|goal|priority|pain"
    r"|pain\s+point|frustration|objection|deal-?breaker|hope|wish|need|hurdle|blocker"
    r"|obstacle|reservation|part)s?"
    r"(?:\s+(?:for|with|to)\s+(?:me|us|them))?(?:,?\s+(?:honestly|really|though|for\s+sure))?"
    r"\s*[.!]?$",
    re.IGNORECASE,
)
# "For a frustrating experience, I was working on a feature for the app I maintain.":
# the scene of a story asked for, set in the past progressive; what went wrong (or
# right) comes in the sentences after it.
SETS_THE_SCENE = re.compile(
    _LEAD + r"(?:(?:for|as\s+for|in\s+terms\s+of)\s+(?:a|an|the|my|one)\s+(?:\w+\s+){0,2}"
    r"(?:experience|" + _STORIES + r")s?),?\s+(?:i|we)\s+(?:was|were)\s+(?:\w+ly\s+)?\w+ing\b"
    r"(?!.*\b(?:and|but|when|until|so|then)\s+(?:it|the|that|they|i|we)\b)",
    re.IGNORECASE,
)
# What a denial must deny to say nothing: a problem, a worry, a preference against AI.
PROBLEM = re.compile(
    r"\b(?:frustrat|annoy|irritat|upset|angr|bother|problem|issue|difficult|struggl|"
    r"trouble|worr|concern|hesita|prefer|fail|disappoint|wrong|mistake|error"
    r"|let\s+(?:me|us|them|him|her)\s+down)",
    re.IGNORECASE,
)
# "I can't think of a time it failed, but last week it ...": the rest is a statement;
# so is a double negative ("... a time when it didn't help").
TURNS = re.compile(
    r"\b(?:but|except|although|(?<!even )though|however|other\s+than|apart\s+from"
    r"|not|never|without)\b|n['\u2019]t\b",
    re.IGNORECASE,
)
# "I can give you an example: it crashed twice last week." tells the story itself.
TELLS_ON = re.compile(r"[:\u2014]|\s[-\u2013]\s")
ANNOUNCEMENT_WORDS = 14  # longer: the sentence tells the story itself


def states_nothing(text: str) -> bool:
    """A short announcement of a story or a point to come, the scene a story is set
    in, a pointer back at what was said before, or a denial that a problem ever came
    up."""
    text = text.strip()
    if ANNOUNCES_POINT.match(text) or REFERS_BACK.match(text) or SETS_THE_SCENE.match(text):
        return True
    announced = ANNOUNCES.match(text)
    if announced:
        rest = text[announced.end() :]
        return len(text.split()) < ANNOUNCEMENT_WORDS and not TELLS_ON.search(rest)
    denied = DENIES.match(text)
    if not denied:
        return False
    rest = text[denied.end() :]
    return bool(PROBLEM.search(rest)) and not TURNS.search(rest)
