"""Cards, the round document and exports from a Round, written whole or not at all.

Templates are Jinja2 files: a user's folder (the ``templates`` setting) wins,
then the ones shipped in the package, then the repository's ``templates/``.
Everything is rendered into a temporary folder beside ``out`` and then moved
into place file by file, so a failed run never leaves a half-written card.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from . import charts, errors, export
from .models import Insight, Participant, Persona, Quote, Round, Theme
from .settings import Settings

FORMATS = ("html", "md", "csv", "parquet", "pdf")
MARKER = ".persona_lab"
MARKER_TEXT = "This folder is written by persona_lab; its files are replaced on every run.\n"
KIND_ORDER = ("pain", "goal", "objection")
KIND_TITLES = {"pain": "Pains", "goal": "Goals", "objection": "Objections"}
SENIORITY_LABELS = {"c_level": "C-level", "vp": "VP", "unknown": "seniority unknown"}
QUOTES_SHOWN = 3
TOP_THEMES = 3  # per kind, on the round document's cards and comparison
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")

UNKNOWN_OUTPUT_FORMAT = "unknown output format {names}; use one or more of: {valid}"
OUT_IS_A_FILE = "the output folder {path} is a file; choose another --out"
CANNOT_WRITE = "cannot write the outputs to {path} ({error})"
NO_TEMPLATES_FOLDER = "the folder {path} does not exist"
TEMPLATE_FAILED = "a template failed: {error}; fix it, or remove it to use the shipped one"


@dataclass(frozen=True)
class Card:
    """A persona as the templates show it: its file name, kinds in order and chart."""

    persona: Persona
    file: str
    kinds: tuple[str, ...]
    chart: Markup
    full_chart: Markup

    @property
    def n(self) -> int:
        return len(self.persona.participants)


# Templates ------------------------------------------------------------------


def template_folders(settings: Settings) -> list[Path]:
    """Where templates are looked up, first match wins: user, package, repository."""
    folders: list[Path] = []
    if settings.templates:
        user = Path(settings.templates)
        if not user.is_dir():
            problem = NO_TEMPLATES_FOLDER.format(path=user)
            raise errors.SettingsError(errors.BAD_SETTING.format(name="templates", problem=problem))
        folders.append(user)
    shipped = resources.files("persona_lab") / "templates"
    if shipped.is_dir():
        folders.append(Path(str(shipped)))
    repository = Path(__file__).resolve().parents[2] / "templates"
    if repository.is_dir():
        folders.append(repository)
    return folders


def environment(settings: Settings) -> Environment:
    """The Jinja2 environment: HTML escaped, undefined names an error, filters registered."""
    loader = ChoiceLoader([FileSystemLoader(str(f)) for f in template_folders(settings)])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env


def clock(seconds: float) -> str:
    """A time in a recording as mm:ss (h:mm:ss past the hour)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def filename(source: str) -> str:
    """The file name of a source path as given, whichever the separator."""
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def md(text: str) -> str:
    """Text safe inline in Markdown: markup characters escaped, lines joined."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_quote(text: str) -> str:
    """A verbatim quote as Markdown blockquote lines, each escaped on its own."""
    lines = [MARKDOWN_SPECIAL.sub(r"\\\1", line.strip()) for line in text.splitlines()]
    lines = [re.sub(r"^([#+-])", r"\\\1", line) for line in lines]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def code(text: str) -> str:
    """Text as a Markdown code span (backticks inside would end it, so they go)."""
    return "`" + str(text).replace("`", "'") + "`"


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())


def seniority_label(seniority: str) -> str:
    return SENIORITY_LABELS.get(seniority, seniority.replace("_", " ").capitalize())


def function_label(function: str) -> str:
    """The function as the persona data files name it ("customer_success" -> "Customer Success")."""
    from .synthesize.config import persona_config

    labels = persona_config().function_labels
    return labels.get(function, function.replace("_", " ").capitalize())


def counted(pairs: Sequence[tuple[str, int]]) -> str:
    """``(name, count)`` pairs as "SaaS (2), Fintech (1)"."""
    return ", ".join(f"{name} ({count})" for name, count in pairs)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


FILTERS: dict[str, Callable[..., Any]] = {
    "clock": clock,
    "filename": filename,
    "md": md,
    "md_quote": md_quote,
    "code": code,
    "kind_title": kind_title,
    "seniority": seniority_label,
    "function": function_label,
    "counted": counted,
    "plural": plural,
}


# What the templates are given ------------------------------------------------


def safe_stem(persona_id: str) -> str:
    """A file name for a persona id: lowercase letters, digits, dash and underscore only."""
    return re.sub(r"[^a-z0-9_-]+", "-", persona_id.lower()).strip("-") or "persona"


def card_files(personas: Sequence[Persona]) -> list[str]:
    """One distinct safe file stem per persona, in persona order."""
    taken: set[str] = set()
    stems: list[str] = []
    for persona in personas:
        stem = base = safe_stem(persona.id)
        number = 2
        while stem in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem)
        stems.append(stem)
    return stems


def kinds_present(themes: Sequence[Theme]) -> tuple[str, ...]:
    """Pains, goals, objections first, then any other kind in the order it appears."""
    seen = list(dict.fromkeys(t.kind for t in themes))
    return tuple(k for k in KIND_ORDER if k in seen) + tuple(k for k in seen if k not in KIND_ORDER)


def build_cards(round_: Round) -> tuple[Card, ...]:
    """Cards with two charts: the top themes for the round document, all for the card."""
    cards = []
    for persona, stem in zip(round_.personas, card_files(round_.personas), strict=True):
        kinds = kinds_present(persona.themes)
        top = [t for kind in kinds for t in persona.themes_of(kind)[:TOP_THEMES]]
        title, n = f"Themes of {persona.name} by participants", len(persona.participants)
        summary = Markup(charts.theme_bars(top, n, title=title))
        full = Markup(charts.theme_bars(persona.themes, n, title=title))
        cards.append(Card(persona, stem, kinds, summary, full))
    return tuple(cards)


def setting_text(value: Any) -> str:
    """A setting's value as one short line; empty values as a dash."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={setting_text(v)}" for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return ", ".join(setting_text(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def method_rows(settings: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The models used and the other settings, each as sorted (name, value) rows."""
    models = settings.get("models")
    model_rows = sorted((k, setting_text(v)) for k, v in models.items()) if models else []
    rows = sorted((k, setting_text(v)) for k, v in settings.items() if k != "models")
    return model_rows, rows


