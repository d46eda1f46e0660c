"""The second demo round against the first, with the real models: what `persona-lab diff`
says must be what transcripts/demo-2026-H2/README.md documents in its ```yaml block.

Both rounds are run through the CLI into one store (the first demo round as 2026-H1, the
second as 2026-H2), then `persona-lab diff 2026-H1 2026-H2 --json` is read.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from conftest import DEMO
from persona_lab.cli import app

pytestmark = pytest.mark.slow

DEMO_H2 = DEMO.parent / "demo-2026-H2"
OLD, NEW = "2026-H1", "2026-H2"
CHANGED = ("pain", "goal", "objection")
runner = CliRunner()


def documented() -> dict[str, Any]:
    readme = (DEMO_H2 / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block, "transcripts/demo-2026-H2/README.md must hold a ```yaml block"
    return yaml.safe_load(block.group(1))["diff"]


EXPECTED = documented()


def cli(*args: object) -> str:
    """Runs persona-lab in this process; its stdout."""
    result = runner.invoke(app, [str(a) for a in args])
    shown = " ".join(str(a) for a in args)
    assert result.exit_code == 0, f"persona-lab {shown} exited {result.exit_code}: {result.output}"
    return result.stdout


@dataclass(frozen=True)
class Rounds:
    db: Path
    out: dict[str, Path]
    diff: dict[str, Any]

    def personas(self, round_name: str) -> list[dict[str, Any]]:
        path = self.out[round_name] / "personas.json"
        return json.loads(path.read_text("utf-8"))["personas"]

    def insights(self, round_name: str) -> list[dict[str, str]]:
        with (self.out[round_name] / "insights.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))


def run_round(folder: Path, name: str, db: Path, out: Path) -> str:
    return cli("run", folder, "--round", name, "--db", db, "--out", out)


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> Rounds:
    base = tmp_path_factory.mktemp("demo-diff")
    db, out = base / "research.db", {OLD: base / OLD, NEW: base / NEW}
    run_round(DEMO, OLD, db, out[OLD])
    run_round(DEMO_H2, NEW, db, out[NEW])
    diff = json.loads(cli("diff", OLD, NEW, "--json", "--db", db))
    return Rounds(db, out, diff)


def persona_in(diff: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """The one persona of the diff with the spec's function and one of its seniorities."""
    found = [
        p
        for p in diff["personas"]
        if p["function"] == spec["function"] and p["seniority"] in spec["seniority"]
    ]
    shown = [(p["name"], p["function"], p["seniority"]) for p in diff["personas"]]
    assert len(found) == 1, f"{spec['function']}/{spec['seniority']}: {shown}"
    return found[0]


def says(theme: dict[str, Any], words: list[str]) -> bool:
    """Whether a theme's label and quotes hold all the words."""
    text = " ".join([theme["label"], *(q["text"] for q in theme["quotes"])]).lower()
    return all(str(w).lower() in text for w in words)


def themes_of(persona: dict[str, Any], kind: str, *statuses: str) -> list[dict[str, Any]]:
    return [t for s in statuses for t in persona["themes"][s] if t["kind"] == kind]


def label(spec: dict[str, Any]) -> str:
    return f"{spec['function']}-{spec['seniority'][0]}-{'-'.join(spec.get('words', []))}"


def test_demo_diff_compares_the_two_rounds(rounds):
    diff = rounds.diff
    assert (diff["old"]["round"], diff["new"]["round"]) == (
        EXPECTED["rounds"]["old"],
        EXPECTED["rounds"]["new"],
    )
    assert diff["old"]["participants"] == EXPECTED["participants"]["old"]
    assert diff["new"]["participants"] == EXPECTED["participants"]["new"]
    assert set(CHANGED) <= set(diff["kinds"]) and diff["not_compared"] == []


@pytest.mark.parametrize("spec", EXPECTED["kept_personas"], ids=label)
def test_demo_diff_persona_keeps_its_id_and_people(rounds, spec):
    persona = persona_in(rounds.diff, spec)
    assert persona["id"] == persona["old_id"], persona
    assert persona["name"].split(",")[0] == persona["old_name"].split(",")[0], persona
    for round_name in (OLD, NEW):
        same_id = [p for p in rounds.personas(round_name) if p["id"] == persona["id"]]
        assert len(same_id) == 1, f"{round_name}: no persona {persona['id']}"
        names = {person["name"] for person in same_id[0]["participants"]}
        assert set(spec["people"]) <= names, f"{round_name} {persona['id']}: {sorted(names)}"


