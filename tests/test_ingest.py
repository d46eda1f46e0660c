"""Ingest: every format read into turns and participants, bad input refused clearly.

Fixtures under tests/fixtures/ingest/ are made-up B2B calls, one per format; bad
and odd files are generated in tmp_path. No spaCy model is loaded here.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from persona_lab import errors
from persona_lab.ingest import FORMATS, IngestResult, discover, read_file, read_paths
from persona_lab.ingest.decode import decode_text, text_lines, transcript_lines
from persona_lab.ingest.read import NO_CAPTION_TEXT
from persona_lab.models import Transcript
from persona_lab.settings import default_settings

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
DEFAULTS = default_settings()  # for hypothesis tests, which cannot take function fixtures


def source_lines(transcript: Transcript) -> list[str]:
    """The lines pieces point at: paragraphs of a .docx, else the decoded text's lines."""
    path = Path(transcript.source)
    if transcript.format == "docx":
        import docx

        return [p.text for p in docx.Document(str(path)).paragraphs]
    text = decode_text(path.read_bytes(), str(path))
    return text_lines(text) if transcript.format in ("json", "gong") else transcript_lines(text)


def assert_contract(transcript: Transcript) -> None:
    """The Turn/Piece contract other stages rely on, for every turn and piece."""
    lines = source_lines(transcript)
    as_json = transcript.format in ("json", "gong")
    speakers = {p.speaker for p in transcript.participants}
    for index, turn in enumerate(transcript.turns):
        assert turn.index == index
        assert turn.text and turn.speaker in speakers
        assert len(turn.contiguous) == len(turn.pieces) - 1
        texts = turn.text.split("\n")
        assert len(texts) == len(turn.pieces)
        for k, (piece, text) in enumerate(zip(turn.pieces, texts, strict=True)):
            assert turn.piece_text(k) == text
            assert text and text == text.strip()
            line = lines[piece.line - 1]
            if as_json:
                encoded = (json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1])
                assert any(e in line for e in encoded), (text, line)
            else:
                assert text in line, (text, line)
            if k and turn.contiguous[k - 1]:
                assert piece.line == turn.pieces[k - 1].line + 1


def read(name: str, settings, **kwargs) -> Transcript:
    transcript = read_file(FIXTURES / name, settings, **kwargs)
    assert_contract(transcript)
    return transcript


def speakers_in_order(transcript: Transcript) -> list[str]:
    return [turn.speaker for turn in transcript.turns]


def interviewers(transcript: Transcript) -> dict[str, str]:
    return {p.speaker: p.interviewer_rule for p in transcript.participants if p.is_interviewer}


def reason_of(excinfo: pytest.ExceptionInfo[errors.InputError]) -> str:
    return excinfo.value.reason


# --- one fixture per format ---------------------------------------------------------------

FORMAT_CASES = [
    # file, format, turn speakers, interviewers (speaker -> rule), turn start times
    (
        "text_call.txt",
        "text",
        ["Interviewer", "Dana Whitfield"] * 3,
        {"Interviewer": "label"},
        [None] * 6,
    ),
    (
        "markdown_call.md",
        "markdown",
        ["Sam", "Priya"] * 2,
        {"Sam": "manifest"},
        [5.0, 12.0, 90.0, 101.0],
    ),
    (
        "otter_call.txt",
        "otter",
        ["Marcus Lee", "Elena Petrova"] * 2,
        {"Marcus Lee": "heuristic"},
        [3.0, 9.0, 41.0, 3766.0],
    ),
    (
        "fireflies_call.txt",
        "otter",
        ["Jordan Blake", "Aisha Khan"] * 2,
        {"Jordan Blake": "heuristic"},
        [4.0, 11.0, 25.0, 29.0],
    ),
    (
        "zoom_call.vtt",
        "vtt",
        ["Interviewer", "Tomas Varga"] * 2,
        {"Interviewer": "label"},
        [1.0, 5.0, 12.5, 15.5],
    ),
    ("teams_call.vtt", "vtt", ["Host", "Rachel Kim"], {"Host": "label"}, [2.0, 6.0]),
    (
        "support_call.srt",
        "srt",
        ["Moderator", "Lena Fischer"],
        {"Moderator": "label"},
        [1.0, 3.5],
    ),
    (
        "call_turns.json",
        "json",
        ["Interviewer", "Omar Haddad"] * 2,
        {"Interviewer": "label"},
        [3.0, 7.0, 19.5, 21.4],
    ),
    (
        "gong_call.json",
        "gong",
        ["Chris Doyle", "Maya Chen"] * 2,
        {"Chris Doyle": "gong-affiliation"},
        [1.2, 8.1, 19.5, 22.4],
    ),
    ("founder_notes.md", "markdown", ["Hannah Cole"], {}, [None]),
]


