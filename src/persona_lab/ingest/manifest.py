"""participants.csv / .yaml beside the transcripts: who spoke, and who interviewed.

Columns: file,speaker,name,title,company,industry,company_size,interviewer,date,round.
``file`` is the transcript's name in the manifest's folder; a row without a
speaker is about the file (date, round) and its one participant. A manifest that
cannot be read is reported once and the transcripts are read without it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import errors
from .decode import decode_text, load_bytes
from .frontmatter import PersonFacts

MANIFEST_NAMES = ("participants.csv", "participants.yaml", "participants.yml")
COLUMNS = (
    "file", "speaker", "name", "title", "company", "industry", "company_size",
    "interviewer", "date", "round",
)  # fmt: skip
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
MAX_MANIFEST_MB = 5.0
BAD_MANIFEST = (
    "the participants manifest cannot be read ({problem}); "
    "fix it, the transcripts were read without it"
)


@dataclass(frozen=True)
class ManifestRow:
    """One row of a manifest; empty cells are None."""

    file: str
    speaker: str | None = None
    name: str | None = None
    title: str | None = None
    company: str | None = None
    industry: str | None = None
    company_size: str | None = None
    interviewer: bool | None = None
    date: str | None = None
    round: str | None = None

    @property
    def person(self) -> PersonFacts:
        return PersonFacts(self.name, self.title, self.company, self.industry, self.company_size)


@dataclass(frozen=True)
class Manifest:
    """The rows of one folder's manifest."""

    source: str
    rows: tuple[ManifestRow, ...]

    def rows_for(self, path: Path) -> tuple[ManifestRow, ...]:
        """The rows about the file ``path`` (matched by name, case-insensitively)."""
        name = path.name.casefold()
        return tuple(r for r in self.rows if Path(r.file).name.casefold() == name)


def find_manifest(folder: Path) -> Path | None:
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def _cell(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _yes_no(value: str | None, where: str) -> bool | None:
    if value is None:
        return None
    if value.casefold() in YES:
        return True
    if value.casefold() in NO:
        return False
    raise ValueError(f"{where}: interviewer must be yes or no, not {value!r}")


def _row(record: Mapping[str, Any], where: str) -> ManifestRow:
    cells = {str(k).strip().casefold(): _cell(v) for k, v in record.items() if k is not None}
    file = cells.get("file")
    if not file:
        raise ValueError(f"{where}: the 'file' column is empty")
    values = {c: cells.get(c) for c in COLUMNS if c not in ("file", "interviewer")}
    return ManifestRow(file=file, interviewer=_yes_no(cells.get("interviewer"), where), **values)


def _csv_records(text: str) -> Iterable[Mapping[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().casefold() for h in reader.fieldnames or []]
    if "file" not in header:
        raise ValueError("no 'file' column in the header")
    return list(reader)


def _yaml_records(text: str) -> Iterable[Mapping[str, Any]]:
    data = yaml.safe_load(text)
    if isinstance(data, dict):
        data = data.get("participants")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError("expected a list of records with the manifest columns")
    return data


def load_manifest(path: Path) -> Manifest:
    """The manifest at ``path``; InputError (for the manifest) when it is malformed."""
    source = str(path)
    text = decode_text(load_bytes(path, MAX_MANIFEST_MB), source)
    parse = _csv_records if path.suffix.casefold() == ".csv" else _yaml_records
    try:
        records = parse(text)
        rows = tuple(_row(r, f"row {n}") for n, r in enumerate(records, start=1))
    except Exception as exc:  # csv.Error, YAMLError, ValueError: each a malformed manifest
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise errors.InputError(source, BAD_MANIFEST.format(problem=problem)) from exc
    return Manifest(source, rows)
