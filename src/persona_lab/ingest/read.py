"""read_file and read_paths: one transcript, or a round of them with the skips.

Each reader yields fragments; turns and participants are built the same way for
every format. A file that cannot be read becomes one "skipped" line saying what
to do, and the rest of the round still goes through: read_paths raises nothing
but ``PersonaLabError`` whatever the files hold (tests/test_hostile.py is the
catalogue of what it has been shown).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import errors
from ..models import SkippedFile, Transcript, Turn
from ..settings import Settings
from .captions import cue_fragments, read_cues
from .decode import decode_text, load_bytes, transcript_lines
from .detect import checked_format, is_docx, is_otter, text_format
from .discover import discover
from .fragments import Fragment, assemble_turns
from .frontmatter import FrontMatter, read_front_matter
from .gong import Party, call_ids, gong_fragments, is_gong, parties, speaker_labels
from .jsonsource import StringLines, load_json, without_lone_surrogates
from .jsonturns import json_turn_fragments, turn_records
from .labels import clean_label, known_labels
from .manifest import Manifest, ManifestRow, find_manifest, load_manifest
from .otter import read_otter_lines
from .participants import Evidence, build_participants, slug
from .text import read_text_lines
from .word import docx_paragraphs, is_docx_zip

logger = logging.getLogger(__name__)

JSON_SHAPE = (
    "the JSON is neither a list of {speaker, text, start, end} turns nor a Gong call "
    "transcript export; convert it to one of those"
)
FRONT_MATTER_ONLY = (
    "the file holds only front matter; add the transcript text below the closing ---"
)
NO_JSON_TEXT = "the JSON holds no turn with any text; export the transcript again"
NO_CAPTION_TEXT = "the captions hold no words (cues without text); export them again with text"
PIECE_TOO_LONG = (
    "line {line} runs over {limit:,} characters without a break; "
    "split it into speaker turns or lines"
)
INTERNAL_ERROR = (
    "persona_lab failed on this file ({error}); the rest of the round was read, "
    "please report it with the file"
)
# One line of text longer than this is not a turn anyone said: it would stall the parser.
MAX_PIECE_CHARS = 200_000
# The speaker of a file without labels when its name gives none.
LONE_SPEAKER = "participant"


@dataclass(frozen=True)
class IngestResult:
    """The transcripts of a round, and the files that could not be read."""

    transcripts: tuple[Transcript, ...]
    skipped: tuple[SkippedFile, ...]


@dataclass(frozen=True)
class Reading:
    """What a format reader found in a file, before turns and participants are built."""

    format: str
    fragments: tuple[Fragment, ...]
    front: FrontMatter = field(default_factory=FrontMatter)
    metadata: dict[str, Any] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What a reader needs beyond the file: labels vouched for, a name for one voice."""

    source: str
    rows: tuple[ManifestRow, ...]
    settings: Settings
    stem: str

    def known(self, front: FrontMatter) -> frozenset[str]:
        return known_labels(
            self.settings.interviewer_labels,
            self.settings.interviewers,
            (r.speaker for r in self.rows),
            (r.name for r in self.rows),
            (front.speaker, front.participant_name),
            front.interviewers,
        )

    def lone_speaker(self, front: FrontMatter) -> str:
        """Whose words a file without speaker labels holds."""
        listed = [r.speaker for r in self.rows if r.speaker and r.interviewer is not True]
        candidates = (*listed[:1], front.speaker, front.participant_name, self.stem)
        shown = (clean_label(c) for c in candidates if c)
        return next((label for label in shown if label), LONE_SPEAKER)


def _read_lines(lines: Sequence[str], fmt: str, context: Context) -> Reading:
    """Text-like lines (of a text file or a .docx) read as labeled text or an Otter export."""
    front = read_front_matter(lines, context.source)
    known = context.known(front)
    if fmt == "otter":
        return Reading(fmt, read_otter_lines(lines, front.body_start, known), front)
    found = read_text_lines(lines, front.body_start, known, context.lone_speaker(front))
    return Reading(fmt, found.fragments, front, dict(found.headers))


def _read_json(text: str, context: Context) -> Reading:
    text = without_lone_surrogates(text)
    data = load_json(text, context.source)
    strings = StringLines(text)
    if is_gong(data):
        known = parties(data)
        labels = speaker_labels(known)
        by_label = {labels[sid]: party for sid, party in known.items()}
        metadata = {"call_ids": call_ids(data)}
        return Reading(
            "gong", gong_fragments(data, strings, labels), metadata=metadata, parties=by_label
        )
    records = turn_records(data)
    if records is None:
        raise errors.InputError(context.source, JSON_SHAPE)
    fallback = context.lone_speaker(FrontMatter())
    return Reading("json", json_turn_fragments(records, strings, fallback))


def _read_text_file(path: Path, raw: bytes, fmt: str | None, context: Context) -> Reading:
    text = decode_text(raw, context.source)
    lines = transcript_lines(text)
    if fmt is None:
        front = read_front_matter(lines, context.source)
        fmt = text_format(path, text, lines, front.body_start, context.known(front))
    if fmt == "json":
        return _read_json(text, context)
    if fmt in ("vtt", "srt"):
        fragments = cue_fragments(read_cues(lines), context.known(FrontMatter()), context.stem)
        return Reading(fmt, fragments)
    return _read_lines(lines, fmt, context)


def _read_docx_file(raw: bytes, context: Context) -> Reading:
    paragraphs = docx_paragraphs(raw, context.source, context.settings.max_file_mb)
    front = read_front_matter(paragraphs, context.source)
    otter = is_otter(paragraphs, front.body_start, context.known(front))
    reading = _read_lines(paragraphs, "otter" if otter else "docx", context)
    return replace(reading, format="docx")