@pytest.mark.parametrize(("name", "fmt", "turns", "asking", "starts"), FORMAT_CASES)
def test_every_format_reads_speakers_turns_and_times(settings, name, fmt, turns, asking, starts):
    transcript = read(name, settings)
    assert transcript.format == fmt
    assert speakers_in_order(transcript) == turns
    assert interviewers(transcript) == asking
    assert [turn.start for turn in transcript.turns] == starts
    assert transcript.source == str(FIXTURES / name)
    assert len(transcript.content_hash) == 64
    assert all(p.sources == (transcript.source,) for p in transcript.participants)


def test_text_turns_run_over_lines_and_paragraphs(settings):
    transcript = read("text_call.txt", settings)
    dana = transcript.turns[1]
    assert dana.text.splitlines() == [
        "Sure. I'm the VP of Revenue Operations at Northwind Logistics.",
        "I own the forecasting process and the CRM.",
        "We have about 40 reps across three regions.",
    ]
    assert dana.contiguous == (True, False)  # a blank line breaks the run
    assert [p.line for p in dana.pieces] == [5, 6, 8]
    # "Here is what we tried so far:" and "Note: ..." are the participant's words, not speakers.
    assert "Note: a Salesforce validation rule" in transcript.turns[3].text
    # two labeled paragraphs of one speaker in a row are one turn, not contiguous
    assert transcript.turns[5].contiguous == (False,)
    assert transcript.date == "2024-03-12"
    assert transcript.participant_for("Dana Whitfield").id == "text-call:dana-whitfield"


def test_vtt_cues_merge_per_speaker_and_keep_cue_times(settings):
    tomas = read("zoom_call.vtt", settings).turns[1]
    assert tomas.text.splitlines() == [
        "We close the books in NetSuite",
        "and reconcile in Excel.",
        "The month-end close takes eight days.",
    ]
    assert tomas.contiguous == (True, False)  # same cue runs on; a new cue is a gap
    assert [(p.start, p.end) for p in tomas.pieces] == [(5.0, 9.0), (5.0, 9.0), (9.2, 12.0)]
    assert (tomas.start, tomas.end) == (5.0, 12.0)


def test_vtt_inline_tags_cut_pieces_so_each_stays_verbatim(settings):
    rachel = read("teams_call.vtt", settings).turns[1]
    assert rachel.text.splitlines() == [
        "Anything over",
        "ten thousand",
        "dollars needs the CFO.",
        "It adds about a month to every deal.",
    ]
    assert "<" not in rachel.text


def test_json_strings_with_newlines_become_pieces_on_their_line(settings):
    omar = read("call_turns.json", settings).turns[1]
    assert omar.text.splitlines()[:2] == [
        "Our invoices go out late every month.",
        "Finance chases them by email.",
    ]
    assert [p.line for p in omar.pieces] == [3, 3, 4]
    assert omar.contiguous == (False, False)
    assert omar.pieces[2].start == 14.5 and omar.pieces[2].end == 19.0


def test_gong_parties_give_names_titles_and_the_internal_side(settings):
    transcript = read("gong_call.json", settings)
    maya = transcript.participant_for("Maya Chen")
    assert maya.title == "VP Customer Success" and maya.title_source == "metadata"
    assert not maya.is_interviewer and maya.interviewer_rule == "gong-affiliation"
    assert transcript.turns[1].pieces[0].start == 8.1
    assert len(transcript.turns[1].pieces) == 3  # two monologues in a row, one turn
    assert transcript.metadata["call_ids"] == ["7782342274025937895"]


def test_json_turns_object_with_other_key_spellings(settings, tmp_path):
    path = tmp_path / "renewal.json"
    turns = [
        {"speaker_name": "Researcher", "text": "How do you forecast churn?", "start_time": 1},
        {"speaker_name": "Ivy Tran", "text": "Gut feel, mostly.", "start_time": "00:00:04"},
    ]
    path.write_text(json.dumps({"turns": turns}, indent=2), "utf-8")
    transcript = read_file(path, settings)
    assert_contract(transcript)
    assert speakers_in_order(transcript) == ["Researcher", "Ivy Tran"]
    assert [t.start for t in transcript.turns] == [1.0, 4.0]
    assert interviewers(transcript) == {"Researcher": "label"}


def test_fireflies_time_first_speaker_lines(settings, tmp_path):
    path = tmp_path / "fireflies_export.txt"
    path.write_text(
        "00:00:02 Kofi Mensah\nWhat does your security review involve?\n\n"
        "00:00:09 Lina Berg\nA questionnaire, then a pen test report.\n"
        "It takes a quarter.\n\n"
        "00:00:30 Kofi Mensah\nWho reads it?\n\n"
        "00:00:34 Lina Berg\nOur CISO, nobody else.\n",
        "utf-8",
    )
    transcript = read_file(path, settings)
    assert_contract(transcript)
    assert transcript.format == "otter"
    assert speakers_in_order(transcript) == ["Kofi Mensah", "Lina Berg"] * 2
    assert transcript.turns[1].contiguous == (True,)
    assert [t.start for t in transcript.turns] == [2.0, 9.0, 30.0, 34.0]