def speaker_names(people: dict[str, Participant]) -> Callable[[Insight | Quote], str]:
    """A lookup of who said something: the participant's name, else the speaker label."""

    def speaker_of(item: Insight | Quote) -> str:
        person = people.get(item.participant)
        return person.name if person is not None else item.speaker

    return speaker_of


def document_context(round_: Round, cards: Sequence[Card]) -> dict[str, Any]:
    """Everything the templates may use, in stable orders."""
    people: dict[str, Participant] = {}
    for transcript in round_.transcripts:
        for person in transcript.participants:
            people.setdefault(person.id, person)
    persona_of = {p.id: card for card in cards for p in card.persona.participants}
    models, settings_rows = method_rows(round_.settings)
    every_kind = kinds_present([t for card in cards for t in card.persona.themes])
    return {
        "round": round_,
        "cards": cards,
        "speaker_of": speaker_names(people),
        "persona_of": persona_of,
        "participants": round_.participants,
        "compare_kinds": KIND_ORDER + tuple(k for k in every_kind if k not in KIND_ORDER),
        "unthemed": [(card, i) for card in cards for i in card.persona.unthemed],
        "unassigned": [(None, insight) for insight in round_.unassigned],
        "models": models,
        "settings_rows": settings_rows,
        "quotes_shown": QUOTES_SHOWN,
        "top_themes": TOP_THEMES,
        "counts": {
            "files": len(round_.transcripts),
            "skipped": len(round_.skipped),
            "participants": len(round_.participants),
            "insights": len(round_.insights),
            "personas": len(round_.personas),
            "emerging": sum(1 for p in round_.personas if p.emerging),
        },
    }


# Rendering into a folder -----------------------------------------------------


def chosen_formats(formats: Sequence[str] | None, settings: Settings) -> tuple[str, ...]:
    """The formats asked for, checked; ``None`` means the settings' formats.

    Raises:
        errors.OutputError: a format persona_lab cannot write.
    """
    asked = tuple(f.strip().lower() for f in (settings.formats if formats is None else formats))
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        names = ", ".join(repr(f) for f in unknown)
        raise errors.OutputError(
            UNKNOWN_OUTPUT_FORMAT.format(names=names, valid=", ".join(FORMATS))
        )
    return tuple(dict.fromkeys(asked))


