"""The whole job with the real models: the demo round and the shared interviews."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from conftest import DEMO
from persona_lab.ingest.decode import text_lines, transcript_lines

pytestmark = pytest.mark.slow


def quote_stands_at(source: str, line: int, text: str) -> bool:
    """Whether ``text`` is verbatim in ``source`` beginning on ``line`` (1-based)."""
    path = Path(source)
    if path.suffix == ".docx":
        import docx

        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        return text.split("\n")[0] in paragraphs[line - 1]
    content = path.read_text("utf-8-sig", errors="replace")
    lines = text_lines(content) if path.suffix == ".json" else transcript_lines(content)
    parts = text.split("\n")
    for offset, part in enumerate(parts):
        if line - 1 + offset >= len(lines):
            return False
        here = lines[line - 1 + offset]
        if path.suffix == ".json":
            encoded = json.dumps(part, ensure_ascii=False)[1:-1]
            if encoded not in here and json.dumps(part)[1:-1] not in here:
                return False
        elif part not in here:
            return False
    return True


def expected_personas() -> list[dict]:
    readme = (DEMO / "README.md").read_text("utf-8")
    block = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert block, "transcripts/demo/README.md must hold a ```yaml block of expected personas"
    return yaml.safe_load(block.group(1))["personas"]


@pytest.fixture(scope="module")
def demo_round(tmp_path_factory):
    import persona_lab

    out = tmp_path_factory.mktemp("demo")
    return persona_lab.run([str(DEMO)], out=out), out


def _insights_of(persona, kind):
    themed = [i for t in persona.themes if t.kind == kind for i in t.insights]
    return themed + [i for i in persona.unthemed if i.kind == kind]


def test_end_to_end_demo_personas_are_found(demo_round):
    result, _ = demo_round
    for expected in expected_personas():
        seniorities = expected["seniority"]
        seniorities = [seniorities] if isinstance(seniorities, str) else seniorities
        matches = [
            p
            for p in result.personas
            if p.role.function == expected["function"] and p.role.seniority in seniorities
        ]
        assert matches, f"no persona for {expected['function']}/{seniorities}: " + ", ".join(
            f"{p.name} {p.role}" for p in result.personas
        )
        persona = max(matches, key=lambda p: len(p.participants))
        assert len(persona.participants) >= expected["participants"] - 1, persona.name
        for kind, key in (("pain", "pains"), ("goal", "goals"), ("objection", "objections")):
            texts = [i.text.lower() for i in _insights_of(persona, kind)]
            for words in expected.get(key, []):
                assert any(all(w in t for w in words) for t in texts), (
                    f"{persona.name}: no {kind} with {words}; found {texts}"
                )


def test_end_to_end_every_quote_is_verbatim_at_its_line(demo_round):
    result, _ = demo_round
    assert result.insights
    for insight in result.insights:
        assert quote_stands_at(insight.source, insight.line, insight.text), insight
    for persona in result.personas:
        for theme in persona.themes:
            for quote in theme.quotes:
                assert quote_stands_at(quote.source, quote.line, quote.text), quote


def test_end_to_end_interviewer_words_are_never_a_buyers(demo_round):
    result, _ = demo_round
    interviewer_lines = {
        (t.source, piece.line)
        for t in result.transcripts
        for turn in t.turns
        if (p := t.participant_for(turn.speaker)) is not None and p.is_interviewer
        for piece in turn.pieces
    }
    for insight in result.insights:
        assert (insight.source, insight.line) not in interviewer_lines, insight


def test_end_to_end_outputs_are_written_and_reproducible(demo_round, tmp_path):
    import persona_lab

    result, out = demo_round
    for name in ("index.html", "personas.json", "insights.csv", "personas.md"):
        assert (out / name).is_file(), name
    for persona in result.personas:
        assert (out / "personas" / f"{persona.id}.html").is_file()
        assert (out / "personas" / f"{persona.id}.md").is_file()
    data = json.loads((out / "personas.json").read_text("utf-8"))
    assert set(data) >= {"round", "generated_at", "settings", "personas", "unassigned"}
    # participants.csv names the round for every file: the document is headed by it.
    assert data["round"] == result.name == "2026-Q4"
    assert "<h1>2026-Q4</h1>" in (out / "index.html").read_text("utf-8")
    again = tmp_path / "again"
    persona_lab.run([str(DEMO)], out=again)
    for name in ("personas.json", "insights.csv", "index.html"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


@pytest.mark.shared_data
def test_end_to_end_shared_interviews_run_through(shared_interviews, tmp_path):
    import persona_lab

    result = persona_lab.run([str(shared_interviews)], out=tmp_path / "real")
    assert len(result.transcripts) == 157 and not result.skipped
    full = [p for p in result.personas if not p.emerging]
    assert 2 <= len(full) <= 12, [p.name for p in result.personas]
    functions = {p.role.function for p in full}
    assert {"education", "engineering", "creative"} <= functions, functions
    for insight in result.insights[::25]:
        assert quote_stands_at(insight.source, insight.line, insight.text), insight


def test_end_to_end_redact_leaves_no_name_email_or_phone_in_any_output(tmp_path):
    import csv

    import persona_lab

    out = tmp_path / "redacted"
    settings = persona_lab.default_settings().with_overrides(redact=True)
    persona_lab.run([str(DEMO)], out=out, settings=settings)
    with (DEMO / "participants.csv").open(encoding="utf-8") as handle:
        names = {part for row in csv.DictReader(handle) for part in row["name"].split()}
    names = {n for n in names if len(n) > 2}
    assert names
    for path in out.rglob("*"):
        if not path.is_file() or path.suffix not in (".html", ".md", ".json", ".csv"):
            continue
        text = path.read_text("utf-8")
        for name in names:
            assert not re.search(rf"\b{re.escape(name)}\b", text), (name, path.name)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), path.name
        assert not re.search(r"\(?\d{3}\)?[ -.]\d{3}[ -.]\d{4}", text), path.name


def test_end_to_end_worker_processes_give_the_round_of_one_process(demo_round, monkeypatch):
    """Files extracted in a pool of worker processes (here the demo, in tasks of a few
    files) give the personas, themes and insights of the same files done in-process."""
    import persona_lab
    from persona_lab import pool
    from persona_lab.settings import default_settings

    monkeypatch.setattr(pool, "POOL_MIN_WORDS", 0)
    monkeypatch.setattr(pool, "TASK_WORDS", 2000)
    started: list[int] = []
    original = pool.extract_in_pool
    monkeypatch.setattr(
        pool, "extract_in_pool", lambda t, *a: started.append(len(t)) or original(t, *a)
    )
    single, _ = demo_round
    pooled = persona_lab.run([str(DEMO)], settings=default_settings().with_overrides(workers=2))
    assert started == [len(single.transcripts)]

    def shown(round_):
        """What a reader sees; the order of two near-tied quotes may differ, and a score
        in its fourth decimal, as the vectors computed on one thread in batches of other
        neighbours differ from two threads' in the last bits (the tuned layers carry
        that to about 1e-4 of a probability)."""
        personas = []
        for p in round_.to_dict()["personas"]:
            for theme in p["themes"]:
                theme["quotes"] = sorted(q["text"] for q in theme["quotes"])
            personas.append(p)
        insights = [i.to_dict() for i in round_.insights]
        scores = [insight.pop("score") for insight in insights]
        return personas, insights, scores

    *same, pooled_scores = shown(pooled)
    *expected, single_scores = shown(single)
    assert same == expected
    assert np.allclose(pooled_scores, single_scores, atol=1e-3)


def test_end_to_end_installed_pipeline_version_is_the_loaded_ones():
    from persona_lab.nlp import installed_version, load_pipeline, pipeline_version
    from persona_lab.settings import default_settings

    settings = default_settings()
    names = (settings.spacy_model, *settings.spacy_fallback_models)
    loaded = load_pipeline(settings.spacy_model, settings.spacy_fallback_models)
    assert installed_version(names) == pipeline_version(loaded)
