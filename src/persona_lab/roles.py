"""Job titles into a function and a seniority, by a taxonomy kept as data.

The taxonomy (``data/roles.yaml``) lists whole titles, keyword phrases per
function, seniority levels and example titles; a user's file extends or replaces
it. Keywords decide when they can; sentence embeddings of the example titles are
only the fallback for a title no keyword names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import errors
from .embed import Embedder
from .models import OTHER, UNKNOWN

FUNCTIONS = (
    "executive", "sales", "marketing", "customer_success", "product", "engineering",
    "it_security", "data", "finance", "hr", "operations", "legal", "procurement", "design",
    "research", "education", "healthcare", "writing", "creative", OTHER,
)  # fmt: skip
SENIORITIES = (
    "c_level", "vp", "director", "head", "manager", "lead", "individual_contributor",
    "founder", UNKNOWN,
)  # fmt: skip
INDIVIDUAL = "individual_contributor"
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize_title(title: str) -> str:
    """Lowercase words separated by one space: "VP, Sales & RevOps" -> "vp sales revops"."""
    return " ".join(_NON_WORD.sub(" ", title.lower().replace("&", " ")).split())


def _contains(haystack: str, phrase: str) -> int:
    """Word position of ``phrase`` in ``haystack`` (both normalized), or -1."""
    padded = f" {haystack} "
    at = padded.find(f" {phrase} ")
    return -1 if at < 0 else padded[:at].count(" ")


@dataclass(frozen=True)
class RoleMatch:
    """A title's role, and the rule that decided it (for ``--verbose`` and tests)."""

    title: str
    function: str
    seniority: str
    rule: str

    def to_dict(self) -> dict[str, str]:
        return {"title": self.title, "function": self.function, "seniority": self.seniority}


@dataclass(frozen=True)
class Taxonomy:
    """The role taxonomy as read from YAML; see ``data/roles.yaml`` for each part."""

    titles: dict[str, tuple[str, str]]
    keywords: dict[str, str]
    seniority: tuple[tuple[str, tuple[str, ...]], ...]
    individual_titles: tuple[str, ...]
    examples: tuple[tuple[str, str], ...]
    embedding_min_similarity: float
    talk: dict[str, frozenset[str]] = field(default_factory=dict)
    talk_min_count: int = 4
    talk_margin: float = 2.0
    talk_related: tuple[frozenset[str], ...] = ()
    level_only_words: frozenset[str] = frozenset()
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """The shipped taxonomy, extended (or replaced) by the user's file at ``path``."""
        text = resources.files("persona_lab.data").joinpath("roles.yaml").read_text("utf-8")
        data = yaml.safe_load(text)
        if path:
            try:
                user = yaml.safe_load(Path(path).read_text("utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise errors.SettingsError(
                    f"{path}: cannot read the role taxonomy ({exc})"
                ) from exc
            if not isinstance(user, dict):
                raise errors.SettingsError(f"{path}: a role taxonomy must be a YAML mapping")
            data = user if user.get("replace") else _merged(data, user)
        return cls.from_data(data, str(path or "roles.yaml"))

    @classmethod
    def from_data(cls, data: dict[str, Any], source: str = "roles.yaml") -> Taxonomy:
        try:
            titles = {
                normalize_title(t): (str(v[0]), str(v[1]))
                for t, v in (data.get("titles") or {}).items()
            }
            keywords: dict[str, str] = {}
            for function, phrases in (data.get("functions") or {}).items():
                for phrase in phrases or ():
                    keywords.setdefault(normalize_title(str(phrase)), str(function))
            seniority = tuple(
                (str(level), tuple(normalize_title(str(k)) for k in words or ()))
                for level, words in (data.get("seniority") or {}).items()
            )
            examples = tuple(
                (normalize_title(str(title)), str(function))
                for function, items in (data.get("examples") or {}).items()
                for title in items or ()
            )
            individual = tuple(normalize_title(str(t)) for t in data.get("individual_titles") or ())
            min_similarity = float(data.get("embedding_min_similarity", 0.6))
            talk = {
                str(function): frozenset(str(w).lower() for w in words or ())
                for function, words in (data.get("talk") or {}).items()
            }
            talk_min_count = int(data.get("talk_min_count", 4))
            talk_margin = float(data.get("talk_margin", 2.0))
            talk_related = _families(data.get("talk_related") or [], set(talk), source)
            # One-word level keywords count too ("senior director"); a phrase's words do
            # not ("tech" of "tech lead" says engineering).
            level_only = frozenset(
                normalize_title(str(w)) for w in data.get("level_only_words") or ()
            ) | {w for _, words in seniority for w in words if " " not in w}
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            raise errors.SettingsError(f"{source}: the role taxonomy is malformed ({exc})") from exc
        return cls(
            titles,
            keywords,
            seniority,
            individual,
            examples,
            min_similarity,
            talk,
            talk_min_count,
            talk_margin,
            talk_related,
            level_only,
        )

    def related(self, function: str) -> frozenset[str]:
        """The functions whose talk overlaps ``function``'s (itself included)."""
        groups = [g for g in self.talk_related if function in g]
        return frozenset({function}.union(*groups))

    def function_of(self, norm: str) -> str | None:
        """The function of the longest keyword phrase in ``norm``; ties go to the later one."""
        best: tuple[int, int, str] | None = None
        for phrase, function in self.keywords.items():
            at = _contains(norm, phrase)
            if at >= 0:
                rank = (len(phrase.split()), at, function)
                best = rank if best is None or rank[:2] > best[:2] else best
        return best[2] if best else None

    def example_function(self, norm: str) -> str | None:
        """The function of an example title given exactly ("chief of staff")."""
        return next((f for title, f in self.examples if title == norm), None)

    def says_only_level(self, norm: str) -> bool:
        """The title's words say a level ("senior director") and no function."""
        return all(w in self.level_only_words for w in norm.split())

    def seniority_of(self, norm: str) -> str | None:
        if any(_contains(norm, title) >= 0 for title in self.individual_titles):
            return INDIVIDUAL
        for level, words in self.seniority:
            if any(_contains(norm, word) >= 0 for word in words):
                return level
        return None

    def nearest_function(self, norm: str, embedder: Embedder) -> tuple[str, float]:
        """The function of the most similar example or keyword title, and the cosine."""
        labelled = sorted({*self.examples, *((k, f) for k, f in self.keywords.items())})
        key = embedder.name
        if key not in self._vectors:
            self._vectors[key] = embedder.encode([title for title, _ in labelled])
        query = embedder.encode([norm])[0]
        scores = self._vectors[key] @ query
        best = int(np.argmax(scores))
        return labelled[best][1], float(scores[best])


def _families(groups: Any, known: set[str], source: str) -> tuple[frozenset[str], ...]:
    """``talk_related`` as sets of functions, each a list of two or more talk functions."""
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and len(g) >= 2 and all(str(f) in known for f in g) for g in groups
    ):
        raise errors.SettingsError(
            f"{source}: talk_related must be lists of functions that have talk words, "
            "e.g. [[writing, creative]]"
        )
    return tuple(frozenset(str(f) for f in g) for g in groups)


