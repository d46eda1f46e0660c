"""Speaker labels in plain text: which ``Something:`` at a line start is a speaker.

A label counts as a speaker only when it looks like a name or role (a few words,
no sentence punctuation) and is used at least twice in the file or is known from
the settings, the manifest or the front matter. That keeps lines such as
"Initial Steps:" or "Here's my final question:" inside the turn they belong to.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .clock import CLOCK_PATTERN, parse_clock

MAX_LABEL_WORDS = 4
# A line indented further than this is a quote or code block, never a speaker label.
MAX_LABEL_INDENT = 64
MAX_LABEL_CHARS = 40
MIN_LABEL_USES = 2

# `[00:01:02] Name: text`, `Name (00:01:02): text`, `**Name:** text`, `**Name**: text`.
# A time in brackets may be malformed ([00:00:1]): it still marks the label; the time is dropped.
# A plain label starts with a non-blank character, so the leading blanks can be split
# one way only: a line of a million spaces is matched in linear time, not cubic.
BRACKETED_TIME = r"[\[(](?P<{name}>[\d:.,]{{1,15}})[\])]"
LABEL_LINE = re.compile(
    rf"""^[ \t]*
    (?:(?:{BRACKETED_TIME.format(name="lead_time")}|(?P<bare_time>{CLOCK_PATTERN}))[ \t]+)?
    (?:
        \*\*(?P<bold_in>[^*:\n]{{1,60}}):\*\*
      | \*\*(?P<bold_out>[^*:\n]{{1,60}})\*\*[ \t]*:
      | (?P<plain>[^*:\[\]()<>\n \t][^*:\[\]()<>\n]{{0,59}}?)
        (?:[ \t]*{BRACKETED_TIME.format(name="label_time")})?
        [ \t]*:
    )
    (?=\s|$)[ \t]*""",
    re.VERBOSE,
)
# One word of a label: starts with a letter or digit; a dot only ends a short
# abbreviation or initial (Dr., J.), never a sentence.
LABEL_WORD = re.compile(r"^[^\W_][\w'’&/-]*\.?$")
MAX_ABBREVIATION = 4
# Labels that head a note rather than name a speaker, even when used twice.
NOT_SPEAKERS = frozenset(
    {
        "note", "notes", "nb", "ps", "p.s.", "summary", "context", "background",
        "agenda", "action items", "action item", "next steps", "next step", "takeaway",
        "takeaways", "key takeaways", "todo", "to do", "follow-up", "follow up",
        "update", "edit", "example", "date", "time", "location", "attendees",
        "participants", "subject", "source", "link", "url", "re", "fwd", "tags",
    }
)  # fmt: skip
TRAILING_NUMBER = re.compile(r"[\s_-]*\d+$")
# A speaker named by a file (a VTT voice, a JSON field, a Gong party) longer than
# this is not a name: it would end up in ids, cards and terminal lines.
MAX_SPEAKER_CHARS = 100
# Unicode categories never kept in a speaker label: controls (ANSI escapes, NUL),
# format characters (BOM, zero-width and bidi marks), unassigned and surrogates.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs"})
# Terminal escape sequences (colours, cursor moves): cut whole, not just their ESC.
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


@dataclass(frozen=True)
class LabelLine:
    """A line that starts with something shaped like ``Label: rest``."""

    label: str
    time: float | None
    rest: str


def clean_label(value: str) -> str | None:
    """A speaker label as shown: terminal escapes, invisible and control characters
    dropped, blanks collapsed; None when nothing is left or it is too long to be a name."""
    visible = ANSI_ESCAPE.sub("", value) if "\x1b" in value else value
    kept = "".join(
        " " if c.isspace() else c
        for c in visible
        if c.isspace() or unicodedata.category(c) not in INVISIBLE_CATEGORIES
    )
    label = " ".join(kept.split())
    return label if label and len(label) <= MAX_SPEAKER_CHARS else None


def label_line(line: str) -> LabelLine | None:
    """The label, time and rest of a line that starts like a speaker label."""
    if len(line) - len(line.lstrip(" \t")) > MAX_LABEL_INDENT:
        return None
    match = LABEL_LINE.match(line)
    if match is None:
        return None
    label = (match["bold_in"] or match["bold_out"] or match["plain"] or "").strip()
    if not label:
        return None
    clock = match["lead_time"] or match["bare_time"] or match["label_time"]
    return LabelLine(label, parse_clock(clock) if clock else None, line[match.end() :])


def looks_like_label(label: str) -> bool:
    """A name or role: at most four words, starting with a letter, no sentence marks."""
    words = label.split()
    if not 1 <= len(words) <= MAX_LABEL_WORDS or len(label) > MAX_LABEL_CHARS:
        return False
    if not words[0][0].isalpha():
        return False
    for word in words:
        if not LABEL_WORD.match(word):
            return False
        if word.endswith(".") and len(word) > MAX_ABBREVIATION:
            return False
    return True


def is_speaker_label(label: str, uses: int, known: frozenset[str]) -> bool:
    """Whether ``label`` names a speaker, given how often the file uses it."""
    folded = label.casefold()
    if folded in known:
        return True
    if folded in NOT_SPEAKERS or label[0].islower():
        return False
    return looks_like_label(label) and uses >= MIN_LABEL_USES


def speaker_labels(labels: Iterable[str], known: frozenset[str]) -> frozenset[str]:
    """The labels of a file that are speakers (``labels`` holds one entry per use)."""
    uses: dict[str, int] = {}
    for label in labels:
        uses[label] = uses.get(label, 0) + 1
    return frozenset(label for label, n in uses.items() if is_speaker_label(label, n, known))


def base_label(label: str) -> str:
    """The label without a trailing number: "Interviewer 2" -> "interviewer"."""
    return TRAILING_NUMBER.sub("", label).casefold()


def known_labels(*groups: Iterable[str | None]) -> frozenset[str]:
    """Case-folded labels and names the settings, manifest or front matter vouch for."""
    return frozenset(v.strip().casefold() for group in groups for v in group if v and v.strip())
