"""The catalogue of malformed and hostile inputs, and what persona_lab does with each.

Every case gets a correct reading or one skipped line naming the file and what to
do; the other files of the round still go through; ``read_paths`` raises nothing
but ``PersonaLabError``. Small files are committed under tests/hostile/ (made by
hand, byte for byte: do not let an editor "fix" their encodings or line ends);
big or special ones (a 20 MB line, 10,000 files, links, pipes, a file that
vanishes) are made by the test in tmp_path. The two tables below are the
catalogue: FILES for the committed files, MADE for the generated ones.
"""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DEMO
from persona_lab import errors
from persona_lab.ingest import IngestResult, discover, read_file, read_paths
from persona_lab.ingest.decode import NOT_A_FILE, OLD_WORD, ZIP_ARCHIVE
from persona_lab.ingest.discover import LINKED_FOLDER, UNLISTABLE
from persona_lab.ingest.frontmatter import BAD_FRONT_MATTER
from persona_lab.ingest.jsonsource import BAD_JSON, TOO_DEEP
from persona_lab.ingest.manifest import BAD_MANIFEST
from persona_lab.ingest.read import (
    FRONT_MATTER_ONLY,
    JSON_SHAPE,
    NO_CAPTION_TEXT,
    NO_JSON_TEXT,
    PIECE_TOO_LONG,
)
from persona_lab.ingest.word import BAD_DOCX, DOCX_TOO_LARGE
from persona_lab.models import Transcript
from persona_lab.settings import Settings
from test_ingest import assert_contract

HOSTILE = Path(__file__).parent / "hostile"
# Generous: the point is linear time. Before the fixes these cases took hours.
FAST_SECONDS = 10.0


@dataclasses.dataclass(frozen=True)
class Reads:
    """Read as a transcript of this format, with these turn speakers in order."""

    format: str
    speakers: tuple[str, ...]
    check: Callable[[Transcript], bool] = lambda t: True
    contract: bool = True  # pieces are verbatim on their source lines


@dataclasses.dataclass(frozen=True)
class Skips:
    """Skipped with a reason starting with this (a message constant, or its start)."""

    reason: str


def prefix(message: str) -> str:
    """The fixed start of a message with {placeholders}."""
    return message.split("{", 1)[0]


def texts(t: Transcript) -> list[str]:
    return [turn.text for turn in t.turns]


ANA = ("Interviewer", "Ana Ruiz")
ZOE = ("Interviewer", "Zoë Brandt")

