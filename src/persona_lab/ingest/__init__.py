"""Ingest: transcript files in, ``Transcript``s out, one module per format.

``discover`` lists the candidate files, ``read_file`` reads one, ``read_paths``
reads a round and reports each file it could not read as a ``SkippedFile``.
"""

from __future__ import annotations

from .detect import FORMATS
from .discover import discover
from .read import IngestResult, read_file, read_paths

__all__ = ["FORMATS", "IngestResult", "discover", "read_file", "read_paths"]
