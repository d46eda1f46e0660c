"""The candidate transcript files under the paths a user gives.

Folders are searched recursively; hidden files and folders, READMEs and
participants manifests are not transcripts. Everything else is a candidate, so
a stray image or PDF gets a "skipped" line instead of silently vanishing.

Links to folders inside a given folder are not followed (a link to ``..`` or to
``/`` would loop or read the whole disk); each is reported, as is a folder that
cannot be listed. A link to a file is read like the file; a looping or broken
one is reported when it is read. A path given by the user is always searched,
even when it is itself a link.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..models import SkippedFile
from .manifest import MANIFEST_NAMES

IGNORED_FOLDERS = frozenset({"__MACOSX"})
LINKED_FOLDER = (
    "a link to a folder is not followed inside a round folder; "
    "pass the folder it points to as an input path"
)
UNLISTABLE = "this folder cannot be listed ({error}); check its permissions"

OnSkip = Callable[[SkippedFile], None]


def is_candidate(name: str) -> bool:
    """Whether a file name may be a transcript (not hidden, a README or a manifest)."""
    folded = name.casefold()
    return not (name.startswith(".") or folded.startswith("readme") or folded in MANIFEST_NAMES)


def _is_linked_folder(path: Path) -> bool:
    try:
        return path.is_symlink() and path.is_dir()
    except OSError:
        return False


def _walk(folder: Path, on_skip: OnSkip) -> Iterator[Path]:
    def unlistable(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else folder
        reason = UNLISTABLE.format(error=exc.strerror or type(exc).__name__)
        on_skip(SkippedFile(str(where), reason))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlistable):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith(".") or name in IGNORED_FOLDERS:
                continue
            if _is_linked_folder(here / name):
                on_skip(SkippedFile(str(here / name), LINKED_FOLDER))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if is_candidate(name):
                yield here / name


def _identity(path: Path) -> str:
    """The same file reached twice (a file and its folder given, or two links) is one."""
    try:
        return os.path.normcase(os.path.realpath(path))
    except (OSError, ValueError):  # a path the OS cannot even resolve is its own identity
        return os.path.normcase(os.path.abspath(path))


def discover(paths: Sequence[str | Path] | str | Path, on_skip: OnSkip | None = None) -> list[Path]:
    """Candidate files, each once, sorted by path string; paths stay as given.

    ``on_skip`` hears of each folder that cannot be listed and each link to a folder
    that was not followed; it is never called for files (read_file reports those).
    """
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    report: OnSkip = on_skip if on_skip is not None else (lambda skipped: None)
    found: dict[str, Path] = {}
    for item in given:
        path = Path(item)
        if path.is_dir():
            candidates: Iterator[Path] | list[Path] = _walk(path, report)
        else:
            candidates = [path] if is_candidate(path.name) else []
        for candidate in candidates:
            key = _identity(candidate)
            if key not in found or (found[key].is_symlink() and not candidate.is_symlink()):
                found[key] = candidate  # of a file and a link to it, the file itself
    return sorted(found.values(), key=str)