# fmt: off
FILES: list[tuple[str, str, Reads | Skips]] = [
    # file, what is hostile about it, expected outcome
    ("truncated.vtt", "VTT cut off inside the last cue's timing line",
     Reads("vtt", (*ANA, "Interviewer"), lambda t: t.turns[-1].text == "Anything else?")),
    ("backwards.vtt", "cue times go backwards; one cue ends before it starts",
     Reads("vtt", ANA * 2, lambda t: [(x.start, x.end) for x in t.turns]
           == [(9.0, 12.0), (5.0, 7.0), (20.0, None), (1.0, 4.0)])),
    ("zero_length_cues.vtt", "every cue starts and ends at the same time",
     Reads("vtt", ANA * 2, lambda t: all(x.start == x.end for x in t.turns))),
    ("long_label.txt", "a 5,000-character 'speaker label' in a text transcript",
     Reads("text", ANA * 2, lambda t: t.turns[1].text.endswith(": and a lot of copy and paste."))),
    ("long_voice.vtt", "a 5,000-character <v> voice name: not a speaker, the cue continues",
     Reads("vtt", ANA * 2, lambda t: "copy and paste" in t.turns[1].text)),
    ("long_speaker.json", "a 5,000-character speaker in JSON: counts as no speaker",
     Reads("json", ANA * 2, lambda t: "copy and paste" in t.turns[1].text)),
    ("null_bytes.txt", "stray NUL bytes inside the text: dropped",
     Reads("text", ZOE * 2, lambda t: t.turns[1].text == "Reconciling invoices by hand.")),
    ("nul_padding.txt", "4 KB of NUL padding after the text (a crashed save)",
     Reads("text", ZOE * 2)),
    ("invalid_utf8.txt", "one invalid UTF-8 byte in the middle: that byte is U+FFFD",
     Reads("text", ZOE * 2, lambda t: t.turns[2].text == "How \ufffdlong does it take?")),
    ("mixed_encodings.txt", "UTF-8 lines then cp1252 lines: each decoded right",
     Reads("text", ZOE * 3, lambda t: t.turns[4].text == "And the café budget?"
           and t.turns[5].text == "Frozen – until Q3.")),
    ("bom_middle.txt", "a second BOM in the middle (two files glued): never hides a label",
     Reads("text", ZOE * 3, lambda t: t.turns[4].text == "Anything else?")),
    ("crlf.txt", "CRLF line ends", Reads("text", ZOE * 2, lambda t: "\r" not in "".join(texts(t)))),
    ("lone_cr.txt", "old Mac CR-only line ends", Reads("text", ZOE * 2)),
    ("unicode_separators.txt", "U+2028, U+2029 and NEL as line breaks", Reads("text", ANA * 2)),
    ("zip_renamed.txt", "a zip of transcripts renamed .txt", Skips(ZIP_ARCHIVE)),
    ("old_word.txt", "an old binary Word .doc renamed .txt", Skips(OLD_WORD)),
    ("pdf_renamed.txt", "a PDF renamed .txt", Skips(errors.BINARY_FILE)),
    ("control_chars.txt", "mostly control characters", Skips(errors.BINARY_FILE)),
    ("utf16_odd.txt", "UTF-16 with a BOM and an odd number of bytes", Skips(errors.NOT_UTF8)),
    ("blank_lines_only.txt", "only blank lines, tabs and a form feed", Skips(errors.EMPTY_FILE)),
    ("only_labels.txt", "speaker labels with no words after them", Skips(errors.NO_TURNS)),
    ("not_a_zip.docx", "a text file named .docx", Skips(BAD_DOCX)),
    ("broken_zip.docx", "a zip header then garbage, named .docx", Skips(BAD_DOCX)),
    ("deep_nesting.json", "arrays nested 5,000 deep", Skips(TOO_DEEP)),
    ("deep_objects.json", "objects nested 5,000 deep", Skips(TOO_DEEP)),
    ("bare_string.json", "a JSON file that is one string", Skips(JSON_SHAPE)),
    ("bare_number.json", "a JSON file that is one number", Skips(JSON_SHAPE)),
    ("null_texts.json", "turns whose text is null or a number", Skips(JSON_SHAPE)),
    ("json_trailing_garbage.json", "valid JSON then junk", Skips(prefix(BAD_JSON))),
    ("numbers_as_speakers.json", "speakers are numbers (1, 2)",
     Reads("json", ("1", "2") * 2, lambda t: [x.is_interviewer for x in t.participants]
           == [True, False])),
    ("bool_speakers.json", "speakers are true/false: no speaker, one person's words",
     Reads("json", ("bool_speakers",))),
    ("gong_no_parties.json", "a Gong export without parties, one monologue without speakerId",
     Reads("gong", ("111", "222", "111", "unknown"))),
    ("gong_empty.json", "a Gong export with no monologues", Skips(NO_JSON_TEXT)),
    ("lone_surrogate.json", "a lone UTF-16 surrogate escape in a text: U+FFFD",
     Reads("json", ANA, lambda t: t.turns[1].text == "Excel \ufffd and email.", contract=False)),
    ("nan_times.json", "NaN, Infinity, negative and 1e999 times: no time",
     Reads("json", ANA, lambda t: all(x.start is None and x.end is None for x in t.turns))),
    ("front_matter_only.md", "a markdown file with only front matter", Skips(FRONT_MATTER_ONLY)),
    ("srt_no_text.srt", "SRT with indexes and timings but no text", Skips(NO_CAPTION_TEXT)),
    ("srt_only_indexes.srt", "SRT with index numbers only", Skips(NO_CAPTION_TEXT)),
    ("yaml_bomb.md", "a billion-laughs alias bomb in the front matter",
     Reads("markdown", ("Ana Ruiz",))),
    ("yaml_python_tag.md", "a !!python/object tag in the front matter (never run)",
     Skips(prefix(BAD_FRONT_MATTER))),
    ("ansi_speaker.vtt", "terminal escapes and a bidi override in voice names: removed",
     Reads("vtt", ANA * 2, lambda t: t.participant_for("Interviewer").is_interviewer)),
    ("timing_garbage.vtt", "arrows without times, times out of range",
     Reads("vtt", ("timing_garbage",))),
    ("unclosed_tags.vtt", "unclosed and stray cue tags", Reads("vtt", ANA * 2)),
]
# fmt: on


