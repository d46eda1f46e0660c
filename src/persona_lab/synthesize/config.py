"""The persona data files: bands, labels, names and tools (data, not code)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .. import errors


def _shipped(name: str) -> Any:
    return yaml.safe_load(resources.files("persona_lab.data").joinpath(name).read_text("utf-8"))


@dataclass(frozen=True)
class PersonaConfig:
    band_of: dict[str, str]
    band_labels: dict[str, str]
    function_labels: dict[str, str]
    discover_when_unknown_share: float
    join_similarity: float
    join_margin: float
    # function -> ((specialty, (title phrase, ...)), ...), in the data file's order
    specialties: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)

    def band(self, seniority: str) -> str:
        return self.band_of.get(seniority, "unknown")

    def role_label(self, function: str, band: str) -> str:
        words = [self.function_labels.get(function, function.replace("_", " ").title())]
        if self.band_labels.get(band):
            words.append(self.band_labels[band])
        return " ".join(words)


@functools.lru_cache(maxsize=1)
def persona_config() -> PersonaConfig:
    data = _shipped("personas.yaml")
    band_of = {s: band for band, seniorities in data["bands"].items() for s in seniorities}
    return PersonaConfig(
        band_of,
        dict(data["band_labels"]),
        dict(data["function_labels"]),
        float(data["discover_when_unknown_share"]),
        float(data["join_similarity"]),
        float(data["join_margin"]),
        {
            str(function): tuple(
                (str(name), tuple(str(w) for w in phrases)) for name, phrases in named.items()
            )
            for function, named in (data.get("specialties") or {}).items()
        },
    )


def persona_names(path: str = "") -> tuple[str, ...]:
    """First names for personas: the user's YAML/text list, or the shipped one. Read
    each time (a list edited between two runs in one process counts)."""
    if not path:
        return tuple(_shipped("names.yaml")["names"])
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise errors.SettingsError(f"{path}: cannot read the names list ({exc})") from exc
    return _names_in(path, text)


@functools.lru_cache(maxsize=4)
def _names_in(path: str, text: str) -> tuple[str, ...]:
    data = yaml.safe_load(text)
    names = data.get("names") if isinstance(data, dict) else data
    if isinstance(names, str):
        names = names.split()
    if not names:
        raise errors.SettingsError(f"{path}: the names list is empty; add first names, one a line")
    return tuple(str(n) for n in names)


@functools.lru_cache(maxsize=1)
def tool_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each tool's pattern: lowercase aliases in any case, capitalised ones as written.

    A capitalised alias ("Outreach") is a name that is also a common word, so it is
    not taken as the first word of a sentence either.
    """
    tools = _shipped("tools.yaml")["tools"]
    out = []
    for shown, aliases in tools.items():
        parts = [
            rf"(?i:{re.escape(a)})" if a == a.lower() else rf"(?<![.!?:]\s)(?<!^){re.escape(a)}"
            for a in map(str, aliases)
        ]
        out.append((str(shown), re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.M)))
    return tuple(out)
