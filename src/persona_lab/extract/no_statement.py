"""Sentences that state nothing themselves, whatever cue words they hold.

"I can share a time where it made me frustrated." announces the story the next
sentences tell; "I can't think of a time it made me feel frustrated." tells none
(a negated pain: the labeling rules file it as no insight). Both read as pains
to a classifier that weighs "frustrated", and on a card such a sentence became a
theme's label. Extraction skips them; cards never show one as a quote.
"""

from __future__ import annotations

import re

_LEAD = r"^(?:(?:and|but|so|honestly|well|no),?\s+)*"
_WHAT = r"(?:time|example|instance|occasion|story|situation|moment|task)s?\b"
ANNOUNCES = re.compile(
    _LEAD + r"(?:i\s+(?:can|could)\s+(?:share|think\s+of|give(?:\s+you)?|tell\s+you(?:\s+about)?)"
    r"|let\s+me\s+(?:share|tell|give)(?:\s+you)?(?:\s+about)?)"
    r"\s+(?:a|an|one)\s+" + _WHAT,
    re.IGNORECASE,
)
DENIES = re.compile(
    _LEAD + r"i\s+(?:can['\u2019]?t|cannot|can\s+not|couldn['\u2019]?t)\s+(?:really\s+)?"
    r"(?:think\s+of|come\s+up\s+with|recall)\s+(?:a|an|one|any)\s+"
    r"(?:specific\s+|particular\s+|single\s+)?" + _WHAT,
    re.IGNORECASE,
)
# "I can't think of a time it failed, but last week it ...": the rest is a statement.
TURNS = re.compile(
    r"\b(?:but|except|although|(?<!even )though|however|other\s+than|apart\s+from)\b", re.I
)
ANNOUNCEMENT_WORDS = 14  # longer: the sentence tells the story itself


def states_nothing(text: str) -> bool:
    """A short announcement of a story to come, or a denial that any example exists."""
    text = text.strip()
    if ANNOUNCES.match(text):
        return len(text.split()) < ANNOUNCEMENT_WORDS
    return bool(DENIES.match(text)) and not TURNS.search(text)
