"""Users declared in code, as records (column -> value): judged as values (what a CSV cell
can carry and Cognito keeps as given), rendered to Cognito's CSV, and digested for state.
"""

import csv
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from typing import IO, Any

from .csvfile import MANDATORY_COLUMNS


def records_digest(users: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of user records, whatever header they are rendered with (known or not yet)."""
    canonical = json.dumps(list(users), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def default_header(users: Sequence[Mapping[str, Any]]) -> list[str]:
    """A header for records when the pool's is not known yet (preview of a new pool)."""
    extra = sorted({key for user in users for key in user} - set(MANDATORY_COLUMNS))
    return [*extra, *MANDATORY_COLUMNS]


def record_problems(users: Sequence[Mapping[str, Any]], header: Sequence[str]) -> list[str]:
    """`users[i].key: why` for every value that would not arrive in Cognito as declared: a
    key the pool's header lacks, a value a CSV row cannot hold, or one Cognito would trim."""
    found = []
    for index, user in enumerate(users):
        for key, value in user.items():
            where = f"users[{index}].{key}"
            problem = (
                "is not a column of the pool's CSV header"
                if key not in header
                else value_problem(value)
            )
            if problem:
                found.append(f"{where}: {problem}")
    return found


def value_problem(value: Any) -> str | None:
    """Why a value would not arrive in Cognito as given: a type a CSV cell can't hold, a
    line break a row can't carry, or white space Cognito trims."""
    if not isinstance(value, str | int | float | bool | None):
        return "must be text, a number, true or false"
    cell = _cell(value)
    if "\r" in cell or "\n" in cell:
        return "holds a line break, which a CSV row cannot carry"
    if cell != cell.strip():
        return (
            "has white space at its start or end, which Cognito trims: it would store another "
            "value than declared"
        )
    return None


def breaks_lines(users: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a value would break the rendered file's lines (then nothing else can be judged
    from it)."""
    return any("\r" in _cell(v) or "\n" in _cell(v) for user in users for v in user.values())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(users: Sequence[Mapping[str, Any]], header: Sequence[str], out: IO[str]) -> None:
    """Write records as Cognito's CSV; booleans as true/false, commas escaped as `\\,`."""
    writer = _writer(out)
    writer.writerow(header)
    for user in users:
        writer.writerow([_cell(user.get(column)) for column in header])


def render_row(values: Sequence[str]) -> str:
    """One row as `render` writes it, its line end included."""
    buffer = io.StringIO()
    _writer(buffer).writerow(values)
    return buffer.getvalue()


def _writer(out: IO[str]) -> Any:
    return csv.writer(
        out, quoting=csv.QUOTE_NONE, quotechar=None, escapechar="\\", lineterminator="\n"
    )
