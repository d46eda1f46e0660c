"""A run against a store: reuse what it holds, keep persona ids, save the round.

A round built from exactly what this run has (keys.round_key) is loaded, not
rebuilt. Otherwise files whose key (see keys) is stored are neither parsed nor
extracted; vectors stored for the insights' texts are not computed again;
personas matching the previous round's keep their ids and names; the round is
saved in one transaction, or not at all when nothing changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .. import ingest
from ..diff.continuity import continued
from ..embed import Embedder, load_embedder
from ..models import Transcript
from ..nlp import pipeline_version
from ..perfile import FileResult
from ..pipeline import Built, Progress, build_round, generated_at, round_name
from ..settings import Settings
from . import Store, open_store
from .files import StoredFile, load_results
from .keys import file_key, round_key, spacy_identity, transcript_fingerprint
from .rounds import (
    load_round,
    previous_digest,
    previous_round,
    reusable_round,
    round_vectors,
    save_round,
)
from .vectors import load_vectors

if TYPE_CHECKING:
    from spacy.language import Language


class StoreReuse:
    """The store as a run's source of file results and vectors (pipeline.Reuse)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.fingerprints: list[str] = []
        self.keys: list[str] = []

    def key_files(
        self, transcripts: Sequence[Transcript], settings: Settings, spacy: str, embedder: str
    ) -> list[str]:
        """Each file's key (computed once per run)."""
        if len(self.keys) != len(transcripts):
            self.fingerprints = [transcript_fingerprint(t) for t in transcripts]
            self.keys = [file_key(f, settings, spacy, embedder) for f in self.fingerprints]
        return self.keys

    def results(
        self, transcripts: Sequence[Transcript], settings: Settings, spacy: str, embedder: str
    ) -> dict[int, FileResult]:
        self.key_files(transcripts, settings, spacy, embedder)
        found = load_results(self.store.conn, self.keys)
        return {i: found[k] for i, k in enumerate(self.keys) if k in found}

    def vectors(self, texts: Sequence[str], model: str) -> Mapping[str, np.ndarray]:
        return load_vectors(self.store.conn, model, texts)


def keep_ids(store: Store, built: Built, settings: Settings) -> Built:
    """The round with the ids and names of the previous round's matching personas."""
    new = built.round
    earlier = previous_round(store, new.name, new.generated_at)
    if earlier is None:
        return built
    from ..synthesize.config import persona_names

    old = load_round(store, earlier)
    avoid = {p.name.split()[0] for p in new.participants if p.name.split()}
    personas = continued(
        old.personas,
        old.insights,
        round_vectors(store, old),
        new.personas,
        new.insights,
        built.vectors,
        persona_names(settings.names),
        avoid,
    )
    return dataclasses.replace(built, round=dataclasses.replace(new, personas=personas))


def stored_run(
    db: str | Path,
    paths: Sequence[str | Path],
    read: ingest.IngestResult,
    settings: Settings,
    *,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    progress: Progress,
) -> Built:
    """build_round with the store's results and vectors; the round saved in it.

    When the store holds this round built from the same files, settings and code,
    it is loaded as it is: nothing is parsed, embedded or clustered.
    """
    embedder = embedder or load_embedder(
        settings.embedding_model, batch_size=settings.embedding_batch_size
    )
    with open_store(db) as store:
        reuse = StoreReuse(store)
        name = round_name(paths, settings, read.transcripts)
        date = generated_at(read.transcripts, settings)
        spacy = spacy_identity(settings, pipeline_version(nlp) if nlp is not None else None)
        keys = reuse.key_files(read.transcripts, settings, spacy, embedder.name)
        inputs = round_key(
            [t.source for t in read.transcripts],
            keys,
            [[s.source, s.reason] for s in read.skipped],
            settings,
            date,
            previous_digest(store, name, date),
        )
        stored = reusable_round(store, name, inputs)
        if stored is not None:
            return Built(stored, read.transcripts, (), np.zeros((0, 0), np.float32), embedder)
        built = build_round(
            paths, read, settings, nlp=nlp, embedder=embedder, progress=progress, reuse=reuse
        )
        built = keep_ids(store, built, settings)
        files = [
            StoredFile(fingerprint, key, transcript, result)
            for fingerprint, key, transcript, result in zip(
                reuse.fingerprints, reuse.keys, built.read, built.results, strict=True
            )
        ]
        save_round(store, built.round, files, built.vectors, inputs)
    return built
