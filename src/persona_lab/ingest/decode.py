"""Raw bytes of a transcript file, checked, and decoded to text.

Only regular files are opened (a FIFO or a device named ``.txt`` would block or
never end); size is checked with ``stat`` before reading, and the read itself is
bounded. Empty files, binary files (with a word for archives and old Word files)
are refused with a line saying what to do. Text is decoded as UTF-8 (with or
without BOM), UTF-16 (BOM, or the NUL pattern of a BOM-less export), and, when
the whole is not UTF-8, line by line: UTF-8 where a line is valid, else cp1252,
so a cp1252 paragraph pasted into a UTF-8 file reads right. Stray NUL bytes and
byte-order marks in the middle (files glued together) are dropped.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from .. import errors

MEGABYTE = 1024 * 1024
SNIFF_BYTES = 8192
# BOM-less UTF-16: share of the high bytes of a sample that are NUL (ASCII text).
UTF16_NUL_SHARE = 0.4
# Text with more control characters than this share is binary in disguise.
MAX_CONTROL_SHARE = 0.1
TEXT_CONTROLS = frozenset("\t\n\r\f\v")
# A few NUL bytes in text (a damaged save) are dropped: up to this share, or this many.
MAX_STRAY_NUL_SHARE = 0.01
MIN_STRAY_NULS = 8
# Undecodable bytes (shown as U+FFFD) tolerated in a file decoded line by line.
MAX_REPLACED_SHARE = 0.01
BOM = "\ufeff"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
UNICODE_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
ANY_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
REPLACEMENT = "\ufffd"

NOT_A_FILE = (
    "this is not a regular file (a pipe, device or socket); "
    "copy the transcript into a file and pass that"
)
ZIP_ARCHIVE = "this is a zip archive, not a transcript; unzip it and pass the folder"
OLD_WORD = "this is an old Word .doc (or another Office binary) file; save it as .docx or .txt"
# Leading bytes of binary formats people drop into a round folder by mistake.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BINARY_MAGIC = (
    b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"\x1f\x8b\x08",
    b"7z\xbc\xaf", b"Rar!\x1a", b"\xfd7zXZ", b"\x7fELF",
)  # fmt: skip


def _why(exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return str(exc) or type(exc).__name__  # ValueError: a NUL byte in the path


def _too_large(source: str, max_file_mb: float) -> errors.InputError:
    return errors.InputError(source, errors.TOO_LARGE.format(limit=f"{max_file_mb:g}"))


def load_bytes(path: Path, max_file_mb: float) -> bytes:
    """The file's bytes; InputError when it is not a regular file, too large (by
    ``stat``, before a byte is read), unreadable or empty."""
    source = str(path)
    limit = int(max_file_mb * MEGABYTE)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise errors.InputError(source, errors.UNREADABLE.format(error="Is a directory"))
        if not stat.S_ISREG(info.st_mode):
            raise errors.InputError(source, NOT_A_FILE)
        if info.st_size > limit:
            raise _too_large(source, max_file_mb)
        if info.st_size == 0:
            raise errors.InputError(source, errors.EMPTY_FILE)
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)  # bounded: the file may grow after stat
    except (OSError, ValueError) as exc:
        raise errors.InputError(source, errors.UNREADABLE.format(error=_why(exc))) from exc
    if len(raw) > limit:
        raise _too_large(source, max_file_mb)
    if not raw.strip():
        raise errors.InputError(source, errors.EMPTY_FILE)
    return raw


def binary_kind(raw: bytes) -> str | None:
    """The reason to refuse a known binary format by its leading bytes, else None."""
    if raw.startswith(ZIP_MAGIC):
        return ZIP_ARCHIVE
    if raw.startswith(OLE_MAGIC):
        return OLD_WORD
    if raw.startswith(BINARY_MAGIC):
        return errors.BINARY_FILE
    return None


def _control_share(raw: bytes) -> float:
    """The share of a sample's bytes that are controls other than blanks (NUL included)."""
    sample = raw[:SNIFF_BYTES]
    allowed = frozenset(ord(c) for c in TEXT_CONTROLS)
    controls = sum(1 for b in sample if (b < 0x20 and b not in allowed) or b == 0x7F)
    return controls / len(sample) if sample else 0.0


def _bomless_utf16(raw: bytes) -> str | None:
    """The text when NULs sit in every other byte, as UTF-16 without a BOM has them."""
    sample = raw[:SNIFF_BYTES]
    half = len(sample) // 2
    if half == 0 or len(raw) % 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= UTF16_NUL_SHARE * half and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls >= UTF16_NUL_SHARE * half and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _line_by_line(raw: bytes, source: str) -> str:
    """Each line as UTF-8 when it is valid, else cp1252, else UTF-8 with U+FFFD marks."""
    out = []
    for k, line in enumerate(raw.split(b"\n")):
        for encoding in ("utf-8-sig" if k == 0 else "utf-8", "cp1252"):
            try:
                out.append(line.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(line.decode("utf-8", errors="replace"))
    text = "\n".join(out)
    if text.count(REPLACEMENT) > MAX_REPLACED_SHARE * len(text):
        raise errors.InputError(source, errors.NOT_UTF8)
    return text


def _decoded(raw: bytes, source: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise errors.InputError(source, errors.NOT_UTF8) from exc
    if b"\x00" in raw[:SNIFF_BYTES]:
        text = _bomless_utf16(raw)
        if text is not None:
            return text
    raw = raw.rstrip(b"\x00")  # NUL padding after a crashed save
    if _control_share(raw) > MAX_CONTROL_SHARE:
        raise errors.InputError(source, errors.BINARY_FILE)
    if b"\x00" in raw:
        if raw.count(0) > max(MIN_STRAY_NULS, MAX_STRAY_NUL_SHARE * len(raw)):
            raise errors.InputError(source, errors.BINARY_FILE)
        raw = raw.replace(b"\x00", b"")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _line_by_line(raw, source)


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for c in sample if (c < " " and c not in TEXT_CONTROLS) or c == "\x7f")
    return controls > MAX_CONTROL_SHARE * len(sample)


def decode_text(raw: bytes, source: str) -> str:
    """The text of a transcript file; InputError when it is binary, empty or undecodable.

    Byte-order marks are removed wherever they stand: at the start of a line they
    would hide a speaker label.
    """
    kind = binary_kind(raw)
    if kind is not None:
        raise errors.InputError(source, kind)
    text = _decoded(raw, source).replace(BOM, "")
    if not text.strip():
        raise errors.InputError(source, errors.EMPTY_FILE)
    if _looks_binary(text):
        raise errors.InputError(source, errors.BINARY_FILE)
    return text


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as editors, ``grep -n`` and ``open()`` count them.

    Only ``\\n``, ``\\r\\n`` and ``\\r`` end a line: ``str.splitlines`` also breaks at
    NEL, U+2028 and form feeds, and the line numbers on quotes would then drift from
    the ones a researcher sees.
    """
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def transcript_lines(text: str) -> list[str]:
    """The lines of a text transcript: ``text_lines``, except in a file with more NEL,
    U+2028 or U+2029 than newlines, which some exporters end lines with."""
    unicode_breaks = len(UNICODE_LINE_BREAK.findall(text))
    if unicode_breaks <= len(LINE_BREAK.findall(text)):
        return text_lines(text)
    lines = ANY_LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