@pytest.mark.parametrize("where", ["top", "metaData"])
def test_gong_parties_at_the_top_or_under_metadata(settings, tmp_path, where):
    parties = [
        {"speakerId": 1, "name": "Ola Nordmann", "affiliation": "Internal"},
        {"speakerId": 2, "name": "Kari Hansen", "title": "CFO", "affiliation": "External"},
    ]
    sentences = [
        (1, "Is budget approved for this year?"),
        (2, "Only for tools that replace two others."),
    ]
    call = {
        "callId": "42",
        "transcript": [
            {"speakerId": sid, "sentences": [{"start": 1000 * k, "end": 1000 * k + 900, "text": t}]}
            for k, (sid, t) in enumerate(sentences)
        ],
    }
    data: dict = {"callTranscripts": [call]}
    if where == "top":
        data["parties"] = parties
    else:
        data["metaData"] = {"parties": parties}
    path = tmp_path / "gong.json"
    path.write_text(json.dumps(data, indent=2), "utf-8")
    transcript = read_file(path, settings)
    assert_contract(transcript)
    assert interviewers(transcript) == {"Ola Nordmann": "gong-affiliation"}
    assert transcript.participant_for("Kari Hansen").title == "CFO"
    assert [(t.start, t.end) for t in transcript.turns] == [(0.0, 0.9), (1.0, 1.9)]


def test_captions_and_json_without_any_speaker_are_one_persons(settings, tmp_path):
    vtt = tmp_path / "dictation.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nOur renewal is in June.\n\n"
        "00:00:03.000 --> 00:00:05.000\nWe will not pay more.\n",
        "utf-8",
    )
    transcript = read_file(vtt, settings)
    assert [p.speaker for p in transcript.participants] == ["dictation"]
    assert transcript.turns[0].contiguous == (False,)
    plain = tmp_path / "memo.json"
    plain.write_text(json.dumps([{"text": "Switching costs scare us.", "start": 0}]), "utf-8")
    assert [p.speaker for p in read_file(plain, settings).participants] == ["memo"]


@pytest.mark.parametrize(
    ("first", "second", "start"),
    [
        ("Host: ", "Ana Ruiz: ", None),
        ("HOST: ", "ANA RUIZ: ", None),
        ("[00:01:02] Host: ", "[00:01:09] Ana Ruiz: ", 69.0),
        ("Host (00:01:02): ", "Ana Ruiz (1:09): ", 69.0),
        ("**Host:** ", "**Ana Ruiz:** ", None),
        ("**Host**: ", "**Ana Ruiz**: ", None),
    ],
)
def test_every_label_style_of_text_transcripts(settings, tmp_path, first, second, start):
    path = tmp_path / "styles.txt"
    body = [
        f"{first}What does your team use for contract review?",
        f"{second}Mostly email and a shared drive.",
        "Version control is a nightmare.",
        f"{first}Anything else?",
        f"{second}Approvals take too long.",
    ]
    path.write_text("\n".join(body) + "\n", "utf-8")
    transcript = read_file(path, settings)
    assert_contract(transcript)
    buyer = transcript.turns[1]
    assert buyer.text == "Mostly email and a shared drive.\nVersion control is a nightmare."
    assert buyer.contiguous == (True,)
    assert buyer.start == start
    assert [p.is_interviewer for p in transcript.participants] == [True, False]


# --- metadata: front matter, manifest, flag, heuristic -----------------------------------


def test_front_matter_names_the_participant_and_the_interviewer(settings):
    transcript = read("markdown_call.md", settings)
    priya = transcript.participant_for("Priya")
    assert priya.name == "Priya Raman"
    assert (priya.title, priya.title_source) == ("Director of Procurement", "metadata")
    assert (priya.company, priya.industry, priya.company_size) == (
        "Contoso Health",
        "Healthcare",
        "1000-5000",
    )
    assert (transcript.date, transcript.round) == ("2024-04-02", "spring-2024")
    assert transcript.metadata["participant"] == "Priya Raman"
    # front matter lines are never turn text, and line numbers still count them
    assert transcript.turns[0].line == 17
    assert all("---" not in t.text and "# Vendor" not in t.text for t in transcript.turns)


def test_notes_without_labels_are_one_participants(settings):
    transcript = read("founder_notes.md", settings)
    (hannah,) = transcript.participants
    assert hannah.speaker == "Hannah Cole" and hannah.interviewer_rule == "single-speaker"
    assert hannah.title == "Head of People" and hannah.company == "Brightwave"
    assert transcript.turns[0].contiguous == (True, False)
    assert "Notes from" not in transcript.turns[0].text


