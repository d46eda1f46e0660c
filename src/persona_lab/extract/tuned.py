"""The embedding model's top layers, fine-tuned to tell pains, goals and objections apart.

A linear model over frozen sentence embeddings reached F1 0.3-0.4 on the real
interviews: what makes a sentence a pain there is how it is said, which the
frozen vector mostly averages away. Fine-tuning the last two of MiniLM's six
layers on the labeled sentences (the lower four stay the shipped model's) lifted
it by 0.1-0.2 (BENCHMARKS.md). Only the changes to those layers are shipped,
as float16 arrays in the classifier's ``.npz``; at run time they are added to a
copy of the installed model's layers, which read the hidden states of the very
forward pass that embeds the sentence, so scoring costs a third more than
embedding, not twice as much.

torch is imported inside the functions: loading a classifier, or building personas from
stored insights, does not need it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

PREFIX = "tuned__"


class Misfit(ValueError):
    """Tuned layers that do not fit the installed embedding model."""


@dataclass(frozen=True)
class TunedTop:
    """Which layers were tuned (from ``first`` to the last), and by how much."""

    first: int
    deltas: dict[str, np.ndarray] = field(compare=False)

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store beside the classifier's weights."""
        out = {f"{PREFIX}{name}": delta.astype(np.float16) for name, delta in self.deltas.items()}
        out["tuned_first"] = np.array(self.first)
        return out

    @classmethod
    def from_arrays(cls, data: Any) -> TunedTop | None:
        """The tuned layers stored in a loaded ``.npz``, or None for a linear classifier."""
        if "tuned_first" not in data:
            return None
        deltas = {k[len(PREFIX) :]: np.asarray(data[k]) for k in data if k.startswith(PREFIX)}
        return cls(int(data["tuned_first"]), deltas)


def encoder_layers(auto_model: Any) -> Any:
    """The transformer layers of a BERT-style encoder (MiniLM, BERT, RoBERTa, MPNet), or None."""
    return getattr(getattr(auto_model, "encoder", None), "layer", None)


def first_tuned(auto_model: Any, tuned: int = 2) -> int | None:
    """Index of the first of the model's last ``tuned`` layers; None if it has too few."""
    layers = encoder_layers(auto_model)
    return len(layers) - tuned if layers is not None and len(layers) > tuned else None


def base_layers(auto_model: Any, first: int) -> Any:
    """Copies of the model's transformer layers from ``first`` on (BERT-style encoders)."""
    import torch

    layers = encoder_layers(auto_model)
    if layers is None or not 0 < first < len(layers):
        raise Misfit(f"no transformer layer {first}")
    return torch.nn.ModuleList(copy.deepcopy(layer) for layer in layers[first:])


def tuned_layers(auto_model: Any, top: TunedTop) -> Any:
    """The installed model's top layers with the shipped changes added, for inference."""
    import torch

    layers = base_layers(auto_model, top.first)
    params = dict(layers.named_parameters())
    missing = sorted(set(params) ^ set(top.deltas))
    if missing:
        raise Misfit(f"parameter {missing[0]}")
    for name, param in params.items():
        if tuple(param.shape) != top.deltas[name].shape:
            raise Misfit(f"{name} is {tuple(param.shape)}, not {top.deltas[name].shape}")
    with torch.no_grad():
        for name, param in params.items():
            param += torch.from_numpy(top.deltas[name].astype(np.float32))
    layers.eval()
    return layers


def deltas_of(layers: Any, auto_model: Any, first: int) -> TunedTop:
    """What training changed in ``layers`` compared with the installed model's."""
    base = dict(base_layers(auto_model, first).named_parameters())
    deltas = {
        name: (param.detach() - base[name].detach()).numpy().astype(np.float16)
        for name, param in sorted(layers.named_parameters())
    }
    return TunedTop(first, deltas)


def pooled(layers: Any, states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Run the tuned layers over a batch of hidden states and mean-pool the tokens."""
    import torch

    extended = (1.0 - mask[:, None, None, :].to(states.dtype)) * torch.finfo(states.dtype).min
    out = states
    for layer in layers:
        result = layer(out, attention_mask=extended)
        out = result[0] if isinstance(result, tuple) else result
    weights = mask[..., None].to(out.dtype)
    return (out * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def padded(states: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    """Sentences' token states (tokens x dims each) as one zero-padded batch and its mask."""
    import torch

    longest = max(len(s) for s in states)
    batch = torch.zeros(len(states), longest, states[0].shape[1])
    mask = torch.zeros(len(states), longest)
    for i, s in enumerate(states):
        batch[i, : len(s)] = torch.from_numpy(np.asarray(s, dtype=np.float32))
        mask[i, : len(s)] = 1.0
    return batch, mask


def pooled_arrays(layers: Any, states: Sequence[np.ndarray], batch: int = 64) -> np.ndarray:
    """``pooled`` over many sentences' stored token states, without gradients."""
    import torch

    out = []
    with torch.inference_mode():
        for i in range(0, len(states), batch):
            out.append(pooled(layers, *padded(states[i : i + batch])).numpy())
    return np.concatenate(out).astype(np.float32) if out else np.zeros((0, 0), np.float32)
