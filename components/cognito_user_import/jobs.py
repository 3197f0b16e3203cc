"""One vocabulary for Cognito's import jobs: their statuses, the sets of them the code asks
about, their counters and their log stream, and a job as a typed value.

Cognito describes a job as a dict of its own names (UserImportJobType); calls.py turns each
answer into a `Job` at once, so the rest of the code reads `job.status`, `job.counts` and
`job.stream_name`, each written once, here. (localaws keeps its own: it is an independent
implementation of the same API, and must not import the product.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import UserImportJobTypeTypeDef


class JobStatus(StrEnum):
    """UserImportJobType's Status, in Cognito's words."""

    CREATED = "Created"
    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    STOPPING = "Stopping"
    STOPPED = "Stopped"
    EXPIRED = "Expired"
    FAILED = "Failed"
    SUCCEEDED = "Succeeded"


#: Started and not ended: a delete stops these.
ACTIVE = frozenset({JobStatus.PENDING, JobStatus.IN_PROGRESS})
#: Ended: nothing more happens to these.
TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.EXPIRED})
#: Holding its part's rows, whatever comes next: the next attempt continues such a job
#: instead of sending the rows again (a Created one is continued only when none of these is).
RESUMABLE = frozenset({*ACTIVE, JobStatus.STOPPING, JobStatus.SUCCEEDED, JobStatus.FAILED})


@dataclass(frozen=True)
class Counts:
    """A job's (or an import's) rows: imported, skipped (the user existed), failed."""

    imported: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def judged(self) -> int:
        """Rows Cognito has decided on; all of a part's when the job got through them."""
        return self.imported + self.skipped + self.failed

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.imported + other.imported,
            self.skipped + other.skipped,
            self.failed + other.failed,
        )

    def __str__(self) -> str:
        return f"imported {self.imported}, skipped {self.skipped}, failed {self.failed}"


def stream_name(job_id: str, job_name: str) -> str:
    """The CloudWatch Logs stream Cognito writes a job's lines to."""
    return f"{job_id}/{job_name}"


@dataclass(frozen=True)
class Job:
    """A user import job as Cognito last described it."""

    job_id: str
    job_name: str
    pool_id: str
    role_arn: str
    password_hashing_algorithm: str | None
    status: JobStatus
    pre_signed_url: str
    created: datetime
    started: datetime | None
    completed: datetime | None
    completion_message: str | None
    counts: Counts

    @classmethod
    def of(cls, described: UserImportJobTypeTypeDef) -> Job:
        """From Cognito's UserImportJobType."""
        return cls(
            job_id=described["JobId"],
            job_name=described["JobName"],
            pool_id=described["UserPoolId"],
            role_arn=described["CloudWatchLogsRoleArn"],
            password_hashing_algorithm=described.get("PasswordHashingAlgorithm"),
            status=JobStatus(described["Status"]),
            pre_signed_url=described.get("PreSignedUrl", ""),
            created=described["CreationDate"],
            started=described.get("StartDate"),
            completed=described.get("CompletionDate"),
            completion_message=described.get("CompletionMessage"),
            counts=Counts(
                int(described.get("ImportedUsers") or 0),
                int(described.get("SkippedUsers") or 0),
                int(described.get("FailedUsers") or 0),
            ),
        )

    @property
    def stream_name(self) -> str:
        return stream_name(self.job_id, self.job_name)

    @property
    def ended(self) -> bool:
        return self.status in TERMINAL

    def progress(self) -> str:
        """`Status, imported n, skipped n, failed n`: what a line about the job says."""
        return f"{self.status}, {self.counts}"


def overall_status(jobs: list[Job]) -> JobStatus:
    """An import's status: its only job's; of several, the first not ended, else the first
    not Succeeded, else Succeeded."""
    unfinished = [job.status for job in jobs if not job.ended]
    unsuccessful = [job.status for job in jobs if job.status is not JobStatus.SUCCEEDED]
    return (unfinished or unsuccessful or [JobStatus.SUCCEEDED])[0]