def test_notes_without_front_matter_belong_to_the_file_stem(settings, tmp_path):
    path = tmp_path / "cfo-call-notes.txt"
    path.write_text("Budget is frozen until Q3.\nNeeds SOC 2 before any pilot.\n", "utf-8")
    transcript = read_file(path, settings)
    assert [p.speaker for p in transcript.participants] == ["cfo-call-notes"]
    assert transcript.turns[0].contiguous == (True,)


def test_manifest_decides_interviewer_and_gives_titles_over_the_heuristic(settings):
    result = read_paths([FIXTURES / "manifest_round"], settings)
    assert not result.skipped
    acme, globex = result.transcripts
    # Lee asks every question, yet the manifest says Kim interviews.
    assert interviewers(acme) == {"Kim": "manifest"}
    lee = acme.participant_for("Lee")
    assert (lee.name, lee.title, lee.company, lee.industry) == (
        "Lee Park",
        "Head of Data",
        "Acme Corp",
        "Manufacturing",
    )
    assert lee.interviewer_rule == "manifest" and lee.title_source == "metadata"
    assert (acme.date, acme.round) == ("2024-05-06", "may-round")
    jo = globex.participant_for("Jo")
    assert (jo.name, jo.title, jo.company_size) == ("Jo Martin", "Product Manager", "50-200")
    assert interviewers(globex) == {"Moderator": "label"}


def test_manifest_in_yaml_and_manifest_values_win_over_front_matter(settings, tmp_path):
    shutil.copy(FIXTURES / "markdown_call.md", tmp_path / "markdown_call.md")
    (tmp_path / "participants.yaml").write_text(
        "- file: markdown_call.md\n  speaker: Priya\n  title: Chief Procurement Officer\n",
        "utf-8",
    )
    (transcript,) = read_paths([tmp_path], settings).transcripts
    priya = transcript.participant_for("Priya")
    assert priya.title == "Chief Procurement Officer"
    assert priya.company == "Contoso Health"  # the gaps still come from front matter


def test_round_is_named_by_the_files_metadata_when_they_agree(settings, tmp_path):
    import dataclasses

    from persona_lab.pipeline import round_name

    folder = tmp_path / "calls"
    folder.mkdir()
    for name in ("markdown_call.md", "text_call.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "participants.csv").write_text(
        "file,speaker,round\n"
        "markdown_call.md,Priya,2026-H1\n"
        "text_call.txt,Dana Whitfield,2026-H1\n",
        "utf-8",
    )
    read = read_paths([folder], settings).transcripts
    assert [t.round for t in read] == ["2026-H1", "2026-H1"]
    assert round_name([folder], settings, read) == "2026-H1"
    assert round_name([folder], settings.with_overrides(round="Q3 calls"), read) == "Q3 calls"
    # Files that name two rounds, or only some files that name one, leave the folder's name.
    split = [read[0], dataclasses.replace(read[1], round="2025-H2")]
    assert round_name([folder], settings, split) == "calls"
    for blank in (None, "  "):
        some = [read[0], dataclasses.replace(read[1], round=blank)]
        assert round_name([folder], settings, some) == "calls"
    assert round_name([folder], settings.with_overrides(round=" Q3 "), read) == "Q3"


def test_malformed_manifest_is_one_skipped_line_and_transcripts_still_read(settings, tmp_path):
    shutil.copy(FIXTURES / "text_call.txt", tmp_path / "text_call.txt")
    (tmp_path / "participants.csv").write_text(
        "file,speaker,interviewer\ntext_call.txt,Dana Whitfield,perhaps\n", "utf-8"
    )
    result = read_paths([tmp_path], settings)
    assert len(result.transcripts) == 1
    (skipped,) = result.skipped
    assert skipped.source == str(tmp_path / "participants.csv")
    assert "interviewer must be yes or no" in skipped.reason


def test_interviewer_flag_names_the_interviewer(settings):
    flagged = settings.with_overrides(interviewers=("jordan blake",))
    transcript = read("fireflies_call.txt", flagged)
    assert interviewers(transcript) == {"Jordan Blake": "flag"}


def test_heuristic_needs_a_clear_asker(settings, tmp_path):
    path = tmp_path / "peers.txt"
    path.write_text(
        "Ann: Do you use Jira?\nBen: Yes. Do you?\nAnn: We do. Is it slow for you?\n"
        "Ben: Very. Have you tried Linear?\n",
        "utf-8",
    )
    transcript = read_file(path, settings)
    assert interviewers(transcript) == {}
    assert {p.interviewer_rule for p in transcript.participants} == {"default"}


