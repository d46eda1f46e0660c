"""Word .docx transcripts: each paragraph is one line, read like a text transcript."""

from __future__ import annotations

import io

from .. import errors

BAD_DOCX = "this is not a readable Word .docx file; save it again as .docx or export it as .txt"
ZIP_MAGIC = b"PK"


def docx_paragraphs(raw: bytes, source: str) -> list[str]:
    """The text of every paragraph, empty ones included, so indexes are line numbers."""
    if not raw.startswith(ZIP_MAGIC):
        raise errors.InputError(source, BAD_DOCX)
    import docx  # python-docx: imported here so reading text files never loads it

    try:
        document = docx.Document(io.BytesIO(raw))
        return [paragraph.text for paragraph in document.paragraphs]
    except Exception as exc:  # a damaged zip or XML fails in many ways inside python-docx
        raise errors.InputError(source, BAD_DOCX) from exc