def _no_turns(source: str, reading: Reading) -> errors.InputError:
    if reading.format in ("vtt", "srt"):
        return errors.InputError(source, NO_CAPTION_TEXT)
    if reading.format in ("json", "gong"):
        return errors.InputError(source, NO_JSON_TEXT)
    if reading.front.values:
        return errors.InputError(source, FRONT_MATTER_ONLY)
    return errors.InputError(source, errors.NO_TURNS)


def _check_piece_lengths(source: str, turns: Sequence[Turn]) -> None:
    for turn in turns:
        for k, piece in enumerate(turn.pieces):
            if len(turn.piece_text(k)) > MAX_PIECE_CHARS:
                reason = PIECE_TOO_LONG.format(line=piece.line, limit=MAX_PIECE_CHARS)
                raise errors.InputError(source, reason)


def _first(*values: Any) -> str | None:
    return next((str(v) for v in values if v not in (None, "")), None)


def read_file(
    path: str | Path, settings: Settings, fmt: str | None = None, manifest: Manifest | None = None
) -> Transcript:
    """One transcript. ``manifest`` is the folder's participants manifest, if any
    (read_paths finds it; a direct call reads none unless given one).

    Raises:
        errors.InputError: the file cannot be read as a transcript; the reason says why.
        errors.SettingsError: ``fmt`` names no format.
    """
    path = Path(path)
    source = str(path)
    wanted = checked_format(fmt)
    docx = is_docx(path, wanted)
    raw = load_bytes(path, settings.max_file_mb)
    docx = docx or (wanted is None and is_docx_zip(raw))  # a .docx renamed .txt
    rows = manifest.rows_for(path) if manifest is not None else ()
    context = Context(source, rows, settings, path.stem)
    reading = _read_docx_file(raw, context) if docx else _read_text_file(path, raw, wanted, context)
    turns = assemble_turns(reading.fragments)
    if not turns:
        raise _no_turns(source, reading)
    _check_piece_lengths(source, turns)
    evidence = Evidence(rows, reading.front, reading.parties)
    people = build_participants(source, slug(path.stem), turns, evidence, settings)
    metadata = {**reading.metadata, **reading.front.values}
    return Transcript(
        source=source,
        format=reading.format,
        turns=turns,
        participants=people,
        content_hash=hashlib.sha256(raw).hexdigest(),
        date=_first(*(r.date for r in rows), metadata.get("date")),
        round=_first(*(r.round for r in rows), metadata.get("round")),
        metadata=metadata,
    )


class _Manifests:
    """Each folder's manifest, loaded once; a broken one is reported once."""

    def __init__(self) -> None:
        self._loaded: dict[Path, Manifest | None] = {}
        self.skipped: list[SkippedFile] = []

    def beside(self, path: Path) -> Manifest | None:
        folder = path.parent
        if folder not in self._loaded:
            self._loaded[folder] = self._load(folder)
        return self._loaded[folder]

    def _load(self, folder: Path) -> Manifest | None:
        found = find_manifest(folder)
        if found is None:
            return None
        try:
            return load_manifest(found)
        except errors.InputError as exc:
            self.skipped.append(SkippedFile(str(found), exc.reason))
            return None


def _unique_ids(transcripts: Sequence[Transcript]) -> tuple[Transcript, ...]:
    """Participant ids unique in the round: a repeated file stem takes its folder's name."""
    seen: set[str] = set()
    out = []
    for transcript in transcripts:
        path = Path(transcript.source)
        prefix = new = slug(path.stem)
        n = 1
        while new in seen:
            n += 1
            new = slug(f"{path.parent.name}-{path.stem}") + (f"-{n}" if n > 2 else "")
        seen.add(new)
        if new != prefix:
            people = tuple(
                replace(p, id=new + p.id[len(prefix) :]) for p in transcript.participants
            )
            transcript = replace(transcript, participants=people)
        out.append(transcript)
    return tuple(out)


def _read_one(
    path: Path, settings: Settings, fmt: str | None, manifests: _Manifests
) -> Transcript | SkippedFile:
    """One file of a round: its transcript, or why it was skipped; never an exception
    other than PersonaLabError, so one odd file cannot stop the round."""
    try:
        return read_file(path, settings, fmt, manifests.beside(path))
    except errors.InputError as exc:
        return SkippedFile(str(path), exc.reason)
    except errors.PersonaLabError:
        raise
    except Exception as exc:  # a bug on input nobody foresaw: skip the file, keep the round
        logger.debug("reading %s failed", path, exc_info=True)
        return SkippedFile(str(path), INTERNAL_ERROR.format(error=type(exc).__name__))


def read_paths(
    paths: Sequence[str | Path] | str | Path,
    settings: Settings,
    fmt: str | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> IngestResult:
    """Every transcript under ``paths``; files that cannot be read come back as skipped,
    and so do folders that cannot be listed and links to folders (not followed).

    ``on_file`` is called once per discovered file, before it is read (a progress bar).

    Raises:
        errors.SettingsError: ``fmt`` names no format.
    """
    checked_format(fmt)
    manifests = _Manifests()
    transcripts: list[Transcript] = []
    skipped: list[SkippedFile] = []
    for path in discover(paths, on_skip=skipped.append):
        if on_file is not None:
            on_file(path)
        result = _read_one(path, settings, fmt, manifests)
        skipped.extend(manifests.skipped)
        manifests.skipped.clear()
        if isinstance(result, Transcript):
            transcripts.append(result)
        else:
            skipped.append(result)
    return IngestResult(_unique_ids(transcripts), tuple(skipped))