def test_a_label_that_is_a_sentence_is_not_a_speaker(settings, tmp_path):
    path = tmp_path / "sentences.txt"
    path.write_text(
        "Interviewer: How do you pick vendors?\n"
        "Raj Patel: Here is how I usually present the options to our board:\n"
        "Option one: the incumbent, cheaper but slow.\n"
        "I usually put it like this: cost, risk, time to value.\n"
        "Note: the board always asks about security.\n"
        "Interviewer: And then?\n"
        "Raj Patel: Note: they pick the safe choice.\n",
        "utf-8",
    )
    transcript = read_file(path, settings)
    assert_contract(transcript)
    assert speakers_in_order(transcript) == ["Interviewer", "Raj Patel"] * 2
    assert "Note: the board always asks about security." in transcript.turns[1].text
    assert transcript.turns[3].text == "Note: they pick the safe choice."


def test_header_before_the_first_turn_is_metadata_not_a_turn(settings, tmp_path):
    path = tmp_path / "dialog.md"
    path.write_text(
        "# Dialog 00042\n\n**Transcript ID:** work_0042\n\n---\n\n"
        "Assistant: Hi! What do you do?\n\nUser: I run payroll.\n\n"
        "AI: What slows you down?\n\nUser: Manual approvals.\n",
        "utf-8",
    )
    transcript = read_file(path, settings)
    assert transcript.metadata["transcript_id"] == "work_0042"
    assert speakers_in_order(transcript) == ["Assistant", "User", "AI", "User"]
    assert transcript.turns[0].line == 7


# --- detection and overrides --------------------------------------------------------------


def test_content_decides_the_format_of_a_txt(settings, tmp_path):
    vtt = tmp_path / "zoom_export.txt"
    shutil.copy(FIXTURES / "zoom_call.vtt", vtt)
    assert read_file(vtt, settings).format == "vtt"
    srt = tmp_path / "captions.txt"
    shutil.copy(FIXTURES / "support_call.srt", srt)
    assert read_file(srt, settings).format == "srt"
    as_json = tmp_path / "turns.txt"
    shutil.copy(FIXTURES / "call_turns.json", as_json)
    assert read_file(as_json, settings).format == "json"


def test_format_override(settings, tmp_path):
    path = tmp_path / "cues.md"
    shutil.copy(FIXTURES / "support_call.srt", path)
    transcript = read_file(path, settings, fmt="srt")
    assert transcript.format == "srt"
    # read as text, an Otter export has no labels: one person's notes
    as_text = read_file(FIXTURES / "otter_call.txt", settings, fmt="text")
    assert [p.speaker for p in as_text.participants] == ["otter_call"]
    with pytest.raises(errors.SettingsError):
        read_file(path, settings, fmt="pdf")
    assert "docx" in FORMATS


def test_docx_paragraphs_are_lines(settings, tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Pricing interview", level=1)
    document.add_paragraph("Interviewer: How do you buy analytics tools today?")
    broken = document.add_paragraph("Greta Lind: Through a yearly RFP.")
    broken.add_run().add_break()
    broken.add_run("It takes four months.")
    document.add_paragraph("Procurement owns the shortlist.")
    document.add_paragraph("")
    document.add_paragraph("Interviewer: What would you change?")
    document.add_paragraph("Greta Lind: Monthly contracts.")
    path = tmp_path / "pricing.docx"
    document.save(str(path))
    transcript = read_file(path, settings)
    assert_contract(transcript)
    assert transcript.format == "docx"
    assert speakers_in_order(transcript) == ["Interviewer", "Greta Lind"] * 2
    greta = transcript.turns[1]
    assert greta.text.splitlines() == [
        "Through a yearly RFP.",
        "It takes four months.",
        "Procurement owns the shortlist.",
    ]
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert paragraphs[greta.pieces[0].line - 1].startswith("Greta Lind:")
    assert greta.contiguous == (False, True)


# --- bad input ----------------------------------------------------------------------------


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


CALL = (
    "Interviewer: What costs you the most time?\n"
    "Zoë Brandt: Reconciling invoices – every week.\n"
    "Interviewer: Why?\n"
    "Zoë Brandt: Our ERP exports break on “special” characters.\n"
)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", errors.EMPTY_FILE),
        ("blank.md", b" \n\n\t\n", errors.EMPTY_FILE),
        ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", errors.BINARY_FILE),
        ("junk.vtt", bytes(range(256)) * 4, errors.BINARY_FILE),
        ("broken.srt", b"\x81\x8d\x8f\x90\x9d" * 10, errors.NOT_UTF8),
        ("nocues.vtt", b"WEBVTT\n\nNOTE nothing was said\n", NO_CAPTION_TEXT),
        ("heading.md", b"# Just a title\n\n---\n", errors.NO_TURNS),
        ("photo.png", b"\x89PNG\r\n", errors.UNKNOWN_FORMAT),
        ("deck.pdf", b"%PDF-1.7\n", errors.UNKNOWN_FORMAT),
        ("hosts.txt", b"Host: Hi?\nHost: Anyone there?\n", errors.NO_PARTICIPANT),
        (
            "panel.txt",
            b"Interviewer: Hi?\nModerator: Hello?\nInterviewer: Shall we?\n",
            errors.NO_PARTICIPANT,
        ),
    ],
)
def test_bad_input_is_refused_with_its_reason(settings, tmp_path, name, content, reason):
    with pytest.raises(errors.InputError) as excinfo:
        read_file(write(tmp_path, name, content), settings)
    assert reason_of(excinfo) == reason
    assert excinfo.value.source == str(tmp_path / name)


