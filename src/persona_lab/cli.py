"""The `persona-lab` command: parse options, call the Python API, print.

Nothing heavy is imported at module level, so `persona-lab --help` answers at
once; every PersonaLabError becomes one line on stderr (a traceback only with
--debug). Exit codes: 0 done, 1 done but some files were skipped, 2 error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .errors import PersonaLabError

if TYPE_CHECKING:
    from .models import Persona, Round
    from .settings import Settings

# The --round option of run and refresh.
ROUND_HELP = (
    "Name of the round (default: the `round` all files' metadata give, else the folder's name)."
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    help=(
        "Buyer personas from interviews and sales calls, every line backed by a verbatim quote.\n\n"
        "Example: `persona-lab run transcripts/demo --out out/demo`"
    ),
)

_state = {"debug": False, "verbose": False}


def _flags_without_type() -> None:
    """Newer typer prints ``<bool>`` beside an on/off flag, which reads as if the flag
    took a value (``--redact <bool>``); the help shows flags bare, as click does."""
    option = getattr(getattr(typer, "core", None), "TyperOption", None)
    shown = getattr(option, "display_type_rich", None)
    if option is None or shown is None:
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    option.display_type_rich = display_type_rich


_flags_without_type()

PathsArg = Annotated[
    list[Path], typer.Argument(help="Transcript files or folders (searched recursively).")
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="A TOML settings file (see data/defaults.toml).")
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="The round's date, YYYY-MM-DD (default: SOURCE_DATE_EPOCH's date if set, else the "
        "latest interview date the files' metadata give, else today).",
    ),
]
InterviewerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--interviewer", help="A speaker name or label that is the interviewer (repeatable)."
    ),
]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format", help="Read every file as this format: text, vtt, srt, otter, json, docx."
    ),
]


def _err(message: str) -> None:
    typer.echo(f"persona-lab: {message}", err=True)


@contextmanager
def _handled() -> Iterator[None]:
    """Turns the project's errors into one line and exit code 2."""
    try:
        yield
    except PersonaLabError as exc:
        if _state["debug"]:
            raise
        _err(str(exc))
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        _err("interrupted; outputs already written were left complete, nothing half-written")
        raise typer.Exit(130) from None


def _settings(config: Path | None, **overrides: Any) -> Settings:
    from .settings import load_settings

    return load_settings(config, **overrides)


@contextmanager
def _progress() -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """Rich progress bars on stderr, one per long stage."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    ) as bars:

        def stage(name: str, total: int) -> Callable[[int], None]:
            task = bars.add_task(name, total=max(total, 1))
            if total == 0:
                bars.update(task, completed=1)
            return lambda n: bars.advance(task, n)

        yield stage


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _log_to_stderr() -> None:
    """The library's notes (a file that parsed unusually slowly) as one line each."""
    import logging

    logger = logging.getLogger("persona_lab")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("persona-lab: note: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"persona-lab {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say how each speaker and title was decided.")
    ] = False,
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = None,
) -> None:
    """Buyer personas from interviews and sales calls, every line backed by a verbatim quote.

    Example: `persona-lab run transcripts/demo --out out/demo`
    """
    _state["debug"] = debug
    _state["verbose"] = verbose
    _log_to_stderr()


def _print_participants(result: Round) -> None:
    for transcript in result.transcripts:
        for p in transcript.participants:
            who = "interviewer" if p.is_interviewer else "participant"
            title = f", title {p.title!r} from {p.title_source}" if p.title else ""
            how = f" by {p.role_source}" if p.role_source else ""
            role = "" if p.is_interviewer else f" -> {p.function}/{p.seniority}{how}"
            rule = f"(rule: {p.interviewer_rule})"
            _err(f"{transcript.source}: {p.speaker!r} is {who} {rule}{title}{role}")


