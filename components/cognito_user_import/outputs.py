"""The import's structured outputs, typed: what `jobs`, `outcome` and `export` hold, and how
each is built.

The schema served to other languages is read from these classes (the plugin's component
provider reads their annotations, so they are not postponed here), so generated SDKs carry
every field, and Python programs get the same names as keys. The keys are the schema's own
camelCase, in every language and in the stack's outputs, so a StackReference reader or
`pulumi stack output --json` sees one shape whichever language made the stack.
"""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from .outcome import SHOWN

if TYPE_CHECKING:
    from .copying import ExportReport
    from .jobs import Job
    from .outcome import Outcome as OutcomeReport

# The schema's property names are these keys: camelCase, as Pulumi names properties.


class JobSummary(TypedDict):
    """One job of the import (one, or one per part of a CSV split by Cognito's limits)."""

    jobId: str
    """`import-` and 10 characters."""
    jobName: str
    """Cognito's name of the job: `<job name>[ part i of n] @<marker>`."""
    status: str
    """Created, Pending, InProgress, Stopping, Stopped, Expired, Failed or Succeeded."""
    completionMessage: str | None
    """Cognito's message about how the job ended."""
    importedUsers: int
    """Users the job imported."""
    skippedUsers: int
    """Lines the job skipped (the user existed)."""
    failedUsers: int
    """Lines that failed."""
    logStreamName: str
    """The job's CloudWatch Logs stream: `<jobId>/<jobName>`."""
    firstLine: int
    """The line of your file where the job's rows start (2 for the first job)."""


class LineOutcome(TypedDict):
    """A line of your file that was not imported, and why."""

    line: int
    """Its line number in your file (the header is line 1)."""
    status: str
    """SKIPPED (the user existed) or FAILED."""
    reason: str
    """Cognito's reason, as logged."""


class Outcome(TypedDict):
    """What became of every line, read from the jobs' CloudWatch logs when `up` waited (or
    at a refresh after the jobs ended): numbers, line numbers and Cognito's reasons only."""

    lines: int
    """Lines Cognito logged."""
    byStatus: dict[str, int]
    """Lines by status: SUCCEEDED, SKIPPED, FAILED (a status no line had is absent)."""
    byReason: dict[str, int]
    """Lines skipped or failed, by Cognito's reason."""
    firstProblems: list[LineOutcome]
    """The first 20 lines skipped or failed, in your file's numbering."""
    complete: bool
    """Whether every line the counters promise was read (logs can lag a job's end)."""
    notes: list[str]
    """Why not, when not."""


class CopyExport(TypedDict):
    """What a copy read from the source pool and left out: counts and column names only."""

    sourceUsers: int
    """Users read from the source pool."""
    rows: int
    """Rows sent to the target."""
    alreadyInTarget: int
    """Users the target had before the copy began."""
    skipped: dict[str, int]
    """Users left out, by reason (federated, disabled, refused by the target's rules)."""
    droppedColumns: dict[str, int]
    """Source attributes the target has no column for -> users with a value in them."""


def job_summary(job: "Job", first_line: int) -> JobSummary:
    return {
        "jobId": job.job_id,
        "jobName": job.job_name,
        "status": job.status,
        "completionMessage": job.completion_message,
        "importedUsers": job.counts.imported,
        "skippedUsers": job.counts.skipped,
        "failedUsers": job.counts.failed,
        "logStreamName": job.stream_name,
        "firstLine": first_line,
    }


def outcome_of(outcome: "OutcomeReport") -> Outcome:
    """What state and the stack's outputs keep of an outcome: numbers and Cognito's
    reasons only."""
    return {
        "lines": outcome.lines,
        "byStatus": dict(outcome.by_status),
        "byReason": dict(outcome.by_reason),
        "firstProblems": [
            {"line": line, "status": status, "reason": reason}
            for line, (status, reason) in sorted(outcome.problems.items())[:SHOWN]
        ],
        "complete": not outcome.notes,
        "notes": list(outcome.notes),
    }


def export_of(report: "ExportReport") -> CopyExport:
    return {
        "sourceUsers": report.source_users,
        "rows": report.rows,
        "alreadyInTarget": report.already_in_target,
        "skipped": dict(sorted(report.skipped.items())),
        "droppedColumns": dict(sorted(report.dropped_columns.items())),
    }


def camel_keys(recorded: Any) -> Any:
    """A structured output as state recorded it: state written before 0.3 keyed these
    objects in snake_case (job_id, by_status, ...)."""
    if not isinstance(recorded, Mapping):
        return recorded
    return {re.sub(r"_([a-z])", lambda m: m[1].upper(), key): v for key, v in recorded.items()}
