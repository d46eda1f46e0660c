"""Extraction in worker processes, for rounds large enough to repay starting them.

What a file gives on its own (parse, titles from self-introductions, word counts,
scored sentences: ``perfile.extract_chunk``) depends on that file and the settings
only, so a chunk of files is a task a process does alone, with models it loads by
the names in the settings. The parent keeps the round-wide steps. The same task
function could be handed to a distributed engine for corpora beyond one machine.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np

from . import errors
from .models import Transcript
from .perfile import FileResult, Progress, count_units, extract_chunk, file_chunks
from .settings import Settings

# Below this many participant words, starting processes that each load the models
# (several seconds) costs more than parsing in parallel saves.
POOL_MIN_WORDS = 200_000
# Words per task: small enough that the workers finish together.
TASK_WORDS = 10_000

_worker: dict[str, Any] = {}


def worker_count(settings: Settings) -> int:
    """The ``workers`` setting; 0 means one per CPU core this process may use."""
    if settings.workers:
        return settings.workers
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def use_pool(settings: Settings, words: int) -> bool:
    return worker_count(settings) > 1 and words >= POOL_MIN_WORDS


def _start(settings: Settings) -> None:
    """Loads the models once per worker. A failure is kept and raised by the first task,
    so it reaches the parent as the error it is (an initializer that raises would make
    the pool start new workers forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        _load_models(settings)
    except Exception as exc:  # handed to the parent by _task
        _worker["error"] = exc


def _load_models(settings: Settings) -> None:
    """Each worker computes on one thread: the processes are the parallelism."""
    import torch

    from .embed import load_embedder
    from .extract.classifier import load_classifier
    from .nlp import load_pipeline
    from .roles import Taxonomy

    torch.set_num_threads(1)
    embedder = load_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    _worker.update(
        settings=settings,
        nlp=load_pipeline(settings.spacy_model, settings.spacy_fallback_models),
        embedder=embedder,
        classifier=load_classifier(settings.classifier, embedder.name),
        taxonomy=Taxonomy.load(settings.taxonomy or None),
    )


def _task(transcripts: list[Transcript]) -> tuple[list[FileResult], dict[str, np.ndarray]]:
    """One chunk's results, and the vectors of its insights (so the parent need not
    embed them again)."""
    if "error" in _worker:
        raise _worker["error"]
    embedder = _worker["embedder"]
    results = extract_chunk(
        transcripts,
        _worker["nlp"],
        _worker["settings"],
        _worker["taxonomy"],
        embedder,
        _worker["classifier"],
        (_ignore, _ignore, 0),
    )
    vectors = embedder.vectors_of([i.text for r in results for i in r.insights])
    embedder.forget_all()  # one task's sentences; a later task's are its own
    return results, vectors


def _ignore(n: int) -> None:
    return None


def extract_in_pool(
    transcripts: Sequence[Transcript], settings: Settings, progress: Progress
) -> tuple[list[FileResult], dict[str, np.ndarray]]:
    """``perfile.extract_files`` in ``worker_count`` processes, results in file order."""
    units = count_units(transcripts)
    parsing = progress("Parsing participant turns", sum(units))
    scoring = (
        progress("Scoring sentences", sum(units))
        if settings.classifier not in ("", "none")
        else _ignore
    )
    chunks = list(file_chunks([t.participant_words for t in transcripts], TASK_WORDS))
    tasks = [list(transcripts[c.start : c.stop]) for c in chunks]
    done = [sum(units[c.start : c.stop]) for c in chunks]
    in_worker = settings.with_overrides(workers=1)
    results: list[FileResult] = []
    vectors: dict[str, np.ndarray] = {}
    executor = ProcessPoolExecutor(
        min(worker_count(settings), len(tasks)),
        mp_context=multiprocessing.get_context("spawn"),  # no fork of a parent's torch threads
        initializer=_start,
        initargs=(in_worker,),
    )
    try:
        for (found, seen), n in zip(executor.map(_task, tasks), done, strict=True):
            results += found
            vectors.update(seen)
            parsing(n)
            scoring(n)
    except BrokenProcessPool as exc:
        raise errors.PersonaLabError(errors.WORKER_DIED) from exc
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return results, vectors
