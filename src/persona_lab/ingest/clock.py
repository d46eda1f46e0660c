"""Clock times as transcripts write them (``1:02``, ``00:01:02.500``) in seconds."""

from __future__ import annotations

import re

# A clock time inside a larger pattern: [h:]mm:ss with optional .mmm or ,mmm.
CLOCK_PATTERN = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
CLOCK = re.compile(
    r"^(?:(?P<hours>\d{1,3}):)?(?P<minutes>\d{1,2}):(?P<seconds>\d{2})(?:[.,](?P<fraction>\d{1,3}))?$"
)


def parse_clock(text: str) -> float | None:
    """Seconds, or None when the time is malformed (its text is kept; the time is not)."""
    match = CLOCK.match(text.strip())
    if match is None:
        return None
    hours = int(match["hours"] or 0)
    minutes = int(match["minutes"])
    seconds = int(match["seconds"])
    if seconds >= 60 or (match["hours"] is not None and minutes >= 60):
        return None
    fraction = int(match["fraction"].ljust(3, "0")) / 1000 if match["fraction"] else 0.0
    return hours * 3600 + minutes * 60 + seconds + fraction


def seconds_value(value: object) -> float | None:
    """A time given as a number of seconds or a clock string; None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        clock = parse_clock(value)
        if clock is not None:
            return clock
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if 0 <= number < float("inf") else None
