"""The import's structured outputs, typed: what `jobs`, `outcome` and `export` hold.

The schema served to other languages is read from these classes (the plugin's component
provider), so generated SDKs carry every field, and Python programs get the same names as
keys. The keys are the schema's own camelCase, in every language and in the stack's
outputs, so a StackReference reader or `pulumi stack output --json` sees one shape
whichever language made the stack.
"""

from typing import TypedDict

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
