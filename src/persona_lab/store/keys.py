"""What makes a stored file result reusable: the file as read, the settings, the code.

A file is parsed and extracted again when any of these changes: its bytes or
how they were read (turns, participants, metadata), a setting that changes
extraction, the spaCy pipeline or embedding model named, or the extraction
code and data shipped with persona_lab. Settings that only shape personas or
outputs (min_participants, formats, ...) do not count: changing them rebuilds
the personas from stored results.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..models import Transcript
from ..nlp import installed_version
from ..settings import Settings

# Settings that act after extraction only; every other setting is part of the key.
SYNTHESIS_ONLY = frozenset(
    {
        "round",
        "formats",
        "templates",
        "generated_at",
        "min_participants",
        "emerging",
        "min_participant_share",
        "min_theme_size",
        "min_theme_participants",
        "min_theme_share",
        "shared_theme_similarity",
        "theme_join_similarity",
        "theme_min_cohesion",
        "theme_merge_similarity",
        "theme_pair_similarity",
        "reduce_dimensions",
        "quotes_per_theme",
        "mmr_diversity",
        "themes_per_kind",
        "vocabulary_size",
        "names",
        "workers",
        "batch_size",
        "embedding_batch_size",
        "seed",
        "max_file_mb",
    }
)
# The code and data extraction is made of, relative to the package.
EXTRACTION_CODE = (
    "extract",
    "extract/patterns",
    "perfile.py",
    "resolve.py",
    "roles.py",
    "selfintro.py",
    "talk.py",
    "nlp.py",
    "embed.py",
    "data/roles.yaml",
    "data/selfintro.yaml",
    "data/classifier.npz",
)


def canonical(data: Any) -> str:
    """JSON with sorted keys and no spaces: the same data, the same text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(data: Any) -> str:
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def turn_record(turn: Any) -> list[Any]:
    pieces = [[p.offset, p.line, p.start, p.end] for p in turn.pieces]
    return [turn.index, turn.speaker, turn.text, pieces, list(turn.contiguous)]


def transcript_fingerprint(transcript: Transcript) -> str:
    """The file as read: bytes, format, turns, metadata and participants as ingest made them.

    The path and participant ids are left out: they depend on how the round names
    the file, not on what it says.
    """
    people = [
        {k: v for k, v in vars(p).items() if k not in ("id", "sources")}
        for p in transcript.participants
    ]
    return digest(
        {
            "content_hash": transcript.content_hash,
            "format": transcript.format,
            "date": transcript.date,
            "round": transcript.round,
            "metadata": transcript.metadata,
            "turns": [turn_record(t) for t in transcript.turns],
            "participants": people,
        }
    )


def _file_digest(path: Path, into: Any) -> None:
    if path.is_file():
        into.update(path.name.encode())
        into.update(path.read_bytes())
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix in (".py", ".yaml", ".yml", ".npz", ".json"):
                _file_digest(child, into)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the extraction code and data shipped with this persona_lab."""
    root = Path(str(resources.files("persona_lab")))
    found = hashlib.sha256(__version__.encode())
    for name in EXTRACTION_CODE:
        _file_digest(root / name, found)
    return found.hexdigest()


def _user_file(value: str) -> str:
    """A setting naming a file of the user's: its contents count, not only its name."""
    path = Path(value).expanduser() if value else None
    if path is not None and path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    return value


def extraction_settings(settings: Settings) -> dict[str, Any]:
    """The settings that change what a file gives on its own."""
    values = {k: v for k, v in settings.to_dict().items() if k not in SYNTHESIS_ONLY}
    for name in ("taxonomy", "classifier"):
        values[name] = _user_file(str(values.get(name, "")))
    return values


def spacy_identity(settings: Settings, loaded: str | None) -> str:
    """The pipeline given to run() when there is one, else the one the settings name
    (its version read from its package), else the names in the settings."""
    if loaded is not None:
        return loaded
    names = (settings.spacy_model, *settings.spacy_fallback_models)
    return installed_version(names) or "setting:" + ",".join(names)


def file_key(fingerprint: str, settings: Settings, spacy: str, embedder: str) -> str:
    """The key of one file's stored result."""
    return digest(
        {
            "file": fingerprint,
            "settings": extraction_settings(settings),
            "spacy": spacy,
            "embeddings": embedder,
            "code": code_fingerprint(),
        }
    )


PACKAGE_DATA = (".py", ".yaml", ".yml", ".npz", ".json", ".toml", ".txt", ".html", ".md", ".css")


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """A hash of all the code and data of this persona_lab, synthesis included."""
    root = Path(str(resources.files("persona_lab")))
    found = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in PACKAGE_DATA and "__pycache__" not in path.parts:
            found.update(str(path.relative_to(root)).encode())
            found.update(path.read_bytes())
    return found.hexdigest()


def round_key(
    sources: list[str],
    file_keys: list[str],
    skipped: list[list[str]],
    settings: Settings,
    generated_at: str,
    previous: str | None,
) -> str:
    """What a round is built from: its files' keys under the names the round gives
    them, every setting, the code, the date it carries, and the previous round its
    personas keep their ids from. Same key, same round: it is loaded, not rebuilt."""
    values = settings.to_dict()
    for name in ("taxonomy", "classifier", "names"):
        values[name] = _user_file(str(values.get(name, "")))
    return digest(
        {
            "files": [[s, k] for s, k in zip(sources, file_keys, strict=True)],
            "skipped": skipped,
            "settings": values,
            "generated_at": generated_at,
            "previous": previous,
            "code": package_fingerprint(),
        }
    )
