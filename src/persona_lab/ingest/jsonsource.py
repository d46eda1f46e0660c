"""The raw text of a JSON transcript: parsing it, and the line each string stands on.

JSON parsers forget positions, so the string tokens of the raw text are listed
once; a decoded value is then found on or after the last one found, which in
document order is exactly where it stands.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from typing import Any

from .. import errors
from .decode import LINE_BREAK

# The unrolled form of "(?:[^"\\]|\\.)*": the same tokens, a run of plain characters at a time.
STRING_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
KEY_FOLLOWS = re.compile(r"\s*:")
BAD_JSON = "the JSON cannot be read (line {line}: {problem}); fix it or export the transcript again"
TOO_DEEP = "the JSON is nested too deeply to be a transcript; export the transcript again"
# An escaped backslash (kept), a surrogate pair (kept), or a lone surrogate escape,
# which decodes to a string no UTF-8 output can hold: it becomes U+FFFD.
SURROGATE_ESCAPE = re.compile(
    r"\\\\|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|(?P<lone>\\u[dD][89a-fA-F][0-9a-fA-F]{2})"
)


def without_lone_surrogates(text: str) -> str:
    """The JSON text with each lone surrogate escape (``\\ud800``) written as U+FFFD."""
    if "\\u" not in text:
        return text
    return SURROGATE_ESCAPE.sub(lambda m: "\\ufffd" if m["lone"] else m.group(), text)


def load_json(text: str, source: str) -> Any:
    """The parsed JSON; InputError naming the line when it does not parse."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.InputError(source, BAD_JSON.format(line=exc.lineno, problem=exc.msg)) from exc
    except RecursionError as exc:
        raise errors.InputError(source, TOO_DEEP) from exc
    except ValueError as exc:
        raise errors.InputError(
            source, BAD_JSON.format(line=1, problem=type(exc).__name__)
        ) from exc


def _decoded(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        value = json.loads(token)
    except ValueError:
        return token[1:-1]
    return value if isinstance(value, str) else token[1:-1]


class StringLines:
    """Finds the 1-based line of each string value, in document order."""

    def __init__(self, raw: str) -> None:
        self._line_starts = [0] + [m.end() for m in LINE_BREAK.finditer(raw)]
        self._positions: dict[str, list[int]] = defaultdict(list)
        for token in STRING_TOKEN.finditer(raw):
            if not KEY_FOLLOWS.match(raw, token.end()):
                self._positions[_decoded(token.group())].append(token.start())
        self._cursor = -1

    def _line(self, position: int) -> int:
        return bisect.bisect_right(self._line_starts, position)

    def line_of(self, value: str) -> int:
        """The line of the next occurrence of ``value`` (the first one if none is left)."""
        positions = self._positions.get(value)
        if not positions:
            return self._line(max(self._cursor, 0))
        k = bisect.bisect_right(positions, self._cursor)
        position = positions[k] if k < len(positions) else positions[0]
        self._cursor = max(self._cursor, position)
        return self._line(position)
