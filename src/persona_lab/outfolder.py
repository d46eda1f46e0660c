"""The output folder: refuse someone else's, stage inside it, move files in atomically.

A run renders into a temporary folder inside ``out`` (always the same file system,
so ``os.replace`` is atomic, even when ``out`` is a mounted drive and its parent
cannot be written), then moves each file into place. A failed run never leaves a
half-written card, and only files persona_lab wrote are ever removed; a staging
folder left by a killed run is removed by the next.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import errors

MARKER = ".persona_lab"
MARKER_TEXT = "This folder is written by persona_lab; its files are replaced on every run.\n"
STAGING_PREFIX = ".persona-lab-staging-"
# Written into each staging folder with the process id that made it: only a folder that
# holds it, made by a process no longer running, is a killed run's to clear.
STAGING_SENTINEL = ".persona_lab_staging"
CARD_SUFFIXES = (".html", ".md")
# Every top-level file a run may write (and personas.pdf, the PDF's old name): a
# later run that does not write one removes it, so no file outlives its round.
OUTPUT_NAMES = (
    "index.html",
    "personas.md",
    "personas.json",
    "insights.csv",
    "themes.csv",
    "insights.parquet",
    "report.pdf",
    "personas.pdf",
)

OUT_IS_A_FILE = "the output folder {path} is a file; choose another --out"
CANNOT_WRITE = (
    "cannot write the outputs to {path} ({error}); make it writable or choose another --out"
)


def is_ours(out: Path) -> bool:
    """Whether an earlier persona_lab run wrote ``out`` (it holds the marker file)."""
    return (out / MARKER).is_file()


def check_out(out: Path, *, force: bool = False) -> None:
    """Refuses a file, or a folder with someone else's files in it.

    Raises:
        errors.OutputError: ``out`` is a file, or not empty and not ours.
    """
    if out.exists() and not out.is_dir():
        raise errors.OutputError(OUT_IS_A_FILE.format(path=out))
    if force or not out.is_dir() or is_ours(out):
        return
    if any(not is_staging(p) for p in out.iterdir()):
        raise errors.OutputError(errors.OUT_NOT_OURS.format(path=out))


def is_staging(path: Path) -> bool:
    """Whether ``path`` is a staging folder a persona_lab run made (it holds the sentinel)."""
    return (
        path.name.startswith(STAGING_PREFIX)
        and path.is_dir()
        and not path.is_symlink()
        and (path / STAGING_SENTINEL).is_file()
    )


def _left_by_a_killed_run(path: Path) -> bool:
    """A staging folder whose run is over: its process is gone (another run into the
    same folder keeps its own)."""
    if not is_staging(path):
        return False
    try:
        pid = int((path / STAGING_SENTINEL).read_text("utf-8").strip())
    except (OSError, ValueError):
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # running, under another user
    return False


@contextmanager
def staging_in(out: Path) -> Iterator[Path]:
    """A temporary folder inside ``out``, removed on leaving whatever happens; an
    ``out`` this run created is removed again when nothing was moved into it.

    Raises:
        errors.OutputError: ``out`` cannot be created or written.
    """
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        for left in sorted(out.glob(STAGING_PREFIX + "*")):
            if _left_by_a_killed_run(left):
                shutil.rmtree(left, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(dir=out, prefix=STAGING_PREFIX))
        (staging / STAGING_SENTINEL).write_text(f"{os.getpid()}\n", "utf-8")
    except OSError as exc:
        raise errors.OutputError(CANNOT_WRITE.format(path=out, error=exc)) from exc
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()


def check_writable(out: Path) -> None:
    """Makes and removes a staging folder in ``out`` (and ``out`` itself when it is new),
    so a folder that cannot be written fails before the long work, not after it.

    Raises:
        errors.OutputError: ``out`` cannot be created or written.
    """
    with staging_in(out):
        pass


def move_into(staging: Path, out: Path, names: Sequence[str]) -> None:
    """Moves each rendered file into ``out``; each replacement is atomic."""
    out.mkdir(parents=True, exist_ok=True)
    (staging / MARKER).write_text(MARKER_TEXT, "utf-8")
    os.replace(staging / MARKER, out / MARKER)
    for name in names:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)


def remove_stale(out: Path, names: Sequence[str]) -> None:
    """Deletes the outputs and cards of an earlier run that this run did not write.

    Only names persona_lab writes are touched: ``OUTPUT_NAMES`` at the top and
    ``.html``/``.md`` files in ``personas/``.
    """
    keep = set(names)
    for name in OUTPUT_NAMES:
        if name not in keep and (out / name).is_file():
            (out / name).unlink()
    folder = out / "personas"
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in CARD_SUFFIXES and f"personas/{path.name}" not in keep:
            path.unlink()
