"""run(): the stages in order, each taking what the one before it made.

files --ingest--> transcripts --parse/extract--> insights --embed--> vectors
      --synthesize (cluster)--> personas --render--> cards and documents
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from . import errors, ingest, pool
from .embed import (
    CachedEmbedder,
    Embedder,
    SentenceTransformerEmbedder,
    load_embedder,
    package_version,
    text_key,
)
from .extract.classifier import load_classifier
from .models import Insight, Round, Transcript
from .nlp import installed_version, load_pipeline, pipeline_version
from .perfile import FileResult, assemble, extract_files
from .redact import apply_privacy
from .roles import Taxonomy
from .settings import Settings, default_settings
from .store.keys import spacy_identity
from .synthesize import build_personas

if TYPE_CHECKING:
    from spacy.language import Language

# progress(stage, total) -> advance(n): the CLI draws bars; the API draws nothing.
Progress = Callable[[str, int], Callable[[int], None]]


def _no_progress(stage: str, total: int) -> Callable[[int], None]:
    return lambda n: None


def round_name(
    paths: Sequence[str | Path], settings: Settings, transcripts: Sequence[Transcript] = ()
) -> str:
    """The round's name: the setting, else the ``round`` its files' metadata agree on,
    else the name of the first input folder.

    A manifest that says ``round: 2026-Q4`` for every file names the round document
    better than the folder it happens to sit in; files that name different rounds
    (or none) leave the folder's name.
    """
    if settings.round.strip():
        return settings.round.strip()
    named = [(t.round or "").strip() for t in transcripts]
    if named and all(named) and len(set(named)) == 1:
        return named[0]
    first = Path(paths[0]) if paths else Path(".")
    return (first if first.is_dir() else first.parent).resolve().name or "round"


def source_date_epoch() -> str | None:
    """The date SOURCE_DATE_EPOCH gives (reproducible builds' convention), if it is set
    to a number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%d")


def generated_at(transcripts: Sequence[Transcript], settings: Settings) -> str:
    """A timestamp that depends only on the input, so outputs are byte-identical."""
    if settings.generated_at:
        return settings.generated_at
    epoch = source_date_epoch()
    if epoch:
        return epoch
    dates = sorted(str(t.date) for t in transcripts if t.date)
    return dates[-1] if dates else dt.date.today().isoformat()


def embed_insights(
    insights: Sequence[Insight],
    embedder: Embedder,
    progress: Progress = _no_progress,
    known: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """One unit vector per insight; each distinct text is encoded once.

    ``known`` holds vectors already computed (a store's, by ``text_key``); only
    the other texts are encoded.
    """
    texts = [i.text for i in insights]
    if known:
        missing = sorted({t for t in texts if text_key(t) not in known})
        encoded = embed_insights_texts(missing, embedder, progress)
        found = {**known, **{text_key(t): v for t, v in zip(missing, encoded, strict=True)}}
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[text_key(t)] for t in texts]).astype(np.float32)
    return embed_insights_texts(texts, embedder, progress)


def embed_insights_texts(
    texts: Sequence[str], embedder: Embedder, progress: Progress = _no_progress
) -> np.ndarray:
    total = len(set(texts))
    advance = progress("Embedding insights", total)
    if isinstance(embedder, CachedEmbedder):
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            advance(n)

        vectors = embedder.encode(texts, progress=step)
        advance(total - done[0])  # the texts already cached while scoring
        return vectors
    vectors = embedder.encode(texts)
    advance(total)
    return vectors


def method(settings: Settings, nlp: Language | str, embedder: Embedder) -> dict[str, Any]:
    """The settings as recorded in outputs, with the models actually used."""
    recorded = settings.to_dict()
    spacy = nlp if isinstance(nlp, str) else pipeline_version(nlp)
    recorded["models"] = {"spacy": spacy, "embeddings": embedder.name}
    version = package_version(embedder.name)
    if version:
        recorded["models"]["embeddings_version"] = version
    if settings.redact or settings.pseudonymize:
        # Interviewer names given on the command line are names too.
        recorded["interviewers"] = ["[name]"] * len(settings.interviewers)
    return recorded


class Reuse(Protocol):
    """What a run may take instead of computing it: a store's file results and vectors."""

    def results(
        self, transcripts: Sequence[Transcript], settings: Settings, spacy: str, embedder: str
    ) -> dict[int, FileResult]:
        """Stored results of some of the transcripts, by index."""
        ...

    def vectors(self, texts: Sequence[str], model: str) -> Mapping[str, np.ndarray]:
        """Stored vectors of some of the texts, by ``text_key``."""
        ...


@dataclass(frozen=True)
class Built:
    """A round, and what it was built from (for a store to keep)."""

    round: Round
    read: tuple[Transcript, ...]  # the transcripts as ingest read them
    results: tuple[FileResult, ...]  # each file's own result, same order
    vectors: np.ndarray  # one row per insight of the round
    embedder: Embedder


