"""Personas from insights: grouping by role, themes, quotes, vocabulary, context."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from conftest import FakeEmbedder, make_transcript
from persona_lab.cluster import canonical, cluster_labels
from persona_lab.models import Insight
from persona_lab.synthesize import build_personas
from persona_lab.synthesize.mmr import mmr
from persona_lab.synthesize.profile import assign_names, slug
from persona_lab.synthesize.vocabulary import distinctive_terms, in_written_case, stop_words

SALES = ("VP of Sales", "sales", "vp")
FINANCE = ("CFO", "finance", "c_level")

PAINS_SALES = [
    "I waste every Monday on the forecast call with my reps",
    "The forecast call eats my whole Monday morning",
    "My reps sandbag the forecast every single quarter",
]
PAINS_FINANCE = [
    "The bookings forecast never matches our finance plan",
    "Our finance plan and the bookings forecast disagree every quarter",
    "Cash planning surprises us at quarter end",
]


def _round(people):
    """Transcripts and insights for (stem, speaker, title, pains) tuples."""
    transcripts, insights = [], []
    for stem, speaker, title, pains in people:
        turns = [("Interviewer", "What is the hardest part?")] + [(speaker, p) for p in pains]
        t = make_transcript(f"{stem}.txt", turns, titles={speaker: title} if title else None)
        transcripts.append(t)
        for turn in t.turns[1:]:
            insights.append(
                Insight(
                    "pain",
                    turn.text,
                    t.source,
                    turn.line,
                    speaker,
                    f"{stem}/{speaker.lower()}",
                    turn.start,
                    turn.end,
                    0.9,
                    turn.text.split()[1],
                    turn.index,
                    0,
                    tuple(w for w in turn.text.split() if len(w) > 4),
                )
            )
    insights.sort(key=lambda i: i.key)
    vectors = FakeEmbedder().encode([i.text for i in insights])
    return transcripts, tuple(insights), vectors


PEOPLE = [
    ("a", "Ann", SALES, PAINS_SALES),
    ("b", "Bob", SALES, PAINS_SALES[::-1]),
    ("c", "Cat", FINANCE, PAINS_FINANCE),
    ("d", "Dan", FINANCE, PAINS_FINANCE[1:]),
]


def test_synthesize_one_persona_per_role(settings):
    transcripts, insights, vectors = _round(PEOPLE)
    personas, unassigned = build_personas(transcripts, insights, vectors, settings)
    assert sorted(p.role.function for p in personas) == ["finance", "sales"]
    sales = next(p for p in personas if p.role.function == "sales")
    assert {p.id for p in sales.participants} == {"a/ann", "b/bob"}
    assert sales.role.titles == ("VP of Sales",)
    assert sales.name.endswith(", the VP of Sales")
    assert unassigned == ()


def test_synthesize_every_insight_is_themed_or_unthemed(settings):
    transcripts, insights, vectors = _round(PEOPLE)
    personas, unassigned = build_personas(transcripts, insights, vectors, settings)
    shown = [i for p in personas for t in p.themes for i in t.insights]
    shown += [i for p in personas for i in p.unthemed] + list(unassigned)
    assert sorted(i.key for i in shown) == sorted(i.key for i in insights)


def test_synthesize_theme_counts_distinct_participants(settings):
    transcripts, insights, vectors = _round(PEOPLE)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    for persona in personas:
        for theme in persona.themes:
            assert theme.participants == len({i.participant for i in theme.insights})
            assert theme.mentions == len(theme.insights)
            assert 1 <= len(theme.quotes) <= settings.quotes_per_theme
            assert all(q.text in {i.text for i in theme.insights} for q in theme.quotes)
        counts = [(t.participants, t.mentions) for t in persona.themes]
        assert counts == sorted(counts, reverse=True)


def test_synthesize_same_input_gives_identical_json(settings):
    transcripts, insights, vectors = _round(PEOPLE)
    embed = FakeEmbedder().encode  # theme labels are chosen by meaning, as in a run
    first = [
        p.to_dict() for p in build_personas(transcripts, insights, vectors, settings, embed)[0]
    ]
    second = [
        p.to_dict() for p in build_personas(transcripts, insights, vectors, settings, embed)[0]
    ]
    assert json.dumps(first) == json.dumps(second)


def test_synthesize_small_group_is_emerging_or_merged(settings):
    people = [*PEOPLE[:3]]  # one finance participant only
    transcripts, insights, vectors = _round(people)
    kept, _ = build_personas(transcripts, insights, vectors, settings)
    assert [p.emerging for p in kept] == [False, True]
    merged, _ = build_personas(
        transcripts, insights, vectors, settings.with_overrides(emerging="merge")
    )
    assert len(merged) == 1 and len(merged[0].participants) == 3


def test_synthesize_unknown_role_joins_the_nearest_persona(settings):
    people = [*PEOPLE, ("e", "Eve", None, PAINS_FINANCE[:2])]
    transcripts, insights, vectors = _round(people)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    finance = next(p for p in personas if p.role.function == "finance")
    assert "e/eve" in {p.id for p in finance.participants}


def test_synthesize_discovers_groups_when_titles_are_missing(settings):
    people = [(s, n, None, pains) for s, n, _, pains in PEOPLE]
    transcripts, insights, vectors = _round(people)
    personas, unassigned = build_personas(transcripts, insights, vectors, settings)
    placed = sorted(p.id for persona in personas for p in persona.participants)
    assert placed == ["a/ann", "b/bob", "c/cat", "d/dan"]
    assert len(personas) >= 1 and unassigned == ()


def test_synthesize_vocabulary_is_distinctive():
    texts = {
        "sales": {
            "a": ["forecast call pipeline forecast call"],
            "b": ["pipeline forecast call reps"],
        },
        "finance": {"c": ["cash plan bookings plan"], "d": ["cash plan bookings budget"]},
    }
    vocab = distinctive_terms(texts, {"the"}, top_n=3)
    assert "forecast call" in vocab["sales"] or "forecast" in vocab["sales"]
    assert not set(vocab["sales"]) & set(vocab["finance"])


def test_synthesize_mmr_prefers_other_participants():
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.9, 0.43]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    picks = mmr(vectors, vectors[0], top_n=2, diversity=0.0, groups=["x", "x", "y"])
    assert picks == [0, 2]


def test_synthesize_names_are_stable_and_distinct():
    names = assign_names(["sales", "finance", "it-security"], ["Ann", "Bo", "Cy"])
    assert sorted(names.values()) == ["Ann", "Bo", "Cy"]
    assert names == assign_names(["it-security", "sales", "finance"], ["Ann", "Bo", "Cy"])


def test_synthesize_slug_cannot_escape():
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("/abs") == "abs" and slug("ÄÖ") == "persona"


def test_cluster_labels_are_deterministic_and_canonical():
    rng = np.random.default_rng(0)
    v = np.vstack([rng.normal(size=(5, 16)) + 4, rng.normal(size=(5, 16)) - 4])
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    first = cluster_labels(v, dimensions=4)
    assert (first == cluster_labels(v, dimensions=4)).all()
    assert first[0] == 0 and len(set(first[:5])) == 1 and first[5] != first[0]
    assert list(canonical(np.array([3, -1, 3, 1]))) == [0, -1, 0, 1]


def test_noise_joins_a_cluster_only_inside_it():
    from persona_lab.cluster import attach_noise

    def unit(*xs):
        v = np.array(xs, dtype=np.float64)
        return v / np.linalg.norm(v)

    members = [unit(1, 0.05 * k, 0) for k in range(-2, 3)]  # a tight cluster
    near = unit(1, 0.08, 0.02)  # as close as the members
    wide = unit(1, 0.9, 0.3)  # passes the absolute bar (0.5) but lies outside
    vectors = np.vstack([*members, near, wide])
    labels = np.array([0] * 5 + [-1, -1])
    joined = attach_noise(vectors, labels, 0.5)
    assert list(joined[5:]) == [0, -1]


def test_a_loose_cluster_splits_into_its_tight_parts():
    from persona_lab.cluster import cohesion, split_loose

    def unit(*xs):
        v = np.array(xs, dtype=np.float64)
        return v / np.linalg.norm(v)

    pair_a = [unit(1, 0.1, 0, 0), unit(1, -0.1, 0, 0)]
    pair_b = [unit(0, 0, 1, 0.1), unit(0, 0, 1, -0.1)]
    alone = [unit(0, 1, 0, 0)]
    vectors = np.vstack([*pair_a, *pair_b, *alone])
    assert cohesion(vectors) < 0.3
    labels = split_loose(vectors, 0.7)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert len({labels[0], labels[2], labels[4]}) == 3
    assert cohesion(vectors[:2]) > 0.9 and cohesion(vectors[:1]) == 1.0


def _unit(*xs):
    v = np.array(xs, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_two_statements_make_a_theme_only_when_they_are_close(settings):
    from persona_lab.synthesize.theme_clusters import close_pairs_only, clusters_of_kind

    def pair_at(cosine):
        return np.vstack([_unit(1, 0), _unit(cosine, (1 - cosine**2) ** 0.5)])

    vectors = np.vstack([pair_at(0.3), pair_at(0.5), _unit(1, 0), _unit(0, 1), _unit(1, 1)])
    kept, loose = close_pairs_only([[0, 1], [2, 3], [4, 5, 6]], vectors, 0.4)
    assert kept == [[2, 3], [4, 5, 6]] and loose == [0, 1]  # a triple is no pair
    assert close_pairs_only([[0, 1]], vectors, -1.0) == ([[0, 1]], [])
    # Among a dozen statements or fewer, two alike enough for a theme of more
    # (theme_min_cohesion 0.25) are a theme: chance pairs need many statements.
    found, noise = clusters_of_kind([0, 1], pair_at(0.3), "pain", settings)
    assert [c.members for c in found] == [(0, 1)] and noise == []


def test_among_many_statements_a_loose_pair_is_no_theme(settings, monkeypatch):
    from persona_lab.synthesize import theme_clusters

    # 34 statements: a loose pair (cosine 0.3), a close pair (0.5), and 30 alone, as
    # HDBSCAN is made to find them; the vectors are far apart otherwise.
    vectors = np.eye(40)[:34].copy()
    vectors[1] = 0.3 * vectors[0] + (1 - 0.3**2) ** 0.5 * vectors[1]
    vectors[3] = 0.5 * vectors[2] + (1 - 0.5**2) ** 0.5 * vectors[3]
    labels = np.array([0, 0, 1, 1] + [-1] * 30)
    monkeypatch.setattr(theme_clusters, "cluster_labels", lambda rows, **_: labels)
    monkeypatch.setattr(theme_clusters, "attach_noise", lambda rows, found, bar: found)
    found, noise = theme_clusters.clusters_of_kind(list(range(34)), vectors, "pain", settings)
    assert [c.members for c in found] == [(2, 3)] and noise[:2] == [0, 1]
    no_bar = dataclasses.replace(settings, theme_pair_similarity=-1.0)
    found, _ = theme_clusters.clusters_of_kind(list(range(34)), vectors, "pain", no_bar)
    assert [c.members for c in found] == [(0, 1), (2, 3)]


def test_clusters_that_say_one_thing_merge_and_others_stay_apart():
    from persona_lab.cluster import merge_close

    vectors = np.vstack(
        [
            _unit(1, 0.1, 0),  # 0 and 1: one pair ...
            _unit(1, -0.1, 0),
            _unit(1, 0, 0.2),  # ... 2 and 3: a pair saying the same
            _unit(1, 0.2, 0.1),
            _unit(0, 0, 1),  # 4 and 5: another thing
            _unit(0, 0.1, 1),
        ]
    )
    groups = [[4, 5], [2, 3], [0, 1]]
    assert merge_close(groups, vectors, 0.9) == [[0, 1, 2, 3], [4, 5]]
    assert merge_close(groups, vectors, 0.999) == [[0, 1], [2, 3], [4, 5]]
    assert merge_close(groups, vectors, -1.0) == [[0, 1, 2, 3, 4, 5]]
    assert merge_close([[], [1], [0]], vectors, 0.9) == [[0, 1]]


def test_merging_weighs_every_pair_of_members_and_ignores_the_order_given():
    from persona_lab.cluster import merge_close

    # A group of three near x, one row near x, one between x and y: the single row joins
    # the three first (average 0.99); the between row is 0.706 from the three alone but
    # 0.723 from the four, so it joins at 0.72 only if the merged group is weighed anew.
    vectors = np.vstack(
        [_unit(1, 0.05, 0), _unit(1, -0.05, 0), _unit(1, 0, 0.05), _unit(1, 0.1, 0), _unit(1, 1, 0)]
    )
    assert merge_close([[0, 1, 2], [3], [4]], vectors, 0.73) == [[0, 1, 2, 3], [4]]
    assert merge_close([[0, 1, 2], [3], [4]], vectors, 0.72) == [[0, 1, 2, 3, 4]]
    # Ties go by the groups' first rows, not by the order they came in.
    tied = np.vstack([_unit(1, 0), _unit(0.6, 0.8), _unit(0.6, -0.8)])
    assert merge_close([[0], [1], [2]], tied, 0.5) == merge_close([[2], [0], [1]], tied, 0.5)


def test_centering_takes_out_what_a_large_group_shares():
    from persona_lab.cluster import centered

    rng = np.random.default_rng(0)
    # Statements that all share one subject (axis 0) and differ in the rest.
    rows = np.hstack([np.full((200, 1), 3.0), rng.normal(size=(200, 8))])
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    raw_mean = float((rows @ rows.T).mean())
    out = centered(rows, ["pain"] * 200)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    # 200 statements lose 200/250 of their mean: the shared subject is nearly gone.
    assert raw_mean > 0.5 and abs(float((out @ out.T).mean())) < 0.1
    # A few statements keep most of their mean: it is them, not a shared subject.
    few = centered(rows[:4], ["goal"] * 4)
    assert float(few[0] @ rows[0]) > 0.95
    # Groups are centred apart, and the input is left as it was.
    before = rows.copy()
    both = centered(np.vstack([rows[:100], -rows[100:]]), ["pain"] * 100 + ["goal"] * 100)
    assert abs(float(both[:100].mean(axis=0) @ both[100:].mean(axis=0))) < 0.2
    assert np.array_equal(rows, before)
    with pytest.raises(ValueError, match="2 group names for 200 vectors"):
        centered(rows, ["pain", "goal"])


def test_cluster_too_few_points_are_noise():
    assert list(cluster_labels(np.ones((1, 4)))) == [-1]


def test_synthesize_persona_names_avoid_participants_first_names():
    from persona_lab.synthesize.profile import assign_names

    names = ["Marcus", "Priya", "Amara", "Felix"]
    chosen = assign_names(["a", "b"], names, avoid=["marcus", "Priya"])
    assert set(chosen.values()) <= {"Amara", "Felix"}
    assert len(set(chosen.values())) == 2


def test_shipped_stop_words_are_spacys_english_list():
    """The list is kept as data so personas build without importing spaCy; a spaCy
    upgrade that changes its list shows here."""
    from spacy.lang.en.stop_words import STOP_WORDS

    assert stop_words() == frozenset(STOP_WORDS)


def test_building_personas_imports_no_spacy():
    """A re-run from the store builds personas without parsing: spaCy (and torch
    behind it) would add seconds of imports for nothing."""
    import subprocess
    import sys

    code = (
        "import sys, persona_lab.pipeline, persona_lab.synthesize, persona_lab.render;"
        "print('spacy' in sys.modules, 'torch' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert shown.stdout.split() == ["False", "False"], shown.stderr


def _label_insight(n: int, text: str, phrases: tuple[str, ...], participant: str) -> Insight:
    return Insight("pain", text, "t.txt", n, "P", participant, 0, len(text), 0.9, "", n, 0, phrases)


def _first_theme_labels(said, first: int, settings) -> list[str]:
    """The label of a theme of the first ``first`` statements (each by its own
    participant) beside a theme of the rest: without and with embeddings."""
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(said)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    theme = Cluster("pain", tuple(range(first)))
    rest = Cluster("pain", tuple(range(first, len(said))))
    counts, stats = term_frequencies([theme, rest], insights)
    return [
        theme_from(theme, insights, vectors, counts[0], stats, settings, embed).label
        for embed in (None, FakeEmbedder().encode)
    ]


def test_theme_label_is_never_only_the_rounds_common_words(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    said = [
        ("I use AI and the export to Excel breaks", ("use AI", "export to Excel")),
        ("When I use AI the Excel export breaks again", ("use AI", "Excel export")),
        ("I use AI but exporting to Excel breaks", ("use AI", "exporting to Excel")),
    ] + [(f"I use AI to draft board memo {n}", ("use AI", "board memo")) for n in range(12)]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(said)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    excel, memo = Cluster("pain", (0, 1, 2)), Cluster("pain", tuple(range(3, len(said))))
    counts, stats = term_frequencies([excel, memo], insights)
    assert "use" in stats.common and "excel" not in stats.common
    for embed in (None, FakeEmbedder().encode):
        theme = theme_from(excel, insights, vectors, counts[0], stats, settings, embed)
        assert theme.label != "use AI"
        assert "Excel" in theme.label


def test_a_quantity_or_everyday_words_never_name_a_theme(settings):
    """A quantity ("15 hours") or everyday words ("a lot") say how much, not what:
    the theme is named by a phrase that says what, even when those words are rarer."""
    said = [
        ("Debugging AI code took me 15 hours, the worst time", ("15 hours", "debugging AI code")),
        ("I lost 15 hours on flaky tests, the worst time", ("15 hours", "the worst time")),
        ("It was 15 hours of debugging a lot", ("15 hours", "a lot")),
    ] + [(f"The review board slows release {n}", ("review board",)) for n in range(6)]
    for label in _first_theme_labels(said, 3, settings):
        assert "debugging" in label


def test_a_phrase_run_across_a_dash_never_names_a_theme(settings):
    from persona_lab.synthesize.themes import SPANS_A_BREAK

    assert SPANS_A_BREAK.search("the business\u2014potential legal risk")
    assert SPANS_A_BREAK.search("pricing; support")
    assert not SPANS_A_BREAK.search("the 9:30 standup")
    assert not SPANS_A_BREAK.search("follow-up calls")

    run_on = "the business - potential legal repercussions"
    said = [
        ("It holds back the business - potential legal repercussions.", (run_on,)),
        ("We fear for the business - potential legal repercussions", (run_on,)),
        ("Legal repercussions worry our lawyers", ("legal repercussions",)),
    ] + [(f"The review board slows release {n}", ("review board",)) for n in range(6)]
    assert _first_theme_labels(said, 3, settings) == ["legal repercussions"] * 2


def test_one_participants_repeated_words_do_not_name_a_shared_theme(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    said = [
        ("The images show potted plants in odd places", ("potted plants",), "p0"),
        ("They are not real potted plants at all", ("real potted plants",), "p0"),
        ("I get stuck on creative blocks every week", ("creative blocks",), "p1"),
        ("Creative blocks stall my drafts for days", ("creative blocks",), "p2"),
        ("Some weeks my ideas just dry up", ("ideas",), "p3"),
    ] + [(f"Creative writing prompts help {n}", ("writing prompts",), f"q{n}") for n in range(8)]
    insights = [_label_insight(i, t, p, who) for i, (t, p, who) in enumerate(said)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    blocks, prompts = Cluster("pain", (0, 1, 2, 3, 4)), Cluster("pain", tuple(range(5, len(said))))
    counts, stats = term_frequencies([blocks, prompts], insights)
    theme = theme_from(blocks, insights, vectors, counts[0], stats, settings)
    assert theme.label == "creative blocks"


def test_two_themes_of_a_kind_get_different_labels(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    texts = [
        ("The Salesforce sync drops the deal notes", ("Salesforce sync", "deal notes")),
        ("Our Salesforce sync loses deal notes", ("Salesforce sync", "deal notes")),
        ("The Salesforce sync fails on deal notes", ("Salesforce sync", "deal notes")),
    ]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("pain", (0, 1, 2))
    counts, stats = term_frequencies([cluster], insights)
    first = theme_from(cluster, insights, vectors, counts[0], stats, settings)
    second = theme_from(cluster, insights, vectors, counts[0], stats, settings, taken=[first.label])
    assert first.label != second.label
    assert second.label in {"Salesforce sync", "deal notes"}


def test_theme_label_with_embeddings_is_the_phrase_nearest_the_theme(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    texts = [
        ("Quarter close takes ten days of manual reconciliation", ("manual reconciliation",)),
        ("Manual reconciliation of invoices eats our quarter close", ("quarter close",)),
        ("Reconciliation by hand slows quarter close", ("quarter close",)),
    ]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("pain", (0, 1, 2))
    counts, stats = term_frequencies([cluster], insights)
    seen: list[list[str]] = []

    def embed(phrases):
        seen.append(list(phrases))
        # "manual reconciliation" is made the phrase nearest the centre.
        out = np.zeros((len(phrases), vectors.shape[1]), dtype=np.float32)
        center = vectors.mean(axis=0) / np.linalg.norm(vectors.mean(axis=0))
        for row, phrase in enumerate(phrases):
            out[row] = center if phrase == "manual reconciliation" else -center
        return out

    theme = theme_from(cluster, insights, vectors, counts[0], stats, settings, embed)
    assert seen and set(seen[0]) == {"manual reconciliation", "quarter close"}
    assert theme.label == "manual reconciliation"


def test_a_theme_with_one_distinctive_phrase_still_chooses_by_meaning(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    texts = [
        ("Relying on vendors for every fix slows us", ("vendor lock", "every fix")),
        ("We keep relying on vendors to patch things", ("vendor lock", "patch things")),
        ("The vendor lock means we wait weeks", ("vendor lock", "wait weeks")),
    ]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("pain", (0, 1, 2))
    counts, stats = term_frequencies([cluster], insights)
    center = vectors.mean(axis=0) / np.linalg.norm(vectors.mean(axis=0))

    def embed(phrases):
        # Only "wait weeks" (shared by no other quote) is near the theme's meaning.
        return np.stack([center if p == "wait weeks" else -center for p in phrases])

    plain = theme_from(cluster, insights, vectors, counts[0], stats, settings)
    chosen = theme_from(cluster, insights, vectors, counts[0], stats, settings, embed)
    assert plain.label == "vendor lock"
    assert chosen.label == "wait weeks"


def test_a_label_is_what_more_of_the_themes_people_said(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from

    # One person's rarer words ("platform fee", said once in the round) against the
    # words both people used ("price per seat").
    texts = [
        ("Price per seat is a concern for us", ("price per seat",), "p0"),
        ("I would rather pay a platform fee instead", ("pay a platform fee",), "p0"),
        ("I am wary of price per seat", ("price per seat",), "p1"),
    ]
    insights = [_label_insight(i, t, p, who) for i, (t, p, who) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("objection", (0, 1, 2))
    counts, stats = term_frequencies([cluster], insights)
    assert theme_from(cluster, insights, vectors, counts[0], stats, settings).label == (
        "price per seat"
    )


def test_a_word_only_one_of_two_people_said_is_no_label(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import label_choices, term_frequencies

    # "CEO" would read as what both said; the short central quote says what the theme is.
    texts = [
        ("I sign anything over fifty thousand.", (), "p0"),
        ("Our CEO for anything over a hundred thousand.", ("CEO",), "p1"),
    ]
    insights = [_label_insight(i, t, p, who) for i, (t, p, who) in enumerate(texts)]
    cluster = Cluster("decision", (0, 1))
    counts, stats = term_frequencies([cluster], insights)
    assert label_choices([0, 1], insights, 0, counts[0], stats)[:2] == [
        "I sign anything over fifty thousand",
        "CEO",
    ]
    # A long central quote is no label: the phrase stays.
    long_quote = "I sign anything over fifty thousand, and the board signs anything over that."
    insights[0] = _label_insight(0, long_quote, (), "p0")
    counts, stats = term_frequencies([cluster], insights)
    assert label_choices([0, 1], insights, 0, counts[0], stats)[0] == "CEO"


def test_a_themes_quotes_include_one_that_says_its_label(settings):
    from persona_lab.synthesize.themes import with_label_quote

    said = [
        "Forecasts drift every week",
        "Our forecast never matches finance",
        "The bookings forecast is late again",
        "Manual reconciliation of the forecast eats my Mondays",
    ]
    insights = [_label_insight(i, t, (), f"p{i}") for i, t in enumerate(said)]
    # Already shown: nothing changes.
    assert with_label_quote([0, 1, 2], "bookings forecast", [0, 1, 2, 3], insights) == [0, 1, 2]
    # Not shown: the most central member that says it replaces the last pick.
    assert with_label_quote([0, 1, 2], "manual reconciliation", [1, 3, 0, 2], insights) == [0, 1, 3]
    # No member says it (a whole word only: "forecasts" is not "forecast"): unchanged.
    assert with_label_quote([1, 2], "drift forecast", [0, 1, 2, 3], insights) == [1, 2]


def test_theme_quotes_include_the_one_its_label_came_from(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import term_frequencies, theme_from
    from persona_lab.synthesize.vocabulary import label_span

    settings = dataclasses.replace(settings, quotes_per_theme=1)
    texts = [
        ("Quarter close takes ten days of manual reconciliation", ("manual reconciliation",)),
        ("Manual reconciliation of invoices eats our quarter close", ("quarter close",)),
        ("Reconciliation by hand slows quarter close", ("quarter close",)),
        ("Close week means manual reconciliation until midnight", ("manual reconciliation",)),
    ]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("pain", (0, 1, 2, 3))
    counts, stats = term_frequencies([cluster], insights)
    theme = theme_from(cluster, insights, vectors, counts[0], stats, settings)
    assert any(label_span(q.text, theme.label) is not None for q in theme.quotes)


def test_an_unknown_role_between_two_personas_stays_without_one():
    from persona_lab.synthesize.grouping import Group, join_nearest, placement_check

    def unit(*values):
        v = np.array(values, dtype=np.float32)
        return (v / np.linalg.norm(v))[None, :]

    vectors = {
        "a1": unit(1, 0, 0),
        "a2": unit(1, 0.1, 0),
        "b1": unit(0, 1, 0),
        "b2": unit(0.1, 1, 0),
        "near_a": unit(1, 0.2, 0.1),
        "between": unit(1, 1, 0.2),
    }
    groups = [Group("a", "a", "x", ("a1", "a2")), Group("b", "b", "x", ("b1", "b2"))]
    joined, left = join_nearest(groups, ["near_a", "between"], vectors, 0.0, 0.05)
    assert "near_a" in joined[0].members and left == ["between"]
    # Without a margin the tie is broken anyway: that is what the margin prevents.
    _, left = join_nearest(groups, ["between"], vectors, 0.0, 0.0)
    assert left == []
    # Each known member, left out, is placed back in its own group.
    assert placement_check(groups, vectors, 0.05) == (4, 4, 4)


def test_one_participants_repeated_point_is_unthemed_evidence_not_a_theme(settings):
    # Two people share a point; a third says another thing twice.
    said = {
        "ana": ["The forecast roll-up eats every Monday", "Monday roll-up of the forecast again"],
        "ben": ["Our Monday forecast roll-up takes hours", "The roll-up on Monday is manual"],
        "cy": ["Parking at the office is awful", "The office parking is awful every day"],
    }
    insights = [
        _label_insight(n, text, (), f"t/{who}")
        for n, (who, text) in enumerate((w, t) for w, ts in said.items() for t in ts)
    ]
    from persona_lab.synthesize.theme_clusters import Cluster, shared_by

    forecast, parking = Cluster("pain", (0, 1, 2, 3)), Cluster("pain", (4, 5))
    kept, thin = shared_by([forecast, parking], insights, 2)
    assert kept == [forecast] and thin == [4, 5]
    assert shared_by([forecast, parking], insights, 1) == ([forecast, parking], [])


def test_a_larger_persona_needs_a_share_of_its_people_behind_a_theme(settings):
    from persona_lab.synthesize.theme_clusters import participants_needed

    share = dataclasses.replace(settings, min_theme_participants=2, min_theme_share=0.15)
    sizes = (1, 2, 6, 13, 14, 20, 25)
    # A one-person role gets no theme: two people must say it.
    assert [participants_needed(n, share) for n in sizes] == [2, 2, 2, 2, 3, 3, 4]
    none = dataclasses.replace(share, min_theme_share=0.0)
    assert [participants_needed(n, none) for n in (1, 2, 25)] == [2, 2, 2]
    # ... unless the user asks for themes of one person.
    one = dataclasses.replace(none, min_theme_participants=1)
    assert [participants_needed(n, one) for n in (1, 2, 25)] == [1, 1, 1]
    # 0.1 * 30 is 3.0000000000000004 in floating point: still 3 people, not 4.
    assert participants_needed(30, dataclasses.replace(share, min_theme_share=0.1)) == 3


def test_two_of_fourteen_people_make_evidence_and_four_make_a_theme(settings):
    forecast = ["The forecast call eats my whole Monday morning"] * 2
    parking = ["Parking at the office is awful every day"] * 4
    other = [f"Quarter {n} brought a reorg of territory {n} and quota plan {n}" for n in range(8)]
    people = [
        (f"p{n:02d}", f"Rep{n:02d}", SALES, [text])
        for n, text in enumerate(forecast + parking + other)
    ]
    transcripts, insights, vectors = _round(people)

    def labels_and_unthemed(chosen):
        (persona,) = build_personas(transcripts, insights, vectors, chosen)[0]
        themes = {i.text: t.participants for t in persona.themes for i in t.insights}
        return themes, {i.text for i in persona.unthemed}

    themes, unthemed = labels_and_unthemed(settings)  # 15% of 14 people: 3 needed
    assert themes.get(parking[0]) == 4
    assert forecast[0] not in themes and forecast[0] in unthemed
    themes, _ = labels_and_unthemed(dataclasses.replace(settings, min_theme_share=0.0))
    assert themes.get(forecast[0]) == 2 and themes.get(parking[0]) == 4


def test_cards_show_quotes_that_read_without_the_sentence_before(settings):
    from persona_lab.synthesize.theme_clusters import Cluster
    from persona_lab.synthesize.themes import stands_alone, term_frequencies, theme_from

    assert not stands_alone("So that was really frustrating.")
    assert not stands_alone("is all that would be needed.")  # a clause cut from its sentence
    assert not stands_alone("Or having it write entire essays.")
    assert not stands_alone("Too slow.")
    # A sentence that announces the story the next ones tell says nothing alone ...
    assert not stands_alone("I can share a time where it made me frustrated.")
    assert not stands_alone("Let me tell you about one time it failed me.")
    assert not stands_alone("I can't think of a time it made me feel frustrated.")
    assert not stands_alone("I can\u2019t think of a time it made me feel frustrated.")
    assert not stands_alone("So I can give an example of when it failed.")
    assert stands_alone("I don't remember a time it ever saved me work.")
    # ... unless it tells the story itself.
    assert stands_alone(
        "I can think of a time when it deleted a whole folder of invoices the night before "
        "the audit and we lost a day rebuilding them."
    )
    assert stands_alone("I don't 'trust' AI at all.")
    assert stands_alone("This tool saves me hours of reconciliation every week.")
    texts = [
        ("That was so frustrating.", ("frustrating",)),
        ("The forecast roll-up takes every Monday morning", ("forecast roll-up",)),
        ("Our forecast roll-up is a manual spreadsheet job", ("forecast roll-up",)),
        ("The weekly forecast roll-up eats my Monday", ("forecast roll-up",)),
    ]
    insights = [_label_insight(i, t, p, f"p{i}") for i, (t, p) in enumerate(texts)]
    vectors = FakeEmbedder().encode([i.text for i in insights])
    cluster = Cluster("pain", (0, 1, 2, 3))
    counts, stats = term_frequencies([cluster], insights)
    theme = theme_from(cluster, insights, vectors, counts[0], stats, settings)
    assert len(theme.quotes) == 3
    assert "That was so frustrating." not in {q.text for q in theme.quotes}
    assert len(theme.insights) == 4  # still on the card, among the theme's statements


def test_themes_that_mean_the_same_are_marked_shared_between_personas():
    from persona_lab.synthesize.shared import ThemeVector, groups, links, shared_with

    def unit(*values):
        v = np.array(values, dtype=np.float32)
        return v / np.linalg.norm(v)

    themes = [
        ThemeVector("sales", "pain", unit(1, 0, 0)),
        ThemeVector("finance", "pain", unit(1, 0.1, 0)),  # cosine 0.995
        ThemeVector("finance", "objection", unit(1, 0, 0)),  # another kind
        ThemeVector("ops", "pain", unit(0, 1, 0)),  # another meaning
        ThemeVector("sales", "pain", unit(1, 0.05, 0)),  # the same persona
    ]
    pairs = links(themes, 0.85)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 4)]
    # 0 and 4 are both like 1 but, of one persona, never linked to each other: 1 joins
    # the closer of the two (cosine 0.9987 against 0.995), and 0 stays in no group.
    assert groups(len(themes), pairs) == [0, 1, 0, 0, 1]
    # Still said by finance too, though in no group: the card says so.
    assert shared_with(themes, pairs) == [("finance",), ("sales",), (), (), ("finance",)]
    assert links(themes, 0.999) == [] and groups(5, []) == [0] * 5
    # A chain is no group: a like b and b like c, but a unlike c.
    chain = [
        ThemeVector("sales", "pain", unit(1, 0, 0)),
        ThemeVector("finance", "pain", unit(1, 0.6, 0)),  # 0.86 to sales, 0.94 to ops
        ThemeVector("ops", "pain", unit(1, 1.2, 0)),  # 0.64 to sales
    ]
    chain_pairs = links(chain, 0.85)
    assert groups(3, chain_pairs) == [0, 1, 1]
    assert shared_with(chain, chain_pairs) == [("finance",), ("ops", "sales"), ("finance",)]
    # Two separate topics shared by the same two personas are two groups.
    two = [
        ThemeVector("sales", "pain", unit(1, 0, 0)),
        ThemeVector("sales", "pain", unit(0, 1, 0)),
        ThemeVector("finance", "pain", unit(0, 1, 0)),
        ThemeVector("finance", "pain", unit(1, 0, 0)),
    ]
    assert groups(4, links(two, 0.85)) == [1, 2, 2, 1]


def test_build_personas_marks_what_two_personas_both_say(settings):
    shared = [
        "Every tool we buy needs a security review first",
        "A security review for every new tool takes months",
    ]
    people = [
        ("a", "Ann", SALES, PAINS_SALES[:2] + shared),
        ("b", "Bob", SALES, PAINS_SALES[:2] + shared[::-1]),
        ("c", "Cat", FINANCE, PAINS_FINANCE[:2] + shared),
        ("d", "Dan", FINANCE, PAINS_FINANCE[:2] + shared[::-1]),
    ]
    transcripts, insights, vectors = _round(people)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    by_id = {p.id: p for p in personas}
    ids = sorted(by_id)
    review = {
        p.id: [t for t in p.themes if any("security review" in i.text for i in t.insights)]
        for p in personas
    }
    finance, sales = ids
    assert review[sales] and all(t.shared_with == (finance,) for t in review[sales])
    assert all(t.shared_group for t in review[sales] + review[finance])
    assert review[finance] and all(t.shared_with == (sales,) for t in review[finance])
    own = [t for p in personas for t in p.themes if t not in review[p.id]]
    assert any(t.shared_with == () for t in own)
    assert review[sales][0].to_dict()["shared_with"] == [finance]


def test_a_themes_sharing_survives_the_store(settings):
    from persona_lab.store.codec import theme_from_row, theme_values

    transcripts, insights, vectors = _round(PEOPLE)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    theme = dataclasses.replace(
        personas[0].themes[0], shared_with=("finance", "ops"), shared_group=3
    )
    columns = (
        "kind",
        "label",
        "participants",
        "mentions",
        "quotes",
        "insights",
        "shared_with",
        "shared_group",
    )
    row = dict(zip(columns, theme_values(theme), strict=True))
    back = theme_from_row(row, {i.key: i for i in insights})
    assert back == theme and back.shared_with == ("finance", "ops") and back.shared_group == 3


def test_in_their_words_leaves_out_everyday_words(settings):
    from persona_lab.synthesize.vocabulary import plain_words

    assert {"wanted", "probably", "come"} <= plain_words()
    # Sales say "wanted" and "probably" all the time, finance never: still not shown.
    sales = [
        "I wanted the pipeline probably wanted pipeline probably",
        "We probably wanted a cleaner pipeline review",
        "Probably the pipeline call is what I wanted fixed",
    ]
    people = [
        ("a", "Ann", SALES, sales),
        ("b", "Bob", SALES, sales),
        ("c", "Cat", FINANCE, PAINS_FINANCE),
        ("d", "Dan", FINANCE, PAINS_FINANCE[1:]),
    ]
    transcripts, insights, vectors = _round(people)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    words = {w for p in personas for term in p.vocabulary for w in term.split()}
    assert "pipeline" in words
    assert not words & plain_words()


def test_a_role_group_is_named_by_the_level_its_titled_members_share():
    """Untitled members have no level; they must not outvote the ones who have one,
    or a persona is "Creative Professional" on a line that says "Individual contributor"."""
    from persona_lab.models import Participant
    from persona_lab.synthesize.config import persona_config
    from persona_lab.synthesize.grouping import by_role

    def person(n: int, seniority: str) -> Participant:
        return Participant(f"p{n}", "User", "User", False, function="creative", seniority=seniority)

    people = [person(n, "individual_contributor") for n in range(3)]
    people += [person(n, "unknown") for n in range(3, 8)]
    # Named by the band of the most common known level, as the role line says
    # ("Individual contributor"), even where one band's levels add up to more.
    people += [person(8, "manager"), person(9, "manager"), person(10, "lead"), person(11, "lead")]
    groups, unknown = by_role(people, persona_config(), 4)
    assert unknown == [] and [(g.function, g.band) for g in groups] == [
        ("creative", "practitioner")
    ]
    groups, _ = by_role(people[3:8], persona_config(), 2)
    assert [g.band for g in groups] == ["unknown"]  # nobody's level known: no level claimed


def test_titles_seen_are_listed_once_whatever_their_capitals():
    from persona_lab.models import Participant
    from persona_lab.synthesize.profile import titles_seen

    def person(n: int, title: str | None) -> Participant:
        return Participant(f"p{n}", "User", "User", False, title=title)

    members = [
        person(1, "Software Engineer"),
        person(2, "software engineer"),
        person(3, "software  engineer"),
        person(4, "teacher"),
        person(5, None),
    ]
    assert titles_seen(members) == ("software engineer", "teacher")
    assert titles_seen([person(6, "Zoologist"), person(7, "analyst")]) == ("analyst", "Zoologist")


def test_a_shared_title_names_the_persona_in_title_case():
    from persona_lab.models import Participant
    from persona_lab.synthesize.config import persona_config
    from persona_lab.synthesize.profile import role_label

    def person(n: int, title: str) -> Participant:
        return Participant(f"p{n}", "User", "User", False, title=title)

    config = persona_config()
    analysts = [person(1, "data analyst"), person(2, "Data analyst")]
    assert role_label(analysts, "data", "practitioner", config) == "Data Analyst"
    vps = [person(1, "VP of Sales"), person(2, "vp of sales"), person(3, "VP of Sales")]
    assert role_label(vps, "sales", "leader", config) == "VP of Sales"
    tutors = [person(1, "teacher/tutor"), person(2, "teacher/tutor")]
    assert role_label(tutors, "education", "practitioner", config) == "Teacher/Tutor"
    devs = [person(1, "senior iOS developer"), person(2, "senior iOS developer")]
    assert role_label(devs, "engineering", "practitioner", config) == "Senior iOS Developer"


def test_a_label_from_the_central_quote_is_whole_or_marked_as_cut():
    from persona_lab.synthesize.themes import as_label
    from persona_lab.synthesize.vocabulary import label_span

    assert as_label("I would actually like to use more of it.") == (
        "I would actually like to use more of it"
    )
    long = "I hope the school lets us try the new tools with our older students."
    assert as_label(long) == "I hope the school lets us …"
    # The reader finds a cut label in its quote, as any other (cards mark it there).
    assert label_span(long, as_label(long)) == (0, len("I hope the school lets us"))


# --- company context -----------------------------------------------------------------


def test_tools_named_skip_what_is_not_theirs_and_common_words():
    from persona_lab.synthesize.profile import tools_named

    assert tools_named("We don't have Gong. My reps live in Outreach all day.") == {"Outreach"}
    assert tools_named("Our outreach is weak, and we never used clari.") == set()
    assert tools_named("No Clari here, so a Google Sheet it is.") == {"Google Sheets"}
    assert tools_named("We moved from ZoomInfo to Apollo in January.") == {"ZoomInfo", "Apollo"}
    # A denial covers the names listed after it, not those in a list of what they use.
    assert tools_named("We don't use Salesforce, HubSpot or Outreach.") == set()
    assert tools_named("We don't have Gong or Clari.") == set()
    said = "We use Salesforce and Gong, but we don't have Clari."
    assert tools_named(said) == {"Salesforce", "Gong"}
    assert tools_named("Adaptive planning is hard; Adaptive for the plan.") == {"Adaptive Planning"}
    # Named once as theirs is enough, even beside a denial of it.
    assert tools_named("We don't have Gong. Well, we have Gong for the AEs.") == {"Gong"}


def test_company_context_counts_industries_and_sizes_by_company():
    from persona_lab.models import Participant
    from persona_lab.synthesize.profile import company_context

    def buyer(pid, company, industry, size):
        return Participant(
            pid, pid, pid, False, company=company, industry=industry, company_size=size
        )

    members = [
        buyer("fpa", "Harborview ", None, None),  # the first says nothing of the company
        buyer("cfo", "Harborview", "Supply chain software", "1001-5000"),
        buyer("vp", "Arclight", "Advertising technology", "201-1000"),
        buyer("solo", None, "Advertising technology", "201-1000"),
        buyer("Arclight", None, "Energy software", "51-200"),  # an id that is a company's name
    ]
    context = company_context(members, {"cfo": ["Excel in between."], "fpa": ["Excel, always."]})
    assert context.industries == (
        ("Advertising technology", 2),
        ("Energy software", 1),
        ("Supply chain software", 1),
    )
    assert context.company_sizes == (("201-1000", 2), ("1001-5000", 1), ("51-200", 1))
    assert context.tools == (("Excel", 2),)  # tools: by the participants naming them


def test_role_label_names_a_specialty_the_titles_share():
    from persona_lab.models import Participant
    from persona_lab.synthesize.config import persona_config
    from persona_lab.synthesize.profile import role_label

    def people(*titles):
        return [Participant(f"p{n}", "U", "U", False, title=t) for n, t in enumerate(titles)]

    config = persona_config()
    sdr = people("SDR Manager", "BDR Team Lead", "Sales Development Manager")
    assert role_label(sdr, "sales", "manager", config) == "Sales Development Manager"
    ops = people("Revenue Operations Manager", "Sales Operations Manager", "RevOps Lead")
    assert role_label(ops, "operations", "manager", config) == "Revenue Operations Manager"
    # One SDR among three sales managers is no specialty of the persona.
    mixed = people("SDR Manager", "Sales Manager", "Regional Sales Manager")
    assert role_label(mixed, "sales", "manager", config) == "Sales Manager"
    # The specialty belongs to its function: a marketing persona is not "Sales Development".
    assert role_label(sdr, "marketing", "manager", config) == "Marketing Manager"


def test_themes_tied_on_people_and_mentions_rank_the_surer_first():
    from persona_lab.models import Theme
    from persona_lab.synthesize.themes import rank

    def theme(label, scores, participants=3):
        said = tuple(
            Insight("pain", f"{label} {n}", "a.txt", n, "U", f"p{n}", None, None, s)
            for n, s in enumerate(scores)
        )
        return Theme("pain", label, participants, len(said), (), said)

    described = theme("big deals", [0.78, 0.55, 0.61])
    felt = theme("sandbag their deals", [0.99, 0.98, 0.97])
    wider = theme("missed the quarter", [0.5, 0.5, 0.5, 0.5], participants=4)
    goal = dataclasses.replace(theme("trust the number", [1.0, 1.0, 1.0]), kind="goal")
    ranked = rank([goal, described, felt, wider], ("pain", "goal", "objection"))
    # More people first whatever the scores; then, tied, the surer theme; kinds in order.
    assert [t.label for t in ranked] == [
        "missed the quarter",
        "sandbag their deals",
        "big deals",
        "trust the number",
    ]


def test_personas_as_large_are_ordered_by_their_themed_evidence(settings):
    # Two people each: the sales leaders say more that forms themes than finance does,
    # so they come first although "finance" sorts before "sales".
    people = [
        ("a", "Ann", SALES, PAINS_SALES),
        ("b", "Bob", SALES, PAINS_SALES[::-1]),
        ("c", "Cat", FINANCE, PAINS_FINANCE[:1]),
        ("d", "Dan", FINANCE, PAINS_FINANCE[1:2]),
    ]
    transcripts, insights, vectors = _round(people)
    personas, _ = build_personas(transcripts, insights, vectors, settings)
    themed = [sum(t.mentions for t in p.themes) for p in personas]
    assert [p.role.function for p in personas] == ["sales", "finance"], themed
    assert themed[0] > themed[1]


def test_a_label_takes_the_case_its_quotes_write_the_word_in():
    said = ["Lesson planning happens at odd hours.", "The lesson plans are bland."]
    assert in_written_case("Lesson planning", said) == "lesson planning"
    # A name, an acronym, "I" and a quote used as a label keep their capital.
    assert in_written_case("Salesforce reports", ["Salesforce reports are slow."]) == (
        "Salesforce reports"
    )
    assert in_written_case("AI models", ["the ai models"]) == "AI models"
    assert in_written_case("I sign off", ["i sign off"]) == "I sign off"
    long_quote = "Often finding useful material was hard"
    assert in_written_case(long_quote, ["it often was"]) == long_quote
    # A name the quotes also write with a capital inside a sentence keeps it.
    said = ["Slack threads get lost.", "There is no slack in the plan.", "We use Slack daily."]
    assert in_written_case("Slack threads", said) == "Slack threads"
    # Inside another word is no lower-case use.
    assert in_written_case("Lesson planning", ["the lessons were long"]) == "Lesson planning"
