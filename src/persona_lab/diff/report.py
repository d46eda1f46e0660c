"""The "What changed" report: HTML and Markdown from templates, and JSON.

Templates are ``diff.html`` (extending ``base.html``) and ``diff.md``, found
like every other template (a user's folder first). The three files are written
into a folder atomically, each one whole or not at all.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from .. import errors
from ..settings import Settings
from . import RoundDiff

NAMES = ("what-changed.html", "what-changed.md", "what-changed.json")
STATUS_TITLES = {
    "new": "New themes",
    "grew": "Themes that grew",
    "shrank": "Themes that shrank",
    "faded": "Themes that faded",
    "steady": "Themes that held steady",
}
CANNOT_WRITE = "cannot write the report to {path} ({error})"


@dataclass(frozen=True)
class Header:
    """What base.html shows of "the round": here, the two rounds compared."""

    name: str
    generated_at: str


def share(count: int, total: int) -> str:
    """ "2 of 3 (67%)": a count of participants and its share."""
    percent = round(100 * count / total) if total else 0
    return f"{count} of {total} ({percent}%)"


def headline(diff: RoundDiff) -> list[str]:
    """One line per persona that changed, and one per persona that came or went; first,
    when the rounds were built with other settings or models, a caveat naming them."""
    lines = []
    if diff.method_changed:
        named = ", ".join(f"{n} {old} → {new}" for n, old, new in diff.method_changed[:4])
        more = len(diff.method_changed) - 4
        named += f" and {more} more (see the JSON)" if more > 0 else ""
        lines.append(
            "Caution: the rounds were built with different settings or models, so some "
            f"changes below may come from them, not from the buyers: {named}"
        )
    for p in diff.personas:
        parts = [
            f"{len(p.of_status(s))} {word}"
            for s, word in (
                ("new", "new"),
                ("grew", "grew"),
                ("shrank", "shrank"),
                ("faded", "faded"),
            )
            if p.of_status(s)
        ]
        if p.new_objections:
            parts.append(f"{len(p.new_objections)} new objection statements")
        if p.words_in or p.words_out:
            parts.append(f"vocabulary +{len(p.words_in)} −{len(p.words_out)}")
        if p.new_participants != p.old_participants:
            parts.append(f"participants {p.old_participants} → {p.new_participants}")
        if p.new_emerging and not p.old_emerging:
            parts.append("now an emerging role (thin evidence): its themes need more participants")
        elif p.old_emerging and not p.new_emerging:
            parts.append("no longer an emerging role")
        lines.append(f"{p.name}: " + (", ".join(parts) if parts else "no change"))
    from ..render import plural

    lines += [
        f"Appeared: {p.name} ({plural(p.participants, 'participant')})" for p in diff.appeared
    ]
    lines += [
        f"Disappeared: {p.name} ({plural(p.participants, 'participant')})" for p in diff.disappeared
    ]
    return lines


def diff_json(diff: RoundDiff) -> str:
    return json.dumps(diff.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render(diff: RoundDiff, settings: Settings) -> dict[str, str]:
    """The report's three files, by name.

    Raises:
        errors.OutputError: a template failed.
    """
    from ..render import environment, template_problem

    env = environment(settings)
    env.filters["share"] = share
    context: dict[str, Any] = {
        "diff": diff,
        "round": Header(f"{diff.old} → {diff.new}", diff.new_date),
        "statuses": STATUS_TITLES,
        "headline": headline(diff),
    }
    try:
        html = env.get_template("diff.html").render(**context)
        markdown = env.get_template("diff.md").render(**context)
    except TemplateError as exc:
        raise errors.OutputError(template_problem(exc)) from exc
    return {NAMES[0]: html, NAMES[1]: markdown, NAMES[2]: diff_json(diff)}


def write_report(files: dict[str, str], out: Path) -> list[Path]:
    """Writes each file into ``out`` through a temporary file and an atomic rename.

    Raises:
        errors.OutputError: ``out`` cannot be written.
    """
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            handle, temporary = tempfile.mkstemp(dir=out, prefix=".persona-lab-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(text.encode("utf-8"))
                os.replace(temporary, out / name)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
            written.append(out / name)
    except OSError as exc:
        raise errors.OutputError(CANNOT_WRITE.format(path=out, error=exc)) from exc
    return written