def _models_by_name(embedder: Embedder, settings: Settings, todo: Sequence[Transcript]) -> bool:
    """Whether worker processes can load the models this run uses by their names in the
    settings, and the files are many enough to repay starting them."""
    words = sum(t.participant_words for t in todo)
    return (
        isinstance(embedder, CachedEmbedder)
        and isinstance(embedder.inner, SentenceTransformerEmbedder)
        and embedder.name == settings.embedding_model
        and pool.use_pool(settings, words)
        and installed_version((settings.spacy_model, *settings.spacy_fallback_models)) is not None
    )


def build_round(
    paths: Sequence[str | Path],
    read: ingest.IngestResult,
    settings: Settings,
    *,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    progress: Progress = _no_progress,
    reuse: Reuse | None = None,
) -> Built:
    """The stages after ingest; files ``reuse`` knows are neither parsed nor extracted."""
    transcripts = read.transcripts
    embedder = embedder or load_embedder(
        settings.embedding_model, batch_size=settings.embedding_batch_size
    )
    taxonomy = Taxonomy.load(settings.taxonomy or None)
    stored: dict[int, FileResult] = {}
    if reuse is not None:
        spacy = pipeline_version(nlp) if nlp is not None else None
        stored = reuse.results(
            transcripts, settings, spacy_identity(settings, spacy), embedder.name
        )
    todo = [t for i, t in enumerate(transcripts) if i not in stored]
    fresh: list[FileResult] = []
    if todo and nlp is None and _models_by_name(embedder, settings, todo):
        load_classifier(settings.classifier, embedder.name)  # its errors, here and in one line
        fresh, pooled = pool.extract_in_pool(todo, settings, progress)
        assert isinstance(embedder, CachedEmbedder)
        embedder.remember(pooled)
    elif todo:
        nlp = nlp or load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
        classifier = load_classifier(settings.classifier, embedder.name)
        fresh = extract_files(todo, nlp, settings, taxonomy, embedder, classifier, progress)
    made = iter(fresh)
    results = tuple(stored[i] if i in stored else next(made) for i in range(len(transcripts)))
    resolved, insights = assemble(transcripts, results, taxonomy)
    known = reuse.vectors([i.text for i in insights], embedder.name) if reuse else None
    vectors = embed_insights(insights, embedder, progress, known)
    advance = progress("Building personas", 1)
    personas, unassigned = build_personas(resolved, insights, vectors, settings, embedder.encode)
    advance(1)
    result = Round(
        name=round_name(paths, settings, transcripts),
        generated_at=generated_at(resolved, settings),
        settings=method(settings, nlp if nlp is not None else results[0].spacy, embedder),
        transcripts=resolved,
        insights=insights,
        personas=personas,
        unassigned=unassigned,
        skipped=read.skipped,
    )
    return Built(result, transcripts, results, vectors, embedder)


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
    db: str | Path | None = None,
    warn: Callable[[str], None] | None = None,
) -> Round:
    """Reads a round of transcripts and builds its personas; writes them when ``out`` is given.

    ``warn`` receives one line for an output that could not be written (the PDF
    where WeasyPrint is missing); without it that is an error.

    With ``db`` the round is stored there (see ``store``): files stored by an
    earlier run are not parsed again, vectors come from the store, and personas
    that match the previous round's keep their ids and names.

    Raises:
        errors.InputError: no file of the round could be read.
        errors.ModelMissingError: a model named in the settings is not installed.
        errors.OutputError: ``out`` cannot take the outputs, a format is unknown or a
            template does not compile (checked before any file is read).
        store.StoreError: the store cannot be used.
    """
    settings = settings or default_settings()
    for path in paths:
        if not Path(path).exists():
            raise errors.InputError(str(path), errors.NO_SUCH_PATH)
    if out is not None:
        from .render import preflight

        preflight(Path(out), settings, force=force)
    files = ingest.discover(paths)
    advance = progress("Reading transcripts", len(files))
    read = ingest.read_paths(paths, settings, fmt=fmt, on_file=lambda _: advance(1))
    if not read.transcripts:
        shown = ", ".join(str(p) for p in paths)
        if read.skipped:
            reasons = "; ".join(f"{s.source}: {s.reason}" for s in read.skipped[:3])
            more = f"; and {len(read.skipped) - 3} more" if len(read.skipped) > 3 else ""
            raise errors.InputError(shown, errors.NOTHING_READ.format(reasons=reasons + more))
        raise errors.InputError(shown, errors.NO_INPUT.format(paths=shown))
    # Personal data goes before anything is parsed, stored or rendered.
    read = dataclasses.replace(read, transcripts=apply_privacy(read.transcripts, settings))
    if db is None:
        result = build_round(
            paths, read, settings, nlp=nlp, embedder=embedder, progress=progress
        ).round
    else:
        from .store.runs import stored_run

        result = stored_run(
            db, paths, read, settings, nlp=nlp, embedder=embedder, progress=progress
        ).round
    if out is not None:
        from .render import write_round

        advance = progress("Writing cards", 1)
        write_round(result, Path(out), settings, force=force, warn=warn)
        advance(1)
    return result
