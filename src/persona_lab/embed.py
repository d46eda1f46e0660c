"""Sentence embeddings behind a small protocol, loaded offline, cached by text.

The real backend is sentence-transformers with the model named in the settings;
tests use a deterministic fake with the same protocol. Vectors are float32 and
L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import errors


class Embedder(Protocol):
    """Anything that turns sentences into unit-length float32 vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    """The cache key of a sentence: its SHA-1, so equal text is embedded once."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def resolve_model_path(name: str) -> str:
    """A local folder for ``name``: a path as given, or a package's get_model_path()."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise errors.ModelMissingError(errors.EMBEDDER_MISSING.format(name=name)) from exc
    get_path = getattr(module, "get_model_path", None)
    if get_path is None:
        raise errors.ModelMissingError(errors.EMBEDDER_MISSING.format(name=name))
    return str(get_path())


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, from a local folder, never from a hub."""

    def __init__(self, model: str, *, batch_size: int = 64) -> None:
        self.name = model
        self.batch_size = batch_size
        self._path = resolve_model_path(model)
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # Our own progress bars say what is happening; the library's would
            # interleave with them on stderr.
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            self._model = SentenceTransformer(self._path, device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)


def _by_length(text: str) -> tuple[int, str]:
    return len(text), text


class CachedEmbedder:
    """Wraps an embedder so each distinct text is encoded once per process."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}

    def encode(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        # By length, so each batch holds sentences of about one length and pads little.
        missing = sorted({t for t in texts if text_key(t) not in self._cache}, key=_by_length)
        step = 256
        for i in range(0, len(missing), step):
            chunk = missing[i : i + step]
            for text, vector in zip(chunk, self.inner.encode(chunk), strict=True):
                self._cache[text_key(text)] = vector
            if progress is not None:
                progress(len(chunk))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._cache[text_key(t)] for t in texts]).astype(np.float32)

    def vectors_of(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those ``texts`` that are cached, by ``text_key``."""
        keys = {text_key(t) for t in texts}
        return {k: self._cache[k] for k in sorted(keys) if k in self._cache}

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        """Takes vectors computed elsewhere (a worker process), by ``text_key``."""
        self._cache.update(vectors)

    def forget_all(self) -> None:
        self._cache.clear()


def load_embedder(model: str, *, batch_size: int = 64) -> CachedEmbedder:
    """The configured embedder, wrapped in a cache."""
    return CachedEmbedder(SentenceTransformerEmbedder(model, batch_size=batch_size))
