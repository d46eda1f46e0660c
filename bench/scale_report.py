"""The scale benchmark's report: its figures against issue 8's targets, and as Markdown.

Kept apart from bench/scale.py, which measures, so the wording of BENCHMARKS.md can
change without touching how anything is timed. Every target row says met or not met;
a figure that was not measured, or whose run failed, says so rather than vanishing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

BEGIN = "<!-- scale:begin -->"
END = "<!-- scale:end -->"
HEADING = "## Scale and speed (make bench-scale)"
MIB_3GB = 3 * 1024
# The size of issue 8's scale target: figures on a smaller corpus are shown, not judged.
FULL_INTERVIEWS = 1000
FULL_WORDS = 1_500_000


def _status(value: float | None, limit: float, *, strict: bool = False) -> str:
    if value is None:
        return "not measured"
    return "met" if (value < limit if strict else value <= limit) else "not met"


def _failed(part: Any) -> bool:
    return isinstance(part, dict) and "error" in part


def _row(figure: str, value: float | None, unit: str, target: str, status: str) -> dict:
    return {"figure": figure, "measured": value, "unit": unit, "target": target, "status": status}


def _seconds(part: dict[str, Any] | None, *keys: str) -> float | None:
    """A figure deep in the report, or None where that part was not run or failed."""
    for key in keys:
        if not isinstance(part, dict) or "error" in part:
            return None
        part = part.get(key)
    return part if isinstance(part, (int, float)) else None


def store_targets(report: dict[str, Any]) -> list[dict]:
    store = report.get("store")
    where = f" ({store['corpus']})" if isinstance(store, dict) and "corpus" in store else ""
    rerun = _seconds(store, "rerun_cli", "seconds")
    added = _seconds(store, "incremental", "seconds")
    rerun_status = "not met: the run failed" if _failed(store) else _status(rerun, 3)
    codes = [c for c in (store or {}).get("rerun_cli", {}).get("exit_codes", []) if c]
    if codes:  # a CLI that crashed fast is no re-run
        rerun_status = f"not met: the CLI exited with {codes[0]}"
    return [
        _row(
            f"Re-run, nothing changed{where}: `persona-lab run --db` in a fresh process",
            rerun,
            "s",
            "≤ 3 s",
            rerun_status,
        ),
        _row(
            f"Stored round + 10 new interviews{where}, beyond loading models",
            added,
            "s",
            "≤ 10 s",
            "not met: the run failed" if _failed(store) else _status(added, 10),
        ),
    ]


def help_target(report: dict[str, Any]) -> dict:
    part = report.get("help")
    value = _seconds(part, "seconds")
    status = "not met: the run failed" if _failed(part) else _status(value, 1, strict=True)
    return _row("`persona-lab --help`, fresh process (median of 3)", value, "s", "< 1 s", status)


def _scale_status(run: Any, value: float | None, limit: float, full: bool, size: str) -> str:
    """Judged only on the target's corpus; a smaller one is shown, marked n/a."""
    if run is None or _failed(run):
        return "not measured" if run is None else "not met: the run failed"
    return _status(value, limit) if full else f"n/a: small corpus ({size})"


def scale_targets(report: dict[str, Any]) -> list[dict]:
    """The 1,000-interview figures; on a smaller corpus they are shown, not judged."""
    made = report.get("scale_corpus") or {}
    run = report.get("corpora", {}).get("scale")
    seconds, peak = _seconds(run, "seconds"), _seconds(run, "peak_mib")
    asked = report.get("options", {})
    size = (
        f"{made['files']:,} interviews, {made['participant_words']:,} words"
        if made
        else f"{asked.get('interviews', 0):,} interviews, {asked.get('words', 0):,} words asked"
    )
    full = (
        made.get("files", 0) >= FULL_INTERVIEWS and made.get("participant_words", 0) >= FULL_WORDS
    )
    return [
        _row(
            f"Scale corpus ({size}), files to cards, beyond loading models",
            seconds,
            "s",
            "≤ 120 s",
            _scale_status(run, seconds, 120, full, size),
        ),
        _row(
            f"Scale corpus ({size}), peak resident memory",
            peak,
            "MiB",
            f"≤ 3 GB ({MIB_3GB:,} MiB)",
            _scale_status(run, peak, MIB_3GB, full, size),
        ),
    ]


def targets(report: dict[str, Any]) -> list[dict]:
    """Issue 8's targets, each with its figure and met / not met."""
    return [*store_targets(report), help_target(report), *scale_targets(report)]


