"""The import job record: its fields, statuses and wire shape (UserImportJobType)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from typing import Any

from .clock import CLOCK

CREATED, PENDING, IN_PROGRESS, STOPPING = "Created", "Pending", "InProgress", "Stopping"
EXPIRED, STOPPED, FAILED, SUCCEEDED = "Expired", "Stopped", "Failed", "Succeeded"

EXPIRED_MESSAGE = "The user import job has expired."
STOPPED_MESSAGE = "The Import Job was stopped by the developer."

_SEQUENCE = count(1)


def _timestamp(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, tz=UTC)


@dataclass
class ImportJob:
    account_id: str
    region: str
    job_id: str
    job_name: str
    user_pool_id: str
    role_arn: str
    password_hashing_algorithm: str | None
    pre_signed_url: str
    creation_date: float
    status: str = CREATED
    start_date: float | None = None
    completion_date: float | None = None
    completion_message: str | None = None
    imported_users: int = 0
    skipped_users: int = 0
    failed_users: int = 0
    polls_in_progress: int = 0
    sequence: int = field(default_factory=lambda: next(_SEQUENCE))

    def finish(self, status: str, message: str) -> None:
        self.status = status
        self.completion_message = message
        self.completion_date = CLOCK.now()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "JobName": self.job_name,
            "JobId": self.job_id,
            "UserPoolId": self.user_pool_id,
            "PreSignedUrl": self.pre_signed_url,
            "CreationDate": _timestamp(self.creation_date),
            "StartDate": _timestamp(self.start_date),
            "CompletionDate": _timestamp(self.completion_date),
            "Status": self.status,
            "CloudWatchLogsRoleArn": self.role_arn,
            "ImportedUsers": self.imported_users,
            "SkippedUsers": self.skipped_users,
            "FailedUsers": self.failed_users,
            "CompletionMessage": self.completion_message,
            "PasswordHashingAlgorithm": self.password_hashing_algorithm,
        }
        return {key: value for key, value in body.items() if value is not None}
