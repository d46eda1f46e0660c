"""Cards, the round document and exports from a Round, written whole or not at all.

Templates are Jinja2 files: a user's folder (the ``templates`` setting) wins,
then the ones shipped in the package, then the repository's ``templates/``.
``views`` arranges the round for the templates; ``outfolder`` stages the files
beside ``out`` and moves them in, so a failed run never leaves a half-written card.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
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

from . import errors, export
from .models import Participant, Round
from .outfolder import (
    CANNOT_WRITE,
    MARKER,
    check_out,
    check_writable,
    is_ours,
    move_into,
    remove_stale,
    staging_in,
)
from .settings import Settings
from .views import Card, build_cards, document_context, file_id, filename

__all__ = ["FORMATS", "MARKER", "Card", "environment", "write_round"]

FORMATS = ("html", "md", "csv", "parquet", "pdf")
KIND_TITLES = {
    "pain": "Pains",
    "goal": "Goals",
    "objection": "Objections",
    "trigger": "Triggers",
    "metric": "Metrics",
    "channel": "Channels",
    "decision": "Decision power",
}
SENIORITY_LABELS = {"c_level": "C-level", "vp": "VP", "unknown": "seniority unknown"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
EXCERPT_CHARS = 180

UNKNOWN_OUTPUT_FORMAT = "unknown output format {names}; use one or more of: {valid}"
NO_TEMPLATES_FOLDER = "the folder {path} does not exist"
TEMPLATE_FAILED = "a template failed: {error}; fix it, or remove it to use the shipped one"


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


# Filters: plain text in, plain text out (autoescaping happens after) ---------


def clock(seconds: float) -> str:
    """A time in a recording as mm:ss (h:mm:ss past the hour)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def md(text: str) -> str:
    """Text safe inline in Markdown: markup characters escaped, lines joined."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_quote(text: str, indent: str = "") -> str:
    """A verbatim quote as Markdown blockquote lines, each escaped on its own."""
    lines = [MARKDOWN_SPECIAL.sub(r"\\\1", line.strip()) for line in text.splitlines()]
    lines = [re.sub(r"^([#+-])", r"\\\1", line) for line in lines]
    return "\n".join(f"{indent}> {line}" if line else f"{indent}>" for line in lines)


def code(text: str) -> str:
    """Text as a Markdown code span (backticks inside would end it, so they go)."""
    return "`" + str(text).replace("`", "'") + "`"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A quote on one line, cut at a word boundary with an ellipsis past ``limit``."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def marked(text: str, label: str) -> tuple[str, str, str]:
    """A quote cut around its theme's label (before, label as said, after), so the
    card can show where the label was taken from; ("text", "", "") when absent."""
    from .synthesize.vocabulary import label_span

    span = label_span(text, label)
    if span is None:
        return text, "", ""
    start, end = span
    return text[:start], text[start:end], text[end:]


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.replace("_", " ").capitalize())


def seniority_label(seniority: str) -> str:
    return SENIORITY_LABELS.get(seniority, seniority.replace("_", " ").capitalize())


def function_label(function: str) -> str:
    """The function as the persona data files name it ("customer_success" -> "Customer Success")."""
    from .synthesize.config import persona_config

    labels = persona_config().function_labels
    return labels.get(function, function.replace("_", " ").capitalize())


PLACED_BY_WORDS = "placed by what they said"


def title_or_placement(participant: Participant) -> str:
    """A participant's title, or, without one, how their function was decided
    ("title not known; Research from their words (papers ×7)"). Used on a persona's
    card: a participant there with no known function was placed by what they said."""
    if participant.title:
        return participant.title
    how = participant.role_source
    if not how:
        if not participant.function_known:
            return f"title not known; {PLACED_BY_WORDS}"
        return "title not known"
    return "title not known; " + how.replace(
        participant.function, function_label(participant.function), 1
    )


def counted(pairs: Sequence[tuple[str, int]]) -> str:
    """``(name, count)`` pairs as "SaaS (2), Fintech (1)"."""
    return ", ".join(f"{name} ({count})" for name, count in pairs)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


FILTERS: dict[str, Callable[..., Any]] = {
    "clock": clock,
    "filename": filename,
    "file_id": file_id,
    "md": md,
    "md_quote": md_quote,
    "code": code,
    "excerpt": excerpt,
    "marked": marked,
    "kind_title": kind_title,
    "seniority": seniority_label,
    "function": function_label,
    "title_or_placement": title_or_placement,
    "counted": counted,
    "plural": plural,
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


def render_into(
    folder: Path,
    round_: Round,
    env: Environment,
    formats: Sequence[str],
    settings: Settings,
) -> list[str]:
    """Writes every output into ``folder``; returns their paths relative to it."""
    cards = build_cards(round_, settings.themes_per_kind)
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


def template_problem(exc: TemplateError) -> str:
    """One line naming what went wrong in a template, and where: Jinja names the file
    and line of a syntax error; for an error while rendering ("no attribute 'nope'")
    the innermost template frame of the traceback does."""
    where = ""
    if isinstance(exc, TemplateSyntaxError):
        where = f" ({exc.filename or exc.name}, line {exc.lineno})"
    else:
        frame = _template_frame(exc)
        if frame is not None:
            where = f" ({frame[0]}, line {frame[1]})"
    return TEMPLATE_FAILED.format(error=f"{exc.message or type(exc).__name__}{where}")


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line the error was raised in (Jinja rewrites its
    tracebacks so that a template's frames carry the template's file and line)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".md")) and Path(name).is_file():
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


# The templates a round's outputs are rendered from, with those they extend and import
# (diff.html and diff.md render the comparison of two rounds, with filters of their own).
ROUND_TEMPLATES = (
    "_style.css",
    "base.html",
    "_macros.html",
    "index.html",
    "persona.html",
    "_card.md",
    "persona.md",
    "personas.md",
)


def preflight(out: Path, settings: Settings, *, force: bool = False) -> None:
    """Checks before the long work what would make writing fail at its end: an unknown
    format, a missing templates folder, a template that does not compile, an output
    path that is a file, someone else's folder or cannot be written.

    Raises:
        errors.OutputError: any of those.
        errors.SettingsError: the templates folder in the settings does not exist.
    """
    chosen_formats(None, settings)
    env = environment(settings)
    for name in ROUND_TEMPLATES:
        try:
            env.get_template(name)
        except TemplateError as exc:
            raise errors.OutputError(template_problem(exc)) from exc
    check_out(Path(out), force=force)
    check_writable(Path(out))


def without_pdf_if_unavailable(
    formats: tuple[str, ...], warn: Callable[[str], None] | None
) -> tuple[str, ...]:
    """``formats``, less pdf when WeasyPrint cannot run here and the caller takes a warning.

    Raises:
        errors.OutputError: pdf is asked for, cannot be written, and ``warn`` is None.
    """
    if "pdf" not in formats:
        return formats
    problem = export.pdf_problem()
    if problem is None:
        return formats
    if warn is None:
        raise errors.OutputError(problem)
    warn(problem)
    return tuple(f for f in formats if f != "pdf")


def write_round(
    round: Round,
    out: Path,
    settings: Settings,
    formats: Sequence[str] | None = None,
    *,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Writes the round's cards, document and exports into ``out``; returns the files.

    ``personas.json`` is always written; ``formats`` (default: the settings')
    adds html, md, csv, parquet or pdf (``report.pdf``). ``force`` writes into a
    folder that holds other files; even then only files persona_lab names are
    removed. When pdf is asked for and WeasyPrint (or its system libraries) is
    missing, ``warn`` is called with one line and everything else is written;
    without ``warn`` that is an error, so the PDF is never dropped silently.

    Raises:
        errors.OutputError: an unknown format, a folder that is not ours, a
            failing template, a missing optional library, or a file that
            cannot be written.
        errors.SettingsError: the templates folder in the settings does not exist.
    """
    out = Path(out)
    chosen = without_pdf_if_unavailable(chosen_formats(formats, settings), warn)
    env = environment(settings)
    check_out(out, force=force)
    owned_before = is_ours(out)
    with staging_in(out) as staging:
        try:
            names = render_into(staging, round, env, chosen, settings)
            move_into(staging, out, names)
            if owned_before:
                remove_stale(out, names)
        except TemplateError as exc:
            raise errors.OutputError(template_problem(exc)) from exc
        except OSError as exc:
            raise errors.OutputError(CANNOT_WRITE.format(path=out, error=exc)) from exc
    return [out / name for name in names]
