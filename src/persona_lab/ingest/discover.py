"""The candidate transcript files under the paths a user gives.

Folders are searched recursively; hidden files and folders, READMEs and
participants manifests are not transcripts. Everything else is a candidate, so
a stray image or PDF gets a "skipped" line instead of silently vanishing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from .manifest import MANIFEST_NAMES

IGNORED_FOLDERS = frozenset({"__MACOSX"})


def is_candidate(name: str) -> bool:
    """Whether a file name may be a transcript (not hidden, a README or a manifest)."""
    folded = name.casefold()
    return not (name.startswith(".") or folded.startswith("readme") or folded in MANIFEST_NAMES)


def _walk(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in IGNORED_FOLDERS]
        for name in filenames:
            if is_candidate(name):
                yield Path(dirpath) / name


def discover(paths: Sequence[str | Path] | str | Path) -> list[Path]:
    """Candidate files, each once, sorted by path string; paths stay as given."""
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    found: dict[str, Path] = {}
    for item in given:
        path = Path(item)
        candidates = _walk(path) if path.is_dir() else [path] if is_candidate(path.name) else []
        for candidate in candidates:
            found.setdefault(os.path.normcase(os.path.abspath(candidate)), candidate)
    return sorted(found.values(), key=str)
