"""YAML front matter at the top of a .txt/.md transcript: who, where, when.

A block only counts as front matter when it holds at least one key persona_lab
knows, so a transcript that opens with a ``---`` rule is not swallowed whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import errors

FENCE = "---"
CLOSING_FENCES = ("---", "...")
KEYS = frozenset(
    {
        "participant", "name", "title", "company", "industry", "company_size",
        "date", "round", "interviewer", "speaker",
    }
)  # fmt: skip
# A front matter line for a known key, to tell broken YAML from a leading rule.
KNOWN_KEY_LINE = re.compile(r"^\s*(?:" + "|".join(sorted(KEYS)) + r")\s*:", re.IGNORECASE)
MAX_ITEMS = 100
MAX_FRONT_MATTER_LINES = 200
BAD_FRONT_MATTER = "the YAML front matter at the top cannot be read ({error}); fix it or remove it"


@dataclass(frozen=True)
class PersonFacts:
    """What metadata says about one person; empty fields are unknown."""

    name: str | None = None
    title: str | None = None
    company: str | None = None
    industry: str | None = None
    company_size: str | None = None

    def over(self, other: PersonFacts) -> PersonFacts:
        """These facts, with ``other``'s filling the gaps."""
        return PersonFacts(
            self.name or other.name,
            self.title or other.title,
            self.company or other.company,
            self.industry or other.industry,
            self.company_size or other.company_size,
        )


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's values and the index of the first line after it."""

    values: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None or isinstance(value, (dict, list)):
            return None
        return str(value).strip() or None

    @property
    def participant_name(self) -> str | None:
        return self.text("participant") or self.text("name")

    @property
    def speaker(self) -> str | None:
        return self.text("speaker")

    @property
    def interviewers(self) -> tuple[str, ...]:
        value = self.values.get("interviewer")
        names = value if isinstance(value, list) else [value]
        return tuple(str(n).strip() for n in names if n is not None and str(n).strip())

    @property
    def person(self) -> PersonFacts:
        return PersonFacts(
            self.participant_name,
            self.text("title"),
            self.text("company"),
            self.text("industry"),
            self.text("company_size"),
        )


def _scalar(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return None


def plain(value: Any) -> Any:
    """A YAML value as JSON-ready data: dates become ISO strings; nesting stops at one
    level, so a hostile alias bomb cannot expand."""
    if isinstance(value, dict):
        items = list(value.items())[:MAX_ITEMS]
        return {str(k): _scalar(v) for k, v in items if _scalar(v) is not None}
    if isinstance(value, (list, tuple)):
        return [_scalar(v) for v in value[:MAX_ITEMS] if _scalar(v) is not None]
    return _scalar(value)


def _closing_fence(lines: Sequence[str]) -> int | None:
    """The closing fence's index; front matter is short, so only the first lines count
    (a transcript whose opening ``---`` rule meets another deep inside is not YAML)."""
    for index in range(1, min(len(lines), MAX_FRONT_MATTER_LINES + 1)):
        if lines[index].strip() in CLOSING_FENCES:
            return index
    return None


def read_front_matter(lines: Sequence[str], source: str) -> FrontMatter:
    """The front matter of ``lines``; an empty one (body from line 1) when there is none."""
    if not lines or lines[0].strip() != FENCE:
        return FrontMatter()
    end = _closing_fence(lines)
    if end is None:
        return FrontMatter()
    block = "\n".join(lines[1:end])
    try:
        values = yaml.safe_load(block)
    except Exception as exc:  # PyYAML raises more than YAMLError on odd input
        if any(KNOWN_KEY_LINE.match(line) for line in lines[1:end]):
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise errors.InputError(source, BAD_FRONT_MATTER.format(error=reason)) from exc
        return FrontMatter()
    if not isinstance(values, dict) or not KEYS & {str(k).lower() for k in values}:
        return FrontMatter()
    return FrontMatter({str(k).lower(): plain(v) for k, v in values.items()}, end + 1)
