"""Titles into function and seniority, and titles from self-introductions."""

from __future__ import annotations

import pytest

from persona_lab.roles import Taxonomy, normalize, role_records
from persona_lab.selfintro import find_title


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load()


@pytest.mark.parametrize(
    ("title", "function", "seniority"),
    [
        ("VP of Sales", "sales", "vp"),
        ("Head of RevOps", "operations", "head"),
        ("Revenue Operations Manager", "operations", "manager"),
        ("SDR Manager", "sales", "manager"),
        ("BDR Team Lead", "sales", "lead"),
        ("CFO", "finance", "c_level"),
        ("FP&A Director", "finance", "director"),
        ("IT Security Manager", "it_security", "manager"),
        ("CISO", "it_security", "c_level"),
        ("Co-founder & CEO", "executive", "c_level"),
        ("head of people", "hr", "head"),
        ("Product Manager", "product", "individual_contributor"),
        ("Account Manager", "sales", "individual_contributor"),
        ("Marketing Data Analyst", "data", "individual_contributor"),
        ("high school chemistry teacher", "education", "individual_contributor"),
        ("Senior Software Engineer", "engineering", "individual_contributor"),
        ("TV writer", "writing", "individual_contributor"),
        ("copyeditor", "writing", "individual_contributor"),
        ("video editor", "creative", "individual_contributor"),
        ("writing/communication tutor", "education", "individual_contributor"),
        # A consultant advises; a solutions or sales consultant sells.
        ("business strategy consultant", "consulting", "individual_contributor"),
        ("Management Consultant", "consulting", "individual_contributor"),
        ("Solutions Consultant", "sales", "individual_contributor"),
        ("Sales Consultant", "sales", "individual_contributor"),
        ("education consultant", "education", "individual_contributor"),
    ],
)
def test_titles_map_to_function_and_seniority(taxonomy, title, function, seniority):
    match = normalize(title, taxonomy)
    assert (match.function, match.seniority) == (function, seniority)


def test_unknown_title_is_other_without_embedder(taxonomy):
    match = normalize("Quota carriers", taxonomy)
    assert (match.function, match.seniority, match.rule) == ("other", "unknown", "none")
    # An example title itself needs no embedder.
    match = normalize("Quota carrier", taxonomy)
    assert (match.function, match.rule) == ("sales", "example")


def test_unknown_title_takes_nearest_example_with_embedder(taxonomy, fake_embedder):
    # The fake embedder makes texts sharing words similar: "quota carrier" is an example.
    match = normalize("Quota Carrier II", taxonomy, embedder=fake_embedder)
    assert (match.function, match.rule) == ("sales", "embedding")
    strict = Taxonomy.from_data(
        {"functions": {"sales": ["sales"]}, "embedding_min_similarity": 1.01}
    )
    assert normalize("Quota Carrier II", strict, embedder=fake_embedder).function == "other"


@pytest.mark.parametrize(
    ("title", "seniority"),
    [
        ("Director", "director"),
        ("Senior Manager", "manager"),
        ("Team Lead", "lead"),
        ("Head", "head"),
        ("Employee", "individual_contributor"),
    ],
)
def test_a_title_of_a_level_alone_leaves_the_function_unknown(
    taxonomy, fake_embedder, title, seniority
):
    # "general manager" (executive) and "team lead" are keyword or example titles the
    # embedder would take "Manager" or "Team Lead" to; a level says no function.
    match = normalize(title, taxonomy, embedder=fake_embedder)
    assert (match.function, match.seniority, match.rule) == ("unknown", seniority, "level only")
    assert normalize(f"{title} of Sales", taxonomy).function == "sales"


@pytest.mark.parametrize(
    ("title", "function"),
    [
        ("Tech Lead", "engineering"),
        ("Chief of Staff", "operations"),
        ("Staff Engineer", "engineering"),
    ],
)
def test_a_title_the_taxonomy_lists_keeps_its_function_though_it_holds_level_words(
    taxonomy, title, function
):
    assert normalize(title, taxonomy).function == function


def test_a_users_level_words_extend_the_shipped_ones(tmp_path):
    mine = tmp_path / "roles.yaml"
    mine.write_text("level_only_words: [apprentice]\n")
    match = normalize("Senior Apprentice", Taxonomy.load(mine))
    assert (match.function, match.rule) == ("unknown", "level only")


def test_role_records_are_the_cli_contract(taxonomy):
    records = role_records(["VP of Sales", ""], taxonomy)
    assert records == [
        {"title": "VP of Sales", "function": "sales", "seniority": "vp"},
        {"title": "", "function": "unknown", "seniority": "unknown"},
    ]


