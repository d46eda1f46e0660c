"""Performance at real scale (issue 8), measured against the usual alternative.

Runs persona_lab from files to cards on the demo round, on the real interviews in
../shared/data/interviews (skipped with a message when absent) and on a scale corpus of
1,000 interviews and 1.5 million participant words (bench/scale_corpus.py); measures the
research store (a re-run with nothing changed, then 10 new interviews) and
``persona-lab --help``; and times BERTopic on the sentences persona_lab considered. Each
measurement runs in a process of its own (bench/scale_measure.py, bench/bertopic_anchor.py)
so its peak memory is its own.

A full run writes bench/results/scale.json and the section of BENCHMARKS.md between
``<!-- scale:begin -->`` and ``<!-- scale:end -->``. A smaller run (fewer interviews or
words, or ``--only``) writes bench/results/scale-small.json (gitignored) and prints its
section, so BENCHMARKS.md only holds a full run unless ``--benchmarks`` names it.

    python bench/scale.py                      # the full run (make bench-scale); 30+ minutes
    python bench/scale.py --only demo,scale,rerun,help --interviews 30 --results /tmp/s.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from statistics import median
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import scale_corpus  # noqa: E402
from scale_report import FULL_INTERVIEWS, FULL_WORDS, replace_section, section, targets  # noqa: E402

PARTS = ("demo", "real", "scale", "rerun", "help", "bertopic")
PACKAGES = ("persona-lab", "spacy", "sentence-transformers", "hdbscan", "torch", "bertopic")
PACKAGES += ("umap-learn", "numpy", "scikit-learn")
HELP_RUNS = 3


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [x for x in cpuinfo.read_text().splitlines() if x.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    ram_kib = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total = [x for x in meminfo.read_text().splitlines() if x.startswith("MemTotal")]
        ram_kib = int(total[0].split()[1]) if total else 0
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": round(ram_kib / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {name: installed(name) for name in PACKAGES},
    }


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def commit() -> str:
    """The commit measured, marked dirty when src/ has uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (src/ has uncommitted changes)" if git("status", "--porcelain", "src") else "")


class Children:
    """Runs the measuring scripts, one process each, and keeps the commands it ran."""

    def __init__(self, workers: int, tmp: Path) -> None:
        self.workers = workers
        self.commands: list[str] = []
        self.tmp = tmp

    def run(self, script: str, *args: str) -> dict[str, Any]:
        """One child; its JSON report, or the error it died with (never hidden)."""
        out = self.tmp / f"{len(self.commands)}.json"
        command = [sys.executable, str(ROOT / "bench" / script), *args, "--json", str(out)]
        self.commands.append(shlex.join(["python", f"bench/{script}", *args]))
        print(f"[scale] {self.commands[-1]}", file=sys.stderr, flush=True)
        start = perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 or not out.is_file():
            tail = done.stderr.strip().splitlines()[-5:]
            return {"error": f"exit code {done.returncode}", "stderr_tail": tail}
        report = json.loads(out.read_text("utf-8"))
        report["process_s"] = round(perf_counter() - start, 3)
        return report

    def corpus(self, name: str, folder: Path, sentences: Path | None = None) -> dict[str, Any]:
        args = ["corpus", name, shown(folder), "--workers", str(self.workers)]
        args += ["--sentences", str(sentences)] if sentences else []
        return self.run("scale_measure.py", *args)

    def store(self, name: str, folder: Path) -> dict[str, Any]:
        return self.run(
            "scale_measure.py", "store", name, shown(folder), "--workers", str(self.workers)
        )

    def bertopic(self, sentences: Path) -> dict[str, Any]:
        return self.run("bertopic_anchor.py", str(sentences))


def shown(folder: Path) -> str:
    """A folder as the project sees it (the children run in the project's folder), so the
    report says ``../shared/data/interviews``, not a machine's absolute path."""
    return os.path.relpath(folder, ROOT)


def help_time() -> dict[str, Any]:
    """``persona-lab --help`` in a fresh process, a few times (the median is the figure)."""
    command = [str(Path(sys.executable).parent / "persona-lab"), "--help"]
    runs = []
    for _ in range(HELP_RUNS):
        start = perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        runs.append(round(perf_counter() - start, 3))
        if done.returncode != 0:
            return {
                "error": f"exit code {done.returncode}",
                "stderr_tail": done.stderr.splitlines()[-3:],
            }
    return {"command": "persona-lab --help", "runs_s": runs, "seconds": median(runs)}


def corpus_folders(args: argparse.Namespace, notes: list[str]) -> dict[str, Path]:
    """The corpora to run, by name; the real interviews only where the folder is."""
    folders = {"demo": scale_corpus.DEMO_ROUND}
    if args.real.is_dir():
        folders["real"] = args.real
    else:
        notes.append(f"real interviews skipped: {args.real} is absent")
        print(f"[scale] {notes[-1]}", file=sys.stderr)
    return folders