def test_demo_diff_no_persona_came_or_went(rounds):
    diff = rounds.diff
    assert [p["name"] for p in diff["appeared"]] == EXPECTED["appeared"]
    assert [p["name"] for p in diff["disappeared"]] == EXPECTED["disappeared"]
    assert len(diff["personas"]) == len(EXPECTED["kept_personas"])


def test_demo_diff_persona_grows(rounds):
    spec = EXPECTED["grows"]
    persona = persona_in(rounds.diff, spec)
    assert persona["participants"] == spec["participants"]
    faded = [(t["kind"], t["label"]) for kind in CHANGED for t in themes_of(persona, kind, "faded")]
    assert not faded, f"{persona['name']} grew but themes faded: {faded}"
    gained = [t for kind in CHANGED for t in themes_of(persona, kind, "new", "grew")]
    assert gained, f"{persona['name']} grew but no theme is new or grew"


@pytest.mark.parametrize("spec", EXPECTED["new_themes"], ids=label)
def test_demo_diff_new_theme(rounds, spec):
    persona = persona_in(rounds.diff, spec)
    new = themes_of(persona, spec["kind"], "new")
    assert any(says(t, spec["words"]) for t in new), (
        f"{persona['name']}: no new {spec['kind']} theme with {spec['words']}: "
        f"{[t['label'] for t in new]}"
    )


@pytest.mark.parametrize(
    ("kind", "spec"),
    [("pain", s) for s in EXPECTED["faded_pains"]]
    + [("objection", s) for s in EXPECTED["faded_objections"]],
    ids=lambda x: x if isinstance(x, str) else label(x),
)
def test_demo_diff_theme_faded(rounds, kind, spec):
    persona = persona_in(rounds.diff, spec)
    faded = [t for t in themes_of(persona, kind, "faded") if says(t, spec["words"])]
    seen = {s: [t["label"] for t in themes_of(persona, kind, s)] for s in persona["themes"]}
    assert faded, f"{persona['name']}: no faded {kind} theme with {spec['words']}: {seen}"
    assert all(t["old_participants"] > 0 and t["new_participants"] == 0 for t in faded), faded


@pytest.mark.parametrize("spec", EXPECTED["kept_pains"], ids=label)
def test_demo_diff_pain_is_kept(rounds, spec):
    persona = persona_in(rounds.diff, spec)
    kept = themes_of(persona, "pain", "steady", "grew")
    assert any(says(t, spec["words"]) for t in kept), (
        f"{persona['name']}: no steady pain with {spec['words']}: {[t['label'] for t in kept]}"
    )


@pytest.mark.parametrize("spec", EXPECTED["words_out"], ids=label)
def test_demo_diff_words_left_the_vocabulary(rounds, spec):
    persona = persona_in(rounds.diff, spec)
    assert set(spec["words"]) <= set(persona["vocabulary"]["out"]), persona["vocabulary"]
    now = next(p for p in rounds.personas(NEW) if p["id"] == persona["id"])
    people = {person["id"] for person in now["participants"]}
    said = [i["text"].lower() for i in rounds.insights(NEW) if i["participant"] in people]
    assert said, f"no 2026-H2 insight of {persona['name']}"
    for word in spec["words"]:
        assert not [s for s in said if word in s], f"{persona['name']} still says {word!r}"


@pytest.mark.parametrize("spec", EXPECTED["new_objections"], ids=label)
def test_demo_diff_new_objection(rounds, spec):
    persona = persona_in(rounds.diff, spec)
    quotes = [q["text"].lower() for q in persona["new_objections"]]
    assert any(all(str(w).lower() in q for w in spec["words"]) for q in quotes), (
        f"{persona['name']}: no new objection with {spec['words']}: {quotes}"
    )


@pytest.mark.parametrize(("folder", "name"), [(DEMO_H2, NEW), (DEMO, OLD)], ids=[NEW, OLD])
def test_demo_diff_running_a_round_again_changes_nothing(rounds, folder, name):
    printed = run_round(folder, name, rounds.db, rounds.out[name])
    assert f"Round {name} unchanged in" in printed, printed
    rows = [json.loads(line) for line in cli("rounds", "--json", "--db", rounds.db).splitlines()]
    assert [r["name"] for r in rows] == [OLD, NEW]
    assert json.loads(cli("diff", OLD, NEW, "--json", "--db", rounds.db)) == rounds.diff
