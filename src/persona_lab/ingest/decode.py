"""Raw bytes of a transcript file, checked, and decoded to text.

Size is checked before reading; empty and binary files are refused with a line
saying what to do; text is decoded as UTF-8 (with or without BOM), UTF-16 (BOM,
or the NUL pattern of a BOM-less export), then cp1252 as the last resort.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .. import errors

MEGABYTE = 1024 * 1024
SNIFF_BYTES = 8192
# BOM-less UTF-16: share of the high bytes of a sample that are NUL (ASCII text).
UTF16_NUL_SHARE = 0.4
# Text with more control characters than this share is binary in disguise.
MAX_CONTROL_SHARE = 0.1
TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def load_bytes(path: Path, max_file_mb: float) -> bytes:
    """The file's bytes; InputError when it is too large, unreadable or empty."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_file_mb * MEGABYTE:
            raise errors.InputError(source, errors.TOO_LARGE.format(limit=f"{max_file_mb:g}"))
        raw = path.read_bytes()
    except OSError as exc:
        raise errors.InputError(source, errors.UNREADABLE.format(error=_why(exc))) from exc
    if not raw.strip():
        raise errors.InputError(source, errors.EMPTY_FILE)
    return raw


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


def _decoded(raw: bytes, source: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise errors.InputError(source, errors.NOT_UTF8) from exc
    if b"\x00" in raw[:SNIFF_BYTES]:
        text = _bomless_utf16(raw)
        if text is None:
            raise errors.InputError(source, errors.BINARY_FILE)
        return text
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise errors.InputError(source, errors.NOT_UTF8)


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    controls = sum(1 for c in sample if (c < " " and c not in TEXT_CONTROLS) or c == "\x7f")
    return controls > MAX_CONTROL_SHARE * len(sample)


def decode_text(raw: bytes, source: str) -> str:
    """The text of a transcript file; InputError when it is binary, empty or undecodable."""
    text = _decoded(raw, source)
    if not text.strip():
        raise errors.InputError(source, errors.EMPTY_FILE)
    if _looks_binary(text):
        raise errors.InputError(source, errors.BINARY_FILE)
    return text
