"""The research-store commands: rounds, show, diff, refresh, export, import, forget.

Registered on the app of ``cli`` (which imports this module last). Like every
command they parse, call the library, print; the store, the diff and the
renderer are imported inside the commands so `persona-lab --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .cli import (
    ROUND_HELP,
    ConfigOpt,
    DateOpt,
    InputFormatOpt,
    InterviewerOpt,
    PathsArg,
    _count,
    _err,
    _handled,
    _personas_and_emerging,
    _progress,
    _settings,
    app,
    note_build_date,
)

if TYPE_CHECKING:
    from .diff import RoundDiff
    from .models import Round
    from .settings import Settings
    from .store import Store

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="The research store (default: persona_lab.db here, or in $PERSONA_LAB_HOME).",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Write into a non-empty folder persona_lab did not make.")
]


def _db(db: Path | None) -> Path:
    from .store import default_path

    return db if db is not None else default_path()


def _warn(message: str) -> None:
    _err(message)


def stored_stamps(db: Path) -> dict[str, str]:
    """When each stored round was last written, before a run that may store one.

    The run's round name is known only once its files are read (their metadata
    may name it), so every round's stamp is taken.
    """
    if not _db(db).is_file():
        return {}
    from .store import open_store

    with open_store(_db(db)) as store:
        rows = store.conn.execute("SELECT name, stored_at FROM rounds").fetchall()
    return {str(row["name"]): str(row["stored_at"]) for row in rows}


def report_stored(db: Path, result: Round, stamps: dict[str, str]) -> None:
    """One line on what the store now holds, and a warning when the last round is old."""
    from .store import open_store
    from .store.age import is_stale
    from .store.messages import OLD_ROUND_RUN, ROUND_REPLACED
    from .store.rounds import list_rounds, previous_round

    with open_store(_db(db)) as store:
        rounds = {r.name: r for r in list_rounds(store)}
        earlier = previous_round(store, result.name, result.generated_at)
    now = rounds.get(result.name)
    before = stamps.get(result.name)
    unchanged = now is not None and before == now.stored_at
    what = "unchanged in" if unchanged else "replaced in" if before else "stored in"
    typer.echo(f"Round {result.name} {what} {_db(db)} ({_count(len(rounds), 'round')})")
    if before and not unchanged:
        _warn(ROUND_REPLACED.format(name=result.name, stamp=before))
    if earlier is not None and is_stale(rounds[earlier].date, result.generated_at):
        date = rounds[earlier].date
        _warn(OLD_ROUND_RUN.format(name=earlier, date=date, new=result.name))


@app.command("rounds")
def rounds_command(
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line a round.")] = False,
) -> None:
    """List the stored rounds: date, files, participants, personas and emerging roles,
    oldest first.

    Example: `persona-lab rounds --db research.db`
    """
    with _handled():
        from .store import open_store
        from .store.age import is_stale
        from .store.messages import OLD_ROUND_TODAY
        from .store.rounds import list_rounds

        with open_store(_db(db), create=False) as store:
            found = list_rounds(store)
        if as_json:
            for r in found:
                typer.echo(json.dumps(vars(r), ensure_ascii=False))
        else:
            typer.echo(
                f"{'round':<20} {'date':<10} {'files':>5} {'participants':>12} {'personas':>8}"
                f" {'emerging':>8}"
            )
            for r in found:
                typer.echo(
                    f"{r.name:<20} {r.date:<10} {r.files:>5} {r.participants:>12} {r.personas:>8}"
                    f" {r.emerging:>8}"
                )
        if not found:
            _err(f"no round stored in {_db(db)} yet")
        elif is_stale(found[-1].date, dt.date.today()):
            _warn(OLD_ROUND_TODAY.format(name=found[-1].name, date=found[-1].date))


@app.command("show")
def show_command(
    round_name: Annotated[str, typer.Argument(help="The stored round's name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the outputs.")] = Path("out"),
    db: DbOpt = None,
    formats: Annotated[
        str | None,
        typer.Option("--format", help="What to write, comma-separated: html,md,csv,parquet,pdf."),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="A folder of templates overriding the shipped ones."),
    ] = None,
    config: ConfigOpt = None,
    force: ForceOpt = False,
) -> None:
    """Render a stored round again, as it was built: nothing is read or recomputed.

    Example: `persona-lab show 2026-H1 --out out/2026-H1`
    """
    with _handled():
        settings = _settings(
            config,
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()) if formats else None,
            templates=str(templates) if templates else None,
        )
        from .render import write_round
        from .store import open_store
        from .store.rounds import load_round

        with open_store(_db(db), create=False) as store:
            result = load_round(store, round_name)
        write_round(result, out, settings, force=force, warn=_warn)
        typer.echo(
            f"{result.name} ({result.generated_at}): {_count(len(result.transcripts), 'file')}, "
            f"{_count(len(result.participants), 'participant')}, "
            f"{_personas_and_emerging(result.personas)}"
        )
        typer.echo(f"Open {out / 'index.html'}")


def _compare(store: Store, old: str, new: str) -> RoundDiff:
    from .diff import diff_rounds
    from .store.rounds import load_round, round_vectors

    before, after = load_round(store, old), load_round(store, new)
    return diff_rounds(before, after, round_vectors(store, before), round_vectors(store, after))


def _write_diff(diff: RoundDiff, out: Path, settings: Settings) -> Path:
    from .diff.report import render, write_report

    write_report(render(diff, settings), out)
    return out / "what-changed.html"


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="The older round.")],
    new: Annotated[str, typer.Argument(help="The newer round.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write what-changed.html, .md and .json here."),
    ] = None,
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Say what changed between two stored rounds, persona by persona: new themes, themes
    that grew, shrank or faded, new objections, vocabulary; personas that came or went.

    Example: `persona-lab diff 2026-H1 2026-H2 --out out/changes`
    """
    with _handled():
        settings = _settings(config)
        from .diff.report import diff_json, render
        from .store import open_store

        with open_store(_db(db), create=False) as store:
            diff = _compare(store, old, new)
        if as_json:
            sys.stdout.write(diff_json(diff))
        elif out is None:
            sys.stdout.write(render(diff, settings)["what-changed.md"])
        if out is not None:
            typer.echo(f"Open {_write_diff(diff, out, settings)}", err=as_json)


