"""Word .docx transcripts: each paragraph is one line, read like a text transcript.

A .docx is a zip: the sizes its entries declare are checked before python-docx
unpacks anything, so a zip bomb is refused instead of filling the memory.
"""

from __future__ import annotations

import io
import zipfile

from .. import errors
from .decode import MEGABYTE, ZIP_MAGIC

BAD_DOCX = "this is not a readable Word .docx file; save it again as .docx or export it as .txt"
DOCX_TOO_LARGE = (
    "the .docx unpacks to more than {limit} MB; save it without embedded media or export it as .txt"
)
MAIN_PART = "word/document.xml"
# A .docx may unpack to this many times --max-file-mb (XML compresses about tenfold).
UNZIP_FACTOR = 10


def is_docx_zip(raw: bytes) -> bool:
    """Whether ``raw`` is a zip holding a Word document (a .docx renamed .txt, say)."""
    if not raw.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return MAIN_PART in archive.namelist()
    except Exception:  # any damage means: not a docx we can read
        return False


def _check_unpacked_size(raw: bytes, source: str, max_file_mb: float) -> None:
    limit = UNZIP_FACTOR * max_file_mb
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
    except Exception as exc:  # BadZipFile, or a damaged directory in many other ways
        raise errors.InputError(source, BAD_DOCX) from exc
    if unpacked > limit * MEGABYTE:
        raise errors.InputError(source, DOCX_TOO_LARGE.format(limit=f"{limit:g}"))


def docx_paragraphs(raw: bytes, source: str, max_file_mb: float = 25.0) -> list[str]:
    """The text of every paragraph, empty ones included, so indexes are line numbers."""
    if not raw.startswith(ZIP_MAGIC[:2]):
        raise errors.InputError(source, BAD_DOCX)
    _check_unpacked_size(raw, source, max_file_mb)
    import docx  # python-docx: imported here so reading text files never loads it

    try:
        document = docx.Document(io.BytesIO(raw))
        return [paragraph.text for paragraph in document.paragraphs]
    except Exception as exc:  # a damaged zip or XML fails in many ways inside python-docx
        raise errors.InputError(source, BAD_DOCX) from exc
