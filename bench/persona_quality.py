"""How well personas and themes recover a known truth, and how stable they are.

Runs persona_lab on synthetic rounds (bench/synthetic_round.py) with titles given and
hidden, and reports the adjusted Rand index of participant -> persona against the true
roles and the purity of themes against the true statement themes; then reruns on 90%
subsamples of a round and reports how many personas and top themes come back: of the
synthetic round, the demo round and, where ../shared/data/interviews is, the 157 real
interviews (extracted once; personas rebuilt from each subsample's insights).

    python bench/persona_quality.py --out bench/results/persona_quality.json
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "interviews"
sys.path.insert(0, str(ROOT / "bench"))

import persona_lab  # noqa: E402
from persona_lab import ingest  # noqa: E402
from persona_lab.embed import load_embedder  # noqa: E402
from persona_lab.nlp import load_pipeline  # noqa: E402
from persona_lab.pipeline import build_round  # noqa: E402
from persona_lab.synthesize import build_personas  # noqa: E402
from synthetic_round import generate  # noqa: E402


def persona_of_file(result: persona_lab.Round) -> dict[str, str]:
    out = {}
    for persona in result.personas:
        for p in persona.participants:
            for source in p.sources:
                out[Path(source).name] = persona.id
    return out


def recovery(result: persona_lab.Round, truth: dict) -> dict[str, float]:
    """ARI of participants to personas, and the purity of themes, against the truth."""
    assigned = persona_of_file(result)
    files = sorted(truth["participants"])
    true_roles = [truth["participants"][f] for f in files]
    found = [assigned.get(f, "(none)") for f in files]
    statements = truth["statements"]
    matched = total = 0
    for persona in result.personas:
        for theme in persona.themes:
            labels = Counter(
                tuple(statements[i.text]) for i in theme.insights if i.text in statements
            )
            if labels:
                matched += labels.most_common(1)[0][1]
                total += sum(labels.values())
    found_statements = {i.text for i in result.insights} & set(statements)
    return {
        "participants": len(files),
        "personas": len(result.personas),
        "ari": round(adjusted_rand_score(true_roles, found), 3),
        "theme_purity": round(matched / total, 3) if total else 0.0,
        "statements_found": round(len(found_statements) / len(statements), 3),
    }


def top_themes(persona: persona_lab.Persona, n: int = 3) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for kind in ("pain", "goal", "objection"):
        out |= {(kind, t.label) for t in persona.themes_of(kind)[:n]}
    return out


def stability(
    folder: Path, runs: int, seed: int, nlp: object, embedder: object, settings: object
) -> dict[str, float]:
    """Personas (by role) and top themes of the full round found again on 90% subsamples."""
    full = persona_lab.run([str(folder)], nlp=nlp, embedder=embedder, settings=settings)
    roles = {(p.role.function, p.role.seniority): p for p in full.personas if not p.emerging}
    files = sorted(f for f in folder.iterdir() if f.is_file() and f.name != "truth.json")
    rng = random.Random(seed)
    persona_overlap, theme_overlap = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            keep = rng.sample(files, max(1, round(0.9 * len(files))))
            for f in files:
                if f in keep or f.suffix in (".csv", ".yaml"):
                    shutil.copy(f, Path(tmp) / f.name)
            sub = persona_lab.run([tmp], nlp=nlp, embedder=embedder, settings=settings)
        again = {(p.role.function, p.role.seniority): p for p in sub.personas}
        persona_overlap.append(len(set(roles) & set(again)) / max(1, len(roles)))
        for key, persona in roles.items():
            if key in again:
                mine, theirs = top_themes(persona), top_themes(again[key])
                theme_overlap.append(len(mine & theirs) / max(1, len(mine)))
    return {
        "subsamples": runs,
        "personas_found_again": round(sum(persona_overlap) / len(persona_overlap), 3),
        "top_theme_labels_found_again": round(sum(theme_overlap) / max(1, len(theme_overlap)), 3),
    }


def _top_statements(personas, n: int = 3) -> dict[tuple[str, str], list[tuple]]:
    """(persona id, kind) -> the top themes' labels and statement keys; a persona's id
    is its role's slug, the same in a subsample."""
    out = {}
    for p in personas:
        if p.emerging:
            continue
        for kind in ("pain", "goal", "objection"):
            out[(p.id, kind)] = [
                (t.label, {i.key for i in t.insights}) for t in p.themes_of(kind)[:n]
            ]
    return out


def real_stability(folder: Path, runs: int, seed: int, nlp, embedder, settings) -> dict:
    """Top themes of the real round found again on 90% subsamples of its interviews.

    A top theme comes back by label when a top-three theme of its persona and kind has
    the same label, and by statements when one shares at least half of the statements
    both could hold (Jaccard over the subsample's statements).
    """
    read = ingest.read_paths([str(folder)], settings)
    built = build_round([str(folder)], read, settings, nlp=nlp, embedder=embedder)
    round_, vectors = built.round, built.vectors
    full = _top_statements(round_.personas)
    rng = random.Random(seed)
    by_label = by_statements = total = 0
    for _ in range(runs):
        keep = sorted(
            rng.sample(range(len(round_.transcripts)), round(0.9 * len(round_.transcripts)))
        )
        transcripts = [round_.transcripts[i] for i in keep]
        ids = {p.id for t in transcripts for p in t.participants}
        rows = [n for n, i in enumerate(round_.insights) if i.participant in ids]
        insights = [round_.insights[n] for n in rows]
        present = {i.key for i in insights}
        again = _top_statements(
            build_personas(transcripts, insights, vectors[rows], settings, embedder.encode)[0]
        )
        for key, themes in full.items():
            for label, members in themes:
                members = members & present
                if not members:
                    continue
                total += 1
                found = again.get(key, [])
                by_label += any(other == label for other, _ in found)
                by_statements += any(len(members & m) / len(members | m) >= 0.5 for _, m in found)
    return {
        "subsamples": runs,
        "top_themes": total,
        "top_theme_labels_found_again": round(by_label / max(1, total), 3),
        "top_theme_statements_found_again": round(by_statements / max(1, total), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--subsamples", type=int, default=5)
    default_out = ROOT / "bench" / "results" / "persona_quality.json"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args()
    settings = persona_lab.default_settings()
    nlp = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    embedder = load_embedder(settings.embedding_model)
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for titles in ("given", "hidden"):
            folder = Path(tmp) / titles
            truth = generate(folder, args.participants, titles, seed=7)
            result = persona_lab.run([str(folder)], nlp=nlp, embedder=embedder, settings=settings)
            report[f"synthetic, titles {titles}"] = recovery(result, truth)
            print(titles, report[f"synthetic, titles {titles}"], flush=True)
        report["stability, synthetic (titles given)"] = stability(
            Path(tmp) / "given", args.subsamples, 3, nlp, embedder, settings
        )
        print(report["stability, synthetic (titles given)"], flush=True)
    report["stability, demo round"] = stability(
        ROOT / "transcripts" / "demo", args.subsamples, 3, nlp, embedder, settings
    )
    print(report["stability, demo round"], flush=True)
    if REAL.is_dir():
        report["stability, real interviews"] = real_stability(
            REAL, args.subsamples, 3, nlp, embedder, settings
        )
        print(report["stability, real interviews"], flush=True)
    else:
        print(f"real interviews skipped: {REAL} is absent", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
