"""Redaction: e-mails, phones, web addresses and names out of turns, the Turn/Piece
contract kept, pseudonyms stable. Examples are written for the project; fast tests
use no model (a blank pipeline with an entity ruler stands in for NER); the slow
ones load the real spaCy model."""

from __future__ import annotations

import csv
import re
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import DEMO, make_transcript
from persona_lab import errors
from persona_lab.ingest import read_paths
from persona_lab.models import Participant, Piece, Transcript, Turn
from persona_lab.personal_data import Span, known_names, merged, pattern_spans
from persona_lab.pseudonyms import pseudonymize_transcripts
from persona_lab.redact import (
    RedactOptions,
    apply_privacy,
    load_ner,
    redact_transcripts,
    redact_turn,
    replace_spans,
)

# Anything shaped like an e-mail address or a phone number, for checking outputs.
EMAIL_LIKE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE_LIKE = re.compile(
    r"(?:\+|\b00)\d[\d ().-]{6,}\d|\(\d{3}\)\s?\d{3}-\d{4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b"
)


def redacted(text: str) -> str:
    return replace_spans(text, merged(pattern_spans(text)))


def check_contract(before: Transcript, after: Transcript) -> None:
    """The redacted transcript keeps the Turn/Piece contract and the source positions."""
    speakers = {p.speaker for p in after.participants}
    assert len(before.turns) == len(after.turns)
    for old, new in zip(before.turns, after.turns, strict=True):
        texts = new.text.split("\n")
        assert len(texts) == len(new.pieces) == len(old.pieces)
        assert new.text == "\n".join(new.piece_text(k) for k in range(len(new.pieces)))
        for k, (a, b) in enumerate(zip(old.pieces, new.pieces, strict=True)):
            assert new.piece_text(k) == texts[k] and texts[k] == texts[k].strip() and texts[k]
            assert (a.line, a.start, a.end) == (b.line, b.start, b.end)
        assert new.contiguous == old.contiguous and new.index == old.index
        assert new.speaker in speakers


# --- patterns ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to dana.whitfield+crm@brightline.co.uk today.", "Write to [email] today."),
        ("It's dana (at) brightline (dot) com.", "It's [email]."),
        ("Try dana [at] brightline [dot] io", "Try [email]"),
        ("or dana at brightline dot com, whichever", "or [email], whichever"),
        ("See https://calendly.com/dana-w?src=call), thanks", "See [url]), thanks"),
        ("Our site www.brightline.io/pricing.", "Our site [url]."),
        ("Book me at calendly.com/dana-w or acme.co.uk", "Book me at [url] or [url]"),
        ("We moved off Outreach.io last year.", "We moved off Outreach.io last year."),
        (
            "e.g. Node.js and the end of sentence.so what",
            "e.g. Node.js and the end of sentence.so what",
        ),
    ],
)
def test_redact_emails_and_web_addresses(text, expected):
    assert redacted(text) == expected


@pytest.mark.parametrize(
    "phone",
    [
        "+47 912 34 567",
        "+1 (415) 555-0132",
        "+44 20 7946 0958",
        "0044 20 7946 0958",
        "(415) 555-0132",
        "415-555-0132",
        "415.555.0132",
        "030 1234 5678",
        "06 12 34 56 78",
        "+4915112345678",
    ],
)
def test_redact_phone_numbers(phone):
    assert redacted(f"Reach me at {phone}, any time.") == "Reach me at [phone], any time."
    assert redacted(f"Desk {phone}.") == "Desk [phone]."


def test_redact_numbers_side_by_side_and_after_a_date():
    assert redacted("Numbers 415 555 0132 415 555 0199 ok") == "Numbers [phone] [phone] ok"
    assert redacted("Sat 2026-10-01 415 555 0132") == "Sat 2026-10-01 [phone]"
    assert redacted("on 10/01/2026 call 555 1234") == "on 10/01/2026 call [phone]"


def test_redact_short_numbers_only_after_a_phone_word():
    assert redacted("Call me on 555-1234 tomorrow.") == "Call me on [phone] tomorrow."
    assert redacted("My cell is 5551234.") == "My cell is [phone]."
    assert redacted("We grew 555-1234 percent.") == "We grew 555-1234 percent."


@pytest.mark.parametrize(
    "text",
    [
        "We are 201-1000 people, from 1001-5000 last year.",
        "It went live on 2026-10-01, or 10/01/2026 in US format.",
        "From 2019 to 2021; $40,000 deals and 1,200,000 in ARR.",
        "Years 2019 2020 2021 were flat; one million is 1 000 000.",
        "Version v2.3.1, pi 3.14159265, at 10:30, Q3 2026.",
        "The server is 192.168.100.200.",
        "Call id 7481203356601927345 in Gong.",
    ],
)
def test_redact_keeps_numbers_that_are_not_phones(text):
    assert redacted(text) == text