@app.command("refresh")
def refresh_command(
    paths: PathsArg,
    round_name: Annotated[
        str | None,
        typer.Option("--round", help=ROUND_HELP),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the round and what-changed files.")
    ] = Path("out"),
    db: DbOpt = None,
    config: ConfigOpt = None,
    date: DateOpt = None,
    interviewer: InterviewerOpt = None,
    input_format: InputFormatOpt = None,
    force: ForceOpt = False,
) -> None:
    """Build a new round into the store and write what changed since the previous round.

    Example: `persona-lab refresh interviews/2026-H2 --round 2026-H2 --out out/2026-H2`
    """
    with _handled():
        settings = _settings(
            config,
            round=round_name,
            generated_at=date,
            interviewers=tuple(interviewer) if interviewer else None,
        )
        from .diff.report import headline
        from .pipeline import run as run_pipeline
        from .store import open_store
        from .store.rounds import previous_round

        stamps = stored_stamps(_db(db))
        with _progress() as progress:
            result = run_pipeline(
                paths, out, settings, fmt=input_format, progress=progress, force=force, db=_db(db)
            )
        note_build_date(result)
        for skipped in result.skipped:
            _err(f"skipped {skipped.source}: {skipped.reason}")
        typer.echo(
            f"{_count(len(result.transcripts), 'file')} read, {len(result.skipped)} skipped; "
            f"{_count(len(result.participants), 'participant')}, "
            f"{_personas_and_emerging(result.personas)}"
        )
        report_stored(_db(db), result, stamps)
        with open_store(_db(db)) as store:
            earlier = previous_round(store, result.name, result.generated_at)
            diff = _compare(store, earlier, result.name) if earlier else None
        if diff is None:
            typer.echo(f"No earlier round in {_db(db)} to compare with; open {out / 'index.html'}")
        else:
            typer.echo(f"What changed since {earlier}:")
            for line in headline(diff):
                typer.echo(f"  {line}")
            typer.echo(f"Open {_write_diff(diff, out, settings)}")
        if result.skipped:
            raise typer.Exit(1)


