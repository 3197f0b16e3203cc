"""What became of every line: each job's CloudWatch log read back, counted, and mapped to
the user's own file, so nobody has to open CloudWatch and count lines by hand.

Cognito logs one line per user, by line number and without user data ("[FAILED] Line
Number 12 - ..."). The outcome kept in state holds counts by status and by reason and the
first lines that were skipped or failed, as line numbers of the user's file (a split
import's parts are numbered back). A retry file, written to the deployer's disk only, holds
the rows themselves. Logs can lag the job's end: the reader waits, bounded, for as many
lines as the job's counters promise, and says when it gave up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from .awserrors import error_code, error_message
from .commands import tool
from .lifeline import Lifeline
from .private import open_private

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

_LINE = re.compile(r"^\[(SUCCEEDED|SKIPPED|FAILED)\] Line Number (\d+) - (.*)$")
#: Lines listed in the outcome; the counts cover all of them.
SHOWN = 20
#: How long to wait for log lines the counters promise, and between two looks.
LAG_SECONDS, LAG_PAUSE = 60.0, 2.0
#: The column the retry file adds: removed before the rows are imported again.
REASON_COLUMN = "import_outcome"


@dataclass
class Outcome:
    """Every logged line of an import, by the user's line numbers."""

    lines: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    #: Skipped or failed lines: the user's line number -> (status, reason).
    problems: dict[int, tuple[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, line: int, status: str, reason: str) -> None:
        self.lines += 1
        self.by_status[status] += 1
        if status != "SUCCEEDED":
            self.by_reason[reason] += 1
            self.problems[line] = (status, reason)


@dataclass(frozen=True)
class LoggedJob:
    """A job whose log to read, and where its part starts in the user's file."""

    stream: str
    expected_lines: int
    first_line: int = 2


class LogReader:
    def __init__(self, logs: CloudWatchLogsClient, lifeline: Lifeline) -> None:
        self._logs = logs
        self._lifeline = lifeline

    def read(self, group: str, jobs: list[LoggedJob]) -> Outcome:
        outcome = Outcome()
        for job in jobs:
            try:
                self._read_job(group, job, outcome)
            except ClientError as error:
                outcome.notes.append(_unreadable(group, job.stream, error))
            except BotoCoreError as error:
                outcome.notes.append(f"could not reach CloudWatch Logs ({error}).")
        return outcome

    def _read_job(self, group: str, job: LoggedJob, outcome: Outcome) -> None:
        seen, token = 0, None
        for _ in self._lifeline.tries(LAG_SECONDS, LAG_PAUSE, 1.0, LAG_PAUSE):
            for line, status, reason in self._events(group, job.stream, token):
                seen += 1
                outcome.add(job.first_line + line - 2, status, reason)
            token = self._token
            if seen >= job.expected_lines:
                return
        outcome.notes.append(
            f"{job.stream}: read {seen} of {job.expected_lines} log lines after waiting "
            f"{LAG_SECONDS:g} s; CloudWatch Logs may still be delivering the rest "
            f"({tool().record_outcome} reads them again)."
        )

    def _events(self, group: str, stream: str, token: str | None) -> Iterator[tuple[int, str, str]]:
        """Every event from `token` on (GetLogEvents pages; the same token twice is the
        end); the last token is kept in self._token to go on from after a wait."""
        self._token = token
        while True:
            request: dict[str, Any] = {
                "logGroupName": group,
                "logStreamName": stream,
                "startFromHead": True,
            }
            if self._token:
                request["nextToken"] = self._token
            page = self._logs.get_log_events(**request)
            for event in page["events"]:
                match = _LINE.match(event.get("message", ""))
                if match:
                    yield int(match[2]), match[1], match[3]
            if page.get("nextForwardToken") in (None, self._token):
                return
            self._token = page["nextForwardToken"]


def _unreadable(group: str, stream: str, error: ClientError) -> str:
    code = error_code(error)
    if code in ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException"):
        return (
            f"the import's outcome needs logs:GetLogEvents on log group {group} (the import "
            "itself is done): grant it to the deployer "
            f"(docs/guides/iam-permissions.md#what-the-deployer-needs). ({code}: "
            f"{error_message(error)})"
        )
    if code == "ResourceNotFoundException":
        return f"{stream}: no log stream in {group} (Cognito wrote none for this job)."
    return f"{stream}: could not read its log ({code}: {error_message(error)})."


def write_retry_file(destination: Path, source: Path, outcome: Outcome) -> int:
    """The rows that were skipped or failed, with the source's header and the reason in a
    last column; written on the deployer's disk only, readable by the deployer alone (it
    holds users' data). Returns the rows written."""
    written = 0
    with source.open("rb") as rows, open_private(destination, "wb") as out:
        header = rows.readline().rstrip(b"\r\n")
        out.write(header + b"," + REASON_COLUMN.encode() + b"\n")
        for number, raw in enumerate(rows, start=2):
            found = outcome.problems.get(number)
            if found:
                text = f"{found[0]}: {found[1]}".replace("\\", "\\\\").replace(",", "\\,")
                reason = text.encode()
                out.write(raw.rstrip(b"\r\n") + b"," + reason + b"\n")
                written += 1
    return written