# --- names ------------------------------------------------------------------------------


def person(speaker: str, name: str | None = None, **kwargs) -> Participant:
    return Participant(
        id=f"call:{speaker.lower()}", speaker=speaker, name=name or speaker, is_interviewer=False,
        **kwargs,
    )  # fmt: skip


def test_redact_known_names_full_parts_possessive_and_capitals():
    pattern = known_names([person("Dana", "Dana Whitfield"), person("Interviewer")])
    assert pattern is not None
    text = "dana whitfield said Dana's team and WHITFIELD agree; Interviewer asked Whitfield."
    spans = [Span(m.start(), m.end(), "name") for m in pattern.finditer(text)]
    assert replace_spans(text, merged(spans)) == (
        "[name] said [name]'s team and [name] agree; Interviewer asked [name]."
    )


def test_redact_role_labels_are_not_names():
    people = [
        person("Interviewer"), person("Speaker 2"), person("Sales Lead"), person("User"),
        person("111"), person("cfo-call-notes"), person("Dr. Ana Ruiz"),
    ]  # fmt: skip
    pattern = known_names(people)
    assert pattern is not None
    text = "Interviewer, Speaker 2, the Sales Lead, User 111 and Dr. Ruiz met Ana."
    spans = [Span(m.start(), m.end(), "name") for m in pattern.finditer(text)]
    assert replace_spans(text, merged(spans)) == (
        "Interviewer, Speaker 2, the Sales Lead, User 111 and Dr. [name] met [name]."
    )
    assert known_names([person("Interviewer"), person("2")]) is None


