"""The research store: rounds stored and shown again, incremental runs, export and
import, forget, migrations, and safety with real processes (two runs at once, a run
killed in the middle of its write). No model is loaded: see fixtures/store/fake_run.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FakeEmbedder
from persona_lab import pipeline
from persona_lab.cli import app
from persona_lab.store import StoreError, open_store
from persona_lab.store.age import is_stale, months_after
from persona_lab.store.codec import from_blob, to_blob
from persona_lab.store.rounds import list_rounds, load_round
from persona_lab.store.schema import SCHEMA_VERSION
from persona_lab.store.transfer import export_lines

FIXTURES = Path(__file__).parent / "fixtures" / "store"
H1, H2 = FIXTURES / "h1", FIXTURES / "h2"
FAKE_RUN = FIXTURES / "fake_run.py"
sys.path.insert(0, str(FIXTURES))

from fake_run import lemma_nlp, run_round  # noqa: E402

runner = CliRunner()
STORE_COMMANDS = ["rounds", "show", "diff", "refresh", "export", "import", "forget"]


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.texts = 0

    def encode(self, texts):
        self.texts += len(texts)
        return super().encode(texts)


@pytest.fixture
def extracted(monkeypatch):
    """Records how many files each run parses and extracts."""
    calls: list[int] = []
    original = pipeline.extract_files

    def counting(transcripts, *args, **kwargs):
        calls.append(len(transcripts))
        return original(transcripts, *args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_files", counting)
    return calls


def dump(db: Path) -> list[str]:
    with open_store(db) as store:
        return list(export_lines(store))


def outputs(folder: Path) -> dict[str, bytes]:
    names = ("personas.json", "insights.csv", "themes.csv", "index.html", "personas.md")
    return {n: (folder / n).read_bytes() for n in names if (folder / n).is_file()}


# Incremental runs ------------------------------------------------------------


def test_store_first_run_gives_the_outputs_of_a_run_without_store(tmp_path):
    run_round([H1], name="2026-H1", out=tmp_path / "plain")
    run_round([H1], name="2026-H1", out=tmp_path / "stored", db=tmp_path / "s.db")
    assert outputs(tmp_path / "plain") == outputs(tmp_path / "stored")
    assert not (tmp_path / "persona_lab.db").exists()


def test_store_without_db_writes_no_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run_round([H1], out=tmp_path / "out")
    assert not list(tmp_path.glob("*.db"))


def test_store_second_run_reads_nothing_again_and_changes_nothing(tmp_path, extracted):
    db = tmp_path / "s.db"
    first = run_round([H1], name="2026-H1", db=db, out=tmp_path / "a")
    before = dump(db)
    counting = CountingEmbedder()
    second = run_round([H1], name="2026-H1", db=db, out=tmp_path / "b", embedder=counting)
    assert extracted == [5]  # the first run only
    assert counting.texts == 0  # every vector came from the store
    assert dump(db) == before  # byte for byte: nothing written, nothing duplicated
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")
    assert first.to_dict() == second.to_dict()


def test_files_in_chunks_give_the_round_of_files_all_at_once(tmp_path, monkeypatch):
    """Extraction holds one chunk of parsed files at a time; chunks change nothing."""
    from persona_lab import perfile

    whole = run_round([H1], name="r", out=tmp_path / "whole")
    monkeypatch.setattr(perfile, "CHUNK_WORDS", 1)  # every file a chunk of its own
    bars: dict[str, list[int]] = {}

    def progress(stage, total):
        bars[stage] = [total, 0]
        return lambda n: bars[stage].__setitem__(1, bars[stage][1] + n)

    from fake_run import fake_settings

    chunked = pipeline.run(
        [str(H1)],
        tmp_path / "chunked",
        fake_settings(round="r"),
        nlp=lemma_nlp(),
        embedder=FakeEmbedder(),
        progress=progress,
    )
    assert chunked.to_dict() == whole.to_dict()
    assert outputs(tmp_path / "whole") == outputs(tmp_path / "chunked")
    assert all(total == done for total, done in bars.values()), bars


def test_file_chunks_hold_at_most_the_limit_and_every_file_once():
    from persona_lab.perfile import file_chunks

    chunks = [list(c) for c in file_chunks([40, 30, 50, 200, 10, 10], limit=100)]
    assert chunks == [[0, 1], [2], [3], [4, 5]]
    assert list(file_chunks([], limit=100)) == []


def test_store_unchanged_run_loads_the_stored_round_and_a_setting_rebuilds_it(
    tmp_path, extracted, monkeypatch
):
    from fake_run import fake_settings

    db = tmp_path / "s.db"
    first = run_round([H1], name="r", db=db, out=tmp_path / "a")
    built: list[int] = []
    original = pipeline.build_personas

    def counting(transcripts, *args, **kwargs):
        built.append(len(transcripts))
        return original(transcripts, *args, **kwargs)

    monkeypatch.setattr(pipeline, "build_personas", counting)
    again = run_round([H1], name="r", db=db, out=tmp_path / "b")
    assert built == [] and extracted == [5]  # loaded: not clustered, not extracted
    assert again.to_dict() == first.to_dict()
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")
    # A setting that only shapes personas rebuilds them from the stored results.
    looser = fake_settings(round="r", min_participants=1)
    pipeline.run([str(H1)], settings=looser, nlp=lemma_nlp(), embedder=FakeEmbedder(), db=db)
    assert built == [5] and extracted == [5]


def test_store_of_schema_1_gains_the_round_inputs_column(tmp_path):
    from persona_lab.store.schema import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with open_store(db) as store:
        columns = [row[1] for row in store.conn.execute("PRAGMA table_info(rounds)")]
        assert "inputs" in columns
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    run_round([H1], name="r", db=db)  # and it is used as any store


def test_store_only_new_or_changed_files_are_extracted_and_the_round_is_a_fresh_one(
    tmp_path, extracted
):
    folder = tmp_path / "round"
    shutil.copytree(H1, folder)
    run_round([folder], name="r", db=tmp_path / "s.db")
    # An edit, a follow-up call with the same person, and a participant with no title
    # whose role comes from the round-wide statistics of what everyone said.
    edited = folder / "c-gamma-cfo.md"
    edited.write_text(edited.read_text().replace("five percent", "two percent"))
    followup = (folder / "a-acme-sales-vp.md").read_text().replace("2026-01-10", "2026-01-30")
    (folder / "f-acme-followup.md").write_text(followup.replace("forty", "fifty"))
    (folder / "x-kappa-notes.md").write_text(
        "---\nparticipant: Xavier Long\ncompany: Kappa Brands\ndate: 2026-01-25\n---\n\n"
        "Maya Chen: What do you work on?\n\n"
        "Xavier Long: Every campaign, the brand, our ads and the newsletter. The problem is "
        "that campaign attribution is a mess, and marketing campaigns and brand ads get no "
        "credit for pipeline.\n"
    )
    extracted.clear()
    stored = run_round([folder], name="r", db=tmp_path / "s.db", out=tmp_path / "stored")
    assert extracted == [3]
    fresh = run_round([folder], name="r", db=tmp_path / "fresh.db", out=tmp_path / "fresh")
    assert outputs(tmp_path / "stored") == outputs(tmp_path / "fresh")
    ann = [p for p in stored.participants if p.name == "Ann Lee"]
    assert len(ann) == 1 and len(ann[0].sources) == 2  # one person across two calls
    xavier = next(p for p in fresh.participants if p.name == "Xavier Long")
    assert xavier.function == "marketing" and "their words" in (xavier.role_source or "")


def test_store_a_setting_that_changes_extraction_extracts_again(tmp_path, extracted):
    from fake_run import fake_settings

    from persona_lab.pipeline import run

    db = tmp_path / "s.db"
    run_round([H1], name="r", db=db)
    tighter = fake_settings(round="r", thresholds={"pain": 0.5, "goal": 0.5, "objection": 0.5})
    for settings in (tighter, tighter.with_overrides(min_participants=1)):
        run([str(H1)], settings=settings, nlp=lemma_nlp(), embedder=FakeEmbedder(), db=db)
    # The thresholds change what a file gives, so it is read again; min_participants
    # only shapes the personas, so the stored results are used.
    assert extracted == [5, 5]


# Rounds, show ----------------------------------------------------------------


def test_store_rounds_lists_each_round_once(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    run_round([H2], name="2026-H2", db=db)
    run_round([H1], name="2026-H1", db=db)
    result = runner.invoke(app, ["rounds", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["round", "date", "files", "participants", "personas", "emerging"]
    # Personas as `run` counts them, emerging roles apart.
    with open_store(db) as store:
        for line, name in zip(lines[1:], ("2026-H1", "2026-H2"), strict=True):
            personas = load_round(store, name).personas
            full = sum(not p.emerging for p in personas)
            assert line.split()[4:] == [str(full), str(len(personas) - full)]
    assert lines[1].split()[:4] == ["2026-H1", "2026-01-20", "5", "6"]
    assert lines[2].split()[:4] == ["2026-H2", "2026-08-09", "7", "8"]


def test_store_show_renders_the_stored_round_without_recomputing(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db, out=tmp_path / "run")

    def no_model(*args, **kwargs):
        raise AssertionError("show loaded a model")

    monkeypatch.setattr(pipeline, "load_pipeline", no_model)
    monkeypatch.setattr(pipeline, "load_embedder", no_model)
    monkeypatch.setattr(pipeline, "build_personas", no_model)
    result = runner.invoke(
        app, ["show", "2026-H1", "--db", str(db), "--out", str(tmp_path / "shown")]
    )
    assert result.exit_code == 0, result.output
    assert outputs(tmp_path / "run") == outputs(tmp_path / "shown")


def test_store_show_unknown_round_is_one_line(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    result = runner.invoke(app, ["show", "nope", "--db", str(db), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"persona-lab: no round named 'nope' in {db}; `persona-lab rounds --db {db}` lists them"
    ]


def test_store_missing_store_is_one_line(tmp_path):
    result = runner.invoke(app, ["rounds", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no store at" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "none.db").exists()


def test_store_default_path_is_in_persona_lab_home(tmp_path, monkeypatch):
    from persona_lab.store import default_path

    monkeypatch.delenv("PERSONA_LAB_HOME", raising=False)
    assert default_path() == Path("persona_lab.db")
    monkeypatch.setenv("PERSONA_LAB_HOME", str(tmp_path))
    assert default_path() == tmp_path / "persona_lab.db"


# Schema ------------------------------------------------------------------------


def test_store_opens_in_wal_mode_at_the_latest_schema(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_store_written_by_a_newer_version_is_refused_in_one_line(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="written by a newer persona_lab"), open_store(db):
        pass
    result = runner.invoke(app, ["rounds", "--db", str(db)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "upgrade persona_lab" in result.output


def test_store_a_file_that_is_not_a_store_is_one_line(tmp_path):
    db = tmp_path / "s.db"
    db.write_bytes(b"not a database, just some bytes" * 100)
    result = runner.invoke(app, ["rounds", "--db", str(db)])
    assert result.exit_code == 2
    assert "is not a persona_lab store" in result.output
    assert len(result.output.strip().splitlines()) == 1


# Export, import ----------------------------------------------------------------


def test_store_export_import_round_trip_is_byte_identical(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db, out=tmp_path / "run")
    run_round([H2], name="2026-H2", db=db)
    exported = tmp_path / "store.jsonl"
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(exported)])
    assert result.exit_code == 0, result.output
    copy = tmp_path / "copy.db"
    result = runner.invoke(app, ["import", str(exported), "--db", str(copy)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 rounds" in result.stdout
    assert dump(copy) == exported.read_text("utf-8").splitlines()
    runner.invoke(app, ["show", "2026-H1", "--db", str(copy), "--out", str(tmp_path / "shown")])
    assert outputs(tmp_path / "run") == outputs(tmp_path / "shown")
    header = json.loads(exported.read_text("utf-8").splitlines()[0])
    assert header["format"] == "persona_lab-store" and header["schema"] == SCHEMA_VERSION


def test_store_import_refuses_a_store_with_data_unless_replace(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    exported = tmp_path / "store.jsonl"
    exported.write_text("\n".join(dump(db)) + "\n")
    result = runner.invoke(app, ["import", str(exported), "--db", str(db)])
    assert result.exit_code == 2 and "already holds data" in result.output
    result = runner.invoke(app, ["import", str(exported), "--db", str(db), "--replace"])
    assert result.exit_code == 0, result.output
    assert dump(db) == exported.read_text().splitlines()


def test_store_import_of_a_bad_line_names_it_and_writes_nothing(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    lines = dump(db)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:5], "{not json", *lines[5:]]) + "\n")
    target = tmp_path / "target.db"
    result = runner.invoke(app, ["import", str(broken), "--db", str(target)])
    assert result.exit_code == 2
    assert f"{broken}, line 6: not a persona_lab store export" in result.output
    with open_store(target) as store:
        assert list_rounds(store) == []
        assert store.conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 0


@given(st.lists(st.floats(width=32, allow_nan=False), min_size=1, max_size=64))
def test_store_float32_blob_round_trips(values):
    vector = np.array(values, dtype=np.float32)
    assert np.array_equal(from_blob(to_blob(vector)), vector)


# Forget ------------------------------------------------------------------------


def test_store_forget_removes_a_participant_everywhere(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    run_round([H2], name="2026-H2", db=db)
    with open_store(db) as store:
        before = {r.name: load_round(store, r.name) for r in list_rounds(store)}
    said = [t.text for t in before["2026-H1"].transcripts[0].turns if t.speaker == "Ann Lee"]
    result = runner.invoke(app, ["forget", "Ann Lee", "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Forgot Ann Lee: 1 transcript removed, 0 group calls redacted" in result.stdout
    exported = "\n".join(dump(db))
    assert "Ann Lee" not in exported and "a-acme-sales-vp" not in exported
    assert not any(json.dumps(text)[1:-1] in exported for text in said)
    with open_store(db) as store:
        for name, old in before.items():
            now = load_round(store, name)
            assert "Ann Lee" not in json.dumps(now.to_dict())
            assert all(i.speaker != "Ann Lee" for i in now.insights)
            assert {p.id for p in now.personas} == {p.id for p in old.personas}
    shown = tmp_path / "shown"
    runner.invoke(app, ["show", "2026-H1", "--db", str(db), "--out", str(shown)])
    for path in shown.rglob("*"):
        if path.is_file():
            assert "Ann Lee" not in path.read_text("utf-8", errors="replace"), path


def test_store_forget_names_themes_with_the_rounds_own_embedding_model(tmp_path, monkeypatch):
    from persona_lab import pipeline

    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    asked: list[str] = []

    def load(model, **_):
        asked.append(model)
        return FakeEmbedder()

    monkeypatch.setattr(pipeline, "load_embedder", load)
    result = runner.invoke(app, ["forget", "Finn Cole", "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    # The round's vectors are FakeEmbedder's; the settings name another model.
    assert asked == [FakeEmbedder.name]


def test_store_forget_in_a_group_call_keeps_the_other_buyer(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    result = runner.invoke(app, ["forget", "e-epsilon-group:finn-cole", "--db", str(db), "--yes"])
    assert result.exit_code == 0, result.output
    assert "0 transcripts removed, 1 group call redacted" in result.stdout
    with open_store(db) as store:
        round_ = load_round(store, "2026-H1")
    group = next(t for t in round_.transcripts if t.source.endswith("e-epsilon-group.txt"))
    assert {t.speaker for t in group.turns} == {"Maya Chen", "Eve Park"}
    assert any(i.speaker == "Eve Park" for i in round_.insights)
    assert not any(i.speaker == "Finn Cole" for i in round_.insights)
    assert "Finn Cole" not in "\n".join(dump(db))


def test_store_run_after_forget_reads_the_source_file_again(tmp_path, extracted):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    runner.invoke(app, ["forget", "Finn Cole", "--db", str(db), "--yes"])
    extracted.clear()
    again = run_round([H1], name="2026-H1", db=db)
    assert extracted == [1]  # the redacted call is never reused for the whole file
    assert any(p.name == "Finn Cole" for p in again.participants)


def test_store_forget_nobody_or_an_interviewer_is_one_line(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    result = runner.invoke(app, ["forget", "Nobody Here", "--db", str(db), "--yes"])
    assert result.exit_code == 2 and "no participant matches 'Nobody Here'" in result.output
    result = runner.invoke(app, ["forget", "Maya Chen", "--db", str(db), "--yes"])
    assert result.exit_code == 2 and "only ever an interviewer" in result.output


def test_store_forget_asks_first(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    before = dump(db)
    result = runner.invoke(app, ["forget", "Ann Lee", "--db", str(db)], input="n\n")
    assert result.exit_code == 1 and "Forget Ann Lee in 1 round(s) (2026-H1)?" in result.output
    assert dump(db) == before


# Six months ----------------------------------------------------------------------


def test_store_six_months_is_calendar_months():
    assert months_after(__import__("datetime").date(2026, 8, 31), 6).isoformat() == "2027-02-28"
    assert not is_stale("2026-01-20", "2026-07-20")
    assert is_stale("2026-01-20", "2026-07-21")
    assert not is_stale("not a date", "2026-07-21")


def test_store_run_warns_when_the_previous_round_is_old(tmp_path, fake_models):
    db = tmp_path / "s.db"
    args = ["--db", str(db), "--config", str(fake_models)]
    first = runner.invoke(
        app, ["run", str(H1), "--round", "2026-H1", "--out", str(tmp_path / "a"), *args]
    )
    assert first.exit_code == 0, first.output
    assert f"Round 2026-H1 stored in {db} (1 round)" in first.stdout
    # The run line counts the personas listed below it, emerging roles apart.
    listed = [line for line in first.stdout.splitlines() if line.startswith("  ")]
    emerging = sum("(emerging" in line for line in listed)
    run_line = next(line for line in first.stdout.splitlines() if " read, " in line)
    full = f"{len(listed) - emerging} persona" + ("" if len(listed) - emerging == 1 else "s")
    ending = f"{full} and {emerging} emerging role" if emerging else full
    assert run_line.endswith((ending, ending + "s"))
    assert "persona" in run_line and len(listed) >= 1
    again = runner.invoke(
        app, ["run", str(H1), "--round", "2026-H1", "--out", str(tmp_path / "a"), *args]
    )
    assert f"Round 2026-H1 unchanged in {db}" in again.stdout
    assert "replaced" not in again.stderr
    # Other files under a stored name replace that round, and the run says so.
    other = runner.invoke(
        app, ["run", str(H2), "--round", "2026-H1", "--out", str(tmp_path / "c"), *args]
    )
    assert f"Round 2026-H1 replaced in {db} (1 round)" in other.stdout
    assert "warning: this replaced the round 2026-H1 stored at" in other.stderr
    runner.invoke(app, ["run", str(H1), "--round", "2026-H1", "--out", str(tmp_path / "a"), *args])
    second = runner.invoke(
        app, ["run", str(H2), "--round", "2026-H2", "--out", str(tmp_path / "b"), *args]
    )
    assert second.exit_code == 0, second.output
    warnings = [line for line in second.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "2026-H1 (2026-01-20), is more than six months" in warnings[0]


def test_store_rounds_warns_when_the_newest_round_is_old(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)  # 2026-01-20: long before any day this runs
    result = runner.invoke(app, ["rounds", "--db", str(db)])
    assert result.exit_code == 0
    assert "the newest round, 2026-H1 (2026-01-20), is more than six months old" in result.stderr


# Commands ----------------------------------------------------------------------


@pytest.mark.parametrize("command", STORE_COMMANDS)
def test_store_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "--db" in result.output


def test_store_help_loads_no_heavy_module():
    # What keeps `--help` fast is that it imports none of these; a wall-clock bar
    # here failed on a busy machine, so the test checks the cause, not the time.
    code = (
        "import sys; from persona_lab.cli import main\n"
        "sys.argv = ['persona-lab', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('numpy', 'sqlite3', 'scipy', 'jinja2', 'spacy', 'torch')\n"
        "print([m for m in names if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# Real processes ------------------------------------------------------------------


def _child(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(FAKE_RUN), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_store_a_run_killed_in_the_middle_of_its_write_leaves_the_store_as_before(tmp_path):
    db = tmp_path / "s.db"
    run_round([H1], name="2026-H1", db=db)
    before = dump(db)
    signal_file = tmp_path / "writing"
    child = _child(str(db), "2026-H2", str(H2), "--pause-in-write", str(signal_file))
    deadline = time.monotonic() + 120
    while not signal_file.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never reached its write"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert dump(db) == before  # the round half written is not there, nothing else moved
    after = run_round([H2], name="2026-H2", db=db)  # and the store is usable
    with open_store(db) as store:
        assert [r.name for r in list_rounds(store)] == ["2026-H1", "2026-H2"]
    assert len(after.personas) == 3


def test_store_two_runs_at_once_do_not_corrupt_it(tmp_path):
    db = tmp_path / "s.db"
    children = [
        _child(str(db), "2026-H1", str(H1)),
        _child(str(db), "2026-H2", str(H2)),
        _child(str(db), "2026-H1", str(H1)),
    ]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # a, c and e are the same files in both rounds: stored once each
        assert conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0] == 9
    with open_store(db) as store:
        assert [r.name for r in list_rounds(store)] == ["2026-H1", "2026-H2"]
    alone = tmp_path / "alone.db"
    run_round([H1], name="2026-H1", db=alone)
    with open_store(db) as store, open_store(alone) as other:
        assert load_round(store, "2026-H1").to_dict() == load_round(other, "2026-H1").to_dict()
        assert len(load_round(store, "2026-H2").personas) == 3


@pytest.mark.slow
def test_store_demo_round_again_loads_no_model_and_writes_the_same_files(tmp_path, monkeypatch):
    import persona_lab
    from conftest import DEMO
    from persona_lab import embed

    db = tmp_path / "s.db"
    persona_lab.run([str(DEMO)], out=tmp_path / "first", db=db)
    before = dump(db)

    def no_model(*args, **kwargs):
        raise AssertionError("a model was loaded for a round the store holds")

    monkeypatch.setattr(pipeline, "load_pipeline", no_model)
    monkeypatch.setattr(embed.SentenceTransformerEmbedder, "_load", no_model)
    persona_lab.run([str(DEMO)], out=tmp_path / "again", db=db)
    assert outputs(tmp_path / "first") == outputs(tmp_path / "again")
    assert dump(db) == before


def test_store_a_named_round_is_stored_in_the_default_store(tmp_path, fake_models, monkeypatch):
    monkeypatch.setenv("PERSONA_LAB_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    result = runner.invoke(
        app,
        [
            "run",
            str(H1),
            "--round",
            "2026-H1",
            "--out",
            str(tmp_path / "a"),
            "--config",
            str(fake_models),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "home" / "persona_lab.db").is_file()
    listed = runner.invoke(app, ["rounds"])
    assert "2026-H1" in listed.stdout


def test_scoring_bar_counts_units_however_many_sentences_are_scored():
    from persona_lab.perfile import UnitShare

    shown: list[int] = []
    share = UnitShare(shown.append, units=10, sentences=4)
    for _ in range(3):
        share(1)
    assert sum(shown) == 7  # 3 of 4 sentences: 7 of 10 units
    share.finish()  # cached sentences are never reported: the bar still fills
    share.finish()
    assert sum(shown) == 10 and all(n > 0 for n in shown)


def test_a_run_that_parses_nothing_keys_files_by_the_installed_pipeline(tmp_path, monkeypatch):
    """Without a loaded pipeline, files are keyed by the version the named package
    holds (read from its meta.json, spaCy not imported), as with one loaded."""
    from fake_run import fake_settings

    from persona_lab.store.keys import spacy_identity

    package = tmp_path / "site" / "my_pipeline"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "meta.json").write_text('{"lang": "en", "name": "my_pipeline", "version": "1.2"}')
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    named = fake_settings(spacy_model="my_pipeline", spacy_fallback_models=["absent_model"])
    assert spacy_identity(named, None) == "en_my_pipeline-1.2"
    assert spacy_identity(named, "en_loaded-9") == "en_loaded-9"
    nowhere = fake_settings(spacy_model="absent_model", spacy_fallback_models=[])
    assert spacy_identity(nowhere, None) == "setting:absent_model"


def test_a_worker_that_cannot_load_its_models_fails_its_first_task(monkeypatch):
    """An initializer that raised would make the pool start new workers forever: the
    error waits in the worker and reaches the parent with the first task."""
    import pickle

    from fake_run import fake_settings

    from persona_lab import errors, pool

    def broken(settings):
        raise errors.ModelMissingError("spaCy pipeline 'absent' is not installed")

    monkeypatch.setattr(pool, "_load_models", broken)
    monkeypatch.setattr(pool, "_worker", {})
    pool._start(fake_settings())
    with pytest.raises(errors.ModelMissingError, match="absent"):
        pool._task([])
    bad = errors.InputError("a.txt", "binary file")
    back = pickle.loads(pickle.dumps(bad))
    assert (back.source, back.reason, str(back)) == ("a.txt", "binary file", str(bad))


def test_large_rounds_stay_in_process_when_the_pipeline_is_not_installed(monkeypatch):
    from fake_run import fake_settings

    from persona_lab import pool
    from persona_lab.embed import load_embedder
    from persona_lab.models import Transcript

    monkeypatch.setattr(pool, "POOL_MIN_WORDS", 0)
    settings = fake_settings(workers=2)
    embedder = load_embedder(settings.embedding_model)  # resolves the path, loads nothing
    todo = [Transcript("a.txt", "text", turns=(), participants=(), content_hash="0")]
    assert pipeline._models_by_name(embedder, settings, todo)
    absent = settings.with_overrides(spacy_model="absent_model", spacy_fallback_models=[])
    assert not pipeline._models_by_name(embedder, absent, todo)
    assert not pipeline._models_by_name(FakeEmbedder(), settings, todo)


def test_store_export_of_schema_1_imports_and_its_round_is_rebuilt_once(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    run_round([H1], name="r", db=db, out=tmp_path / "run")
    lines = dump(db)
    header = {**json.loads(lines[0]), "schema": 1}
    old = [json.dumps(header)]
    for line in lines[1:]:
        item = json.loads(line)
        if item["table"] == "rounds":
            del item["row"]["inputs"]  # schema 1 had no such column
        old.append(json.dumps(item))
    exported = tmp_path / "old.jsonl"
    exported.write_text("\n".join(old) + "\n", "utf-8")
    copy = tmp_path / "copy.db"
    result = runner.invoke(app, ["import", str(exported), "--db", str(copy)])
    assert result.exit_code == 0, result.output
    built: list[int] = []
    original = pipeline.build_personas
    monkeypatch.setattr(
        pipeline, "build_personas", lambda t, *a, **k: built.append(1) or original(t, *a, **k)
    )
    run_round([H1], name="r", db=copy, out=tmp_path / "again")
    run_round([H1], name="r", db=copy, out=tmp_path / "third")
    assert built == [1]  # rebuilt once (no inputs key yet), then loaded
    assert outputs(tmp_path / "run") == outputs(tmp_path / "again") == outputs(tmp_path / "third")


def test_a_names_list_edited_between_runs_in_one_process_counts(tmp_path):
    from persona_lab.synthesize.config import persona_names

    names = tmp_path / "names.txt"
    names.write_text("Xavi Wen\n")
    assert persona_names(str(names)) == ("Xavi", "Wen")
    names.write_text("Fay Gus\n")
    assert persona_names(str(names)) == ("Fay", "Gus")


def test_a_worker_that_dies_is_one_line_not_a_hang(monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from fake_run import fake_settings

    from persona_lab import errors, pool

    class DyingPool:
        def __init__(self, *args, **kwargs):
            pass

        def map(self, function, tasks):
            raise BrokenProcessPool("a child process terminated abruptly")

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(pool, "ProcessPoolExecutor", DyingPool)
    transcripts = pipeline.ingest.read_paths([H1], fake_settings()).transcripts
    with pytest.raises(errors.PersonaLabError, match="fewer --workers"):
        pool.extract_in_pool(transcripts, fake_settings(workers=2), lambda s, t: lambda n: None)


def test_embedding_bar_fills_when_every_vector_was_already_computed(tmp_path):
    from persona_lab.embed import CachedEmbedder

    embedder = CachedEmbedder(FakeEmbedder())
    run_round([H1], name="r", embedder=embedder)
    bars: dict[str, list[int]] = {}

    def progress(stage, total):
        bars[stage] = [total, 0]
        return lambda n: bars[stage].__setitem__(1, bars[stage][1] + n)

    from fake_run import fake_settings

    pipeline.run(
        [str(H1)], None, fake_settings(round="r"), nlp=lemma_nlp(), embedder=embedder,
        progress=progress,
    )  # fmt: skip
    assert bars["Embedding insights"][0] > 0
    assert all(total == done for total, done in bars.values()), bars


def test_store_rounds_built_before_centred_themes_take_todays_theme_bars():
    from persona_lab.store.forget import settings_of

    old = settings_of({"theme_min_cohesion": 0.3, "theme_join_similarity": 0.5, "seed": 7})
    assert (old.theme_min_cohesion, old.theme_join_similarity, old.seed) == (0.25, 0.35, 7)
    new = settings_of({"theme_min_cohesion": 0.3, "theme_merge_similarity": 0.3})
    assert (new.theme_min_cohesion, new.theme_merge_similarity) == (0.3, 0.3)


def test_store_rounds_built_before_the_theme_share_and_pair_bar_are_rebuilt_without_them():
    from persona_lab.store.forget import settings_of

    assert settings_of({"seed": 7}).min_theme_share == 0.0
    assert settings_of({"seed": 7}).theme_pair_similarity == -1.0
    assert settings_of({"min_theme_share": 0.2}).min_theme_share == 0.2
