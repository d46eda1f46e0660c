"""Loads the spaCy pipeline once, by the name in the settings, never from a hub."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors

if TYPE_CHECKING:
    from spacy.language import Language

# Components the extractors never read: named entities are not used for
# insights, and leaving them out roughly doubles the parse speed.
UNUSED_COMPONENTS = ("ner",)


@functools.lru_cache(maxsize=4)
def load_pipeline(name: str, fallbacks: tuple[str, ...] = ()) -> Language:
    """The first installed pipeline of ``name`` and its fallbacks."""
    import spacy

    for candidate in (name, *fallbacks):
        try:
            return spacy.load(candidate, exclude=list(UNUSED_COMPONENTS))
        except OSError:
            continue
    raise errors.ModelMissingError(errors.SPACY_MISSING.format(name=name))


def pipeline_version(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, for the method section of reports."""
    return _name_version(nlp.meta)


def _name_version(meta: dict) -> str:
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '?')}"


def installed_version(names: tuple[str, ...]) -> str | None:
    """``pipeline_version`` of the pipeline ``load_pipeline(names)`` would load, read from
    its package's meta.json without importing spaCy; None when it cannot be told.

    A run that parses nothing (every file stored) keys its files by this, as a run
    given a loaded pipeline does, so the two find each other's stored results.
    """
    for name in names:
        folder = Path(name).expanduser()
        if not folder.is_dir():
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                continue
            if spec is None or not spec.submodule_search_locations:
                continue
            folder = Path(next(iter(spec.submodule_search_locations)))
        try:
            meta = json.loads((folder / "meta.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict):
            return _name_version(meta)
    return None
