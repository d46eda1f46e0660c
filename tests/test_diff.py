"""What changed between rounds: persona matching, ids kept, theme changes, new
objections, vocabulary, the report, and the refresh command. No model is loaded."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from persona_lab.cli import app
from persona_lab.diff import diff_rounds
from persona_lab.diff.changes import Side, new_objections, share_step, status_of, theme_changes
from persona_lab.diff.continuity import carry_ids, first_name
from persona_lab.diff.match import Pair, match_personas
from persona_lab.diff.report import render, write_report
from persona_lab.models import Insight, Participant, Persona, Quote, Role, Round, Theme
from persona_lab.settings import default_settings
from persona_lab.store import open_store
from persona_lab.store.rounds import load_round, round_vectors

FIXTURES = Path(__file__).parent / "fixtures" / "store"
H1, H2 = FIXTURES / "h1", FIXTURES / "h2"
sys.path.insert(0, str(FIXTURES))

from fake_run import run_round  # noqa: E402

runner = CliRunner()
DIMS = 8


def axis(*weights: float) -> np.ndarray:
    """A unit vector from its first coordinates."""
    v = np.zeros(DIMS, dtype=np.float32)
    v[: len(weights)] = weights
    return v / np.linalg.norm(v)


def person(pid: str) -> Participant:
    return Participant(id=pid, speaker=pid, name=pid.title(), is_interviewer=False)


def said(kind: str, text: str, pid: str, n: int) -> Insight:
    return Insight(kind, text, f"{pid}.txt", n, pid, pid, None, None, 0.9, turn=n)


def theme(kind: str, label: str, insights: list[Insight]) -> Theme:
    quotes = tuple(Quote.of(i) for i in insights[:2])
    return Theme(kind, label, len({i.participant for i in insights}), len(insights), quotes,
                 tuple(insights))  # fmt: skip


def persona(pid: str, function: str, people: list[str], themes=(), words=()) -> Persona:
    return Persona(
        id=pid,
        name=f"{pid.title()}, the {function.title()} Leader",
        role=Role(function, "vp"),
        participants=tuple(person(p) for p in people),
        themes=tuple(themes),
        vocabulary=tuple(words),
    )


def round_of(name: str, personas: list[Persona], vectors: dict[str, np.ndarray]) -> Side:
    insights = sorted(
        {i for p in personas for t in p.themes for i in t.insights}, key=lambda i: i.key
    )
    rows = np.stack([vectors[i.text] for i in insights]) if insights else np.zeros((0, DIMS))
    kinds = {"kinds": ["pain", "goal", "objection"]}
    built = Round(name, "2026-01-01", kinds, (), tuple(insights), tuple(personas))
    return Side(built, rows.astype(np.float32))


# Matching --------------------------------------------------------------------------


def test_diff_match_pairs_personas_by_role_then_similarity():
    old = [persona("sales", "sales", ["a"]), persona("finance", "finance", ["b"])]
    new = [persona("fin", "finance", ["c"]), persona("new-sales", "sales", ["d"]),
           persona("marketing", "marketing", ["e"])]  # fmt: skip
    centroids_old = [axis(1), axis(0, 1)]
    centroids_new = [axis(0, 1), axis(1, 0.2), axis(1)]  # marketing talks like sales
    pairs = match_personas(old, new, centroids_old, centroids_new)
    assert [(p.old, p.new) for p in pairs] == [(1, 0), (0, 1)]  # marketing stays new


def test_diff_match_never_pairs_two_different_known_functions():
    old = [persona("sales", "sales", ["a"])]
    new = [persona("finance", "finance", ["b"])]
    assert match_personas(old, new, [axis(1)], [axis(1)]) == []


def test_diff_match_unknown_roles_need_similar_insights():
    old = [persona("group-1", "other", ["a"])]
    new = [persona("group-2", "other", ["b"])]
    assert match_personas(old, new, [axis(1)], [axis(1, 0.1)])  # cosine 0.995
    assert match_personas(old, new, [axis(1)], [axis(1, 1)]) == []  # cosine 0.71


def test_diff_carry_ids_keeps_id_and_first_name_and_frees_clashes():
    previous = [persona("sales", "sales", ["a"])]
    new = [
        Persona("group-1", "Ines, the Sales Leader", Role("sales", "vp"), (), (), ()),
        Persona("sales", "Kai, the Marketing Leader", Role("marketing", "vp"), (), (), ()),
        Persona("finance", "Sales, the Finance Leader", Role("finance", "vp"), (), (), ()),
    ]
    kept = carry_ids(previous, new, [Pair(0, 0, 0.9)], ["Sales", "Noor", "Omar"], avoid=["noor"])
    assert [p.id for p in kept] == ["sales", "sales-2", "finance"]
    assert kept[0].name == "Sales, the Sales Leader"  # first name kept, role label new
    assert kept[1].name == "Kai, the Marketing Leader"
    assert kept[2].name == "Omar, the Finance Leader"  # its name was taken; Noor is avoided


def test_diff_a_new_persona_never_takes_the_name_of_one_that_did_not_come_back():
    previous = [persona("sales", "sales", ["a"]), persona("legal", "legal", ["b"])]
    gone = first_name(previous[1].name)
    new = [
        Persona("sales", "Ines, the Sales Leader", Role("sales", "vp"), (), (), ()),
        Persona("design", f"{gone}, the Design Leader", Role("design", "vp"), (), (), ()),
    ]
    kept = carry_ids(previous, new, [Pair(0, 0, 0.9)], [gone, "Omar"])
    assert kept[1].name == "Omar, the Design Leader"


def test_diff_carry_ids_renames_the_personas_a_theme_is_shared_with():
    previous = [persona("revenue-leader", "sales", ["a"])]

    def theme(shared):
        return Theme("pain", "security review", 2, 2, (), shared_with=shared, shared_group=1)

    new = [
        Persona("sales", "Ines, the Sales Leader", Role("sales", "vp"), (), (theme(("it",)),), ()),
        Persona(
            "it", "Kai, the IT Leader", Role("it_security", "vp"), (), (theme(("sales",)),), ()
        ),
    ]
    kept = carry_ids(previous, new, [Pair(0, 0, 0.9)], ["Omar"])
    assert [p.id for p in kept] == ["revenue-leader", "it"]
    assert kept[0].themes[0].shared_with == ("it",)
    assert kept[1].themes[0].shared_with == ("revenue-leader",)


# Changes -------------------------------------------------------------------------


def test_diff_status_follows_the_share_and_ignores_less_than_one_participant():
    assert status_of(0, 0.5) == "new" and status_of(0.5, 0) == "faded"
    assert status_of(0.2, 0.6) == "grew" and status_of(0.6, 0.2) == "shrank"
    assert status_of(0.5, 0.55) == "steady"
    step = share_step(3, 5)  # one person of three
    assert status_of(2 / 3, 2 / 5, step) == "steady"
    assert status_of(1.0, 3 / 5, step) == "shrank"
    assert share_step(40, 50) == pytest.approx(0.15)


def test_diff_themes_new_grew_shrank_faded_with_shares():
    vectors = {
        "gut": axis(1),
        "sandbag": axis(0, 1),
        "legal": axis(0, 0, 1),
        "trust": axis(0, 0, 0, 1),
    }
    old_gut = [said("pain", "gut", p, 1) for p in "abcd"]
    old_bag = [said("pain", "sandbag", p, 2) for p in "ab"]
    old_trust = [said("goal", "trust", "a", 3)]
    old = persona("sales", "sales", list("abcd"), [theme("pain", "gut feel", old_gut),
          theme("pain", "reps sandbag", old_bag), theme("goal", "trust", old_trust)])  # fmt: skip
    new_gut = [said("pain", "gut", p, 1) for p in "ab"]
    new_legal = [said("objection", "legal", p, 4) for p in "bcd"]
    new_trust = [said("goal", "trust", p, 3) for p in "abcd"]
    new = persona("sales", "sales", list("abcd"), [theme("pain", "gut feel", new_gut),
          theme("objection", "legal team", new_legal),
          theme("goal", "a number I trust", new_trust)])  # fmt: skip
    before, after = round_of("old", [old], vectors), round_of("new", [new], vectors)
    changes = {(t.kind, t.label): t for t in theme_changes(old, new, before, after)}
    assert changes["pain", "gut feel"].status == "shrank"  # 4 of 4 -> 2 of 4
    assert changes["pain", "reps sandbag"].status == "faded"
    assert changes["pain", "reps sandbag"].new_participants == 0
    legal = changes["objection", "legal team"]
    assert (legal.status, legal.old_share, legal.new_share) == ("new", 0, 0.75)
    trust = changes["goal", "a number I trust"]
    assert (trust.status, trust.old_label) == ("grew", "trust")  # 1 of 4 -> 4 of 4
    found = new_objections(old, new, before, after)
    assert [q.text for q in found] == ["legal"] * 3


def test_diff_two_earlier_themes_said_as_one_name_the_theme_that_took_them_in():
    vectors = {"price": axis(1), "cost": axis(1, 0.2), "seats": axis(1, 0.3)}
    old = persona("s", "sales", list("abcd"), [
        theme("objection", "price", [said("objection", "price", p, 1) for p in "ab"]),
        theme("objection", "cost", [said("objection", "cost", p, 2) for p in "cd"]),
    ])  # fmt: skip
    merged = [said("objection", "seats", p, 3) for p in "abcd"]
    new = persona("s", "sales", list("abcd"), [theme("objection", "seat price", merged)])
    sides = round_of("old", [old], vectors), round_of("new", [new], vectors)
    changes = {t.label: t for t in theme_changes(old, new, *sides)}
    assert set(changes) == {"seat price", "price"} or set(changes) == {"seat price", "cost"}
    left = next(t for label, t in changes.items() if label != "seat price")
    assert (left.within, left.new_participants) == ("seat price", 4)
    assert changes["seat price"].within is None
    gone = persona("s", "sales", list("abcd"), [])  # nothing like it said: within nothing
    assert all(t.within is None for t in theme_changes(old, gone, sides[0], sides[1]))


def test_diff_objections_close_to_an_old_one_are_not_new():
    vectors = {"price": axis(1), "cost": axis(1, 0.1)}
    old = persona(
        "s", "sales", ["a"], [theme("objection", "price", [said("objection", "price", "a", 1)])]
    )
    new = persona(
        "s", "sales", ["a"], [theme("objection", "cost", [said("objection", "cost", "a", 1)])]
    )
    sides = round_of("old", [old], vectors), round_of("new", [new], vectors)
    assert new_objections(old, new, *sides) == ()


# Rounds from the fixtures ----------------------------------------------------------


@pytest.fixture
def two_rounds(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    run_round([H2], name="2026-H2", db=db)
    return db


def _diff(db):
    with open_store(db) as store:
        old, new = load_round(store, "2026-H1"), load_round(store, "2026-H2")
        return old, new, diff_rounds(old, new, round_vectors(store, old), round_vectors(store, new))


def test_diff_of_the_fixture_rounds_says_what_changed(two_rounds):
    old, new, diff = _diff(two_rounds)
    by_function = {p.function: p for p in diff.personas}
    sales, finance = by_function["sales"], by_function["finance"]
    assert (sales.old_participants, sales.new_participants) == (3, 4)  # the persona grew
    assert (finance.old_participants, finance.new_participants) == (3, 2)
    assert any("legal team" in q.text for q in sales.new_objections)
    assert not any("legal team" in q.text for q in finance.new_objections)
    assert "sandbag" in sales.words_out
    assert [p.function for p in diff.appeared] == ["marketing"]
    assert diff.disappeared == ()
    # Personas keep their ids and first names from round to round.
    old_ids = {p.role.function: (p.id, p.name.split(",")[0]) for p in old.personas}
    for p in new.personas:
        if p.role.function in old_ids:
            assert (p.id, p.name.split(",")[0]) == old_ids[p.role.function]


def test_diff_report_html_markdown_and_json(two_rounds, tmp_path):
    _, _, diff = _diff(two_rounds)
    files = render(diff, default_settings())
    assert render(diff, default_settings()) == files  # the same diff, the same bytes
    written = write_report(files, tmp_path / "report")
    assert [p.name for p in written] == [
        "what-changed.html",
        "what-changed.md",
        "what-changed.json",
    ]
    html, markdown = files["what-changed.html"], files["what-changed.md"]
    assert html.startswith("<!doctype html>") and "2026-H1 → 2026-H2" in html
    assert "Personas that appeared" in html and "New objections" in html
    assert "## In short" in markdown and "### New objections" in markdown
    assert "legal team won" in markdown
    data = json.loads(files["what-changed.json"])
    assert data["old"]["round"] == "2026-H1" and data["new"]["round"] == "2026-H2"
    assert {p["function"] for p in data["appeared"]} == {"marketing"}
    assert set(data["personas"][0]["themes"]) == {"new", "grew", "shrank", "faded", "steady"}
    # Both rounds built the same way: no caution that changes come from the settings.
    assert data["method_changed"] == [] and "Caution" not in markdown


def test_diff_command_prints_markdown_or_json_and_writes_files(two_rounds, tmp_path):
    args = ["diff", "2026-H1", "2026-H2", "--db", str(two_rounds)]
    printed = runner.invoke(app, args)
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("# What changed: 2026-H1 → 2026-H2")
    as_json = runner.invoke(app, [*args, "--json"])
    assert json.loads(as_json.stdout)["new"]["round"] == "2026-H2"
    written = runner.invoke(app, [*args, "--out", str(tmp_path / "changes")])
    assert written.exit_code == 0, written.output
    assert (tmp_path / "changes" / "what-changed.html").is_file()
    missing = runner.invoke(app, ["diff", "2026-H1", "2027-H1", "--db", str(two_rounds)])
    assert missing.exit_code == 2 and "no round named '2027-H1'" in missing.output


def test_diff_refresh_builds_the_round_and_says_what_changed(tmp_path, fake_models):
    db = tmp_path / "s.db"
    first = runner.invoke(
        app, ["refresh", str(H1), "--round", "2026-H1", "--db", str(db),
              "--out", str(tmp_path / "h1"), "--config", str(fake_models)],
    )  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "No earlier round" in first.stdout and not (tmp_path / "h1" / "what-changed.md").exists()
    second = runner.invoke(
        app, ["refresh", str(H2), "--round", "2026-H2", "--db", str(db),
              "--out", str(tmp_path / "h2"), "--config", str(fake_models)],
    )  # fmt: skip
    assert second.exit_code == 0, second.output
    assert "What changed since 2026-H1:" in second.stdout
    assert "Appeared:" in second.stdout
    for name in ("index.html", "personas.json", "what-changed.html", "what-changed.md"):
        assert (tmp_path / "h2" / name).is_file(), name
    assert "more than six months older" in second.stderr


def test_diff_kinds_only_one_round_extracted_are_not_compared(two_rounds):
    import dataclasses

    old, new, _ = _diff(two_rounds)
    with open_store(two_rounds) as store:
        old_vectors, new_vectors = round_vectors(store, old), round_vectors(store, new)
    pains = [n for n, i in enumerate(old.insights) if i.kind == "pain"]
    narrow = dataclasses.replace(
        old,
        settings={**old.settings, "kinds": ["pain"], "extra_kinds": []},
        insights=tuple(old.insights[n] for n in pains),
    )
    diff = diff_rounds(narrow, new, old_vectors[pains], new_vectors)
    assert {"goal", "objection"} <= set(diff.not_compared)
    assert all(t.kind == "pain" for p in diff.personas for t in p.themes)
    assert "Not compared" in render(diff, default_settings())["what-changed.md"]


def test_diff_cautions_when_the_rounds_were_built_with_other_settings(two_rounds):
    import dataclasses

    old, new, _ = _diff(two_rounds)
    with open_store(two_rounds) as store:
        old_vectors, new_vectors = round_vectors(store, old), round_vectors(store, new)
    # A version the old round was stored without is no change; a model's name is.
    models = {**new.settings["models"], "embeddings": "other-model", "embeddings_version": "1"}
    stricter = {**new.settings, "thresholds": {"pain": 0.8}, "workers": 7, "models": models}
    stricter.pop("theme_pair_similarity")  # stored before the setting existed: its default
    stricter["names"] = "my-names.txt"  # how personas are named changes no finding
    diff = diff_rounds(old, dataclasses.replace(new, settings=stricter), old_vectors, new_vectors)
    changed = {name for name, _, _ in diff.method_changed}
    assert changed == {"thresholds", "models.embeddings"}  # workers change no finding
    markdown = render(diff, default_settings())["what-changed.md"]
    assert "Caution: the rounds were built with different settings or models" in markdown
    assert '"other-model"' in markdown


def test_diff_says_when_a_persona_becomes_an_emerging_role():
    from persona_lab.diff import PersonaChange, RoundDiff
    from persona_lab.diff.report import headline

    def change(old_emerging, new_emerging):
        return PersonaChange(
            "it", "Daniel, the CISO", "it", "Daniel, the CISO", "it_security", "c_level", 0.9,
            2, 1, (), (), (), (), old_emerging, new_emerging,
        )  # fmt: skip

    def lines(*changes):
        return headline(RoundDiff("a", "b", "2026-01", "2026-07", 2, 1, changes, (), ()))

    (thinner,) = lines(change(False, True))
    assert "participants 2 → 1" in thinner and "now an emerging role (thin evidence)" in thinner
    assert "no longer an emerging role" in lines(change(True, False))[0]
    assert change(False, True).changed and "emerging" not in lines(change(False, False))[0]
    assert change(False, True).to_dict()["emerging"] == {"old": False, "new": True}
