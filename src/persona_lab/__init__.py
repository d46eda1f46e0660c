"""persona_lab: buyer personas from interviews, every line backed by a verbatim quote.

The public API: ``run()`` does the whole job; the stage functions let a script
run or replace one stage; the models are what flows between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Insight",
    "Participant",
    "Persona",
    "Quote",
    "Round",
    "Settings",
    "Theme",
    "Transcript",
    "Turn",
    "__version__",
    "build_personas",
    "default_settings",
    "extract_insights",
    "load_settings",
    "read_paths",
    "run",
    "write_round",
]

if TYPE_CHECKING:
    from .api import extract_insights
    from .ingest import read_paths
    from .models import Insight, Participant, Persona, Quote, Round, Theme, Transcript, Turn
    from .pipeline import run
    from .render import write_round
    from .settings import Settings, default_settings, load_settings
    from .synthesize import build_personas

_LAZY = {
    "run": "pipeline",
    "extract_insights": "api",
    "read_paths": "ingest",
    "build_personas": "synthesize",
    "write_round": "render",
    "Settings": "settings",
    "default_settings": "settings",
    "load_settings": "settings",
    **{
        name: "models"
        for name in (
            "Insight",
            "Participant",
            "Persona",
            "Quote",
            "Round",
            "Theme",
            "Transcript",
            "Turn",
        )
    },
}


def __getattr__(name: str) -> Any:
    """Imports stages on first use, so importing persona_lab loads no model or library."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'persona_lab' has no attribute {name!r}")