def make_scale_corpus(args: argparse.Namespace, notes: list[str]) -> tuple[Path, dict[str, Any]]:
    """The scale corpus (made, or reused when its recipe is unchanged), timed."""
    folder = args.corpus_dir / f"scale-{args.interviews}-{args.words}"
    start = perf_counter()
    made = scale_corpus.build(folder, args.interviews, args.words, shared=args.real)
    made = {**made, "folder": shown(folder), "build_or_check_s": round(perf_counter() - start, 3)}
    words = made["participant_words"]
    print(f"[scale] scale corpus: {made['files']} files, {words:,} words", file=sys.stderr)
    if words < args.words:
        notes.append(f"the scale corpus holds {words:,} participant words, not {args.words:,}")
    return folder, made


def anchor_name(args: argparse.Namespace, folders: dict[str, Path]) -> str:
    """The corpus BERTopic is timed on: the one asked for, else the real interviews."""
    if args.anchor in folders:
        return args.anchor
    return "real" if "real" in folders else "demo"


def measure(args: argparse.Namespace, children: Children, notes: list[str]) -> dict[str, Any]:
    """Every figure asked for, in one report."""
    report: dict[str, Any] = {"corpora": {}}
    folders = corpus_folders(args, notes)
    if "scale" in args.only or (args.anchor == "scale" and "bertopic" in args.only):
        folders["scale"], report["scale_corpus"] = make_scale_corpus(args, notes)
    anchor = anchor_name(args, folders) if "bertopic" in args.only else None
    sentences = children.tmp / "sentences.json"
    for name, folder in folders.items():
        if name in args.only or name == anchor:
            given = sentences if name == anchor else None
            report["corpora"][name] = children.corpus(name, folder, given)
    if "rerun" in args.only:
        store_on = "real" if "real" in folders else "demo"
        report["store"] = children.store(store_on, folders[store_on])
    if "help" in args.only:
        report["help"] = help_time()
    if anchor is not None:
        report["anchor"] = {"corpus": anchor, **anchor_report(children, sentences)}
    return report


def anchor_report(children: Children, sentences: Path) -> dict[str, Any]:
    if not sentences.is_file():
        return {"installed": None, "message": "no sentences: the anchor corpus run failed"}
    bertopic = children.bertopic(sentences)
    if bertopic.get("installed") is False:
        print(f"[scale] {bertopic['message']}; the other figures are reported", file=sys.stderr)
    return bertopic


def is_full(args: argparse.Namespace) -> bool:
    """Whether this is the run of record: every part, at the target's size."""
    big = args.interviews >= FULL_INTERVIEWS and args.words >= FULL_WORDS
    return big and set(args.only) == set(PARTS)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated: {','.join(PARTS)}"
    )
    parser.add_argument(
        "--interviews", type=int, default=FULL_INTERVIEWS, help="scale corpus files"
    )
    parser.add_argument("--words", type=int, help="scale corpus participant words (1,500 each)")
    parser.add_argument("--workers", type=int, default=2, help="spaCy processes (setting workers)")
    parser.add_argument("--anchor", choices=("real", "demo", "scale"), help="BERTopic's corpus")
    parser.add_argument(
        "--real", type=Path, default=scale_corpus.REAL_INTERVIEWS, help="the real interviews"
    )
    parser.add_argument(
        "--corpus-dir", type=Path, default=ROOT / "bench" / ".corpus", help="where corpora go"
    )
    parser.add_argument("--results", type=Path, help="JSON out (default bench/results/scale.json)")
    parser.add_argument("--benchmarks", type=Path, help="Markdown file whose section is replaced")
    args = parser.parse_args()
    args.only = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown parts {sorted(unknown)}; choose from {','.join(PARTS)}")
    args.words = args.words or scale_corpus.WORDS_PER_INTERVIEW * args.interviews
    args.corpus_dir = args.corpus_dir.resolve()
    return args


def outputs(args: argparse.Namespace, full: bool) -> tuple[Path, Path | None]:
    """Where the figures go: a small run never lands in BENCHMARKS.md unless asked."""
    results = ROOT / "bench" / "results" / ("scale.json" if full else "scale-small.json")
    benchmarks = ROOT / "BENCHMARKS.md" if full else None
    return args.results or results, args.benchmarks or benchmarks


def main() -> None:
    args = parse_args()
    full = is_full(args)
    notes: list[str] = []
    started = dt.datetime.now().astimezone()
    load_before = os.getloadavg()
    start = perf_counter()
    report = {
        "run": "full" if full else "small",
        "date": started.isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
    }
    with tempfile.TemporaryDirectory(prefix="persona-lab-scale-") as tmp:
        children = Children(args.workers, Path(tmp))
        report.update(measure(args, children, notes))
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["benchmark_s"] = round(perf_counter() - start, 1)
    report["commands"] = [
        shlex.join(["python", "bench/scale.py", *sys.argv[1:]]),
        *children.commands,
    ]
    report["notes"] = notes
    results, benchmarks = outputs(args, full)
    report["targets"] = targets(report)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    markdown = section(report, results)
    if benchmarks is not None:
        replace_section(benchmarks, markdown)
    else:
        print(markdown)
    print(
        f"[scale] wrote {results}" + (f" and {benchmarks}" if benchmarks else ""), file=sys.stderr
    )


if __name__ == "__main__":
    main()