def test_user_taxonomy_extends_and_wins(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text("functions:\n  finance: [quota carrier]\n  sales: [deal wrangler]\n", "utf-8")
    extended = Taxonomy.load(path)
    assert normalize("Quota Carrier", extended).function == "finance"
    assert normalize("Deal Wrangler", extended).function == "sales"
    assert normalize("VP of Sales", extended).function == "sales"


def test_user_taxonomy_can_replace(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text("replace: true\nfunctions:\n  research: [wizard]\n", "utf-8")
    replaced = Taxonomy.load(path)
    assert normalize("Wizard", replaced).function == "research"
    assert normalize("VP of Sales", replaced).function == "other"


def test_malformed_user_taxonomy_is_a_settings_error(tmp_path):
    from persona_lab.errors import SettingsError

    path = tmp_path / "roles.yaml"
    path.write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(SettingsError, match=r"roles\.yaml"):
        Taxonomy.load(path)


@pytest.mark.parametrize(
    ("said", "title"),
    [
        ("Thanks. I'm the VP of Sales at Acme, so the forecast is mine.", "VP of Sales"),
        ("Sure. I work as a cybersecurity manager for a bank.", "cybersecurity manager"),
        ("I run RevOps here, which means Salesforce is my problem.", "RevOps"),
        ("In my role as a planning engineer, I check schedules.", "planning engineer"),
        ("I am a high school chemistry teacher.", "high school chemistry teacher"),
        ("I work as a seamstress in a small shop.", "seamstress"),
        ("I'm in finance, mostly reporting.", "finance"),
        ("Hi! I'm the Head of IT Security at Oakhurst.", "Head of IT Security"),
        ("I work as Director of IT.", "Director of IT"),
        ("I work as the sole data analyst on the team.", "data analyst"),
        ("I'm the only data analyst on my team.", "data analyst"),
    ],
)
def test_titles_are_found_in_self_introductions(blank_nlp, taxonomy, said, title):
    match = find_title([blank_nlp(said)], taxonomy)
    assert match is not None and match.title == title


@pytest.mark.parametrize(
    "said",
    [
        "I'm a nerd at heart and I love tech.",
        "I'm in a lab with the participant most days.",
        "It should work as intended once it is set up.",
        "I manage a small restaurant with my brother.",
        "I'm the only decision-maker on this.",
        "As a person attending grad school, I read a lot.",
        "Honestly I'm not sure what I need.",
        "Though I am a decent writer because I've had lots of practice, I often fail.",
        "I'm in writer's groups",
    ],
)
def test_moods_and_places_are_not_titles(blank_nlp, taxonomy, said):
    assert find_title([blank_nlp(said)], taxonomy) is None


def test_strong_statement_beats_an_earlier_weak_one(blank_nlp, taxonomy):
    docs = [blank_nlp("I'm a decent writer, I suppose."), blank_nlp("I work as a product manager.")]
    assert find_title(docs, taxonomy).title == "product manager"


def test_the_verb_gives_the_level(blank_nlp, taxonomy):
    from conftest import make_transcript
    from persona_lab.extract.units import Unit
    from persona_lab.models import Participant
    from persona_lab.resolve import resolve_roles

    transcript = make_transcript(
        "a/call.txt", [("Interviewer", "Tell me about you?"), ("Dana", "I run RevOps here.")]
    )
    parsed = [(Unit(0, 1, 0, "I run RevOps here."), blank_nlp("I run RevOps here."))]
    (resolved,) = resolve_roles([transcript], parsed, taxonomy)
    dana = resolved.participant_for("Dana")
    assert isinstance(dana, Participant)
    assert (dana.title, dana.title_source) == ("RevOps", "self-introduction")
    assert (dana.function, dana.seniority) == ("operations", "head")


def test_one_person_in_two_calls_is_one_participant():
    import dataclasses

    from conftest import make_transcript
    from persona_lab.resolve import merge_people

    def call(source, company):
        t = make_transcript(source, [("Interviewer", "Hi?"), ("Henrik", "Hello there.")])
        people = tuple(
            p if p.is_interviewer else dataclasses.replace(p, name="Henrik Larsen", company=company)
            for p in t.participants
        )
        return dataclasses.replace(t, participants=people)

    first, second, other = merge_people(
        [call("a/one.md", "Nordlys"), call("a/two.vtt", "Nordlys"), call("a/three.md", "Acme")]
    )
    ids = [t.participant_for("Henrik").id for t in (first, second, other)]
    assert ids[0] == ids[1] != ids[2]
    assert second.participant_for("Henrik").sources == ("a/one.md", "a/two.vtt")


def test_talk_points_to_a_function_only_when_it_leads_clearly(taxonomy):
    from persona_lab.talk import functions_from_talk, word_counts

    said = {
        "teacher": word_counts(
            ["my", "students", "and", "the", "lesson", "plan", "students", "classroom"]
        ),
        "coder": word_counts(["code", "code", "debugging", "the", "api", "code"]),
        "mixed": word_counts(["students", "code", "lesson", "debugging"]),
        "quiet": word_counts(["yes", "sounds", "good", "thanks"]),
    }
    found = functions_from_talk(said, taxonomy)
    assert found["teacher"].function == "education"
    assert found["coder"].function == "engineering"
    assert "students" in found["teacher"].describe()
    assert "mixed" not in found and "quiet" not in found


def test_related_functions_do_not_block_each_other_in_talk(taxonomy):
    """A picture-book writer talks of images as well as stories: writing leads the arts by
    less than the margin, but the margin that counts is over unrelated functions."""
    from persona_lab.talk import functions_from_talk, word_counts

    words = ["stories", "story", "plot", "characters", "manuscript", "published"]
    said = {
        "writer": word_counts([*words, "images", "illustration", "art"]),
        "writer who teaches": word_counts([*words, "students", "lesson", "classroom", "tutor"]),
        "filler": word_counts(["yes", "thanks"]),
    }
    found = functions_from_talk(said, taxonomy)
    assert found["writer"].function == "writing"
    assert "writer who teaches" not in found
    unrelated = Taxonomy.from_data({**_shipped_data(), "talk_related": []})
    assert "writer" not in functions_from_talk(said, unrelated)


def _shipped_data() -> dict:
    from importlib import resources

    import yaml

    text = resources.files("persona_lab.data").joinpath("roles.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_a_task_after_and_ends_the_title(blank_nlp, taxonomy):
    """ "My job is financial data analysis and understanding federal regulations": the
    gerund after "and" starts a task, not a second title ("sales and marketing" joins)."""
    from spacy.tokens import Doc

    words = ["My", "job", "is", "financial", "data", "analysis"]
    words += ["and", "understanding", "federal", "regulations", "."]
    tags = ["PRP$", "NN", "VBZ", "JJ", "NN", "NN", "CC", "VBG", "JJ", "NNS", "."]
    doc = Doc(blank_nlp.vocab, words=words, tags=tags)
    assert find_title([doc], taxonomy).title == "financial data analysis"
    words = ["My", "job", "is", "sales", "and", "marketing", "for", "a", "bakery", "."]
    tags = ["PRP$", "NN", "VBZ", "NNS", "CC", "NN", "IN", "DT", "NN", "."]
    doc = Doc(blank_nlp.vocab, words=words, tags=tags)
    assert find_title([doc], taxonomy).title == "sales and marketing"


def test_a_user_file_adds_talk_families_and_a_malformed_one_is_an_error(tmp_path):
    from persona_lab.errors import SettingsError
    from persona_lab.talk import functions_from_talk, word_counts

    said = {
        "analyst": word_counts(
            ["invoices", "invoice", "budget", "ledger", "dataset", "datasets", "experiment"]
        ),
        "filler": word_counts(["yes", "thanks"]),
    }
    assert "analyst" not in functions_from_talk(said, Taxonomy.load())
    path = tmp_path / "roles.yaml"
    path.write_text("talk_related:\n  - [finance, research]\n", "utf-8")
    extended = Taxonomy.load(path)
    assert extended.related("writing") == {"writing", "creative"}
    assert extended.related("finance") == {"finance", "research"}
    assert "analyst" in functions_from_talk(said, extended)
    for wrong in (
        "talk_related: [writing, creative]\n",
        "talk_related:\n  - [writting, creative]\n",
    ):
        path.write_text(wrong, "utf-8")
        with pytest.raises(SettingsError, match="talk_related"):
            Taxonomy.load(path)


def test_a_second_job_after_and_stays_in_the_title(blank_nlp, taxonomy):
    from spacy.tokens import Doc

    words = ["I", "am", "a", "graduate", "student", "and", "teaching", "assistant", "."]
    tags = ["PRP", "VBP", "DT", "JJ", "NN", "CC", "VBG", "NN", "."]
    doc = Doc(blank_nlp.vocab, words=words, tags=tags)
    assert find_title([doc], taxonomy).title == "graduate student and teaching assistant"
