"""Measures extraction against labeled sentences: precision, recall, F1 per kind.

Two gold formats: sentences with their text (``{"text", "label", "question"}``),
and references into real transcripts (``{"file", "line", "start", "end",
"label"}``) so that real interview text is never copied into the project.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .ingest.decode import transcript_lines
from .ingest.labels import label_line, speaker_labels

OTHER = "other"


@dataclass(frozen=True)
class Example:
    """A labeled sentence; ``group`` keeps sentences of one call in one fold."""

    text: str
    label: str
    question: str = ""
    group: str = ""
    source: str = "gold"


@dataclass(frozen=True)
class Report:
    """Per-kind figures and the confusion counts (gold label, predicted label)."""

    kinds: tuple[str, ...]
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    confusion: dict[tuple[str, str], int]
    examples: int

    def to_dict(self) -> dict[str, object]:
        return {
            "examples": self.examples,
            "kinds": {
                k: {
                    "precision": round(self.precision[k], 3),
                    "recall": round(self.recall[k], 3),
                    "f1": round(self.f1[k], 3),
                    "support": self.support[k],
                }
                for k in self.kinds
            },
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.confusion.items())},
        }


INTERVIEWER_LABELS = ("ai", "assistant", "interviewer")
PARTICIPANT_LABELS = ("user", "participant")  # speakers however rarely they speak


@dataclass(frozen=True)
class _Transcript:
    """A referenced file's lines, each line's label (lowercase, "" for none) and
    what follows it, and the labels that are speakers, decided as ingest does
    ("Let me ask you this: if..." names no speaker)."""

    lines: list[str]
    heads: list[str]
    rests: list[str]
    speakers: frozenset[str]

    @classmethod
    def read(cls, source: Path) -> _Transcript:
        lines = transcript_lines(source.read_text("utf-8"))
        found = [label_line(line) for line in lines]
        named = [f.label for f in found if f is not None]
        known = frozenset((*INTERVIEWER_LABELS, *PARTICIPANT_LABELS))
        speakers = frozenset(s.casefold() for s in speaker_labels(named, known))
        heads = [f.label.casefold() if f else "" for f in found]
        rests = [f.rest if f else line for f, line in zip(found, lines, strict=True)]
        return cls(lines, heads, rests, speakers)

    def question_before(self, index: int, labels: Sequence[str]) -> str:
        """The interviewer's whole turn before line ``index``, as extraction sees it.

        Extraction scores a participant's sentences with the previous turn's last
        400 characters; an interviewer turn often spans lines ("That's interesting.
        <blank> Walk me through...?"), so the question is on its last line.
        """
        start = next((j for j in range(index - 1, -1, -1) if self.heads[j] in labels), None)
        if start is None:
            return ""
        turn: list[str] = []
        for j in range(start, index):
            if j > start and self.heads[j] in self.speakers:
                break
            text = self.rests[j] if j == start else self.lines[j]
            if text.strip():
                turn.append(text.strip())
        return " ".join(turn)[-400:]


def load_examples(path: str | Path, interviews: str | Path | None = None) -> list[Example]:
    """Examples from a gold JSON-lines file; references are read from ``interviews``.

    Reference entries whose transcript folder is absent are skipped, so the
    eval runs where the real interviews are not available.
    """
    path = Path(path)
    try:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise errors.InputError(
            str(path), f"cannot read the gold set ({exc}); check it is JSON lines"
        ) from exc
    folder = Path(interviews) if interviews else path.parent
    cache: dict[str, _Transcript] = {}
    examples: list[Example] = []
    for row in rows:
        if "text" in row:
            group = f"{row.get('role', '')}|{row.get('industry', '')}"
            examples.append(
                Example(row["text"], row["label"], row.get("question", ""), group, path.stem)
            )
            continue
        source = folder / row["file"]
        if not source.is_file():
            continue
        if row["file"] not in cache:
            cache[row["file"]] = _Transcript.read(source)
        transcript = cache[row["file"]]
        text = transcript.lines[row["line"] - 1][row["start"] : row["end"]]
        question = transcript.question_before(row["line"] - 1, INTERVIEWER_LABELS)
        examples.append(Example(text, row["label"], question, row["file"], path.stem))
    return examples


def report(gold: Sequence[str], predicted: Sequence[str], kinds: Sequence[str]) -> Report:
    confusion = Counter(zip(gold, predicted, strict=True))
    precision, recall, f1, support = {}, {}, {}, {}
    for kind in kinds:
        tp = confusion[(kind, kind)]
        fp = sum(n for (g, p), n in confusion.items() if p == kind and g != kind)
        fn = sum(n for (g, p), n in confusion.items() if g == kind and p != kind)
        precision[kind] = tp / (tp + fp) if tp + fp else 0.0
        recall[kind] = tp / (tp + fn) if tp + fn else 0.0
        total = precision[kind] + recall[kind]
        f1[kind] = 2 * precision[kind] * recall[kind] / total if total else 0.0
        support[kind] = tp + fn
    return Report(tuple(kinds), precision, recall, f1, support, dict(confusion), len(gold))


def format_report(result: Report) -> str:
    """The figures and the confusion table as plain text."""
    labels = [*result.kinds, OTHER]
    out = [
        f"{result.examples} examples",
        "",
        f"{'kind':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>5}",
    ]
    for k in result.kinds:
        figures = f"{result.precision[k]:>9.3f} {result.recall[k]:>7.3f} {result.f1[k]:>6.3f}"
        out.append(f"{k:<10} {figures} {result.support[k]:>5}")
    out += [
        "",
        "confusion (rows: gold, columns: predicted)",
        " " * 10 + "".join(f"{p:>10}" for p in labels),
    ]
    for g in labels:
        out.append(f"{g:<10}" + "".join(f"{result.confusion.get((g, p), 0):>10}" for p in labels))
    return "\n".join(out)