@pytest.mark.parametrize(
    ("name", "content", "reason_start"),
    [
        ("bad.json", b'[{"speaker": "A", "text": "hi"', "the JSON cannot be read (line 1"),
        ("shape.json", b'{"hello": "world"}', "the JSON is neither"),
        ("fake.docx", b"Interviewer: hi", "this is not a readable Word .docx"),
        ("zip.docx", b"PK\x03\x04garbage", "this is not a readable Word .docx"),
        ("front.md", b"---\nparticipant: [Jo\n---\nJo: hi\n", "the YAML front matter"),
    ],
)
def test_malformed_files_get_one_line_saying_what_to_do(
    settings, tmp_path, name, content, reason_start
):
    with pytest.raises(errors.InputError) as excinfo:
        read_file(write(tmp_path, name, content), settings)
    assert reason_of(excinfo).startswith(reason_start)
    assert "\n" not in reason_of(excinfo)


@pytest.mark.parametrize(
    "encoded",
    [
        CALL.encode("cp1252"),
        CALL.encode("utf-16"),  # with a BOM
        b"\xef\xbb\xbf" + CALL.encode("utf-8"),
        CALL.encode("utf-16-le"),  # no BOM: told from the NUL pattern
    ],
)
def test_text_in_other_encodings_is_decoded(settings, tmp_path, encoded):
    transcript = read_file(write(tmp_path, "legacy.txt", encoded), settings)
    assert transcript.turns[1].text == "Reconciling invoices – every week."
    assert transcript.participant_for("Zoë Brandt") is not None


def test_malformed_timestamps_keep_the_text(settings, tmp_path):
    text = (
        "[99:99:99] Interviewer: Which CRM do you use?\n"
        "[00:00:07] Mia Novak: Pipedrive, since 2021.\n"
        "[00:00:1] Interviewer: Why that one?\n"
        "[00:00:12] Mia Novak: It was cheap.\n"
    )
    transcript = read_file(write(tmp_path, "times.txt", text.encode()), settings)
    assert [t.start for t in transcript.turns] == [None, 7.0, None, 12.0]
    assert transcript.turns[2].text == "Why that one?"
    cues = (
        "WEBVTT\n\n00:00:xx --> 00:00:02.000\nInterviewer: Which CRM?\n\n"
        "00:00:03.000 --> 00:00:05.000\nMia Novak: Pipedrive.\n\n"
        "00:00:05.000 --> 00:00:06.000\nInterviewer: Why?\n\n"
        "00:00:06.000 --> 00:00:09.000\nMia Novak: It was cheap.\n"
    )
    transcript = read_file(write(tmp_path, "times.vtt", cues.encode()), settings)
    assert transcript.turns[0].text == "Which CRM?" and transcript.turns[0].start is None
    assert transcript.turns[0].end == 2.0


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\x0c"])
def test_only_newlines_end_a_line(settings, tmp_path, separator):
    """NEL, U+2028 and form feeds inside a turn keep it on the line an editor shows."""
    text = tmp_path / "call.txt"
    text.write_text(f"Ana: one{separator}two\nBo: three\n", "utf-8")
    plain = read_file(text, settings)
    assert [p.line for t in plain.turns for p in t.pieces] == [1, 2]
    turns = [{"speaker": "Ana", "text": f"one{separator}two"}, {"speaker": "Bo", "text": "x"}]
    as_json = tmp_path / "call.json"
    as_json.write_text(json.dumps(turns, ensure_ascii=False, indent=1), "utf-8")
    assert [p.line for t in read_file(as_json, settings).turns for p in t.pieces] == [4, 8]
    assert_contract(plain)


def test_file_larger_than_the_limit_is_refused_before_reading(settings, tmp_path):
    path = write(tmp_path, "long.txt", CALL.encode() * 200)
    with pytest.raises(errors.InputError) as excinfo:
        read_file(path, settings.with_overrides(max_file_mb=0.001))
    assert reason_of(excinfo) == errors.TOO_LARGE.format(limit="0.001")


