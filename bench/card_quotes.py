"""What a reader of the real round's cards sees: are the quotes under a pain, goal or
objection theme labeled that kind?

Reads a run's personas.json and the real gold labels (references into
../shared/data/interviews), and reports, for the quotes shown under pain, goal and
objection themes that come from labeled interviews, the share whose gold label is the
theme's kind and the share that is some insight: apart for the interviews labeled last
(the shipped classifier never saw them) and the ones it was trained on.

    persona-lab run ../shared/data/interviews --out /tmp/real
    python bench/card_quotes.py /tmp/real/personas.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "interviews"
GOLD = ROOT / "src" / "persona_lab" / "data" / "gold"
KINDS = ("pain", "goal", "objection")
UNSEEN = 24  # the last rows of the gold README's table: labeled after the classifier


def labeled_files() -> tuple[list[str], list[str]]:
    """The labeled interviews the classifier was trained on, and those it never saw."""
    table = (GOLD / "README.md").read_text("utf-8")
    files = [m.group(1) for m in re.finditer(r"^\| (\d+\.md) \|", table, re.M)]
    return files[:-UNSEEN], files[-UNSEEN:]


def gold_by_line() -> dict[tuple[str, int], list[dict]]:
    out: dict[tuple[str, int], list[dict]] = {}
    for line in (GOLD / "real_interviews.jsonl").read_text("utf-8").splitlines():
        ref = json.loads(line)
        out.setdefault((ref["file"], ref["line"]), []).append(ref)
    return out


def measure(personas_json: Path) -> dict[str, dict[str, float]]:
    trained, unseen = labeled_files()
    group = {f: "trained on" for f in trained} | {f: "never seen" for f in unseen}
    gold = gold_by_line()
    counts = {name: [0, 0, 0] for name in ("never seen", "trained on")}
    round_ = json.loads(personas_json.read_text("utf-8"))
    for persona in round_["personas"]:
        for theme in persona["themes"]:
            if theme["kind"] not in KINDS:
                continue
            for quote in theme["quotes"]:
                name = Path(quote["source"]).name
                if name not in group:
                    continue
                text = (REAL / name).read_text("utf-8").splitlines()[quote["line"] - 1]
                start = text.find(quote["text"])
                end = start + len(quote["text"])
                refs = gold.get((name, quote["line"]), [])
                if start < 0 or not refs:
                    continue
                best = max(refs, key=lambda r: min(end, r["end"]) - max(start, r["start"]))
                tally = counts[group[name]]
                tally[0] += 1
                tally[1] += best["label"] == theme["kind"]
                tally[2] += best["label"] != "other"
    return {
        name: {
            "quotes": n,
            "of_the_themes_kind": round(kind / n, 3) if n else 0.0,
            "some_insight": round(insight / n, 3) if n else 0.0,
        }
        for name, (n, kind, insight) in counts.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("personas_json", type=Path)
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"skipped: {REAL} is absent", file=sys.stderr)
        return
    print(json.dumps(measure(args.personas_json), indent=2))


if __name__ == "__main__":
    main()