@pytest.mark.parametrize(("name", "what", "expected"), FILES, ids=[f[0] for f in FILES])
def test_hostile_file(settings, name, what, expected):
    path = HOSTILE / name
    if isinstance(expected, Skips):
        with pytest.raises(errors.InputError) as excinfo:
            read_file(path, settings)
        assert excinfo.value.reason.startswith(expected.reason), what
        assert "\n" not in excinfo.value.reason and excinfo.value.source == str(path)
        return
    transcript = read_file(path, settings)
    assert transcript.format == expected.format, what
    assert tuple(turn.speaker for turn in transcript.turns) == expected.speakers, what
    assert expected.check(transcript), what
    if expected.contract:
        assert_contract(transcript)


def test_hostile_folder_is_read_file_by_file(settings, tmp_path):
    """The whole catalogue as one round: every readable file read, one line per other."""
    shutil.copytree(HOSTILE, tmp_path / "round")
    result = read_paths([tmp_path / "round"], settings)
    read = {Path(t.source).name for t in result.transcripts}
    skipped = {Path(s.source).name: s.reason for s in result.skipped}
    assert read == {name for name, _, e in FILES if isinstance(e, Reads)}
    assert skipped.keys() == {name for name, _, e in FILES if isinstance(e, Skips)}
    assert len(result.skipped) == len(skipped)
    for name, _, expected in FILES:
        if isinstance(expected, Skips):
            assert skipped[name].startswith(expected.reason)
    committed = [p.name for p in HOSTILE.iterdir() if p.name != "README.md" and p.name[0] != "."]
    assert sorted(committed) == sorted(name for name, _, _ in FILES), (
        "every committed file has a row in FILES"
    )


# --- made by the test -------------------------------------------------------------------

CALL = (
    "Interviewer: Which CRM do you use?\nAna Ruiz: HubSpot.\nInterviewer: Why?\nAna Ruiz: Cheap.\n"
)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def skipped_reasons(result: IngestResult) -> dict[str, str]:
    return {Path(s.source).name: s.reason for s in result.skipped}


def made_twenty_mb_line(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"Interviewer: " + b"we forecast in spreadsheets " * 750_000)
    assert path.stat().st_size > 20 * 1024 * 1024
    with pytest.raises(errors.InputError) as excinfo:
        read_file(path, settings)
    assert excinfo.value.reason.startswith(prefix(PIECE_TOO_LONG))


