"""Writes a large interview corpus for the scale benchmark, made from interviews that exist.

Sources are the real interviews in ../shared/data/interviews when that folder is there,
else the demo round plus a synthetic round (bench/synthetic_round.py). Each source is read
with persona_lab, and each new interview is written as Markdown (front matter, then
``Interviewer:`` and participant turns) under a new file name and participant name.

A new interview holds whole source interviews, one after the other as follow-up sessions
of one participant, until it reaches its share of the word target; the last session is
cut after the participant turn that reaches it. So ``--interviews 1000 --words 1500000``
gives 1,000 files of about 1,500 participant words each, where the real interviews
average about 730.

Copies would make the benchmark lie: the embedder caches vectors by sentence text, and the
store reuses a file's result by its content, so repeated text costs nothing the second
time. Every use of a source after its first therefore inserts one filler word ("really",
"actually", ...) into each sentence: the same kind of speech to the parser, new text to
every cache. Participant words are counted with persona_lab itself
(``Transcript.participant_words`` after ``persona_lab.ingest.read_paths``).

    python bench/scale_corpus.py bench/.corpus/scale --interviews 1000 --words 1500000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from persona_lab.ingest import read_paths  # noqa: E402
from persona_lab.models import Transcript  # noqa: E402
from persona_lab.settings import Settings, default_settings  # noqa: E402
from synthetic_round import generate as synthetic_round  # noqa: E402

REAL_INTERVIEWS = ROOT.parent / "shared" / "data" / "interviews"
DEMO_ROUND = ROOT / "transcripts" / "demo"
STAMP = ".corpus.json"  # hidden: persona_lab does not read it as an interview
WORDS_PER_INTERVIEW = 1500
FILLERS = (
    "really",
    "actually",
    "just",
    "honestly",
    "basically",
    "probably",
    "definitely",
    "generally",
    "usually",
    "certainly",
    "mostly",
    "clearly",
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Participant fields that come from metadata and are kept as front matter.
META_FIELDS = ("title", "company", "industry", "company_size")


@dataclass(frozen=True)
class Source:
    """One source interview: its turns as (is_participant, text), and the participant's
    metadata (title only when it came from metadata, so self-introductions still count)."""

    turns: tuple[tuple[bool, str], ...]
    meta: dict[str, str]
    date: str | None


def source_folders(shared: Path = REAL_INTERVIEWS) -> tuple[list[Path], str]:
    """The real interviews when present, else the demo round (the synthetic round is added
    by ``read_sources``), and a line saying which."""
    if shared.is_dir() and any(shared.glob("*.md")):
        return [shared], f"real interviews in {os.path.relpath(shared, ROOT)}"
    return [DEMO_ROUND], "demo round + synthetic round (../shared absent)"


def _meta(transcript: Transcript) -> dict[str, str]:
    people = [p for p in transcript.participants if not p.is_interviewer]
    first = people[0]
    meta = {name: getattr(first, name) for name in META_FIELDS if getattr(first, name)}
    if first.title_source != "metadata":
        meta.pop("title", None)
    return meta


def as_source(transcript: Transcript) -> Source:
    """A transcript's turns as plain text, one line per turn (pieces joined by spaces)."""
    spoken = {p.speaker for p in transcript.participants if not p.is_interviewer}
    turns = tuple(
        (t.speaker in spoken, " ".join(t.text.split())) for t in transcript.turns if t.text.strip()
    )
    return Source(turns, _meta(transcript), transcript.date)


def read_sources(folders: Sequence[Path], settings: Settings) -> list[Source]:
    """Sources with participant speech, in file order; with the synthetic round when the
    folders are the demo round (too few words to stand for a real round on their own)."""
    paths = [str(f) for f in folders]
    with tempfile.TemporaryDirectory() as tmp:
        if folders == [DEMO_ROUND]:
            synthetic = Path(tmp) / "synthetic"
            synthetic_round(synthetic, 60, "given", seed=11)
            (synthetic / "truth.json").unlink()
            paths.append(str(synthetic))
        transcripts = read_paths(paths, settings).transcripts
    return [as_source(t) for t in transcripts if t.participant_words > 0]


def vary(text: str, copy: int, rng: random.Random) -> str:
    """The text itself for a source's first use; after that, one filler word inserted
    into each sentence of three words or more, the filler chosen by the copy number."""
    if copy == 0:
        return text
    filler = FILLERS[(copy - 1) % len(FILLERS)]
    out = []
    for sentence in SENTENCE_END.split(text):
        words = sentence.split(" ")
        if len(words) >= 3:
            words.insert(rng.randint(1, len(words) - 1), filler)
        out.append(" ".join(words))
    return " ".join(out)


def sessions(sources: Sequence[Source], seed: int) -> Iterator[tuple[int, int]]:
    """(source index, copy number) forever: every source once in a seeded order, then again."""
    order = list(range(len(sources)))
    random.Random(seed).shuffle(order)
    copy = 0
    while True:
        for index in order:
            yield index, copy
        copy += 1


