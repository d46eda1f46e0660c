"""Extraction: cue patterns, negation, questions, context, verbatim spans."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import hand_doc, make_transcript
from persona_lab import extract
from persona_lab.extract.patterns import load_common, load_context, load_cues
from persona_lab.extract.score import is_negated
from persona_lab.extract.units import Unit, participant_units, segments
from persona_lab.models import Piece, Turn


def test_extract_every_pattern_file_compiles(blank_nlp, settings):
    cues = load_cues(("pain", "goal", "objection"))
    matcher, by_id = extract.build_matcher(blank_nlp.vocab, cues)
    assert len(matcher) == len(cues) == len(by_id)
    assert {c.kind for c in cues} == {"pain", "goal", "objection"}


def _insights_of(blank_nlp, settings, words, lemmas=None, question="Tell me more?", **parse):
    transcript = make_transcript(
        "call.txt", [("Interviewer", question), ("Maria", " ".join(words))]
    )
    doc = hand_doc(blank_nlp.vocab, words, lemmas, **parse)
    unit = Unit(0, 1, 0, doc.text, load_context().kinds_asked(question))
    return extract.insights_from_docs([transcript], [(unit, doc)], settings)


def test_extract_pain_from_lost_hours(blank_nlp, settings):
    words = [
        "Every",
        "Monday",
        "I",
        "lose",
        "three",
        "hours",
        "pulling",
        "numbers",
        "into",
        "spreadsheets",
        ".",
    ]
    lemmas = [
        "every",
        "Monday",
        "I",
        "lose",
        "three",
        "hour",
        "pull",
        "number",
        "into",
        "spreadsheet",
        ".",
    ]
    found = _insights_of(blank_nlp, settings, words, lemmas)
    assert [i.kind for i in found] == ["pain"]
    assert found[0].text == "Every Monday I lose three hours pulling numbers into spreadsheets ."
    assert found[0].participant == "call/maria"
    assert found[0].line == 2 and found[0].start == 10.0


def test_extract_negated_pain_is_not_a_pain(blank_nlp, settings):
    words = ["That", "is", "not", "really", "a", "problem", "for", "us", "."]
    deps = ["nsubj", "ROOT", "neg", "advmod", "det", "attr", "prep", "pobj", "punct"]
    heads = [1, 1, 1, 1, 5, 1, 5, 6, 1]
    assert _insights_of(blank_nlp, settings, words, deps=deps, heads=heads) == ()


def test_extract_negation_window_without_parse(blank_nlp):
    doc = hand_doc(blank_nlp.vocab, ["It", "is", "never", "a", "problem", "here"])
    sentence = doc[:]
    assert is_negated([doc[4]], sentence, load_common())
    assert not is_negated([doc[1]], sentence, load_common())


def test_extract_question_asked_back_is_not_an_objection(blank_nlp, settings):
    words = ["Is", "the", "price", "per", "seat", "or", "per", "team", "?"]
    assert _insights_of(blank_nlp, settings, words) == ()


def test_extract_objection_on_price_and_existing_tool(blank_nlp, settings):
    words = ["Honestly", "the", "price", "is", "steep", "and", "we", "already", "use", "Clari", "."]
    found = _insights_of(blank_nlp, settings, words)
    assert [i.kind for i in found] == ["objection"]


def test_extract_interviewer_context_raises_the_prior(blank_nlp, settings):
    settings = settings.with_overrides(thresholds={"pain": 0.5, "goal": 0.5, "objection": 0.5})
    words = ["Probably", "the", "handoff", "between", "our", "teams", ",", "it", "is", "slow", "."]
    plain = _insights_of(blank_nlp, settings, words, question="How is the weather?")
    asked = _insights_of(
        blank_nlp, settings, words, question="What is the hardest part of your week?"
    )
    assert plain == ()
    assert [i.kind for i in asked] == ["pain"]


def test_extract_short_answer_is_never_quoted(blank_nlp, settings):
    found = _insights_of(
        blank_nlp,
        settings,
        ["Yes", ",", "definitely", "."],
        question="Is reporting a pain for you?",
    )
    assert found == ()


def test_extract_units_skip_interviewer_and_split_at_gaps():
    text = "first line\nsecond line\nafter a gap"
    turn = Turn(1, "Maria", text, (Piece(0, 3), Piece(11, 4), Piece(23, 9)), (True, False))
    assert list(segments(turn)) == [(0, 22), (23, len(text))]
    transcript = make_transcript("a.txt", [("Interviewer", "I hate this problem?"), ("Maria", "x")])
    transcript = dataclasses.replace(transcript, turns=(transcript.turns[0], turn))
    units = list(participant_units([transcript], load_context()))
    assert [u.text for u in units] == ["first line\nsecond line", "after a gap"]
    assert all(u.turn == 1 for u in units)
    assert units[0].asked == ("pain",)


@pytest.mark.parametrize("kind", ["pain", "goal", "objection"])
def test_extract_patterns_have_unique_ids(kind):
    ids = [c.id for c in load_cues((kind,))]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("I am measured on net new ARR and forecast accuracy .", "metric"),
        ("Our main metric is pipeline created per rep .", "metric"),
        ("The CEO approves anything over ten thousand a year .", "decision"),
        ("That is what made us start looking for a tool last spring .", "trigger"),
        ("I mostly hear about new tools from peers on LinkedIn .", "channel"),
    ],
)
def test_extract_further_kinds_by_their_cues(blank_nlp, settings, sentence, kind):
    words = sentence.split()
    lemmas = [
        {"approves": "approve", "made": "make", "hear": "hear", "measured": "measure"}.get(
            w.lower(), w.lower()
        )
        for w in words
    ]
    found = _insights_of(blank_nlp, settings, words, lemmas)
    assert kind in {i.kind for i in found}
    assert all(i.text == sentence for i in found)


@pytest.mark.parametrize(
    ("sentence", "lemmas"),
    [
        ("Anything over a hundred thousand goes to our CFO .", {"goes": "go"}),
        ("Our CFO signs anything over fifty thousand a year .", {"signs": "sign"}),
        ("The VP of Demand Gen owns the SDR budget .", {"owns": "own"}),
        ("My manager , and then the VP of Sales .", {}),
    ],
)
def test_extract_who_signs_off_when_asked(blank_nlp, settings, sentence, lemmas):
    words = sentence.split()
    lemma_of = [lemmas.get(w, w.lower()) for w in words]
    asked = _insights_of(blank_nlp, settings, words, lemma_of, "Who would sign off on it?")
    assert "decision" in {i.kind for i in asked}


def test_extract_a_named_manager_is_no_decision_unless_asked(blank_nlp, settings):
    said = "I go to my manager every Monday and the CEO joins sometimes ."
    words = said.split(" ")
    lemmas = [{"go": "go", "joins": "join"}.get(w, w.lower()) for w in words]
    told = _insights_of(blank_nlp, settings, words, lemmas, "How does your week run?")
    assert "decision" not in {i.kind for i in told}
    said = "My manager , and then the VP of Sales ."
    words = said.split(" ")
    told = _insights_of(blank_nlp, settings, words, [w.lower() for w in words], "Tell me more?")
    assert "decision" not in {i.kind for i in told}


def test_extract_further_kinds_can_be_turned_off(blank_nlp, settings):
    settings = settings.with_overrides(extra_kinds=())
    words = ["I", "am", "measured", "on", "net", "new", "ARR", "and", "forecast", "accuracy", "."]
    lemmas = [w.lower() if w != "measured" else "measure" for w in words]
    assert "metric" not in {i.kind for i in _insights_of(blank_nlp, settings, words, lemmas)}


def test_extract_slow_files_are_reported_by_their_rate_not_their_size():
    from persona_lab.extract import slow_files

    seconds = {0: 2.0, 1: 2.2, 2: 90.0, 3: 40.0}
    words = [1000, 1100, 1000, 20000]
    # File 2 took 45 times its share; file 3 is long, and its time is in proportion.
    assert slow_files(seconds, words) == [2]
    assert slow_files({0: 5.0, 1: 50.0}, [1000, 1000], floor=60.0) == []


def test_label_phrases_keep_meaningful_lead_words_and_skip_kind_words(blank_nlp):
    from persona_lab.extract.summary import phrases

    tab = hand_doc(
        blank_nlp.vocab,
        ["Another", "tab", "is", "a", "non-starter"],
        deps=["det", "nsubj", "ROOT", "det", "attr"],
        heads=[1, 2, 2, 4, 2],
        pos=["DET", "NOUN", "AUX", "DET", "NOUN"],
    )
    # The sentence's capital is lowered; a name's stays.
    assert "another tab" in phrases(tab[:])
    concern = hand_doc(
        blank_nlp.vocab,
        ["Admin", "capacity", "is", "my", "biggest", "concern"],
        deps=["compound", "nsubj", "ROOT", "poss", "amod", "attr"],
        heads=[1, 2, 2, 5, 5, 2],
        pos=["NOUN", "NOUN", "AUX", "PRON", "ADJ", "NOUN"],
    )
    found = phrases(concern[:])
    assert "admin capacity" in found and "biggest concern" not in found
    named = hand_doc(
        blank_nlp.vocab,
        ["Salesforce", "admin", "is", "my", "biggest", "concern"],
        deps=["compound", "nsubj", "ROOT", "poss", "amod", "attr"],
        heads=[1, 2, 2, 5, 5, 2],
        pos=["PROPN", "NOUN", "AUX", "PRON", "ADJ", "NOUN"],
    )
    assert "Salesforce admin" in phrases(named[:])
    issues = hand_doc(
        blank_nlp.vocab,
        ["We", "have", "data", "quality", "issues"],
        deps=["nsubj", "ROOT", "compound", "compound", "dobj"],
        heads=[1, 1, 4, 4, 1],
        pos=["PRON", "VERB", "NOUN", "NOUN", "NOUN"],
    )
    assert "data quality issues" in phrases(issues[:])
    ones = hand_doc(
        blank_nlp.vocab,
        ["I", "need", "accurate", ",", "predictable", "ones"],
        deps=["nsubj", "ROOT", "amod", "punct", "amod", "dobj"],
        heads=[1, 1, 5, 5, 5, 1],
        pos=["PRON", "VERB", "ADJ", "PUNCT", "ADJ", "NOUN"],
    )
    assert not any(p.endswith("ones") for p in phrases(ones[:]))  # "ones" names nothing


def test_label_phrases_drop_light_verbs_stray_lead_words_quotes_and_half_words(blank_nlp):
    from spacy.tokens import Doc

    from persona_lab.extract.summary import phrases

    students = hand_doc(
        blank_nlp.vocab,
        ["I", "like", "my", "students", "and", "debugging", "AI", "code"],
        deps=["nsubj", "ROOT", "poss", "dobj", "cc", "conj", "compound", "dobj"],
        heads=[1, 1, 3, 1, 1, 1, 7, 5],
        pos=["PRON", "VERB", "PRON", "NOUN", "CCONJ", "VERB", "PROPN", "NOUN"],
    )
    found = phrases(students[:])
    assert "like my students" not in found and "students" in found
    assert "debugging AI code" in found  # a verb that says what was done stays
    puns = hand_doc(
        blank_nlp.vocab,
        ["jokes", ",", "i.e.", ",", "puns"],
        deps=["ROOT", "punct", "advmod", "punct", "appos"],
        heads=[0, 0, 4, 4, 0],
        pos=["NOUN", "PUNCT", "X", "PUNCT", "NOUN"],
    )
    assert not any(p.startswith("i.e.") for p in phrases(puns[:]))
    quoted = hand_doc(
        blank_nlp.vocab,
        ["I", "do", "n't", "'", "trust", "'", "AI"],
        deps=["nsubj", "aux", "neg", "punct", "ROOT", "punct", "dobj"],
        heads=[4, 4, 4, 4, 4, 4, 4],
        pos=["PRON", "AUX", "PART", "PUNCT", "VERB", "PUNCT", "PROPN"],
    )
    assert not any("'" in p for p in phrases(quoted[:]))
    words = ["We", "built", "an", "in", "-", "house", "AI", "tool"]
    spaces = [True, True, True, False, False, True, True, False]
    house = Doc(
        blank_nlp.vocab,
        words=words,
        spaces=spaces,
        deps=["nsubj", "ROOT", "det", "amod", "punct", "amod", "compound", "dobj"],
        heads=[1, 1, 7, 7, 7, 7, 7, 1],
        pos=["PRON", "VERB", "DET", "ADP", "PUNCT", "NOUN", "PROPN", "NOUN"],
        sent_starts=[True] + [False] * 7,
    )
    found = phrases(house[:])
    assert "in-house AI tool" in found
    assert not any(p.startswith("house") for p in found)
    unparsed = hand_doc(  # no dependencies: no noun chunks, so single words are the choice
        blank_nlp.vocab,
        ["We", "start", "with", "one", "useful", "concern", "about", "Salesforce"],
        pos=["PRON", "VERB", "ADP", "NUM", "ADJ", "NOUN", "ADP", "PROPN"],
    )
    assert phrases(unparsed[:]) == ("Salesforce",)


@pytest.mark.parametrize(
    "said",
    [
        "I pick one that I like , and I ask it to expand it .",
        "It can be very good on general legal questions .",
        "I will occasionally have it review a report I have written .",
        "Or I will ask it for recipe ideas that target certain nutrients .",
        "My workplace has started to use it much more often .",
        "It gave me a list , which made me feel organized .",
        "I recommended using AI to create custom tests for her .",
        "I had to refer to graduate level textbooks .",
        "Many of my colleagues do not use our company - approved AI technology .",
        "Then I see the proposed changes and can test and approve them as necessary .",
        "Win shares was the y value metric the model attempted to predict .",
        "We do not have any KPIs linked to using AI tools at the moment .",
    ],
)
def test_further_kinds_ignore_their_cue_words_in_other_senses(blank_nlp, settings, said):
    words = said.split()
    lemma = {"made": "make", "started": "start", "recommended": "recommend", "had": "have"}
    lemma |= {"approved": "approve", "proposed": "propose", "changes": "change"}
    lemmas = [lemma.get(w.lower(), w.lower()) for w in words]
    kinds = {i.kind for i in _insights_of(blank_nlp, settings, words, lemmas)}
    assert not kinds & {"decision", "metric", "trigger", "channel"}, kinds


def _parsed(vocab, spec: str):
    """A hand-parsed sentence from "word:POS:dep:head ..." (head: a token index; a
    word written "+nt" is attached to the one before, as in "dont")."""
    from spacy.tokens import Doc

    rows = [item.split(":") for item in spec.split()]
    words = [w.lstrip("+") for w, *_ in rows]
    spaces = [not (n + 1 < len(rows) and rows[n + 1][0].startswith("+")) for n in range(len(rows))]
    spaces[-1] = False
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        heads=[int(r[3]) for r in rows],
    )[:]


NEGATION_AND_LISTS = [
    # "we don't allow local passwords": "allow local passwords" says the opposite.
    (
        "we:PRON:nsubj:3 do:AUX:aux:3 +n't:PART:neg:3 allow:VERB:ROOT:3 local:ADJ:amod:5"
        " passwords:NOUN:dobj:3",
        "don't allow local passwords",
        "allow local passwords",
    ),
    # Written without an apostrophe, "dont" is "do" + "nt": the phrase keeps both.
    (
        "We:PRON:nsubj:3 do:AUX:aux:3 +nt:PART:neg:3 allow:VERB:ROOT:3 local:ADJ:amod:5"
        " passwords:NOUN:dobj:3",
        "dont allow local passwords",
        "nt allow local passwords",
    ),
    (
        "We:PRON:nsubj:3 do:AUX:aux:3 not:PART:neg:3 allow:VERB:ROOT:3 local:ADJ:amod:5"
        " passwords:NOUN:dobj:3",
        "do not allow local passwords",
        "not allow local passwords",
    ),
    (
        "I:PRON:nsubj:4 could:AUX:aux:4 never:ADV:neg:4 fully:ADV:advmod:4 trust:VERB:ROOT:4"
        " the:DET:det:6 AI:PROPN:dobj:4",
        "never fully trust the AI",
        "trust the AI",
    ),
    # A negation the verbatim phrase cannot keep next to the verb: no verb phrase.
    (
        "never:ADV:neg:2 we:PRON:nsubj:2 allow:VERB:ROOT:2 local:ADJ:amod:4 passwords:NOUN:dobj:2",
        "local passwords",
        "allow local passwords",
    ),
    # Negated above the verb ("don't want to lose") or by its subject ("Nobody trusts").
    (
        "We:PRON:nsubj:3 do:AUX:aux:3 +n't:PART:neg:3 want:VERB:ROOT:3 to:PART:aux:5"
        " lose:VERB:xcomp:3 customer:NOUN:compound:7 data:NOUN:dobj:5",
        "customer data",
        "lose customer data",
    ),
    (
        "Nobody:PRON:nsubj:1 trusts:VERB:ROOT:1 the:DET:det:4 forecast:NOUN:compound:4"
        " numbers:NOUN:dobj:1",
        "forecast numbers",
        "trusts the forecast numbers",
    ),
    # A conjunct under a negated verb: "I can't say it worries me or that it has crossed
    # my mind" says neither.
    (
        "I:PRON:nsubj:3 ca:AUX:aux:3 +n't:PART:neg:3 say:VERB:ROOT:3 it:PRON:nsubj:5"
        " worries:VERB:ccomp:3 me:PRON:dobj:5 or:CCONJ:cc:5 that:SCONJ:mark:11"
        " it:PRON:nsubj:11 has:AUX:aux:11 crossed:VERB:conj:5 my:PRON:poss:13"
        " mind:NOUN:dobj:11",
        "mind",
        "crossed my mind",
    ),
    # ... while a conjunct of a negated verb keeps its own sense ("prefer email").
    (
        "We:PRON:nsubj:3 do:AUX:aux:3 +n't:PART:neg:3 use:VERB:ROOT:3 Slack:PROPN:dobj:3"
        " and:CCONJ:cc:3 prefer:VERB:conj:3 email:NOUN:dobj:6",
        "prefer email",
        "use Slack",
    ),
    # "legal, pen test results" runs two things together: its last item is the phrase;
    # "complex, subjective topics" is one thing described twice.
    (
        "with:ADP:ROOT:0 legal:NOUN:amod:5 +,:PUNCT:punct:5 pen:NOUN:compound:4"
        " test:NOUN:compound:5 results:NOUN:pobj:0",
        "pen test results",
        "legal, pen test results",
    ),
    (
        "for:ADP:ROOT:0 complex:ADJ:amod:4 +,:PUNCT:punct:4 subjective:ADJ:amod:4"
        " topics:NOUN:pobj:0",
        "complex, subjective topics",
        "subjective topics",
    ),
    # "I am almost positive AI has a soul": "positive" is said of the speaker, not of AI.
    (
        "I:PRON:nsubj:1 am:AUX:ROOT:1 almost:ADV:advmod:3 positive:ADJ:amod:4"
        " AI:PROPN:nsubj:5 has:VERB:ccomp:1 a:DET:det:7 soul:NOUN:dobj:5",
        "AI",
        "positive AI",
    ),
    # "The problem is new users churn": "new" is the users', not the problem's.
    (
        "The:DET:det:1 problem:NOUN:nsubj:2 is:AUX:ROOT:2 new:ADJ:amod:4 users:NOUN:nsubj:5"
        " churn:VERB:ccomp:2",
        "new users",
        "users",
    ),
    # "It is clear small schools can't afford it": "clear" goes, "small" stays.
    (
        "It:PRON:nsubj:1 is:AUX:ROOT:1 clear:ADJ:amod:4 small:ADJ:amod:4 schools:NOUN:nsubj:5"
        " struggle:VERB:ccomp:1",
        "small schools",
        "clear small schools",
    ),
]


DOERS = [
    # Whose doing it is: "students using AI", not only "using AI" or "students".
    (
        "concerns:NOUN:ROOT:0 about:ADP:prep:0 my:PRON:poss:3 students:NOUN:pobj:1"
        " using:VERB:acl:3 AI:PROPN:dobj:4",
        "students using AI",
        "my students using AI",
    ),
    # An object that names nothing ("using it") or a span of time ("hours chasing
    # leads") makes no such phrase.
    (
        "worried:ADJ:ROOT:0 about:ADP:prep:0 students:NOUN:pobj:1 using:VERB:acl:2 it:PRON:dobj:3",
        "students",
        "students using it",
    ),
    (
        "reps:NOUN:nsubj:1 spend:VERB:ROOT:1 hours:NOUN:dobj:1 chasing:VERB:acl:2"
        " bad:ADJ:amod:5 leads:NOUN:dobj:3",
        "chasing bad leads",
        "hours chasing bad leads",
    ),
]


JOINED = [
    # A noun's "per" or "of" phrase is part of what it names.
    (
        "And:CCONJ:cc:4 price:NOUN:nsubj:4 per:ADP:prep:1 seat:NOUN:pobj:2 is:AUX:ROOT:4"
        " a:DET:det:6 concern:NOUN:attr:4",
        "price per seat",
        None,
    ),
    (
        "we:PRON:nsubj:1 have:VERB:ROOT:1 a:DET:det:3 lack:NOUN:dobj:1 of:ADP:prep:3"
        " pipeline:NOUN:compound:6 visibility:NOUN:pobj:4",
        "lack of pipeline visibility",
        None,
    ),
    # ... but not when what follows only measures ("lack of time", "price per hour") ...
    (
        "we:PRON:nsubj:1 have:VERB:ROOT:1 a:DET:det:3 lack:NOUN:dobj:1 of:ADP:prep:3"
        " time:NOUN:pobj:4",
        "lack",
        "lack of time",
    ),
    (
        "the:DET:det:1 price:NOUN:nsubj:4 per:ADP:prep:1 hour:NOUN:pobj:2 is:AUX:ROOT:4"
        " high:ADJ:acomp:4",
        "price",
        "price per hour",
    ),
    # ... or is a light verb as a noun ("student use of AI" is "use AI").
    (
        "it:PRON:nsubj:1 limits:VERB:ROOT:1 student:NOUN:compound:3 use:NOUN:dobj:1"
        " of:ADP:prep:3 AI:PROPN:pobj:4",
        "student use",
        "student use of AI",
    ),
    # Longer than a label may be: the chunk alone.
    (
        "the:DET:det:1 quality:NOUN:nsubj:7 of:ADP:prep:1 our:PRON:poss:6 old:ADJ:amod:6"
        " pipeline:NOUN:compound:6 data:NOUN:pobj:2 worries:VERB:ROOT:7 me:PRON:dobj:7",
        "quality",
        "quality of our old pipeline data",
    ),
]


@pytest.mark.parametrize(("spec", "kept", "never"), JOINED)
def test_label_phrases_keep_a_nouns_of_or_per_phrase(blank_nlp, spec, kept, never):
    from persona_lab.extract.summary import phrases

    found = phrases(_parsed(blank_nlp.vocab, spec))
    assert kept in found
    assert never is None or never not in found


@pytest.mark.parametrize(("spec", "kept", "never"), NEGATION_AND_LISTS + DOERS)
def test_label_phrases_keep_a_verbs_negation_and_never_list_nouns(blank_nlp, spec, kept, never):
    from persona_lab.extract.summary import phrases

    found = phrases(_parsed(blank_nlp.vocab, spec))
    assert kept in found and never not in found


def test_label_phrases_drop_lead_words_that_only_rate_or_count(blank_nlp):
    from persona_lab.extract.summary import phrases

    topic = hand_doc(
        blank_nlp.vocab,
        ["I", "research", "a", "certain", "research", "topic"],
        deps=["nsubj", "ROOT", "det", "amod", "compound", "dobj"],
        heads=[1, 1, 5, 5, 5, 1],
        pos=["PRON", "VERB", "DET", "ADJ", "NOUN", "NOUN"],
    )
    found = phrases(topic[:])
    # The chunk loses its rating word; a verb phrase is one verbatim span and keeps it.
    assert "research topic" in found and "certain research topic" not in found
    more = hand_doc(
        blank_nlp.vocab,
        ["We", "need", "more", "visibility"],
        deps=["nsubj", "ROOT", "amod", "dobj"],
        heads=[1, 1, 3, 1],
        pos=["PRON", "VERB", "ADJ", "NOUN"],
    )
    assert "more visibility" in phrases(more[:])


def test_label_phrases_drop_a_word_broken_off_but_keep_a_suspended_hyphen(blank_nlp):
    from persona_lab.extract.summary import phrases

    restart = hand_doc(
        blank_nlp.vocab,
        ["But-", "teaching", "takes", "hours"],
        deps=["det", "nsubj", "ROOT", "dobj"],
        heads=[1, 2, 2, 2],
        pos=["NUM", "NOUN", "VERB", "NOUN"],
    )
    found = phrases(restart[:])
    assert "teaching" in found and not any(p.startswith("but") for p in found)
    suspended = hand_doc(
        blank_nlp.vocab,
        ["pre-", "and", "post-sale", "handoff"],
        deps=["amod", "cc", "conj", "ROOT"],
        heads=[3, 0, 0, 3],
        pos=["ADJ", "CCONJ", "ADJ", "NOUN"],
    )
    assert "pre- and post-sale handoff" in phrases(suspended[:])


def test_a_sentence_split_before_a_lowercase_word_is_mended(blank_nlp):
    from spacy.tokens import Doc

    from persona_lab.extract import _sentences

    def sentences(words, starts):
        doc = Doc(blank_nlp.vocab, words=words, sent_starts=starts)
        return [s.text for s in _sentences(doc)]

    # "I would love to have AI | do my grading for me!" as the parser split it.
    words = ["We", "grade", "late", ".", "I", "would", "love", "AI", "do", "my", "grading", "!"]
    starts = [True, False, False, False, True, False, False, False, True, False, False, False]
    assert sentences(words, starts) == ["We grade late .", "I would love AI do my grading !"]
    # A lowercase "i" starts a new sentence; so does every sentence of a lowercase text.
    words = ["We", "grade", "late", ".", "i", "hate", "it", ".", "Really", "."]
    starts = [True, False, False, False, True, False, False, False, True, False]
    assert len(sentences(words, starts)) == 3
    words = ["we", "grade", "late", ".", "it", "hurts", ".", "so", "slow", "."]
    starts = [True, False, False, False, True, False, False, True, False, False]
    assert len(sentences(words, starts)) == 3


def test_a_lowercase_sentence_after_a_full_stop_stays_a_sentence(blank_nlp):
    from spacy.tokens import Doc

    from persona_lab.extract import _sentences

    words = ["Make", "it", "fun", ".", "make", "it", "short", ".", "Thanks", "."]
    starts = [True, False, False, False, True, False, False, False, True, False]
    doc = Doc(blank_nlp.vocab, words=words, sent_starts=starts)
    assert [s.text for s in _sentences(doc)] == ["Make it fun .", "make it short .", "Thanks ."]


def test_a_sentence_ends_at_a_line_break_after_a_colon_or_before_markup(blank_nlp):
    """A sentence the parser ran over a pasted table is cut at the line break, so a
    quote never runs onto the next line's table; wrapped prose stays one sentence."""
    from spacy.tokens import Doc

    from persona_lab.extract import _sentences

    def sentences(words, spaces):
        starts = [True] + [False] * (len(words) - 1)
        doc = Doc(blank_nlp.vocab, words=words, spaces=spaces, sent_starts=starts)
        return [s.text for s in _sentences(doc)]

    pasted = ["It", "comes", "out", "like", "this", ":", "\n", "**", "Rate", "Term**Kiavi7.1"]
    spaces = [True, True, True, True, False, True, False, False, True, False]
    assert sentences(pasted, spaces) == ["It comes out like this:", "**Rate Term**Kiavi7.1"]
    listed = ["I", "use", "two", "\n", "-", "Excel", "\n", "-", "Gong", "\n", "Both", "help"]
    spaces = [True, True, False, False, True, False, False, True, False, False, True, False]
    assert sentences(listed, spaces) == ["I use two", "- Excel", "- Gong\nBoth help"]
    # Wrapped prose, a wrapped list item, and a line that goes on in lower case after a colon.
    wrapped = ["My", "notes", "wrap", "\n", "at", "the", "end", "-", "mostly", "."]
    spaces = [True, True, False, False, True, True, True, True, False, False]
    assert sentences(wrapped, spaces) == ["My notes wrap\nat the end - mostly."]
    item = ["-", "Excel", "for", "\n  ", "everything"]
    assert len(sentences(item, [True, True, False, False, False])) == 1
    signed = ["from", "3", "%", "to", "\n", "-5", "%"]
    assert len(sentences(signed, [True, False, True, False, False, False, False])) == 1
    simple = ["It", "is", "simple", ":", "\n", "we", "have", "none"]
    assert len(sentences(simple, [True, True, False, False, False, True, True, False])) == 1


