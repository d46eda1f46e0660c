"""Loads the spaCy pipeline once, by the name in the settings, never from a hub."""

from __future__ import annotations

import functools
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
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '?')}"
