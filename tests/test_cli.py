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