def fake_ner(blank_nlp_names: dict[str, list[str]]):
    """A blank pipeline whose entity ruler tags the given words: NER without a model."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": label, "pattern": [{"TEXT": word} for word in phrase.split()]}
            for label, phrases in blank_nlp_names.items()
            for phrase in phrases
        ]
    )
    return nlp


def test_redact_entities_found_by_ner_unless_allowed():
    nlp = fake_ner(
        {"PERSON": ["Raj", "Salesforce", "Nordlys", "Acme", "Head of Sales", "Q3", "intro"]}
    )
    text = (
        "Raj runs Salesforce for the Head of Sales at Nordlys, and Acme too; "
        "we missed Q3 after the intro."
    )
    transcript = make_transcript("call.txt", [("Interviewer", "Who?"), ("Henrik", text)])
    people = list(transcript.participants)
    people[1] = Participant(**{**people[1].__dict__, "company": "Nordlys Grid"})
    transcript = Transcript(**{**transcript.__dict__, "participants": tuple(people)})
    (out,) = redact_transcripts([transcript], nlp, RedactOptions(redact_allow=("acme",)))
    assert out.turns[1].text == (
        "[name] runs Salesforce for the Head of Sales at Nordlys, and Acme too; "
        "we missed Q3 after the intro."
    )


def test_redact_without_an_entity_component_uses_patterns_and_known_names(blank_nlp):
    transcript = make_transcript("call.txt", [("Interviewer", "Who is Raj?"), ("Lena", "Lena.")])
    (out,) = redact_transcripts([transcript], blank_nlp)
    assert [t.text for t in out.turns] == ["Who is Raj?", "[name]."]


# --- structure and pseudonyms -----------------------------------------------------------


def test_redact_turn_keeps_pieces_offsets_lines_and_times():
    pieces_text = [
        "Mail dana@acme.com, thanks Dana",
        "Whitfield. Call +1 415 555 0132 please.",
        "Bye",
    ]
    text = "\n".join(pieces_text)
    offsets = [0, len(pieces_text[0]) + 1, len(pieces_text[0]) + len(pieces_text[1]) + 2]
    turn = Turn(
        3,
        "Dana",
        text,
        tuple(Piece(o, 10 + k, float(k), float(k) + 0.5) for k, o in enumerate(offsets)),
        (True, False),
    )
    # a name across the first line break, as NER may give one
    name = Span(text.index("Dana\n"), text.index("Whitfield") + len("Whitfield"), "name")
    new = redact_turn(turn, merged([*pattern_spans(text), name]))
    assert new.text.split("\n") == [
        "Mail [email], thanks [name]",
        "[name]. Call [phone] please.",
        "Bye",
    ]
    assert [new.piece_text(k) for k in range(3)] == new.text.split("\n")
    assert [p.offset for p in new.pieces] == [0, 28, 57]
    assert [p.line for p in new.pieces] == [10, 11, 12]
    assert [p.start for p in new.pieces] == [0.0, 1.0, 2.0]
    assert new.contiguous == (True, False) and new.speaker == "Dana"


def test_redact_pseudonyms_are_stable_and_follow_people_across_files():
    def call(source, buyer, buyer_name, company, interviewer_name):
        t = make_transcript(source, [("Interviewer", "Hi?"), (buyer, f"I am {buyer_name}.")])
        people = (
            Participant(
                **{**t.participants[0].__dict__, "name": interviewer_name, "company": "Us"}
            ),
            Participant(**{**t.participants[1].__dict__, "name": buyer_name, "company": company}),
        )
        return Transcript(**{**t.__dict__, "participants": people})

    round_ = [
        call("a.txt", "Henrik", "Henrik Larsen", "Nordlys", "Maya Chen"),
        call("b.txt", "Grace", "Grace Liu", "Oakhurst", "Sam Patel"),
        call("c.txt", "Henrik", "Henrik Larsen", "Nordlys", "Maya Chen"),
        call("d.txt", "User", "User", None, "Sam Patel"),
    ]
    out = redact_transcripts(round_, None, SimpleNamespace(pseudonymize=True, redact_allow=[]))
    names = [[p.name for p in t.participants] for t in out]
    assert names == [
        ["Interviewer 1", "Participant 1"],
        ["Interviewer 2", "Participant 2"],
        ["Interviewer 1", "Participant 1"],
        ["Interviewer 2", "Participant 3"],
    ]
    assert [p.id for p in out[0].participants] == ["interviewer-1", "participant-1"]
    assert [p.id for p in out[2].participants] == ["interviewer-1", "participant-1"]
    for before, after in zip(round_, out, strict=True):
        check_contract(before, after)
        assert all(p.speaker == p.name for p in after.participants)
    assert out[0].turns[1].text == "I am [name]."
    assert out[0].turns[1].speaker == "Participant 1"
    plain = redact_transcripts(round_, None)
    assert [p.name for p in plain[0].participants] == ["Maya Chen", "Henrik Larsen"]
    assert plain[0].turns[1].text == "I am [name]."


def test_redact_metadata_strings():
    transcript = make_transcript("call.txt", [("Interviewer", "Hi?"), ("Ana Ruiz", "Hello.")])
    transcript = Transcript(
        **{
            **transcript.__dict__,
            "metadata": {
                "participant": "Ana Ruiz",
                "interviewer": ["Ana Ruiz", "Bo"],
                "notes": "reach her at ana@ruiz.es",
                "date": "2026-10-01",
                "n": 3,
            },
        }
    )
    (out,) = redact_transcripts([transcript])
    assert out.metadata == {
        "participant": "[name]",
        "interviewer": ["[name]", "Bo"],
        "notes": "reach her at [email]",
        "date": "2026-10-01",
        "n": 3,
    }


def test_redact_apply_privacy_is_the_one_call(blank_nlp):
    transcript = make_transcript(
        "call.txt", [("Interviewer", "Hi Lena?"), ("Lena", "Mail lena@x.io, Lena here.")]
    )
    off = SimpleNamespace(redact=False, pseudonymize=False, redact_allow=())
    assert apply_privacy([transcript], off) == (transcript,)
    names_only = SimpleNamespace(redact=False, pseudonymize=True, redact_allow=())
    (renamed,) = apply_privacy([transcript], names_only)
    assert [t.text for t in renamed.turns] == [t.text for t in transcript.turns]
    assert [t.speaker for t in renamed.turns] == ["Interviewer 1", "Participant 1"]
    assert renamed == pseudonymize_transcripts([transcript])[0]
    redact_only = SimpleNamespace(  # pseudonymizes too: names reach every output
        redact=True,
        pseudonymize=False,
        redact_allow=(),
        spacy_model="none",
        spacy_fallback_models=(),
    )
    (redacted_call,) = apply_privacy([transcript], redact_only, nlp=blank_nlp)
    assert [t.text for t in redacted_call.turns] == ["Hi [name]?", "Mail [email], [name] here."]
    assert [p.name for p in redacted_call.participants] == ["Interviewer 1", "Participant 1"]
    with pytest.raises(errors.ModelMissingError):
        apply_privacy([transcript], redact_only)


def test_redact_missing_model_is_a_clear_error():
    with pytest.raises(errors.ModelMissingError):
        load_ner("no_such_spacy_model_xyz")


# --- properties -------------------------------------------------------------------------

WORDS = st.sampled_from(
    ["Dana", "dana@acme.com", "+47 912 34 567", "www.acme.io", "call", "me", "at", "Whitfield",
     "(415) 555-0132", "2026-10-01", "Q3", "é", "'s", ".", ",", "Dana's", "1001-5000"]
)  # fmt: skip
PIECE = st.lists(WORDS | st.text(min_size=1, max_size=8), min_size=1, max_size=12).map(" ".join)


@hypothesis_settings(max_examples=80, deadline=None)
@given(
    pieces=st.lists(
        PIECE.map(str.strip).filter(bool).filter(lambda s: "\n" not in s), min_size=1, max_size=4
    )
)
def test_redact_any_turn_keeps_the_contract_and_leaves_no_email(pieces):
    pieces = [" ".join(p.split()) for p in pieces if " ".join(p.split())]
    if not pieces:
        return
    turns = [("Dana Whitfield", "\n".join(pieces)), ("Interviewer", "Why?")]
    transcript = make_transcript("p.txt", turns)
    built = transcript.turns[0]
    offsets, offset = [], 0
    for text in pieces:
        offsets.append(offset)
        offset += len(text) + 1
    first = Turn(
        0,
        built.speaker,
        built.text,
        tuple(Piece(o, 1 + k) for k, o in enumerate(offsets)),
        (False,) * (len(pieces) - 1),
    )
    transcript = Transcript(**{**transcript.__dict__, "turns": (first, transcript.turns[1])})
    (out,) = redact_transcripts([transcript], None, RedactOptions(pseudonymize=True))
    check_contract(transcript, out)
    assert not EMAIL_LIKE.search(out.turns[0].text)
    assert not re.search(r"(?<![\w@])(?:Dana|Whitfield)(?![\w@])", out.turns[0].text)


# --- the demo round -----------------------------------------------------------------------


def demo_names() -> set[str]:
    with (DEMO / "participants.csv").open(encoding="utf-8") as handle:
        return {row["name"] for row in csv.DictReader(handle)}


def assert_no_personal_data(transcripts, names: set[str]) -> None:
    parts = {part for name in names for part in name.split()} | names
    name_like = re.compile(
        r"(?<!\w)(?:" + "|".join(sorted(map(re.escape, parts), key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )
    for transcript in transcripts:
        for turn in transcript.turns:
            assert not EMAIL_LIKE.search(turn.text), turn.text
            assert not PHONE_LIKE.search(turn.text), turn.text
            assert not name_like.search(turn.text), (transcript.source, turn.text)
            assert not name_like.search(turn.speaker)
        for p in transcript.participants:
            assert not name_like.search(f"{p.name} {p.speaker} {p.id}")


def test_redact_demo_round_leaves_no_email_phone_or_participant_name(settings):
    result = read_paths([DEMO], settings)
    names = demo_names()
    out = redact_transcripts(result.transcripts, None, RedactOptions(pseudonymize=True))
    assert_no_personal_data(out, names)
    for before, after in zip(result.transcripts, out, strict=True):
        check_contract(before, after)
    # the companies and tools a persona's context needs are still there
    words = " ".join(t.text for tr in out for t in tr.turns)
    assert "Salesforce" in words and "Brightline" in words


@pytest.mark.slow
def test_redact_with_the_real_model(settings):
    nlp = load_ner(settings.spacy_model, settings.spacy_fallback_models)
    transcript = make_transcript(
        "call.txt",
        [
            ("Interviewer", "Who else is involved?"),
            (
                "Dana",
                "Our admin Raj Malhotra owns Salesforce and Gong. I report to Priya Shah, our CRO."
                " My boss, Tom Becker, signs anything over ten thousand."
                " Mail me at dana@brightline.io or call +1 415 555 0132.",
            ),
        ],
    )
    (out,) = redact_transcripts([transcript], nlp, RedactOptions(pseudonymize=True))
    text = out.turns[1].text
    for name in ("Raj", "Malhotra", "Priya", "Shah", "Tom", "Becker", "Dana"):
        assert name not in text
    assert "[email]" in text and "[phone]" in text
    assert "Salesforce" in text and "Gong" in text and "CRO" in text
    result = read_paths([DEMO], settings)
    redacted_round = redact_transcripts(result.transcripts, nlp, RedactOptions(pseudonymize=True))
    assert_no_personal_data(redacted_round, demo_names())
    for before, after in zip(result.transcripts, redacted_round, strict=True):
        check_contract(before, after)


def test_redact_a_name_right_after_a_title_is_a_name():
    from persona_lab.personal_data import titled_name_spans
    from persona_lab.redact import taxonomy_words

    words = taxonomy_words()

    def names(text):
        return [text[s.start : s.end] for s in titled_name_spans(text, frozenset(), words)]

    assert names("Anything over 50k goes to our CFO Maria Lopez first.") == ["Maria Lopez"]
    assert names("I told my manager, Tom.") == ["Tom"]
    assert names("The VP Sales team and our Head of IT Security agreed.") == []
