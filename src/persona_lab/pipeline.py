"""run(): the stages in order, each taking what the one before it made.

files --ingest--> transcripts --parse/extract--> insights --embed--> vectors
      --synthesize (cluster)--> personas --render--> cards and documents
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import errors, extract, ingest
from .embed import CachedEmbedder, Embedder, load_embedder
from .extract.classifier import load_classifier
from .models import Insight, Round, Transcript
from .nlp import load_pipeline, pipeline_version
from .resolve import resolve_roles
from .roles import Taxonomy
from .settings import Settings, default_settings
from .synthesize import build_personas

if TYPE_CHECKING:
    from spacy.language import Language

# progress(stage, total) -> advance(n): the CLI draws bars; the API draws nothing.
Progress = Callable[[str, int], Callable[[int], None]]


def _no_progress(stage: str, total: int) -> Callable[[int], None]:
    return lambda n: None


def round_name(paths: Sequence[str | Path], settings: Settings) -> str:
    """The round's name: the setting, else the name of the first input folder."""
    if settings.round:
        return settings.round
    first = Path(paths[0]) if paths else Path(".")
    return (first if first.is_dir() else first.parent).resolve().name or "round"


def generated_at(transcripts: Sequence[Transcript], settings: Settings) -> str:
    """A timestamp that depends only on the input, so outputs are byte-identical."""
    if settings.generated_at:
        return settings.generated_at
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%d")
    dates = sorted(str(t.date) for t in transcripts if t.date)
    return dates[-1] if dates else dt.date.today().isoformat()


def embed_insights(
    insights: Sequence[Insight], embedder: Embedder, progress: Progress = _no_progress
) -> np.ndarray:
    """One unit vector per insight; each distinct text is encoded once."""
    texts = [i.text for i in insights]
    advance = progress("Embedding insights", len(set(texts)))
    if isinstance(embedder, CachedEmbedder):
        return embedder.encode(texts, progress=advance)
    vectors = embedder.encode(texts)
    advance(len(set(texts)))
    return vectors


def method(settings: Settings, nlp: Language, embedder: Embedder) -> dict[str, Any]:
    """The settings as recorded in outputs, with the models actually used."""
    recorded = settings.to_dict()
    recorded["models"] = {"spacy": pipeline_version(nlp), "embeddings": embedder.name}
    return recorded


def run(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    settings: Settings | None = None,
    *,
    fmt: str | None = None,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    progress: Progress = _no_progress,
    force: bool = False,
) -> Round:
    """Reads a round of transcripts and builds its personas; writes them when ``out`` is given.

    Raises:
        errors.InputError: no file of the round could be read.
        errors.ModelMissingError: a model named in the settings is not installed.
    """
    settings = settings or default_settings()
    files = ingest.discover(paths)
    advance = progress("Reading transcripts", len(files))
    read = ingest.read_paths(paths, settings, fmt=fmt, on_file=lambda _: advance(1))
    transcripts = read.transcripts
    if not transcripts:
        shown = ", ".join(str(p) for p in paths)
        raise errors.InputError(shown, errors.NO_INPUT.format(paths=shown))
    nlp = nlp or load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    embedder = embedder or load_embedder(settings.embedding_model, batch_size=settings.batch_size)
    units = sum(1 for _ in extract.units.participant_units(transcripts, extract.load_context()))
    parsed = extract.parse(transcripts, nlp, settings, progress("Parsing participant turns", units))
    transcripts = resolve_roles(
        transcripts, parsed, Taxonomy.load(settings.taxonomy or None), embedder
    )
    classifier = load_classifier(settings.classifier, embedder.name)
    found = extract.candidates(transcripts, parsed, settings)
    advance = progress("Scoring sentences", len({c.text for c in found}) if classifier else 0)
    decisions = extract.classify(found, settings, classifier, embedder, advance)
    insights = tuple(
        sorted(extract.build_insights(transcripts, found, decisions), key=lambda i: i.key)
    )
    vectors = embed_insights(insights, embedder, progress)
    advance = progress("Building personas", 1)
    personas, unassigned = build_personas(transcripts, insights, vectors, settings)
    advance(1)
    result = Round(
        name=round_name(paths, settings),
        generated_at=generated_at(transcripts, settings),
        settings=method(settings, nlp, embedder),
        transcripts=transcripts,
        insights=insights,
        personas=personas,
        unassigned=unassigned,
        skipped=read.skipped,
    )
    if out is not None:
        from .render import write_round

        advance = progress("Writing cards", 1)
        write_round(result, Path(out), settings, force=force)
        advance(1)
    return result
