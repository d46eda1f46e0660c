"""The command line: help everywhere, clean one-line errors, JSON-only stdout."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from persona_lab.cli import app

runner = CliRunner()
COMMANDS = ["run", "extract", "role", "eval"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_cli_help_shows_flags_without_a_value():
    result = runner.invoke(app, ["run", "--help"], terminal_width=120)
    assert result.exit_code == 0
    flag = next(line for line in result.output.splitlines() if "--force" in line)
    assert "<bool>" not in result.output and "--force" in flag
    assert "<path>" in result.output  # options that take a value still say what


def test_cli_help_loads_no_model():
    code = (
        "import sys; from persona_lab.cli import main; sys.argv=['persona-lab','--help'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('spacy', 'torch', 'sentence_transformers', 'hdbscan', 'pandas')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_cli_role_prints_one_json_line_a_title():
    result = runner.invoke(app, ["role", "VP of Sales", "CFO"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == ["VP of Sales", "CFO"]
    assert records[0]["function"] == "sales" and records[0]["seniority"] == "vp"
    assert records[1]["function"] == "finance" and records[1]["seniority"] == "c_level"


def test_cli_role_reads_stdin():
    result = runner.invoke(app, ["role", "--stdin"], input="Head of People\n\nCISO\n")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_cli_missing_input_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("persona-lab: ")
    assert "Traceback" not in result.output


def test_cli_bad_config_is_one_line(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("colour = 3\n")
    result = runner.invoke(app, ["role", "CFO", "--config", str(config)])
    assert result.exit_code == 2
    assert "unknown setting 'colour'" in result.output


def test_cli_run_names_a_missing_path_and_unreadable_files(tmp_path):
    from typer.testing import CliRunner

    from persona_lab.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "slides.pdf").write_bytes(b"%PDF-1.4 binary")
    result = runner.invoke(app, ["run", str(junk), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "slides.pdf" in result.stderr and "--input-format" in result.stderr


def test_cli_run_counts_emerging_roles_apart_from_personas():
    from types import SimpleNamespace

    from persona_lab.cli import _personas_and_emerging

    found = [SimpleNamespace(emerging=flag) for flag in (False,) * 6 + (True,) * 10]
    assert _personas_and_emerging(found) == "6 personas and 10 emerging roles"
    assert _personas_and_emerging(found[:1]) == "1 persona"
    assert _personas_and_emerging(found[5:7]) == "1 persona and 1 emerging role"


def test_cli_run_refuses_a_date_that_is_not_iso_before_reading(tmp_path):
    (tmp_path / "call.txt").write_text("Interviewer: Hi?\nAna: Hello.\n")
    result = runner.invoke(
        app, ["run", str(tmp_path), "--out", str(tmp_path / "o"), "--date", "28.11.2026"]
    )
    assert result.exit_code == 2
    assert "generated_at" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert not (tmp_path / "o").exists()


def test_cli_run_says_when_the_round_is_dated_today_and_takes_a_date(tmp_path, fake_models):
    import json

    calls = tmp_path / "calls"
    calls.mkdir()
    for name in ("ana", "ben"):
        (calls / f"{name}.txt").write_text(
            "Interviewer: What is the hardest part of your week?\n"
            f"{name.title()}: I waste hours every Monday rebuilding the same spreadsheet. "
            "The numbers are stale by the time anyone reads them, and that is frustrating.\n"
            "Interviewer: What would you want instead?\n"
            f"{name.title()}: I want a forecast I can trust without asking anyone to build "
            "it. Ideally it would update itself every morning before my team meeting.\n"
        )
    args = ["--config", str(fake_models)]
    today = runner.invoke(app, ["run", str(calls), "--out", str(tmp_path / "a"), *args])
    assert today.exit_code == 0, today.output
    built = json.loads((tmp_path / "a" / "personas.json").read_text("utf-8"))["generated_at"]
    assert f"the round is dated today ({built}); give --date YYYY-MM-DD" in today.stderr
    dated = runner.invoke(
        app, ["run", str(calls), "--out", str(tmp_path / "b"), "--date", "2026-10-01", *args]
    )
    assert dated.exit_code == 0, dated.output
    assert "dated today" not in dated.stderr
    written = json.loads((tmp_path / "b" / "personas.json").read_text("utf-8"))
    assert written["generated_at"] == "2026-10-01"
    assert "dated 2026-10-01" in (tmp_path / "b" / "index.html").read_text("utf-8")


def test_cli_a_source_date_epoch_is_no_build_day_to_warn_of(capsys, monkeypatch):
    from types import SimpleNamespace

    from persona_lab.cli import note_build_date

    undated = SimpleNamespace(transcripts=(), settings={}, generated_at="2026-09-21")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    note_build_date(undated)
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")  # not seconds: the round is dated today
    note_build_date(undated)
    assert "dated today (2026-09-21)" in capsys.readouterr().err
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    note_build_date(undated)
    assert "dated today (2026-09-21)" in capsys.readouterr().err
