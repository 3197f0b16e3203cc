"""Import as code: a validated CSV sent as one job per part, started and watched to the end.

Parts run one after another (Cognito runs one import job at a time per account). Each part:
create the job, PUT its rows, start it, then poll with a growing pause until it ends, saying
what changes. A URL that expired before the upload is replaced by a new job. A job that
ends Failed, Expired or Stopped fails the update with what to do; a wait that times out
leaves the job running and says so.
"""

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .calls import Cognito
from .csvfile import Part, Scan, render
from .fields import TERMINAL_STATUSES
from .transfer import UploadFailed, UrlExpired, put_part

Say = Callable[[str], None]
FIRST_PAUSE, PAUSE_GROWTH, LONGEST_PAUSE = 1.0, 1.5, 15.0


class ImportFailed(Exception):
    """The import did not complete; the message says what exists and what to do."""


@dataclass(frozen=True)
class Plan:
    start: bool
    wait: bool
    timeout_seconds: float


@contextmanager
def csv_source(props: dict[str, Any], header: list[str]) -> Iterator[Path]:
    """The CSV to import: the user's file, or the declared users rendered to a temp file."""
    if props.get("csv_file"):
        yield Path(props["csv_file"])
        return
    with tempfile.TemporaryDirectory(prefix="cognito-import-") as directory:
        path = Path(directory) / "users.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            render(props.get("users") or [], header, out)
        yield path


def part_name(job_name: str, index: int, count: int) -> str:
    """`<name> part 2 of 3`, within JobName's 128 characters."""
    if count == 1:
        return job_name
    suffix = f" part {index + 1} of {count}"
    return job_name[: 128 - len(suffix)] + suffix


class ImportRun:
    def __init__(
        self,
        cognito: Cognito,
        request: dict[str, str],
        path: Path,
        scan: Scan,
        plan: Plan,
        say: Say,
    ) -> None:
        self._cognito = cognito
        self._request = request
        self._pool = request["UserPoolId"]
        self._path = path
        self._scan = scan
        self._plan = plan
        self._say = say
        self._jobs: list[dict[str, Any]] = []

    def run(self) -> list[dict[str, Any]]:
        """Every job of the import, as last described."""
        parts = self._scan.parts
        for index, part in enumerate(parts):
            name = part_name(self._request["JobName"], index, len(parts))
            job = self._send(part, name)
            if self._plan.start:
                job = self._cognito.start(self._pool, job["JobId"])
                self._say(f"{job['JobId']}: started ({part.rows} rows), {job['Status']}")
            if self._plan.wait:
                job = self._wait(job, index, len(parts))
            self._jobs.append(job)
        return self._jobs

    def _send(self, part: Part, name: str) -> dict[str, Any]:
        job = self._cognito.create_job({**self._request, "JobName": name})
        try:
            try:
                put_part(job["PreSignedUrl"], self._path, self._scan.header, part)
            except UrlExpired:
                stale = job["JobId"]
                job = self._cognito.create_job({**self._request, "JobName": name})
                self._say(
                    f"{stale}: its upload URL expired before the upload; created "
                    f"{job['JobId']} for the same rows. {stale} stays Created and expires."
                )
                put_part(job["PreSignedUrl"], self._path, self._scan.header, part)
        except (UploadFailed, UrlExpired) as error:
            raise ImportFailed(
                f"{job['JobId']}: created, but {error}. {self._done()}The job stays Created in "
                "Cognito and expires on its own; run `pulumi up` again."
            ) from error
        self._say(f"{job['JobId']}: uploaded {part.rows} rows (lines {part.first_line}-"
                  f"{part.first_line + part.rows - 1})")  # fmt: skip
        return job

    def _wait(self, job: dict[str, Any], index: int, count: int) -> dict[str, Any]:
        deadline = time.monotonic() + self._plan.timeout_seconds
        pause = FIRST_PAUSE
        seen = _progress(job)
        while job["Status"] not in TERMINAL_STATUSES:
            if time.monotonic() + pause > deadline:
                self._timed_out(job, index, count)
                return job
            time.sleep(pause)
            pause = min(pause * PAUSE_GROWTH, LONGEST_PAUSE)
            job = self._cognito.describe(self._pool, job["JobId"])
            if _progress(job) != seen:
                seen = _progress(job)
                self._say(f"{job['JobId']}: {seen}")
        if job["Status"] != "Succeeded":
            self._failed(job, index, count)
        if job.get("SkippedUsers") or job.get("FailedUsers"):
            self._say(
                f"{job['JobId']}: {job.get('SkippedUsers', 0)} skipped and "
                f"{job.get('FailedUsers', 0)} failed lines; CloudWatch Logs lists them by line "
                "number in the job's log stream (outputs log_group_name, log_stream_name)."
            )
        return job

    def _timed_out(self, job: dict[str, Any], index: int, count: int) -> None:
        waited = f"{self._plan.timeout_seconds:g} s"
        if index + 1 < count:
            raise ImportFailed(
                f"{job['JobId']} (part {index + 1} of {count}) is still {job['Status']} after "
                f"{waited}; parts {index + 2}-{count} were not created. {self._done()}"
                "Jobs cannot be deleted; they stay in Cognito. Run `pulumi up` again with a "
                "longer wait_timeout_seconds: users imported already will be skipped."
            )
        self._say(
            f"{job['JobId']}: still {job['Status']} after {waited}; it keeps running in "
            "Cognito. `pulumi refresh` records its outcome."
        )

    def _failed(self, job: dict[str, Any], index: int, count: int) -> None:
        part = f" (part {index + 1} of {count})" if count > 1 else ""
        later = f" Parts {index + 2}-{count} were not created." if index + 1 < count else ""
        raise ImportFailed(
            f"{job['JobId']}{part} ended {job['Status']}: "
            f"{job.get('CompletionMessage') or 'no message'} ({_progress(job)}).{later} "
            f"{self._done()}Each skipped or failed line is in CloudWatch Logs, log group "
            f"/aws/cognito/userpools/{self._pool}/<pool name>, stream "
            f"{job['JobId']}/{job['JobName']}. Jobs cannot be deleted: they stay in Cognito, "
            "outside the stack's state. Fix the cause and run `pulumi up` again."
        )

    def _done(self) -> str:
        if not self._jobs:
            return ""
        listed = ", ".join(f"{job['JobId']} {job['Status']}" for job in self._jobs)
        return f"Earlier parts: {listed}. "


def _progress(job: dict[str, Any]) -> str:
    return (
        f"{job['Status']}, imported {job.get('ImportedUsers', 0)}, "
        f"skipped {job.get('SkippedUsers', 0)}, failed {job.get('FailedUsers', 0)}"
    )
