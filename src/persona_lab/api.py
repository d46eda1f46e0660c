"""Stage functions a script can call on its own, beside ``run()``."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from . import extract, ingest
from .embed import Embedder, load_embedder
from .extract.classifier import NONE, load_classifier
from .models import Insight, SkippedFile
from .nlp import load_pipeline
from .redact import apply_privacy
from .resolve import resolve_roles
from .roles import Taxonomy
from .settings import Settings, default_settings


def extract_insights(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    *,
    fmt: str | None = None,
    embedder: Embedder | None = None,
) -> tuple[tuple[Insight, ...], tuple[SkippedFile, ...]]:
    """Read and extract only: the insights of some files, and the files skipped."""
    settings = settings or default_settings()
    read = ingest.read_paths(paths, settings, fmt=fmt)
    if not read.transcripts:
        return (), read.skipped
    read = dataclasses.replace(read, transcripts=apply_privacy(read.transcripts, settings))
    nlp = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    parsed = extract.parse(read.transcripts, nlp, settings)
    if embedder is None and settings.classifier != NONE:
        embedder = load_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    classifier = load_classifier(settings.classifier, embedder.name) if embedder else None
    transcripts = resolve_roles(
        read.transcripts, parsed, Taxonomy.load(settings.taxonomy or None), embedder
    )
    found = extract.insights_from_docs(transcripts, parsed, settings, classifier, embedder)
    insights = sorted(found, key=lambda i: i.key)
    return tuple(insights), read.skipped
