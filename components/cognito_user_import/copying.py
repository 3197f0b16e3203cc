"""Copying a pool: every user of a source pool rendered into the target pool's CSV header.

Cognito has no export; ListUsers is the only way to read a pool's users. A copy reads them
all, renders each into the target's header and keeps the rows the target would accept,
counting the others by reason: federated users (their identity provider creates them in the
target at their first sign-in), disabled users (a CSV cannot carry the flag), rows that break
the target's rules. The rows go to a private file on the deployer's disk, removed after the
import; state and outputs keep counts, reasons and column names, never a user's data.

A copy's identity is its inputs (source pool, region, copy_trigger), not its rows, so the next
`pulumi up` after an interruption finds the copy's jobs whatever changed in the pools. It
leaves out the users the target had when the copy began (before its first job was created)
and keeps those its own earlier attempt made, so a resumed copy sends the same rows again.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from .csvfile import MAX_ROW_CHARACTERS, USERNAME, VERIFIABLE, PoolRules, RowRules
from .jobs import Job
from .records import render_row, value_problem

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import UserTypeTypeDef

    from .inputs import JobInputs

#: Attributes a copy never carries: Cognito gives every user a new `sub`, and `identities`
#: belong to federated users, who are not copied.
NOT_CARRIED = frozenset({"sub", "identities"})
FEDERATED = "federated: its identity provider creates it in the target at its first sign-in"
DISABLED = "disabled in the source: a CSV cannot carry that, and the import would enable it"
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
#: How often the export says how far it got.
PROGRESS_SECONDS = 5.0


@dataclass(frozen=True)
class CopySource:
    """The pool a copy reads, and the value whose change makes it a new copy."""

    pool_id: str
    region: str | None
    trigger: Any

    @classmethod
    def of(cls, inputs: JobInputs) -> CopySource | None:
        """The copy the inputs declare; its region as given, else the one its id names."""
        pool_id = inputs.source_user_pool_id
        if not pool_id:
            return None
        region = inputs.source_region or region_of(pool_id)
        return cls(pool_id, region, inputs.copy_trigger)

    def key(self) -> str:
        """What makes two runs the same copy: its source and its trigger, not its rows."""
        canonical = json.dumps(
            ["copy", self.pool_id, self.region, self.trigger], sort_keys=True, default=str
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def label(self) -> str:
        """The pool id, and its region when the id does not begin with it."""
        named = region_of(self.pool_id) or not self.region
        return self.pool_id if named else f"{self.pool_id} ({self.region})"


@dataclass
class ExportReport:
    """What a copy read and left out: counts, reasons and column names only."""

    source_users: int = 0
    rows: int = 0
    already_in_target: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: Attributes of the source the target's header lacks -> users with a value in it.
    dropped_columns: Counter[str] = field(default_factory=Counter)

    def summary(self, source: str) -> list[str]:
        said = [
            f"copy: read {self.source_users} users of {source}; {self.rows} to import, "
            f"{self.already_in_target} already in the target, "
            f"{sum(self.skipped.values())} skipped."
        ]
        said += [f"copy: skipped {n}: {reason}" for reason, n in sorted(self.skipped.items())]
        if self.dropped_columns:
            listed = ", ".join(f"{name} ({n} users)" for name, n in self.dropped_columns.items())
            said.append(f"copy: the target's header has no column for {listed}; not copied.")
        return said


def region_of(pool_id: str) -> str | None:
    """The region a pool id begins with (`us-east-1_AbC` is a pool of us-east-1)."""
    prefix = pool_id.partition("_")[0]
    return prefix if REGION.fullmatch(prefix) else None


def dropped_columns(source_schema: Iterable[str], target_header: Sequence[str]) -> list[str]:
    """The source's attributes the target cannot hold (what preview reports, names only)."""
    return sorted(set(source_schema) - set(target_header) - NOT_CARRIED)


def began(listed: Sequence[Job], first_part_names: set[str]) -> datetime | None:
    """When the copy's first attempt created its first job; None for a copy not begun."""
    dates = [job.created for job in listed if job.job_name in first_part_names]
    return min(dates) if dates else None


class TargetUsers:
    """The usernames the target had before the copy began, as the target compares them."""

    def __init__(
        self, users: Iterable[UserTypeTypeDef], before: datetime | None, case_sensitive: bool
    ) -> None:
        self._fold = (lambda name: name) if case_sensitive else str.lower
        self._names = {
            self._fold(user["Username"])
            for user in users
            if before is None or user["UserCreateDate"] < before
        }

    def __contains__(self, username: str) -> bool:
        return self._fold(username) in self._names