def made_over_the_size_limit(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(int((settings.max_file_mb + 1) * 1024 * 1024))  # sparse: nothing written
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before stat"))
    with pytest.raises(errors.InputError) as excinfo:
        read_file(path, settings)
    assert excinfo.value.reason == errors.TOO_LARGE.format(limit=f"{settings.max_file_mb:g}")


def made_ten_thousand_empty_files(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(10_000):
        (folder / f"empty-{n:05}.txt").touch()
    (folder / "call.txt").write_text(CALL, "utf-8")
    result = read_paths([folder], settings)
    assert [Path(t.source).name for t in result.transcripts] == ["call.txt"]
    assert len(result.skipped) == 10_000
    assert {s.reason for s in result.skipped} == {errors.EMPTY_FILE}


def made_symlink_loops(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "round"
    folder.mkdir()
    (folder / "call.txt").write_text(CALL, "utf-8")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "up").symlink_to(tmp_path, target_is_directory=True)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    result = read_paths([folder], settings)
    assert [Path(t.source).name for t in result.transcripts] == ["call.txt"]
    reasons = skipped_reasons(result)
    assert reasons.keys() == {"loop", "up", "a.txt", "b.txt", "dangling.txt"}
    assert reasons["loop"] == reasons["up"] == LINKED_FOLDER
    for name in ("a.txt", "b.txt", "dangling.txt"):
        assert reasons[name].startswith("cannot be read (")
    # a link given as the input path itself is searched, once
    found = discover([folder / "loop"])
    assert [p.name for p in found] == ["a.txt", "b.txt", "call.txt", "dangling.txt"]
    assert all(p.parent == folder / "loop" for p in found)


def made_file_vanishes(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    for name in ("a_call.txt", "b_gone.txt", "c_call.txt"):
        (tmp_path / name).write_text(CALL, "utf-8")

    def delete_one(path: Path) -> None:
        if path.name == "b_gone.txt":
            path.unlink()

    result = read_paths([tmp_path], settings, on_file=delete_one)
    assert [Path(t.source).name for t in result.transcripts] == ["a_call.txt", "c_call.txt"]
    assert skipped_reasons(result) == {
        "b_gone.txt": errors.UNREADABLE.format(error="No such file or directory")
    }


def made_fifo(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it to read would block forever
    with pytest.raises(errors.InputError) as excinfo:
        read_file(tmp_path / "pipe.txt", settings)
    assert excinfo.value.reason == NOT_A_FILE


def made_link_to_a_device(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")  # endless, and stat says size 0
    with pytest.raises(errors.InputError) as excinfo:
        read_file(tmp_path / "zero.txt", settings)
    assert excinfo.value.reason == NOT_A_FILE


def made_unlistable_folder(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "secret.txt").write_text(CALL, "utf-8")
    (tmp_path / "call.txt").write_text(CALL, "utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # as if the folder had no read permission (tests may run as root)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = read_paths([tmp_path], settings)
    assert [Path(t.source).name for t in result.transcripts] == ["call.txt"]
    assert skipped_reasons(result) == {"locked": UNLISTABLE.format(error="Permission denied")}


def made_docx_renamed_txt(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    import docx

    document = docx.Document()
    for line in CALL.splitlines():
        document.add_paragraph(line)
    document.save(str(tmp_path / "call.docx"))
    (tmp_path / "call.docx").rename(tmp_path / "call.txt")
    transcript = read_file(tmp_path / "call.txt", settings)
    assert transcript.format == "docx"
    assert [t.speaker for t in transcript.turns] == ["Interviewer", "Ana Ruiz"] * 2


def made_docx_zip_bomb(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", " " * (12 * 1024 * 1024))  # ~12 KB packed
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 100_000
    with pytest.raises(errors.InputError) as excinfo:
        read_file(path, settings.with_overrides(max_file_mb=1))
    assert excinfo.value.reason == DOCX_TOO_LARGE.format(limit="10")


def made_regex_traps(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    traps = {
        "heading.md": "# " + " #" * 100_000 + "x\n",  # was quadratic in the heading pattern
        "blanks.txt": " " * 1_000_000 + "x\n",  # was cubic in the label pattern
        "cue.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + " " * 500_000 + "x:\n",
        "voices.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + "<v " * 200_000 + "\n",
    }
    for name, text in traps.items():
        (tmp_path / name).write_text(text + CALL, "utf-8")
        seconds = timed(lambda name=name: read_paths([tmp_path / name], settings))
        assert seconds < FAST_SECONDS, (name, seconds)


def made_odd_file_names(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "evil\x1b[31m\nname.txt"
    path.write_text("Budgets are frozen until Q3.\n", "utf-8")
    (transcript,) = read_paths([tmp_path], settings).transcripts
    assert [p.speaker for p in transcript.participants] == ["evil name"]
    result = read_paths([str(tmp_path / "nul\x00byte.txt")], settings)
    assert [s.reason for s in result.skipped] == [
        errors.UNREADABLE.format(error="embedded null byte")
    ]


def made_binary_manifest(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "participants.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "call.txt").write_text(CALL, "utf-8")
    result = read_paths([tmp_path], settings)
    assert [Path(t.source).name for t in result.transcripts] == ["call.txt"]
    assert skipped_reasons(result) == {"participants.csv": errors.BINARY_FILE}
    assert not BAD_MANIFEST.startswith(errors.BINARY_FILE)


def made_internal_error(settings: Settings, tmp_path: Path, monkeypatch) -> None:
    """A bug nobody foresaw on one file skips that file; the round goes on."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(CALL, "utf-8")
    import persona_lab.ingest.read as read_module

    real = read_module.assemble_turns

    def broken(fragments):
        if any(f.text == "HubSpot." for f in fragments) and broken.calls == 0:
            broken.calls += 1
            raise ZeroDivisionError("bug")
        return real(fragments)

    broken.calls = 0
    monkeypatch.setattr(read_module, "assemble_turns", broken)
    result = read_paths([tmp_path], settings)
    assert [Path(t.source).name for t in result.transcripts] == ["b.txt"]
    (skip,) = result.skipped
    assert "ZeroDivisionError" in skip.reason and "report it" in skip.reason


# fmt: off
MADE: list[tuple[str, str, str, Callable[[Settings, Path, object], None]]] = [
    # case, what is hostile about it, expected outcome, the test
    ("twenty_mb_line", "a single 20 MB line (under the 25 MB limit)",
     "skipped: line runs over 200,000 characters, split it", made_twenty_mb_line),
    ("over_limit", "a file over max_file_mb", "skipped by stat, never read",
     made_over_the_size_limit),
    ("ten_thousand_empty", "a folder of 10,000 empty files and one call",
     "the call read, 10,000 'empty' lines, in seconds", made_ten_thousand_empty_files),
    ("symlink_loops", "links to . and .., two file links to each other, a dangling link",
     "links to folders reported not followed; looping/dangling links unreadable",
     made_symlink_loops),
    ("vanishes", "a file deleted between discover and read",
     "skipped: cannot be read (No such file or directory)", made_file_vanishes),
    ("fifo", "a named pipe called .txt", "skipped: not a regular file (no hang)", made_fifo),
    ("device_link", "a link to /dev/zero called .txt", "skipped: not a regular file",
     made_link_to_a_device),
    ("unlistable_folder", "a subfolder that cannot be listed",
     "reported once; the rest read", made_unlistable_folder),
    ("docx_as_txt", "a real .docx renamed .txt", "read as .docx", made_docx_renamed_txt),
    ("docx_zip_bomb", "a .docx unpacking to 12 MB with max_file_mb=1",
     "skipped before unpacking", made_docx_zip_bomb),
    ("regex_traps", "lines built to make the line patterns backtrack",
     "read in linear time", made_regex_traps),
    ("odd_names", "a file name with an escape code and a newline; a NUL in a path",
     "speaker label cleaned; NUL path unreadable", made_odd_file_names),
    ("binary_manifest", "participants.csv that is a PNG",
     "manifest reported once; the call read without it", made_binary_manifest),
    ("internal_error", "an unforeseen exception while reading one file",
     "that file skipped with 'report it'; the round goes on", made_internal_error),
]
# fmt: on


@pytest.mark.parametrize(("case", "what", "expected", "run"), MADE, ids=[m[0] for m in MADE])
def test_hostile_made(settings, tmp_path, monkeypatch, case, what, expected, run):
    if sys.platform == "win32" and case in ("symlink_loops", "fifo", "device_link"):
        pytest.skip("needs POSIX links and pipes")
    run(settings, tmp_path, monkeypatch)


def test_hostile_catalogue_has_at_least_thirty_cases():
    assert len(FILES) + len(MADE) >= 30


# --- a real round with a dozen bad files mixed in ---------------------------------------

MIXED_IN = [
    "zip_renamed.txt", "old_word.txt", "pdf_renamed.txt", "control_chars.txt", "utf16_odd.txt",
    "blank_lines_only.txt", "not_a_zip.docx", "deep_nesting.json", "bare_string.json",
    "gong_empty.json", "front_matter_only.md", "srt_no_text.srt",
]  # fmt: skip


def comparable(transcript: Transcript) -> Transcript:
    """A transcript without its folder, to compare two copies of a round."""
    name = Path(transcript.source).name
    people = tuple(
        dataclasses.replace(p, sources=tuple(Path(s).name for s in p.sources))
        for p in transcript.participants
    )
    return dataclasses.replace(transcript, source=name, participants=people)


def test_hostile_files_mixed_into_the_demo_round_change_nothing_else(settings, tmp_path):
    shutil.copytree(DEMO, tmp_path / "clean")
    shutil.copytree(DEMO, tmp_path / "mixed")
    for name in MIXED_IN:
        shutil.copy(HOSTILE / name, tmp_path / "mixed" / name)
    os.mkfifo(tmp_path / "mixed" / "pipe.txt") if hasattr(os, "mkfifo") else None
    (tmp_path / "mixed" / "loop").symlink_to(tmp_path / "mixed", target_is_directory=True)
    clean = read_paths([tmp_path / "clean"], settings)
    mixed = read_paths([tmp_path / "mixed"], settings)
    assert not clean.skipped
    assert [comparable(t) for t in mixed.transcripts] == [comparable(t) for t in clean.transcripts]
    assert [t.metadata for t in mixed.transcripts] == [t.metadata for t in clean.transcripts]
    bad = {*MIXED_IN, "loop", *(["pipe.txt"] if hasattr(os, "mkfifo") else [])}
    assert sorted(Path(s.source).name for s in mixed.skipped) == sorted(bad)
    assert all(s.reason and "\n" not in s.reason for s in mixed.skipped)


@pytest.mark.shared_data
def test_hostile_files_mixed_into_the_real_interviews(settings, shared_interviews, tmp_path):
    shutil.copytree(shared_interviews, tmp_path / "clean")
    shutil.copytree(shared_interviews, tmp_path / "mixed")
    for name in MIXED_IN:
        shutil.copy(HOSTILE / name, tmp_path / "mixed" / name)
    clean = read_paths([tmp_path / "clean"], settings)
    mixed = read_paths([tmp_path / "mixed"], settings)
    assert len(clean.transcripts) == 157 and not clean.skipped
    assert [comparable(t) for t in mixed.transcripts] == [comparable(t) for t in clean.transcripts]
    assert sorted(Path(s.source).name for s in mixed.skipped) == sorted(MIXED_IN)


def _persona_summary(result):
    return [
        (
            p.id,
            p.name,
            p.role.function,
            p.role.seniority,
            sorted(q.name for q in p.participants),
            [(t.kind, t.label, t.participants, t.mentions) for t in p.themes],
        )
        for p in result.personas
    ]


def _rounds_without_and_with_hostile_files(source, tmp_path, settings):
    """The round of ``source``, and of a copy with the hostile files mixed in."""
    import persona_lab

    shutil.copytree(source, tmp_path / "clean")
    shutil.copytree(source, tmp_path / "mixed")
    for name in MIXED_IN:
        shutil.copy(HOSTILE / name, tmp_path / "mixed" / name)
    clean = persona_lab.run([str(tmp_path / "clean")], settings=settings)
    mixed = persona_lab.run([str(tmp_path / "mixed")], settings=settings)
    return clean, mixed


@pytest.mark.slow
def test_hostile_files_mixed_in_leave_the_personas_as_they_were(settings, tmp_path):
    settings = settings.with_overrides(round="demo")
    clean, mixed = _rounds_without_and_with_hostile_files(DEMO, tmp_path, settings)
    assert len(mixed.skipped) == len(MIXED_IN) and not clean.skipped
    assert _persona_summary(mixed) == _persona_summary(clean)


@pytest.mark.slow
@pytest.mark.shared_data
def test_hostile_files_mixed_into_the_real_interviews_leave_their_personas(
    settings, shared_interviews, tmp_path
):
    """The issue's own check: the 157 real interviews give the same personas with a
    dozen hostile files mixed in, plus one skipped line per bad file."""
    settings = settings.with_overrides(round="real")
    clean, mixed = _rounds_without_and_with_hostile_files(shared_interviews, tmp_path, settings)
    assert sorted(Path(s.source).name for s in mixed.skipped) == sorted(MIXED_IN)
    assert len(clean.personas) >= 3
    assert _persona_summary(mixed) == _persona_summary(clean)