@app.command()
def run(
    paths: PathsArg,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for cards and documents.")
    ] = Path("out"),
    config: ConfigOpt = None,
    round_name: Annotated[
        str | None,
        typer.Option("--round", help=ROUND_HELP),
    ] = None,
    date: DateOpt = None,
    formats: Annotated[
        str | None,
        typer.Option("--format", help="What to write, comma-separated: html,md,csv,parquet,pdf."),
    ] = None,
    interviewer: InterviewerOpt = None,
    input_format: InputFormatOpt = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="A folder of templates overriding the shipped ones."),
    ] = None,
    min_participants: Annotated[
        int | None,
        typer.Option("--min-participants", help="Smallest role group that is a full persona."),
    ] = None,
    emerging: Annotated[
        str | None,
        typer.Option(
            "--emerging",
            help="Small groups: 'keep' as emerging personas or 'merge' into the nearest.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Processes for a round of 200,000+ participant words (0: one per CPU core).",
        ),
    ] = None,
    redact: Annotated[
        bool | None,
        typer.Option(
            "--redact",
            help="Replace e-mails, phones, URLs and names in quotes; pseudonyms for people.",
        ),
    ] = None,
    pseudonymize: Annotated[
        bool | None,
        typer.Option("--pseudonymize", help="Show participants as 'Participant N'."),
    ] = None,
    redact_allow: Annotated[
        list[str] | None,
        typer.Option("--redact-allow", help="A word --redact keeps (repeatable)."),
    ] = None,
    max_file_mb: Annotated[
        float | None, typer.Option("--max-file-mb", help="Skip files larger than this.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty --out folder persona_lab did not make."
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say how each speaker and title was decided.")
    ] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Store the round in this research store (SQLite); unchanged files are "
            "not read again. With --round and no --db: persona_lab.db here, or in "
            "$PERSONA_LAB_HOME.",
        ),
    ] = None,
) -> None:
    """Build the personas of a round and write cards, the round document and exports.

    Example: `persona-lab run transcripts/demo --out out/demo`
    """
    with _handled():
        settings = _settings(
            config,
            round=round_name,
            generated_at=date,
            formats=tuple(f.strip() for f in formats.split(",") if f.strip()) if formats else None,
            interviewers=tuple(interviewer) if interviewer else None,
            templates=str(templates) if templates else None,
            min_participants=min_participants,
            emerging=emerging,
            workers=workers,
            max_file_mb=max_file_mb,
            redact=redact,
            pseudonymize=pseudonymize,
            redact_allow=tuple(redact_allow) if redact_allow else None,
        )
        from .pipeline import run as run_pipeline

        if db is None and round_name:
            from .store.connect import default_path

            db = default_path()  # a named round is one to remember and compare
        stamps = cli_store.stored_stamps(db) if db is not None else {}
        with _progress() as progress:
            warnings: list[str] = []
            result = run_pipeline(
                paths,
                out,
                settings,
                fmt=input_format,
                progress=progress,
                force=force,
                db=db,
                warn=warnings.append,
            )
        for warning in warnings:
            _err(warning)
        note_build_date(result)
        if db is not None:
            cli_store.report_stored(db, result, stamps)
        if _state["verbose"] or verbose:
            _print_participants(result)
        for skipped in result.skipped:
            _err(f"skipped {skipped.source}: {skipped.reason}")
        n_files = len(result.transcripts)
        typer.echo(
            f"{_count(n_files, 'file')} read, {len(result.skipped)} skipped; "
            f"{_count(len(result.participants), 'participant')}, "
            f"{_count(len(result.insights), 'insight')}, {_personas_and_emerging(result.personas)}"
        )
        for persona in result.personas:
            themes = len(persona.themes)
            flag = " (emerging: thin evidence)" if persona.emerging else ""
            people = _count(len(persona.participants), "participant")
            typer.echo(f"  {persona.name}: {people}, {_count(themes, 'theme')}{flag}")
        if "html" in settings.formats:
            typer.echo(f"Open {out / 'index.html'}")
        else:
            typer.echo(f"Wrote {out}")
        if result.skipped or warnings:
            raise typer.Exit(1)


def note_build_date(result: Round) -> None:
    """Say so when the round is dated by the day it was built: a rerun on another
    day then writes another date, so the outputs are no longer byte-identical."""
    from .method_view import round_date_from
    from .pipeline import source_date_epoch

    if round_date_from(result) == "build" and source_date_epoch() is None:
        _err(
            f"no file gives its interview's date, so the round is dated today "
            f"({result.generated_at}); give --date YYYY-MM-DD to date it for good"
        )


def _personas_and_emerging(personas: Sequence[Persona]) -> str:
    """As the round document counts them: emerging roles are not personas yet."""
    emerging = sum(1 for p in personas if p.emerging)
    found = _count(len(personas) - emerging, "persona")
    return f"{found} and {_count(emerging, 'emerging role')}" if emerging else found


def main() -> None:
    app(prog_name="persona-lab")


from . import cli_inspect, cli_quality, cli_store  # noqa: E402, F401  (register their commands)