def export(
    users: Iterable[UserTypeTypeDef],
    rules: PoolRules,
    existing: TargetUsers,
    out: IO[str],
    progress: Callable[[int], None] = lambda _read: None,
    now: Callable[[], float] = time.monotonic,
) -> ExportReport:
    """Write the source's users the target can take, ordered by username (the same rows for
    the same pools, whatever order ListUsers pages in), as the target's CSV."""
    header = list(rules.header)
    row_rules = RowRules(header, rules)
    report = ExportReport()
    rows: list[tuple[str, list[str], str]] = []
    said_at = now()
    for user in users:
        report.source_users += 1
        if now() - said_at >= PROGRESS_SECONDS:
            progress(report.source_users)
            said_at = now()
        row = _row(user, header, row_rules, existing, report)
        if row is not None:
            rows.append((user["Username"], *row))
    rows.sort()
    out.write(render_row(header))
    seen: list[set[str]] = [set() for _ in row_rules.identities]
    for _username, values, line in rows:
        identity = row_rules.identity(values)
        shared = next((c for c, v in enumerate(identity) if v and v in seen[c]), None)
        if shared is not None:
            report.skipped[_same_user(row_rules, shared)] += 1
            continue
        for column, value in enumerate(identity):
            seen[column].add(value)
        out.write(line)
        report.rows += 1
    return report


def _same_user(row_rules: RowRules, column: int) -> str:
    """Why a user is left out that the target would take for another the copy sends: a
    source that tells them apart (by case, or not signing in by an attribute) can hold two
    users the target sees as one. The first by username is sent."""
    name, _index, folded = row_rules.identities[column]
    case = " when case is ignored, as the target ignores it" if folded else ""
    if name == USERNAME:
        return f"its username is another source user's{case}"
    return f"its {name} is another source user's{case}, and the target's users sign in with it"


def _row(
    user: UserTypeTypeDef,
    header: list[str],
    row_rules: RowRules,
    existing: TargetUsers,
    report: ExportReport,
) -> tuple[list[str], str] | None:
    """The user's values in the target's header and its row, or None with the reason
    counted."""
    if user.get("UserStatus") == "EXTERNAL_PROVIDER":
        report.skipped[FEDERATED] += 1
        return None
    if user.get("Enabled") is False:
        report.skipped[DISABLED] += 1
        return None
    if user["Username"] in existing:
        report.already_in_target += 1
        return None
    attributes = {item["Name"]: item.get("Value", "") for item in user.get("Attributes", [])}
    for name, value in attributes.items():
        if value and name not in header and name not in NOT_CARRIED:
            report.dropped_columns[name] += 1
    record = {column: _value(column, user["Username"], attributes) for column in header}
    problem = next(
        (f"{column}: {why}" for column, value in record.items() if (why := value_problem(value))),
        None,
    )
    values = [record[column] for column in header]
    if problem is None:
        problem = next((f"{column}: {why}" for column, why in row_rules.problems(values)), None)
    line = render_row(values) if problem is None else ""
    if problem is None and len(line) - 1 > MAX_ROW_CHARACTERS:
        problem = f"its row is longer than Cognito's {MAX_ROW_CHARACTERS} characters"
    if problem is not None:
        report.skipped[problem] += 1
        return None
    return values, line


def _value(column: str, username: str, attributes: Mapping[str, str]) -> str:
    """A column's value for one user: attributes as stored, the verified flags always set
    (false when the source has none: nothing was verified), MFA left blank, a birthdate in
    the CSV's mm/dd/yyyy. MFA: the guide ("Creating the user import CSV file") says "a blank
    value sets the state the pool requires", the one value valid whatever the target's MFA
    mode (a user's MFA devices cannot be copied anyway)."""
    if column == USERNAME:
        return username
    if column.startswith("cognito:"):
        return ""
    if column in {f"{name}_verified" for name in VERIFIABLE}:
        return "true" if attributes.get(column, "").lower() == "true" else "false"
    value = attributes.get(column, "")
    if column == "birthdate":
        return _csv_birthdate(value)
    return value


def _csv_birthdate(value: str) -> str:
    """Cognito stores birthdates as OpenID's YYYY-MM-DD; the CSV takes mm/dd/yyyy."""
    parts = value.split("-")
    if len(parts) == 3 and [len(part) for part in parts] == [4, 2, 2]:
        return f"{parts[1]}/{parts[2]}/{parts[0]}"
    return value