def _merged(base: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """The shipped taxonomy with the user's entries added; the user's win."""
    out = dict(base)
    for key in ("titles", "seniority"):
        out[key] = {**(base.get(key) or {}), **(user.get(key) or {})}
    for key in ("functions", "examples", "talk"):
        merged = {k: list(v or ()) for k, v in (base.get(key) or {}).items()}
        for function, phrases in (user.get(key) or {}).items():
            # A user's phrase moves to their function: drop it from the others first.
            wanted = {normalize_title(str(p)) for p in phrases or ()}
            for name in merged:
                merged[name] = [p for p in merged[name] if normalize_title(str(p)) not in wanted]
            merged[function] = list(phrases or ()) + merged.get(function, [])
        user_first = {f: merged[f] for f in (user.get(key) or {})}
        out[key] = {**user_first, **{f: v for f, v in merged.items() if f not in user_first}}
    out["talk_related"] = list(base.get("talk_related") or ()) + list(
        user.get("talk_related") or ()
    )
    for key in ("individual_titles", "level_only_words"):
        out[key] = list(base.get(key) or ()) + list(user.get(key) or ())
    for key in ("embedding_min_similarity", "talk_min_count", "talk_margin"):
        if key in user:
            out[key] = user[key]
    return out


def normalize(title: str, taxonomy: Taxonomy, embedder: Embedder | None = None) -> RoleMatch:
    """The function and seniority of one job title."""
    norm = normalize_title(title)
    if not norm:
        return RoleMatch(title, UNKNOWN, UNKNOWN, "empty")
    if norm in taxonomy.titles:
        known_function, known_seniority = taxonomy.titles[norm]
        return RoleMatch(title, known_function, known_seniority, "title")
    function = taxonomy.function_of(norm)
    seniority = taxonomy.seniority_of(norm)
    rule = "keyword"
    example = taxonomy.example_function(norm) if function is None else None
    if example is not None:  # "Chief of Staff", "Tech Lead": titles the taxonomy lists
        return RoleMatch(title, example, seniority or INDIVIDUAL, "example")
    if function is None and taxonomy.says_only_level(norm):
        # Their own words may still tell the function (resolve.roles_from_talk).
        return RoleMatch(title, UNKNOWN, seniority or INDIVIDUAL, "level only")
    if function is None and embedder is not None:
        nearest, similarity = taxonomy.nearest_function(norm, embedder)
        if similarity >= taxonomy.embedding_min_similarity:
            function, rule = nearest, "embedding"
    if function is None:
        return RoleMatch(title, OTHER, seniority or UNKNOWN, "none")
    return RoleMatch(title, function, seniority or INDIVIDUAL, rule)


def role_records(
    titles: list[str], taxonomy: Taxonomy, embedder: Embedder | None = None
) -> list[dict[str, str]]:
    """One ``{"title", "function", "seniority"}`` record per title, in order."""
    return [normalize(t, taxonomy, embedder).to_dict() for t in titles]
