"""When personas are due for a refresh: a round more than six months old.

Round dates are ISO dates (a round's ``generated_at``); "six months" is six
calendar months, the same day of the month or the last day of a shorter month.
"""

from __future__ import annotations

import calendar
import datetime as dt

REFRESH_MONTHS = 6


def parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def months_after(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_stale(older: str, newer: str | dt.date) -> bool:
    """Whether ``older`` is more than six months before ``newer`` (dates unknown: no)."""
    start = parse_day(older)
    end = newer if isinstance(newer, dt.date) else parse_day(newer)
    if start is None or end is None:
        return False
    return months_after(start, REFRESH_MONTHS) < end