def test_unreadable_paths_say_so(settings, tmp_path):
    (tmp_path / "folder.txt").mkdir()
    for path in (tmp_path / "folder.txt", tmp_path / "missing.txt"):
        with pytest.raises(errors.InputError) as excinfo:
            read_file(path, settings)
        assert reason_of(excinfo).startswith("cannot be read (")


def test_one_speaker_only_is_the_participant(settings, tmp_path):
    text = "Lars Berg: We renew in March.\nLars Berg: Price is the blocker.\n"
    transcript = read_file(write(tmp_path, "monologue.txt", text.encode()), settings)
    (lars,) = transcript.participants
    assert not lars.is_interviewer and lars.interviewer_rule == "single-speaker"


# --- folders ------------------------------------------------------------------------------


def test_discover_skips_hidden_readme_and_manifests_and_sorts(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.txt", "a.md", ".DS_Store", "README.md", "participants.csv", ".git/x.txt"):
        (tmp_path / name).write_text("x", "utf-8")
    found = discover([str(tmp_path)])
    assert found == [tmp_path / "a.md", tmp_path / "b" / "z.txt"]
    assert discover([tmp_path / "a.md", tmp_path]) == found  # each file once


def test_folder_with_junk_gives_skipped_lines_and_reads_the_rest(settings, tmp_path):
    for name in ("text_call.txt", "zoom_call.vtt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    write(tmp_path, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path, "whiteboard.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, "deck.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    write(tmp_path, "README.md", b"# Round notes\n")
    write(tmp_path, "empty.txt", b"")
    seen: list[Path] = []
    result = read_paths([str(tmp_path)], settings, on_file=seen.append)
    assert isinstance(result, IngestResult)
    assert [t.source for t in result.transcripts] == [
        str(tmp_path / "text_call.txt"),
        str(tmp_path / "zoom_call.vtt"),
    ]
    assert {(Path(s.source).name, s.reason) for s in result.skipped} == {
        ("deck.pdf", errors.UNKNOWN_FORMAT),
        ("empty.txt", errors.EMPTY_FILE),
        ("whiteboard.png", errors.UNKNOWN_FORMAT),
    }
    assert len(seen) == 5 and len(set(seen)) == 5


def test_participant_ids_stay_unique_across_folders(settings, tmp_path):
    for folder in ("east", "west"):
        (tmp_path / folder).mkdir()
        shutil.copy(FIXTURES / "support_call.srt", tmp_path / folder / "call.srt")
    result = read_paths([tmp_path], settings)
    ids = [p.id for t in result.transcripts for p in t.participants]
    assert ids == [
        "call:moderator",
        "call:lena-fischer",
        "west-call:moderator",
        "west-call:lena-fischer",
    ]


def test_read_paths_takes_a_single_path_too(settings):
    result = read_paths(str(FIXTURES / "support_call.srt"), settings)
    assert len(result.transcripts) == 1 and not result.skipped


# --- properties ---------------------------------------------------------------------------

SUFFIXES = (".txt", ".md", ".vtt", ".srt", ".json", ".docx")
TRANSCRIPT_BITS = st.sampled_from(
    [
        "Jane Doe: ", "Interviewer: ", "**Sam:** ", "**Sam**: ", "[00:01:02] ", "Ann (1:02): ",
        "WEBVTT", "00:00:01.000 --> 00:00:02.000", "1", " --> ", "---", "# ", "<v Jane>", "</v>",
        "<i>", "Jane Doe  0:05", "00:01:05 Jane", "Note: ", "participant: Jo", "speaker: Jo",
        "?", "{", "[", '"text": "a"', "\n", "\n\n", "\r\n", "\r", "\u2028", "\x0c", "é", " ", "\t",
    ]
)  # fmt: skip
TRANSCRIPT_LIKE = st.lists(TRANSCRIPT_BITS | st.text(max_size=6), max_size=40).map("".join)


def fuzz_path(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    return folder / name


@hypothesis_settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=2048), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_raise_nothing_but_our_errors(tmp_path_factory, content, suffix):
    path = fuzz_path(tmp_path_factory, f"bytes{suffix}")
    path.write_bytes(content)
    with contextlib.suppress(errors.PersonaLabError):
        read_file(path, DEFAULTS)


@hypothesis_settings(max_examples=60, deadline=None)
@given(text=TRANSCRIPT_LIKE, suffix=st.sampled_from((".txt", ".md", ".vtt", ".srt")))
def test_transcript_like_text_keeps_the_piece_contract(tmp_path_factory, text, suffix):
    path = fuzz_path(tmp_path_factory, f"like{suffix}")
    path.write_bytes(text.encode("utf-8"))
    try:
        transcript = read_file(path, DEFAULTS)
    except errors.PersonaLabError:
        return
    if transcript.format not in ("json", "gong"):
        assert_contract(transcript)


TEXT_FORMATS = tuple(f for f in FORMATS if f != "docx")
ANY_TEXT = TRANSCRIPT_LIKE | st.text(max_size=400)
ENCODINGS = st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "cp1252"))


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@hypothesis_settings(max_examples=120, deadline=None)
@given(content=st.binary(max_size=2048), fmt=st.sampled_from(FORMATS))
def test_every_reader_takes_any_bytes(tmp_path_factory, content, fmt):
    """Each reader, forced with fmt=, on bytes of any kind: a transcript or our error."""
    path = fuzz_path(tmp_path_factory, "forced.txt")
    path.write_bytes(content)
    try:
        transcript = read_file(path, DEFAULTS, fmt=fmt)
    except errors.PersonaLabError:
        return
    assert transcript.turns