def test_a_sentence_that_states_nothing_itself_is_no_insight(blank_nlp, settings):
    """Cue words in a denial ("I can't think of a time ...") or in the announcement of a
    story to come make no pain; the same words in a statement do."""

    def kinds(sentence: str) -> list[str]:
        return [i.kind for i in _insights_of(blank_nlp, settings, sentence.split())]

    assert kinds("I find it so frustrating every single week .") == ["pain"]
    assert kinds("I can't think of a time I found it so frustrating .") == []
    assert kinds("I can share a time where I found it so frustrating .") == []
    turned = "I can't think of a time it helped , but I find it so frustrating ."
    assert kinds(turned) == ["pain"]


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("So I can give an example of when it failed.", True),
        ("Let me tell you about one time it failed me.", True),
        ("Yeah, I can share a time where it made me frustrated.", True),
        ("I can\u2019t think of any tasks I prefer to do myself even though AI could.", True),
        ("Honestly, I can't think of any specific situations where it let me down.", True),
        ("I don't remember a time it ever saved me work.", False),
        # a denial of something good, or of a negative, is a statement
        ("I can't recall a single time it gave me the right answer.", False),
        ("I can't think of a time when it didn't help.", False),
        # a point announced, said in the next sentences; a point said is a statement
        ("Just one more thing, something I think could be improved.", True),
        ("Another thing I'd like to add.", True),
        ("One thing that bugs me is the lag.", False),
        ("Another thing, it crashes a lot.", False),
        ("The last thing I'd say.", True),
        ("The note could be better.", False),
        ("No, the note would be better.", False),
        ("The other thing would be better.", False),
        # a pointer back at the sentence before; a sentence that says what it is
        ("That's my main concern.", True),
        ("Honestly, that would be the biggest worry for us.", True),
        ("That was the hardest part.", True),
        ("That's the main thing I worry about with pricing.", False),
        ("That is a problem because the data is stale.", False),
        # the scene of a story; a story that says what happened
        ("For a frustrating experience, I was working on a feature for the app I maintain.", True),
        ("For a frustrating experience, the AI deleted my whole project.", False),
        ("For a bad example, I was writing a report and it made up three sources.", False),
        # an announcement that goes on to tell the story
        ("I can give you an example: it crashed twice last week.", False),
        ("I can think of a time it deleted all my invoices.", False),
        (
            "I can think of a time when it deleted a whole folder of invoices the night before "
            "the audit and we lost a day rebuilding them.",
            False,
        ),
    ],
)
def test_states_nothing(text, nothing):
    from persona_lab.extract.no_statement import states_nothing

    assert states_nothing(text) is nothing