def round_json(round_: Round) -> str:
    return json.dumps(round_.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def render_into(folder: Path, round_: Round, env: Environment, formats: Sequence[str]) -> list[str]:
    """Writes every output into ``folder``; returns their paths relative to it."""
    cards = build_cards(round_)
    context = document_context(round_, cards)
    written: list[str] = []

    def put(name: str, text: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(name)

    def page(template: str, **extra: Any) -> str:
        return env.get_template(template).render(**context, **extra)

    put("personas.json", round_json(round_))
    if "html" in formats:
        put("index.html", page("index.html"))
        for card in cards:
            put(f"personas/{card.file}.html", page("persona.html", card=card))
    if "md" in formats:
        for card in cards:
            put(f"personas/{card.file}.md", page("persona.md", card=card))
        put("personas.md", page("personas.md"))
    exported = export.write_exports(round_, folder, formats, lambda: page("index.html"))
    return written + [path.name for path in exported]


# The output folder -----------------------------------------------------------


def template_problem(exc: TemplateError) -> str:
    """One line naming what went wrong in a template, and where when Jinja knows."""
    where = ""
    if isinstance(exc, TemplateSyntaxError):
        where = f" ({exc.filename or exc.name}, line {exc.lineno})"
    return TEMPLATE_FAILED.format(error=f"{exc.message or type(exc).__name__}{where}")


def is_ours(out: Path) -> bool:
    return (out / MARKER).is_file()


def check_out(out: Path, *, force: bool = False) -> None:
    """Refuses a file, or a folder with someone else's files in it.

    Raises:
        errors.OutputError: ``out`` is a file, or not empty and not ours.
    """
    if out.exists() and not out.is_dir():
        raise errors.OutputError(OUT_IS_A_FILE.format(path=out))
    if force or not out.is_dir() or is_ours(out):
        return
    if any(out.iterdir()):
        raise errors.OutputError(errors.OUT_NOT_OURS.format(path=out))


def move_into(staging: Path, out: Path, names: Sequence[str]) -> None:
    """Moves each rendered file into ``out``; each replacement is atomic."""
    out.mkdir(parents=True, exist_ok=True)
    (staging / MARKER).write_text(MARKER_TEXT, "utf-8")
    os.replace(staging / MARKER, out / MARKER)
    for name in names:
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)


def remove_stale_cards(out: Path, names: Sequence[str]) -> None:
    """Deletes persona cards of an earlier run that this run did not write."""
    folder = out / "personas"
    if not folder.is_dir():
        return
    keep = set(names)
    for path in sorted(folder.iterdir()):
        if (
            path.is_file()
            and path.suffix in (".html", ".md")
            and f"personas/{path.name}" not in keep
        ):
            path.unlink()


def write_round(
    round: Round,
    out: Path,
    settings: Settings,
    formats: Sequence[str] | None = None,
    *,
    force: bool = False,
) -> list[Path]:
    """Writes the round's cards, document and exports into ``out``; returns the files.

    ``personas.json`` is always written; ``formats`` (default: the settings')
    adds html, md, csv, parquet or pdf. ``force`` writes into a folder that
    holds other files; even then only cards of an earlier persona_lab run are
    removed.

    Raises:
        errors.OutputError: an unknown format, a folder that is not ours, a
            failing template, a missing optional library, or a file that
            cannot be written.
        errors.SettingsError: the templates folder in the settings does not exist.
    """
    out = Path(out)
    chosen = chosen_formats(formats, settings)
    env = environment(settings)
    check_out(out, force=force)
    owned_before = is_ours(out)
    try:
        beside = out.resolve().parent  # the same file system, so os.replace is atomic
        beside.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=beside, prefix=".persona-lab-"))
    except OSError as exc:
        raise errors.OutputError(CANNOT_WRITE.format(path=out, error=exc)) from exc
    try:
        names = render_into(staging, round, env, chosen)
        move_into(staging, out, names)
        if owned_before:
            remove_stale_cards(out, names)
    except TemplateError as exc:
        raise errors.OutputError(template_problem(exc)) from exc
    except OSError as exc:
        raise errors.OutputError(CANNOT_WRITE.format(path=out, error=exc)) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in names]
