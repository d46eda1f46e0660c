"""One measurement of the scale benchmark, in a process of its own (bench/scale.py starts it).

A process per measurement makes its peak memory its own: ``ru_maxrss`` only grows, so
corpora measured in one process would all report the largest one's peak.

``corpus`` runs persona_lab once on a folder, files to cards, with the models loaded
beforehand and timed apart, and times every stage from the progress callback of
``persona_lab.run``; with ``--sentences`` it also saves the participant sentences
persona_lab considered, for the BERTopic anchor. ``store`` measures the research store:
a re-run with nothing changed (the CLI in a fresh process, and the API) and a re-run
after 10 new interviews were added.

    python bench/scale_measure.py corpus real ../shared/data/interviews --json out.json
    python bench/scale_measure.py store transcripts/demo --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import median
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import persona_lab  # noqa: E402
from persona_lab import pool  # noqa: E402
from persona_lab.embed import CachedEmbedder, load_embedder  # noqa: E402
from persona_lab.ingest import read_paths  # noqa: E402
from persona_lab.nlp import load_pipeline  # noqa: E402
from persona_lab.settings import Settings, default_settings  # noqa: E402
from scale_corpus import read_sources, write_interviews  # noqa: E402

SCORING = "Scoring sentences"
NEW_INTERVIEWS = 10
RERUNS = 3


class StageClock:
    """The ``progress`` callback of ``persona_lab.run``: times each stage.

    Parsing and scoring go through the files chunk by chunk, so their bars advance in
    turns: the time since the last step of any stage goes to the stage that steps now
    (the time after the last step, to the last stage that stepped).
    """

    def __init__(self) -> None:
        self.started = self.last = perf_counter()
        self.order: list[str] = []
        self.totals: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.current = ""

    def __call__(self, stage: str, total: int) -> Callable[[int], None]:
        if stage not in self.totals:
            self.order.append(stage)
            self.seconds[stage] = 0.0
        self.totals[stage] = total

        def advance(n: int) -> None:
            now = perf_counter()
            self.seconds[stage] += now - self.last
            self.last, self.current = now, stage

        return advance

    def stages(self, stopped: float) -> list[dict[str, Any]]:
        if self.current:
            self.seconds[self.current] += stopped - self.last
            self.last = stopped
        return [
            {"stage": name, "total": self.totals[name], "seconds": round(self.seconds[name], 3)}
            for name in self.order
        ]


class SentenceRecorder(CachedEmbedder):
    """The run's embedder, keeping the texts it is asked to encode while sentences are
    scored: those are the candidate sentences of participant turns (the classifier embeds
    every one), which is what the BERTopic anchor must cluster to be comparable."""

    def __init__(self, inner: CachedEmbedder, clock: StageClock) -> None:
        super().__init__(inner.inner)
        self.clock = clock
        self.sentences: dict[str, None] = {}  # distinct, in first-seen order

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> Any:
        if SCORING in self.clock.totals and progress is not None:
            self.sentences.update(dict.fromkeys(texts))
        return super().encode(texts, progress)

    def encode_tapped(
        self, texts: Sequence[str], top: Any, progress: Callable[[int], None] | None = None
    ) -> Any:
        """The tuned classifier scores through this pass instead of ``encode``."""
        if SCORING in self.clock.totals and progress is not None:
            self.sentences.update(dict.fromkeys(texts))
        return super().encode_tapped(texts, top, progress)


def settings_with_workers(workers: int) -> tuple[Settings, int | None]:
    """The defaults, with ``workers`` spaCy processes when the setting exists."""
    settings = default_settings()
    if not hasattr(settings, "workers"):
        return settings, None
    return settings.with_overrides(workers=workers), workers


def load_models(settings: Settings) -> tuple[Any, CachedEmbedder, dict[str, float]]:
    """spaCy and the embedder, loaded once; the embedder loads lazily, so one sentence
    is encoded to make its load count here rather than in the first stage that embeds."""
    start = perf_counter()
    nlp = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    spacy_s = perf_counter() - start
    embedder = load_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
    embedder.encode(["The model is loaded before the clock starts."])
    total = perf_counter() - start
    seconds = {"spacy": spacy_s, "embedder": total - spacy_s, "total": total}
    return nlp, embedder, {k: round(v, 3) for k, v in seconds.items()}


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants now, from /proc (Linux)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[1])
        found = re.search(r"VmRSS:\s+(\d+)", status)
        rss[int(entry.name)] = int(found.group(1)) if found else 0
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree)


class TreeMemory:
    """Samples the resident memory of this process and its worker processes together
    (ru_maxrss sees one process at a time), every ``interval`` seconds."""

    def __init__(self, interval: float = 0.5) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)

    def _sample(self, interval: float) -> None:
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, _tree_rss_kib(os.getpid()))
            self._stop.wait(interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def peak_mib() -> float:
    """Peak resident memory of this process plus its largest finished child (spaCy's
    worker processes), from ru_maxrss in KiB (Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def round_counts(result: persona_lab.Round) -> dict[str, int]:
    """What a run produced, counted."""
    themes = [t for p in result.personas for t in p.themes]
    return {
        "files": len(result.transcripts),
        "skipped": len(result.skipped),
        "participants": len(result.participants),
        "participant_words": sum(t.participant_words for t in result.transcripts),
        "insights": len(result.insights),
        "themes": len(themes),
        "quotes": sum(len(t.quotes) for t in themes),
        "personas": len(result.personas),
        "emerging_personas": sum(1 for p in result.personas if p.emerging),
        "unassigned_insights": len(result.unassigned),
    }


def timed_run(paths: Sequence[str], out: Path, settings: Settings, **kwargs: Any) -> dict:
    """persona_lab.run from files to cards, with its stages timed."""
    clock = kwargs.pop("clock", None) or StageClock()
    start = perf_counter()
    result = persona_lab.run(paths, out=out, settings=settings, progress=clock, **kwargs)
    stopped = perf_counter()
    counts = round_counts(result)
    seconds = stopped - start
    return {
        "seconds": round(seconds, 3),
        "words_per_s": round(counts["participant_words"] / seconds, 1),
        "stages": clock.stages(stopped),
        "counts": counts,
    }


def unit_sentences(paths: Sequence[str], settings: Settings) -> list[str]:
    """Fallback when the scorer embedded nothing: participant units cut at sentence ends,
    as long as persona_lab's shortest quotable sentence."""
    from persona_lab.extract.patterns import load_common, load_context
    from persona_lab.extract.units import participant_units
    from persona_lab.ingest import read_paths

    transcripts = read_paths(paths, settings).transcripts
    shortest = load_common().short_tokens
    found: dict[str, None] = {}
    for unit in participant_units(transcripts, load_context()):
        for sentence in re.split(r"(?<=[.!?])\s+", unit.text):
            if len(sentence.split()) >= shortest:
                found[sentence.strip()] = None
    return list(found)


def save_sentences(
    path: Path, recorded: list[str], paths: Sequence[str], settings: Settings
) -> dict[str, Any]:
    """Writes the sentences for the anchor and says where they came from."""
    if recorded:
        source = "candidate sentences persona_lab's classifier scored (distinct texts)"
        sentences = recorded
    else:
        source = "participant units split at sentence ends (the scorer embedded nothing)"
        sentences = unit_sentences(paths, settings)
    path.write_text(json.dumps({"source": source, "sentences": sentences}), "utf-8")
    return {"source": source, "count": len(sentences)}


def measure_corpus(args: argparse.Namespace) -> dict[str, Any]:
    settings, workers = settings_with_workers(args.workers)
    words = sum(t.participant_words for t in read_paths(args.paths, settings).transcripts)
    if pool.use_pool(settings, words):
        # Worker processes load the models, each once, inside the run's time; the parent
        # never needs them (the workers send back their insights' vectors).
        embedder = load_embedder(settings.embedding_model, batch_size=settings.embedding_batch_size)
        load_s = {"total": 0.0, "spacy": 0.0, "embedder": 0.0, "in_workers": True}
    else:
        _, embedder, load_s = load_models(settings)
    clock = StageClock()
    recorder = SentenceRecorder(embedder, clock)
    # No nlp=: run() loads the pipeline by name (load_pipeline is cached: the one loaded
    # above), and only then may a round large enough go to worker processes (pool.py),
    # which load the models by name themselves.
    with tempfile.TemporaryDirectory() as tmp:
        run = timed_run(args.paths, Path(tmp) / "out", settings, embedder=recorder, clock=clock)
    report = {"corpus": args.name, "paths": args.paths, "workers": workers, "model_load_s": load_s}
    report.update(run)
    if args.sentences:
        report["sentences"] = save_sentences(
            args.sentences, list(recorder.sentences), args.paths, settings
        )
    return report


def cli_rerun(folder: Path, db: Path, out: Path, name: str, workers: int | None) -> dict:
    """The CLI re-run in a fresh process, what a user waits for (imports and any model
    load included); a few times, the median being the figure."""
    command = [str(Path(sys.executable).parent / "persona-lab"), "run", str(folder)]
    command += ["--db", str(db), "--round", name, "--out", str(out)]
    command += ["--workers", str(workers)] if workers else []
    runs, codes = [], []
    for _ in range(RERUNS):
        start = perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        runs.append(round(perf_counter() - start, 3))
        codes.append(done.returncode)
    return {
        "seconds": median(runs),
        "runs_s": runs,
        "exit_codes": codes,
        "command": " ".join(["persona-lab", *command[1:]]),
        "stderr_tail": done.stderr.strip().splitlines()[-3:],
    }


def add_interviews(source: Path, into: Path, settings: Settings) -> dict[str, Any]:
    """Ten new interviews of the round's average length; their text is new (a source's
    second use, a filler word per sentence), since a byte-identical copy under a new name
    is reused from the store by its content and would measure nothing."""
    sources = read_sources([source], settings)
    words = sum(len(text.split()) for s in sources for spoken, text in s.turns if spoken)
    per_file = words // len(sources)
    words_in_all = per_file * NEW_INTERVIEWS
    write_interviews(
        into, sources, NEW_INTERVIEWS, words_in_all, seed=11, prefix="new", skip_first_use=True
    )
    return {"files": NEW_INTERVIEWS, "target_words_each": per_file}


def measure_store(args: argparse.Namespace) -> dict[str, Any]:
    settings, workers = settings_with_workers(args.workers)
    name = "bench-store"
    settings = settings.with_overrides(round=name)
    with tempfile.TemporaryDirectory() as tmp:
        folder, db, out = Path(tmp) / "round", Path(tmp) / "store.db", Path(tmp) / "out"
        shutil.copytree(args.paths[0], folder)
        _, embedder, load_s = load_models(settings)
        # No nlp=, as the CLI: run() loads spaCy by name when it parses (load_pipeline is
        # cached, so it is loaded once), and a large round may go to worker processes.
        models = {"embedder": embedder, "db": db}
        first = timed_run([str(folder)], out, settings, **models)
        rerun_cli = cli_rerun(folder, db, out, name, workers)
        rerun_api = timed_run([str(folder)], out, settings, **models)
        added = add_interviews(Path(args.paths[0]), folder, settings)
        incremental = timed_run([str(folder)], out, settings, **models)
    return {
        "corpus": args.name,
        "paths": args.paths,
        "workers": workers,
        "model_load_s": load_s,
        "first_stored_run": first,
        "rerun_cli": rerun_cli,
        "rerun_api": rerun_api,
        "added": added,
        "incremental": incremental,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("corpus", "store"))
    parser.add_argument("name")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sentences", type=Path)
    args = parser.parse_args()
    with TreeMemory() as memory:
        report = measure_corpus(args) if args.what == "corpus" else measure_store(args)
    # The sampled peak of the process tree (this process and its workers at once); the
    # ru_maxrss figure (this process plus its largest child) is kept for comparison.
    report["peak_mib"] = round(max(memory.peak_kib / 1024, peak_mib()), 1)
    report["peak_mib_rusage"] = peak_mib()
    args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
