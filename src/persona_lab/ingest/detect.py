"""Which reader a file needs, from its extension and, for text files, its content.

A .txt may hold WebVTT, SubRip, JSON or an Otter export; the content decides.
Images, PDFs and other extensions are refused before a byte is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from .. import errors
from .captions import SRT_INDEX, TIMING, looks_like_captions
from .clock import parse_clock
from .labels import label_line, speaker_labels
from .otter import speaker_lines

FORMATS = ("text", "markdown", "otter", "vtt", "srt", "json", "docx")
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".vtt", ".srt", ".json"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
DOCX_SUFFIXES = frozenset({".docx"})
VTT_HEADER = re.compile(r"^\s*WEBVTT(?:\s|$)")


def checked_format(fmt: str | None) -> str | None:
    """The --input-format name, normalized; SettingsError for a name no reader has."""
    if fmt is None or not fmt.strip():
        return None
    name = fmt.strip().lower().lstrip(".")
    name = {"txt": "text", "md": "markdown"}.get(name, name)
    if name not in FORMATS:
        problem = f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}"
        raise errors.SettingsError(errors.BAD_SETTING.format(name="input-format", problem=problem))
    return name


def is_docx(path: Path, fmt: str | None) -> bool:
    """Whether the file is read as .docx; InputError when no reader takes it."""
    if fmt is not None:
        return fmt == "docx"
    suffix = path.suffix.casefold()
    if suffix in DOCX_SUFFIXES:
        return True
    if suffix not in TEXT_SUFFIXES:
        raise errors.InputError(str(path), errors.UNKNOWN_FORMAT)
    return False


def _is_json(text: str) -> bool:
    if text.lstrip()[:1] not in ("{", "["):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _is_srt(lines: Sequence[str]) -> bool:
    filled = [line for line in lines[:20] if line.strip()]
    if len(filled) < 2 or not SRT_INDEX.match(filled[0]):
        return False
    timing = TIMING.match(filled[1])
    return timing is not None and parse_clock(timing["start"]) is not None


def is_otter(lines: Sequence[str], body_start: int, known: frozenset[str]) -> bool:
    """More Otter/Fireflies speaker lines than ``Name: text`` lines, and at least two."""
    otter = len(speaker_lines(lines, body_start, known))
    if otter < 2:
        return False
    found = [label_line(line) for line in lines[body_start:]]
    labels = [f.label for f in found if f is not None]
    speakers = speaker_labels(labels, known)
    return otter > sum(1 for label in labels if label in speakers)


def text_format(
    path: Path, text: str, lines: Sequence[str], body_start: int, known: frozenset[str]
) -> str:
    """The format of a text file, from its content first and its extension second."""
    suffix = path.suffix.casefold()
    if VTT_HEADER.match(text[:64]):
        return "vtt"
    if suffix == ".json" or _is_json(text):
        return "json"
    if suffix in (".vtt", ".srt"):
        return suffix[1:]
    if _is_srt(lines):
        return "srt"
    if looks_like_captions(lines):
        return "vtt"
    if is_otter(lines, body_start, known):
        return "otter"
    return "markdown" if suffix in MARKDOWN_SUFFIXES else "text"