def interview_turns(
    sources: Sequence[Source], pick: Iterator[tuple[int, int]], target: int, seed: int
) -> tuple[list[tuple[bool, str]], Source]:
    """Turns of one new interview: sessions until ``target`` participant words; and its
    first source (whose metadata the new interview takes)."""
    turns: list[tuple[bool, str]] = []
    words = 0
    first: Source | None = None
    while words < target:
        index, copy = next(pick)
        source = sources[index]
        first = first or source
        rng = random.Random(f"{seed}:{index}:{copy}")
        for is_participant, text in source.turns:
            turns.append((is_participant, vary(text, copy, rng)))
            if is_participant:
                words += len(turns[-1][1].split())
                if words >= target:
                    break
    assert first is not None
    return turns, first


def markdown(name: str, source: Source, turns: Sequence[tuple[bool, str]]) -> str:
    """One interview as Markdown: front matter naming the participant, then the turns."""
    front = ["---", f"participant: {name}", "interviewer: Interviewer"]
    front += [f"{key}: {json.dumps(value)}" for key, value in source.meta.items()]
    if source.date:
        front.append(f"date: {source.date}")
    lines = [*front, "---", ""]
    for is_participant, text in turns:
        lines += [f"{name if is_participant else 'Interviewer'}: {text}", ""]
    return "\n".join(lines)


def clear(out: Path) -> None:
    """Empties a folder this script wrote before (it holds the stamp); refuses any other."""
    if out.exists() and any(out.iterdir()):
        if not (out / STAMP).is_file():
            raise SystemExit(f"{out} is not empty and was not written by scale_corpus.py")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def write_interviews(
    out: Path,
    sources: Sequence[Source],
    count: int,
    words: int,
    *,
    seed: int,
    prefix: str = "scale",
    skip_first_use: bool = False,
) -> None:
    """``count`` interviews of ``ceil(words / count)`` participant words or more each.

    ``skip_first_use`` starts at every source's second use, so no file repeats a source
    verbatim (new interviews to add to a stored round).
    """
    target = math.ceil(words / count)
    pick = sessions(sources, seed)
    if skip_first_use:
        for _ in sources:
            next(pick)
    for n in range(1, count + 1):
        name = f"Participant {prefix.title()} {n:04d}"
        turns, first = interview_turns(sources, pick, target, seed)
        (out / f"{prefix}-{n:04d}.md").write_text(markdown(name, first, turns), "utf-8")


def counted(folder: Path, settings: Settings) -> dict[str, Any]:
    """Files, participants and participant words as persona_lab reads them; and the share
    of participant sentences (split at . ! ?, five words or more) that are distinct, which
    is what the embedding cache cannot save (the demo fallback repeats far more)."""
    read = read_paths([str(folder)], settings)
    people = sum(1 for t in read.transcripts for p in t.participants if not p.is_interviewer)
    sentences = [
        sentence
        for t in read.transcripts
        for turn in t.turns
        if (p := t.participant_for(turn.speaker)) is not None and not p.is_interviewer
        for sentence in SENTENCE_END.split(turn.text)
        if len(sentence.split()) >= 5
    ]
    return {
        "files": len(read.transcripts),
        "skipped": len(read.skipped),
        "participants": people,
        "participant_words": sum(t.participant_words for t in read.transcripts),
        "distinct_sentence_share": round(len(set(sentences)) / max(1, len(sentences)), 3),
    }


def build(
    out: Path, interviews: int, words: int, seed: int = 7, shared: Path = REAL_INTERVIEWS
) -> dict[str, Any]:
    """Writes the corpus into ``out`` (reused when its stamp shows the same recipe) and
    returns the stamp: the recipe and the counts."""
    settings = default_settings()
    folders, described = source_folders(shared)
    recipe = {"interviews": interviews, "words": words, "seed": seed, "sources": described}
    recipe["generator"] = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    stamp = out / STAMP
    if stamp.is_file():
        known = json.loads(stamp.read_text("utf-8"))
        if known.get("recipe") == recipe:
            return known
    sources = read_sources(folders, settings)
    clear(out)
    write_interviews(out, sources, interviews, words, seed=seed)
    counts = counted(out, settings)
    made = {"recipe": recipe, "source_interviews": len(sources), **counts}
    stamp.write_text(json.dumps(made, indent=2) + "\n", "utf-8")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--interviews", type=int, default=1000)
    parser.add_argument(
        "--words", type=int, help=f"participant words in all (default {WORDS_PER_INTERVIEW} each)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--real", type=Path, default=REAL_INTERVIEWS, help="source interviews")
    args = parser.parse_args()
    words = args.words or WORDS_PER_INTERVIEW * args.interviews
    made = build(args.out, args.interviews, words, args.seed, args.real)
    print(json.dumps(made, indent=2))
    if made["participant_words"] < words:
        raise SystemExit(f"only {made['participant_words']:,} participant words, not {words:,}")


if __name__ == "__main__":
    main()