@hypothesis_settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT, fmt=st.sampled_from(TEXT_FORMATS), encoding=ENCODINGS)
def test_every_text_reader_keeps_the_piece_contract_on_any_text(
    tmp_path_factory, text, fmt, encoding
):
    path = fuzz_path(tmp_path_factory, "forced_text.txt")
    path.write_bytes(encoded(text, encoding))
    try:
        transcript = read_file(path, DEFAULTS, fmt=fmt)
    except errors.PersonaLabError:
        return
    assert_contract(transcript)


JSON_KEYS = st.sampled_from(
    ["speaker", "speaker_name", "name", "text", "content", "start", "end", "start_time", "turns",
     "segments", "callTranscripts", "transcript", "sentences", "speakerId", "parties",
     "affiliation", "title", "metaData", "calls", "callId", "topic"]
)  # fmt: skip
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["Interviewer", "Ana Ruiz", "Internal", "External", "How?\nWhy?", "00:01"])
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(JSON_KEYS, inner, max_size=6),
    max_leaves=40,
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(data=JSON_VALUES, ascii_only=st.booleans(), indent=st.sampled_from([None, 1]))
def test_json_readers_keep_the_contract_on_any_json(tmp_path_factory, data, ascii_only, indent):
    """Plain JSON turns and Gong exports of any shape: a transcript whose pieces stand
    on their lines, or our error."""
    path = fuzz_path(tmp_path_factory, "any.json")
    path.write_text(json.dumps(data, ensure_ascii=ascii_only, indent=indent), "utf-8")
    try:
        transcript = read_file(path, DEFAULTS)
    except errors.PersonaLabError:
        return
    assert transcript.format in ("json", "gong")
    assert_contract(transcript)


@hypothesis_settings(max_examples=25, deadline=None)
@given(paragraphs=st.lists(TRANSCRIPT_LIKE.map(lambda t: t.replace("\x0c", "")), max_size=12))
def test_docx_reader_keeps_the_contract_on_any_paragraphs(tmp_path_factory, paragraphs):
    import docx

    document = docx.Document()
    for text in paragraphs:
        cleaned = "".join(c for c in text if c >= " " or c in "\t\n")
        document.add_paragraph(cleaned)
    path = fuzz_path(tmp_path_factory, "any.docx")
    document.save(str(path))
    try:
        transcript = read_file(path, DEFAULTS)
    except errors.PersonaLabError:
        return
    assert transcript.format == "docx"
    assert_contract(transcript)


@hypothesis_settings(max_examples=30, deadline=None)
@given(
    files=st.lists(
        st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=300) | ANY_TEXT.map(str.encode)),
        max_size=6,
    )
)
def test_read_paths_reports_every_file_once_whatever_they_hold(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("round")
    for n, (suffix, content) in enumerate(files):
        (folder / f"f{n}{suffix}").write_bytes(content)
    result = read_paths([folder], DEFAULTS)
    seen = sorted(
        [Path(t.source).name for t in result.transcripts]
        + [Path(s.source).name for s in result.skipped]
    )
    assert seen == sorted(f"f{n}{suffix}" for n, (suffix, _) in enumerate(files))
    assert all(s.reason and "\n" not in s.reason for s in result.skipped)


# --- the real interviews ------------------------------------------------------------------


@pytest.mark.shared_data
def test_shared_interviews_are_all_read(settings, shared_interviews):
    result = read_paths([shared_interviews], settings)
    assert len(result.transcripts) == 157
    assert not result.skipped
    for transcript in result.transcripts:
        buyers = [p for p in transcript.participants if not p.is_interviewer]
        assert [p.speaker for p in buyers] == ["User"], transcript.source
        labels = {p.speaker: p.is_interviewer for p in transcript.participants}
        assert all(labels[s] for s in ("AI", "Assistant") if s in labels)
        assert "transcript_id" in transcript.metadata
        for turn in transcript.turns:
            if turn.speaker == "User":
                lines = turn.text.split("\n")
                assert not any(line.startswith(("AI:", "Assistant:")) for line in lines)
    assert_contract(result.transcripts[0])
    assert_contract(result.transcripts[-1])
