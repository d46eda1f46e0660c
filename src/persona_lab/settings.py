"""One Settings dataclass: every knob, its default, and why it is set that way.

Defaults live in ``data/defaults.toml`` (data, not code); a user's TOML file and
command-line options override them in that order.
"""

from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]
import datetime as dt
from dataclasses import asdict, dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from . import errors

KINDS = ("pain", "goal", "objection")


# Settings that name and date a round rather than say how it was built: the round
# document's header shows them, and two rounds differing in them were built alike.
ROUND_LABEL_SETTINGS = ("round", "generated_at")


@dataclass(frozen=True)
class Settings:
    """Settings of one run; see ``data/defaults.toml`` for what each one does."""

    spacy_model: str
    spacy_fallback_models: tuple[str, ...]
    embedding_model: str
    interviewer_labels: tuple[str, ...]
    interviewers: tuple[str, ...]
    kinds: tuple[str, ...]
    thresholds: dict[str, float]
    extra_kinds: tuple[str, ...]
    extra_threshold: float
    classifier: str
    min_participants: int
    emerging: str
    min_participant_share: float
    min_theme_size: int
    min_theme_participants: int
    min_theme_share: float
    shared_theme_similarity: float
    theme_join_similarity: float
    theme_min_cohesion: float
    theme_merge_similarity: float
    theme_pair_similarity: float
    reduce_dimensions: int
    quotes_per_theme: int
    mmr_diversity: float
    themes_per_kind: int
    vocabulary_size: int
    redact: bool
    pseudonymize: bool
    redact_allow: tuple[str, ...]
    max_file_mb: float
    batch_size: int
    embedding_batch_size: int
    workers: int
    seed: int
    round: str
    formats: tuple[str, ...]
    taxonomy: str
    names: str
    templates: str
    generated_at: str

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain JSON-ready data (recorded in personas.json)."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given values; ``None`` means keep the current one."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return _checked(replace(self, **_coerced(given, "option")))


def _coerced(values: dict[str, Any], source: str) -> dict[str, Any]:
    known = {f.name: f for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            raise errors.SettingsError(errors.UNKNOWN_SETTING.format(name=name, source=source))
        if isinstance(value, list):
            value = tuple(value)
        out[name] = _typed(name, value, str(known[name].type))
    return out


_KIND_NAMES = {"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false"}


def _typed(name: str, value: Any, annotation: str) -> Any:
    """The value if it has the setting's type (ints pass as floats); else one clear line."""

    def bad(expected: str) -> errors.SettingsError:
        problem = f"must be {expected}, not {value!r}"
        return errors.SettingsError(errors.BAD_SETTING.format(name=name, problem=problem))

    if annotation.startswith("tuple"):
        if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
            raise bad("a list of text values")
        return value
    if annotation.startswith("dict"):
        numbers = isinstance(value, dict) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
        )
        if not numbers:
            raise bad("a table of numbers, like { pain = 0.4, goal = 0.4 }")
        return {str(k): float(v) for k, v in value.items()}
    if annotation == "bool":
        if not isinstance(value, bool):
            raise bad(_KIND_NAMES["bool"])
        return value
    if annotation == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(_KIND_NAMES["int"])
        return value
    if annotation == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(_KIND_NAMES["float"])
        return float(value)
    if annotation == "str" and not isinstance(value, str):
        raise bad(_KIND_NAMES["str"])
    return value


def _is_iso_date(text: str) -> bool:
    """A date as YYYY-MM-DD: rounds are ordered and aged by it."""
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _checked(settings: Settings) -> Settings:
    def bad(name: str, problem: str) -> errors.SettingsError:
        return errors.SettingsError(errors.BAD_SETTING.format(name=name, problem=problem))

    if settings.round and not settings.round.strip():
        raise bad("round", "is blank; give the round a name, or leave --round out")
    if settings.generated_at and not _is_iso_date(settings.generated_at):
        raise bad("generated_at", f"{settings.generated_at!r} is no date; give it as YYYY-MM-DD")
    if settings.min_participants < 1:
        raise bad("min_participants", "must be 1 or more")
    if not 0 <= settings.min_participant_share < 1:
        raise bad("min_participant_share", "must be at least 0 and less than 1")
    if settings.emerging not in ("merge", "keep"):
        raise bad("emerging", "must be 'merge' or 'keep'")
    overlap = set(settings.kinds) & set(settings.extra_kinds)
    if overlap:
        raise bad("extra_kinds", f"{sorted(overlap)} are already in kinds")
    if settings.min_theme_size < 2:
        raise bad("min_theme_size", "must be 2 or more")
    if settings.min_theme_participants < 1:
        raise bad("min_theme_participants", "must be 1 or more")
    if not 0 <= settings.min_theme_share < 1:
        raise bad("min_theme_share", "must be at least 0 and less than 1")
    if not -1 <= settings.shared_theme_similarity <= 1:
        raise bad("shared_theme_similarity", "must be between -1 and 1")
    if not 0 <= settings.mmr_diversity <= 1:
        raise bad("mmr_diversity", "must be between 0 and 1")
    if not -1 <= settings.theme_min_cohesion < 1:
        raise bad("theme_min_cohesion", "must be at least -1 and below 1")
    if not -1 <= settings.theme_merge_similarity <= 1:
        raise bad("theme_merge_similarity", "must be between -1 and 1")
    if not -1 <= settings.theme_pair_similarity <= 1:
        raise bad("theme_pair_similarity", "must be between -1 and 1")
    if settings.theme_merge_similarity < settings.theme_min_cohesion:
        # Two cohesive themes merged at a lower bar can make one that is not.
        raise bad(
            "theme_merge_similarity",
            f"must be at least theme_min_cohesion ({settings.theme_min_cohesion})",
        )
    for name in ("batch_size", "embedding_batch_size"):
        if getattr(settings, name) < 1:
            raise bad(name, "must be 1 or more")
    if settings.workers < 0:
        raise bad("workers", "must be 0 (one per CPU core) or more")
    if settings.max_file_mb <= 0:
        raise bad("max_file_mb", "must be more than 0")
    for kind, value in settings.thresholds.items():
        if not 0 <= value <= 1:
            raise bad(f"thresholds.{kind}", "must be between 0 and 1")
    return settings


def default_settings() -> Settings:
    """The shipped defaults from ``data/defaults.toml``."""
    text = resources.files("persona_lab.data").joinpath("defaults.toml").read_text("utf-8")
    values = _coerced(tomllib.loads(text), "defaults.toml")
    return _checked(Settings(**values))


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Defaults, then the user's TOML file, then explicit overrides."""
    settings = default_settings()
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise errors.SettingsError(f"{path}: cannot read settings ({exc})") from exc
        data = data.get("persona_lab", data)
        settings = _checked(replace(settings, **_coerced(data, str(path))))
    return settings.with_overrides(**overrides)
