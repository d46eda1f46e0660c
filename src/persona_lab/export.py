"""Tabular and print exports of a round: CSV, Parquet and PDF.

Each writer takes the round (or the rendered index) and a folder, writes one
file and returns its path. pyarrow and WeasyPrint are optional extras, imported
only when their format is asked for, so a plain install never needs them.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from . import errors
from .models import Round

if TYPE_CHECKING:
    import pandas as pd

# The columns of Insight.to_dict(), in its order: the insights.csv contract.
INSIGHT_COLUMNS = (
    "kind",
    "text",
    "source",
    "line",
    "speaker",
    "participant",
    "start",
    "end",
    "score",
    "summary",
)
# After the contract's columns: where the insight went (empty when no persona holds
# it, or its persona's themes do not), so a spreadsheet can filter by persona and theme;
# then who said it as the cards name them (the speaker label "Grace" is "Grace Liu").
PLACEMENT_COLUMNS = ("persona_id", "theme", "persona", "name", "title")
# One row per theme with its first quote, and where that quote stands.
THEME_COLUMNS = (
    "persona_id",
    "persona",
    "kind",
    "label",
    "participants",
    "mentions",
    "quote",
    "quote_source",
    "quote_line",
)

PDF_NAME = "report.pdf"
PYARROW_MISSING = "writing insights.parquet needs pyarrow; run: pip install pyarrow"
WEASYPRINT_MISSING = (
    "report.pdf not written: it needs WeasyPrint; run: pip install weasyprint "
    "(or leave pdf out of --format)"
)
WEASYPRINT_BROKEN = (
    "report.pdf not written: WeasyPrint cannot load its system libraries ({error}); "
    "install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0) "
    "or leave pdf out of --format"
)


def insights_frame(round_: Round) -> pd.DataFrame:
    """The round's insights as a table with the contract's columns, even when empty,
    then the persona and theme each insight is part of."""
    import pandas as pd

    placed: dict[tuple[str, int, int, str], tuple[str, str, str]] = {}
    for persona in round_.personas:
        for insight in persona.unthemed:
            placed[insight.key] = (persona.id, "", persona.name)
        for theme in persona.themes:
            for insight in theme.insights:
                placed[insight.key] = (persona.id, theme.label, persona.name)
    from .views import display_names

    people = {p.id: p for p in round_.participants}
    shown = display_names(round_.participants)
    rows = []
    for i in round_.insights:
        who = people.get(i.participant)
        where = placed.get(i.key, ("", "", ""))
        said_by = (shown[who.id], who.title or "") if who is not None else (i.speaker, "")
        rows.append(
            {**i.to_dict(), **dict(zip(PLACEMENT_COLUMNS, (*where, *said_by), strict=True))}
        )
    return pd.DataFrame(rows, columns=[*INSIGHT_COLUMNS, *PLACEMENT_COLUMNS])


def themes_frame(round_: Round) -> pd.DataFrame:
    """Every persona's themes, one row each, for spreadsheet users."""
    import pandas as pd

    rows = []
    for persona in round_.personas:
        for theme in persona.themes:
            first = theme.quotes[0] if theme.quotes else None
            rows.append(
                {
                    "persona_id": persona.id,
                    "persona": persona.name,
                    "kind": theme.kind,
                    "label": theme.label,
                    "participants": theme.participants,
                    "mentions": theme.mentions,
                    "quote": first.text if first else "",
                    "quote_source": first.source if first else "",
                    "quote_line": first.line if first else None,
                }
            )
    frame = pd.DataFrame(rows, columns=list(THEME_COLUMNS))
    return frame.astype({"quote_line": "Int64"})


# A cell a spreadsheet would run as a formula: transcripts are other people's words,
# and "=HYPERLINK(...)" in one must open as text (OWASP's CSV injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that starts like a formula, behind an apostrophe; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    from pandas.api.types import is_object_dtype, is_string_dtype

    text_columns = [
        c for c in frame.columns if is_object_dtype(frame[c]) or is_string_dtype(frame[c])
    ]
    safe = frame.assign(**{c: frame[c].map(spreadsheet_safe) for c in text_columns})
    safe.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def write_insights_csv(round_: Round, folder: Path) -> Path:
    return _write_csv(insights_frame(round_), folder / "insights.csv")


def write_themes_csv(round_: Round, folder: Path) -> Path:
    return _write_csv(themes_frame(round_), folder / "themes.csv")


def write_insights_parquet(round_: Round, folder: Path) -> Path:
    """insights.parquet; pyarrow is an optional extra (``persona-lab[parquet]``).

    Raises:
        errors.OutputError: pyarrow is not installed.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise errors.OutputError(PYARROW_MISSING) from exc
    path = folder / "insights.parquet"
    insights_frame(round_).to_parquet(path, index=False, engine="pyarrow")
    return path


def pdf_problem() -> str | None:
    """Why report.pdf cannot be written on this machine, in one line; None when it can.

    WeasyPrint is an optional extra (``persona-lab[pdf]``) and needs Pango from
    the system; importing it is what finds out whether both are there.
    """
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return WEASYPRINT_MISSING
    except OSError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return WEASYPRINT_BROKEN.format(error=first_line)
    return None


# One PDF at a time sets the process's SOURCE_DATE_EPOCH (threads share os.environ).
_FONT_TIME = threading.Lock()


@contextmanager
def _font_timestamp(generated_at: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to the round's date while fonts are embedded.

    WeasyPrint subsets fonts with fontTools where HarfBuzz's subsetter is missing
    (as on this project's Debian image), and fontTools stamps each subset's "head"
    table with the time it is written unless SOURCE_DATE_EPOCH is set: two renders
    of one round a second apart differed in those bytes. A value the user set is
    kept; a date that cannot be read counts as 1970-01-01.
    """
    with _FONT_TIME:
        if "SOURCE_DATE_EPOCH" in os.environ:
            yield
            return
        try:
            day = dt.date.fromisoformat(generated_at[:10])
        except ValueError:
            day = dt.date(1970, 1, 1)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def write_pdf(index_html: str, folder: Path, generated_at: str = "") -> Path:
    """report.pdf: the round document laid out for print by WeasyPrint.

    No base URL is given, so links stay relative (to the cards beside the PDF)
    and no temporary path ends up in the file; the document fetches nothing.
    Embedded fonts carry ``generated_at`` (the round's date) as their time, so
    the same round gives the same bytes.

    Raises:
        errors.OutputError: WeasyPrint is not installed or cannot load its libraries.
    """
    problem = pdf_problem()
    if problem:
        raise errors.OutputError(problem)
    from weasyprint import HTML

    path = folder / PDF_NAME
    with _font_timestamp(generated_at):
        HTML(string=index_html).write_pdf(path)
    return path


def write_exports(
    round_: Round, folder: Path, formats: Sequence[str], index_html: Callable[[], str]
) -> list[Path]:
    """The exports among ``formats`` (csv, parquet, pdf), in that order.

    ``index_html`` renders the round document, asked for only when pdf is.
    """
    written: list[Path] = []
    if "csv" in formats:
        written += [write_insights_csv(round_, folder), write_themes_csv(round_, folder)]
    if "parquet" in formats:
        written.append(write_insights_parquet(round_, folder))
    if "pdf" in formats:
        written.append(write_pdf(index_html(), folder, round_.generated_at))
    return written