def _n(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _targets_table(rows: list[dict]) -> list[str]:
    lines = ["| figure | measured | target | |", "|---|---|---|---|"]
    for r in rows:
        measured = (
            "—"
            if r["measured"] is None
            else f"{_n(r['measured'], 1 if r['unit'] == 'MiB' else 2)} {r['unit']}"
        )
        status = f"**{r['status']}**" if r["status"].startswith("not met") else r["status"]
        lines.append(f"| {r['figure']} | {measured} | {r['target']} | {status} |")
    return lines


def _counts_line(c: dict[str, int]) -> str:
    return (
        f"{c['files']:,} files ({c['skipped']} skipped), {c['participants']:,} participants, "
        f"{c['participant_words']:,} participant words → {c['insights']:,} insights, "
        f"{c['themes']:,} themes ({c['quotes']:,} quotes), {c['personas']} personas "
        f"({c['emerging_personas']} emerging)"
    )


def _stages_table(run: dict[str, Any]) -> list[str]:
    words = run["counts"]["participant_words"]
    total = run["seconds"]
    lines = ["| stage | items | seconds | share | words/s |", "|---|---|---|---|---|"]
    for s in run["stages"]:
        # A rate for stages long enough for one to mean something.
        rate = _n(words / s["seconds"], 0) if s["seconds"] >= 0.5 else "—"
        share = f"{100 * s['seconds'] / total:.0f}%" if total else "—"
        lines.append(f"| {s['stage']} | {s['total']:,} | {_n(s['seconds'])} | {share} | {rate} |")
    lines.append(
        f"| **files to cards** | | **{_n(total)}** | 100% | **{_n(run['words_per_s'], 0)}** |"
    )
    return lines


def corpus_block(name: str, run: dict[str, Any], made: dict[str, Any] | None) -> list[str]:
    paths = ", ".join(run.get("paths", [])) if isinstance(run, dict) else ""
    lines = [f"### {name}: {paths}", ""]
    if "error" in run:
        return [
            *lines,
            f"The run failed ({run['error']}): {' / '.join(run['stderr_tail'][-1:])}",
            "",
        ]
    load = run["model_load_s"]
    loading = (
        "Files go to worker processes (`pool.py`), each loading the models once inside the "
        "run's time; parsing and scoring then run together, shown as one stage. "
        if load.get("in_workers")
        else f"Models loaded once in {_n(load['total'])} s (spaCy {_n(load['spacy'])} s, "
        f"embeddings {_n(load['embedder'])} s), apart from the run. "
    )
    lines += [
        _counts_line(run["counts"]) + ".",
        "",
        f"{loading}Files to cards: {_n(run['seconds'])} s, "
        f"{_n(run['words_per_s'], 0)} participant words/s; peak resident memory "
        f"{_n(run['peak_mib'], 0)} MiB; workers {run['workers']}.",
    ]
    if made:
        lines += ["", corpus_recipe(made)]
    return [*lines, "", *_stages_table(run), ""]


def corpus_recipe(made: dict[str, Any]) -> str:
    return (
        f"Made by `bench/scale_corpus.py` from {made['source_interviews']} source interviews "
        f"({made['recipe']['sources']}) into `{made['folder']}`: each file holds whole source "
        "interviews as follow-up sessions of one participant up to its share of the words; every "
        "reuse of a source inserts one filler word per sentence, so no sentence is free to the "
        "embedding cache or the store; "
        f"{100 * made.get('distinct_sentence_share', 0):.0f}% of its participant sentences of "
        "five words or more are distinct. Words counted with persona_lab (`participant_words`)."
    )


def store_block(store: dict[str, Any]) -> list[str]:
    lines = [f"### Research store ({store.get('corpus', '?')})", ""]
    if "error" in store:
        failed = f"The run failed ({store['error']}): {' / '.join(store['stderr_tail'][-1:])}"
        return [*lines, failed, ""]
    cli = store["rerun_cli"]
    if any(cli["exit_codes"]):
        lines += [f"The CLI re-run failed: {' / '.join(cli['stderr_tail'][-1:])}", ""]
    runs = ", ".join(_n(x) for x in cli["runs_s"])
    lines += [
        "| run | files | seconds | stages (s) |",
        "|---|---|---|---|",
        f"| Re-run, nothing changed: `{_short(cli['command'])}`, fresh process, median of "
        f"{runs} (exit codes {cli['exit_codes']}) | | {_n(cli['seconds'])} | imports included |",
    ]
    rows = [
        ("First stored run (API, models loaded)", store["first_stored_run"]),
        ("Re-run, nothing changed (API, models loaded)", store["rerun_api"]),
        (f"+ {store['added']['files']} new interviews (API, models loaded)", store["incremental"]),
    ]
    for label, run in rows:
        stages = ", ".join(f"{s['stage']} {_n(s['seconds'])}" for s in run["stages"])
        lines.append(f"| {label} | {run['counts']['files']} | {_n(run['seconds'])} | {stages} |")
    return [*lines, ""]


def _short(command: str) -> str:
    """The CLI command with its temporary paths cut to their last part."""
    return re.sub(r"/\S*/(\S+)", r"\1", command)


def anchor_block(anchor: dict[str, Any], corpora: dict[str, Any]) -> list[str]:
    lines = [f"### Anchor: BERTopic on the same sentences ({anchor['corpus']})", ""]
    if not anchor.get("installed"):
        tail = " / ".join(anchor.get("stderr_tail", [])[-1:])
        reason = anchor.get("message") or f"BERTopic failed ({anchor.get('error')}): {tail}"
        return [*lines, f"{reason}; no anchor figure.", ""]
    ours = corpora.get(anchor["corpus"], {})
    if "error" in ours:
        return [*lines, "persona_lab's run on this corpus failed; no comparison.", ""]
    c = ours["counts"]
    ratio = ours["seconds"] / anchor["seconds"] if anchor["seconds"] else None
    words = "; ".join(", ".join(t["words"]) for t in anchor["largest"][:3])
    lines += [
        f"Both on {anchor['sentences']:,} sentences: {anchor['sentence_source']}. BERTopic "
        f"{anchor['version']} with the same all-MiniLM-L6-v2 files, batch size "
        f"{anchor['batch_size']}, its default UMAP and HDBSCAN (UMAP random_state "
        f"{anchor['umap_random_state']}).",
        "",
        "| | persona_lab | BERTopic |",
        "|---|---|---|",
        f"| wall time, models loaded apart | {_n(ours['seconds'])} s (files to cards) | "
        f"{_n(anchor['seconds'])} s (embed {_n(anchor['embed_s'])} + UMAP, HDBSCAN, c-TF-IDF "
        f"{_n(anchor['fit_s'])}) |",
        f"| loading | {_n(ours['model_load_s']['total'])} s | {_n(anchor['load_s']['total'])} s "
        f"(import {_n(anchor['load_s']['import'])}) |",
        f"| peak resident memory | {_n(ours['peak_mib'], 0)} MiB "
        f"| {_n(anchor['peak_mib'], 0)} MiB |",
        f"| produced | {c['personas']} personas, {c['themes']} themes, {c['insights']:,} insights "
        f"with {c['quotes']:,} quotes on the cards | {anchor['topics']} topics, "
        f"{anchor['outliers']:,} sentences as outliers |",
        "",
        f"persona_lab / BERTopic wall time: **{_n(ratio)}×**. BERTopic's largest topics: {words}.",
        "",
    ]
    return lines


def header(report: dict[str, Any], results: Path) -> list[str]:
    m = report["machine"]
    p = m["packages"]
    small = report["run"] != "full"
    lines = [HEADING, ""]
    if small:
        lines += [
            "**Small run**: not the figures of record (fewer interviews, or only some parts).",
            "",
        ]
    lines += [
        f"Written by [`bench/scale.py`](bench/scale.py) on {report['date']}, commit "
        f"{report['commit']}, in {report['benchmark_s']:,.0f} s; every figure is in "
        f"`{results.name}`. Machine: {m['cpu_count']} × {m['cpu_model']}, {m['ram_gib']} GiB, "
        f"Python {m['python']}, torch {p['torch']}, spaCy {p['spacy']}, sentence-transformers "
        f"{p['sentence-transformers']}, hdbscan {p['hdbscan']}, bertopic {p['bertopic']}. Load "
        f"average before and after: {report['load_average_before'][0]} and "
        f"{report['load_average_after'][0]} (other jobs slow every figure).",
        "",
        "Default settings, `workers` as shown per corpus (a round of 200,000 participant words "
        "or more goes to that many worker processes, smaller ones run in one process). Each "
        "corpus runs in its own process, models loaded once. Parsing and scoring go through the "
        "files chunk by chunk; the time between two progress steps goes to the stage that steps "
        "(parsing includes titles, talk counts and finding candidate sentences; with a store, "
        "building personas includes saving the round). Peak memory is the largest sum of the "
        "resident memory of the process and its workers, sampled every 0.5 s.",
        "",
    ]
    for note in report.get("notes", []):
        lines += [f"Note: {note}.", ""]
    return lines


def section(report: dict[str, Any], results: Path) -> str:
    """The whole section, markers included."""
    lines = [BEGIN, *header(report, results), "### Targets (issue 8)", ""]
    lines += [*_targets_table(report["targets"]), ""]
    for name, run in report.get("corpora", {}).items():
        made = report.get("scale_corpus") if name == "scale" else None
        lines += corpus_block(name, run, made)
    if "store" in report:
        lines += store_block(report["store"])
    if "anchor" in report:
        lines += anchor_block(report["anchor"], report.get("corpora", {}))
    return "\n".join([*lines, END])


def replace_section(path: Path, text: str) -> None:
    """Replaces the section between the markers in place, or appends it the first time."""
    current = path.read_text("utf-8") if path.is_file() else ""
    if BEGIN in current and END in current:
        before, rest = current.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        updated = before + text + after
    else:
        updated = current.rstrip("\n") + ("\n\n" if current else "") + text + "\n"
    path.write_text(updated, "utf-8")
