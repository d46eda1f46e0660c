"""The commands that show one stage's answer: extract (the insights of some
transcripts) and role (how job titles map to function and seniority).

Registered on the app of ``cli`` (which imports this module last); models are
imported inside the commands so `persona-lab --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from .cli import (
    ConfigOpt,
    InputFormatOpt,
    InterviewerOpt,
    PathsArg,
    _err,
    _handled,
    _settings,
    app,
)


@app.command("extract")
def extract_command(
    paths: PathsArg,
    config: ConfigOpt = None,
    interviewer: InterviewerOpt = None,
    input_format: InputFormatOpt = None,
) -> None:
    """Print the insights of some transcripts as JSON lines on stdout (nothing else).

    Example: `persona-lab extract transcripts/demo | head`
    """
    with _handled():
        settings = _settings(config, interviewers=tuple(interviewer) if interviewer else None)
        from .api import extract_insights

        insights, skipped = extract_insights(paths, settings, fmt=input_format)
        for insight in insights:
            sys.stdout.write(json.dumps(insight.to_dict(), ensure_ascii=False) + "\n")
        for item in skipped:
            _err(f"skipped {item.source}: {item.reason}")
        if skipped:
            raise typer.Exit(1)


@app.command()
def role(
    titles: Annotated[list[str] | None, typer.Argument(help="Job titles.")] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read titles from stdin, one a line.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Print the function and seniority of job titles, one JSON line a title.

    Example: `persona-lab role "VP of Sales" "RevOps Manager"`
    """
    with _handled():
        settings = _settings(config)
        from .roles import Taxonomy, role_records

        given = list(titles or [])
        if stdin:
            given += [line.strip() for line in sys.stdin if line.strip()]
        if not given:
            _err("no titles given; pass titles as arguments or --stdin")
            raise typer.Exit(2)
        from .embed import load_embedder
        from .errors import ModelMissingError

        try:  # titles no keyword names go to the nearest example title by embeddings
            embedder = load_embedder(settings.embedding_model)
        except ModelMissingError:
            embedder = None
        taxonomy = Taxonomy.load(settings.taxonomy or None)
        for record in role_records(given, taxonomy, embedder):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