@app.command("export")
def export_command(
    db: DbOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """Write the whole store as JSON lines (a header, then one row a line): a backup.

    Example: `persona-lab export --db research.db > research.jsonl`
    """
    with _handled():
        from .store import open_store
        from .store.transfer import export_lines

        with open_store(_db(db), create=False) as store:
            if out is None:
                for line in export_lines(store):
                    sys.stdout.write(line + "\n")
                return
            temporary = out.with_name(f".{out.name}.tmp")
            with temporary.open("w", encoding="utf-8") as stream:
                count = 0
                for line in export_lines(store):
                    stream.write(line + "\n")
                    count += 1
            temporary.replace(out)
        typer.echo(f"Exported {count - 1} rows to {out}")


@app.command("import")
def import_command(
    source: Annotated[
        Path, typer.Argument(help="A file written by `persona-lab export` (- for stdin).")
    ],
    db: DbOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace what the store holds (default: refuse).")
    ] = False,
) -> None:
    """Load a store export into a new (or, with --replace, an existing) store.

    Example: `persona-lab import research.jsonl --db copy.db`
    """
    with _handled():
        from .store import open_store
        from .store.transfer import import_lines

        with open_store(_db(db)) as store:
            if str(source) == "-":
                counts = import_lines(store, sys.stdin, "stdin", replace=replace)
            else:
                try:
                    stream = source.open(encoding="utf-8")
                except OSError as exc:
                    _err(f"{source}: cannot be read ({exc.strerror})")
                    raise typer.Exit(2) from None
                with stream:
                    counts = import_lines(store, stream, str(source), replace=replace)
        typer.echo(
            f"Imported {counts['rounds']} rounds, {counts['transcripts']} files, "
            f"{counts['insights']} insights, {counts['embeddings']} vectors into {_db(db)}"
        )


@app.command("forget")
def forget_command(
    participant: Annotated[str, typer.Argument(help="A participant's id or full name.")],
    db: DbOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove one participant's transcripts, insights and quotes from every stored round.

    Example: `persona-lab forget "Dana Whitfield" --yes`
    """
    with _handled():
        from .store import open_store
        from .store.forget import forget, matches
        from .store.messages import STALE_OUTPUT

        with open_store(_db(db), create=False) as store:
            found = matches(store, participant)
            names = sorted({r["name"] for r in found})
            rounds = sorted({r["round_name"] for r in found})
            if not yes:
                typer.confirm(
                    f"Forget {', '.join(names)} in {len(rounds)} round(s) "
                    f"({', '.join(rounds)})? This cannot be undone",
                    abort=True,
                )
            done = forget(store, participant)
        rebuilt = [r for r in done.rounds if r not in done.rounds_removed]
        summary = (
            f"Forgot {', '.join(done.names)}: {_count(done.files_removed, 'transcript')} "
            f"removed, {_count(done.files_redacted, 'group call')} redacted, "
            f"{_count(done.insights, 'insight')}; rounds rebuilt: {', '.join(rebuilt) or 'none'}"
        )
        if done.rounds_removed:
            summary += f"; rounds left empty and removed: {', '.join(done.rounds_removed)}"
        typer.echo(summary)
        typer.echo(
            "Their source files are untouched: delete or redact them before running those "
            f"rounds again; {STALE_OUTPUT}"
        )
