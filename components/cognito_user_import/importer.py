"""Import as code, resumable: a validated CSV sent as one job per part, started, watched to the
end, and found again by the next `pulumi up` after any interruption or failure.

Why jobs carry a marker in their name: a create that fails or is interrupted records nothing
in Pulumi's state (the dynamic provider has no partial-state path), so the only place an
attempt's jobs survive is Cognito itself. Each JobName ends with ` @` and ten hex digits
derived from every input that defines the import (its key: pool, role, job name, hashing
algorithm, content digest, rows per job) and the part. The next attempt with the same inputs
lists the pool's jobs once and continues each part where the last attempt left it: it waits
for a running job, records a finished one, uploads again to one left Created (or to a new
job if that URL expired) and starts it. It creates a job only for a part that has none, or
whose job expired or was stopped. Changed inputs make a new marker: a new import.

Parts run one after another (Cognito runs one import job at a time per account).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .awserrors import AwsCallError
from .calls import Cognito
from .commands import tool
from .csvfile import Part, Scan
from .errors import UserError
from .inputs import JobInputs
from .jobs import RESUMABLE, Job, JobStatus
from .lifeline import LIFELINE, Interrupted, Lifeline
from .transfer import UploadFailed, UrlExpired, put_part

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp.type_defs import CreateUserImportJobRequestTypeDef

Say = Callable[[str], None]
#: The proxy an upload to a URL goes through (None: none), as the job's AWS calls do.
ProxyFor = Callable[[str], "str | None"]
#: The poll schedule: a job's end is noticed within 5% of the time it has run, at least
#: 1 s and at most 5 s after it.
SHORTEST_PAUSE, LONGEST_PAUSE, PAUSE_SHARE = 1.0, 5.0, 0.05
MAX_JOB_NAME = 128
MARKER_SIGN, MARKER_LENGTH = "@", 10


#: Why a job Cognito ended Failed after judging every row completes the import, by the
#: rule in force (max_failed_users unset, or set).
_ACCEPTED = {
    True: "every user is in the pool, so the import is complete.",
    False: "within max_failed_users, so the import is complete.",
}


class ImportFailed(UserError):
    """The import did not complete; the message names every job and what to do."""


@dataclass(frozen=True)
class Plan:
    start: bool
    wait: bool
    timeout_seconds: float
    #: Failed rows (over every part) the import accepts; None: as Cognito ends each job.
    max_failed_users: int | None = None


@dataclass(frozen=True)
class ImportKey:
    """Every input that defines an import's jobs: equal keys are the same import."""

    pool_id: str
    role_arn: str
    job_name: str
    password_hashing_algorithm: str | None
    content_sha256: str
    rows_per_job: int

    @classmethod
    def of(cls, inputs: JobInputs, content: str) -> ImportKey:
        """The key of the import of `content` (a file's digest, or a copy's key) these inputs
        declare."""
        request = inputs.request()
        return cls(
            pool_id=request["UserPoolId"],
            role_arn=request["CloudWatchLogsRoleArn"],
            job_name=request["JobName"],
            password_hashing_algorithm=inputs.password_hashing_algorithm,
            content_sha256=content,
            rows_per_job=inputs.rows_per_job,
        )

    def job_name_of(self, index: int, count: int) -> str:
        """`<job_name>[ part i of n] @<marker>`, within JobName's 128 characters."""
        key = json.dumps([*astuple(self), index, count]).encode()
        marker = hashlib.sha256(key).hexdigest()[:MARKER_LENGTH]
        part = f" part {index + 1} of {count}" if count > 1 else ""
        tail = f"{part} {MARKER_SIGN}{marker}"
        return self.job_name[: MAX_JOB_NAME - len(tail)].rstrip() + tail

    def request(self, job_name: str) -> CreateUserImportJobRequestTypeDef:
        request: CreateUserImportJobRequestTypeDef = {
            "UserPoolId": self.pool_id,
            "JobName": job_name,
            "CloudWatchLogsRoleArn": self.role_arn,
        }
        if self.password_hashing_algorithm:
            request["PasswordHashingAlgorithm"] = self.password_hashing_algorithm  # type: ignore[typeddict-item]
        return request


class ImportRun:
    """One attempt at an import: every part, continued from earlier attempts."""

    def __init__(
        self,
        cognito: Cognito,
        key: ImportKey,
        path: Path,
        scan: Scan,
        plan: Plan,
        say: Say,
        log_group: str,
        lifeline: Lifeline = LIFELINE,
        proxy_for: ProxyFor = lambda _url: None,
    ) -> None:
        self._cognito = cognito
        self._proxy_for = proxy_for
        self._key = key
        self._pool = key.pool_id
        self._path = path
        self._scan = scan
        self._plan = plan
        self._say = say
        self._log_group = log_group
        self._lifeline = lifeline
        self._count = len(scan.parts)
        #: The latest known state of each part's job, by part index.
        self._jobs: dict[int, Job] = {}
        #: Rows that failed in the parts judged so far.
        self._failed = 0
        self._deadline = lifeline.now() + plan.timeout_seconds

    def run(self, listed: list[Job] | None = None) -> list[Job]:
        """Every job of the import, as last described. `listed`: the pool's jobs (newest
        first) when the caller has just listed them."""
        names = [self._key.job_name_of(i, self._count) for i in range(self._count)]
        earlier: dict[str, list[Job]] = {}
        for job in self._cognito.jobs(self._pool) if listed is None else listed:
            earlier.setdefault(job.job_name, []).append(job)
        for index, part in enumerate(self._scan.parts):
            self._part(index, part, names[index], earlier.get(names[index], []))
        return [self._jobs[index] for index in range(self._count)]

    def ended_jobs(self) -> list[tuple[Job, int]]:
        """The jobs of this attempt that have ended, and where each part starts in the
        user's file: whose lines an outcome can be read for, even when the import failed."""
        return [
            (self._jobs[index], self._scan.parts[index].first_line)
            for index in sorted(self._jobs)
            if self._jobs[index].ended
        ]

    def _part(self, index: int, part: Part, name: str, earlier: list[Job]) -> None:
        job = _continuable(earlier)
        if job is None:
            job = self._send(index, part, name)
        else:
            self._jobs[index] = job
            self._say(f"{self._label(index)}: found from an earlier attempt, {job.progress()}")
            if job.status is JobStatus.CREATED:
                job = self._upload_again(index, part, name, job)
        if self._plan.start and job.status is JobStatus.CREATED:
            job = self._start(index, part, job)
        if self._plan.wait and not job.ended:
            job = self._wait(index, job)
        if job.ended:
            self._judge(index, part, job)
            return
        then = (
            "start it (`aws cognito-idp start-user-import-job`), then"
            if job.status is JobStatus.CREATED
            else "it runs on in Cognito."
        )
        recorded = f"{tool().record_outcome} records its outcome in {tool().outputs}."
        self._say(f"{job.job_id}: {job.status}; {then} {recorded}")

    def _judge(self, index: int, part: Part, job: Job) -> None:
        """Whether an ended job's part is done, by the plan's rule: a job Cognito stopped, let
        expire or failed before it judged every row fails the import; one that judged every
        row is done when its failed rows are within max_failed_users (unset: when Cognito
        did not fail it for them; a job whose every row was skipped is done, every user
        being in the pool). As users read it: docs/guides/run-in-a-pipeline.md#exit-codes."""
        counts = job.counts
        every_row = counts.judged == part.rows
        failed_job = job.status is JobStatus.FAILED
        if job.status in (JobStatus.STOPPED, JobStatus.EXPIRED) or (failed_job and not every_row):
            raise self._ended(index, job)
        self._failed += counts.failed
        limit = self._plan.max_failed_users
        if limit is None and failed_job and counts.failed:
            raise self._ended(index, job)
        if limit is not None and self._failed > limit:
            raise self._too_many_failed(index, limit)
        if failed_job:
            self._say(
                f"{job.job_id}: Cognito ended it Failed "
                f"({job.completion_message or 'no message'}) after judging every row: "
                f"imported {counts.imported}, skipped {counts.skipped} (already in the pool), "
                f"failed {counts.failed}; {_ACCEPTED[limit is None]}"
            )
        elif counts.skipped or counts.failed:
            self._say(
                f"{job.job_id}: {counts.skipped} skipped and {counts.failed} failed lines; "
                "CloudWatch Logs lists them by line number in the job's log stream (outputs "
                "log_group_name, log_stream_name)."
            )

    # -- sending and starting -----------------------------------------------------------

    def _send(self, index: int, part: Part, name: str) -> Job:
        job = self._cognito.create_job(self._key.request(name))
        self._jobs[index] = job
        return self._upload_again(index, part, name, job)

    def _upload_again(self, index: int, part: Part, name: str, job: Job) -> Job:
        """PUT the part to a Created job (again: S3 keeps the last upload); a URL past its
        15 minutes is replaced by a new job for the same rows."""
        try:
            self._put(job, part)
        except UrlExpired:
            stale = job.job_id
            job = self._cognito.create_job(self._key.request(name))
            self._jobs[index] = job
            self._say(
                f"{stale}: its upload URL expired before the upload; created "
                f"{job.job_id} for the same rows. {stale} stays Created and expires."
            )
            try:
                self._put(job, part)
            except (UploadFailed, UrlExpired) as error:
                raise self._incomplete(index, f"the upload failed: {error}") from None
        except UploadFailed as error:
            raise self._incomplete(index, f"the upload failed: {error}") from None
        last = part.first_line + part.rows - 1
        self._say(f"{job.job_id}: uploaded {part.rows} rows (lines {part.first_line}-{last})")
        return job

    def _put(self, job: Job, part: Part) -> None:
        url = job.pre_signed_url
        put_part(url, self._path, self._scan.header, part, self._proxy_for(url))

    def _start(self, index: int, part: Part, job: Job) -> Job:
        try:
            job = self._cognito.start(self._pool, job.job_id)
        except AwsCallError as error:
            raise self._incomplete(
                index, f"the file is uploaded, but StartUserImportJob failed: {error}"
            ) from None
        self._jobs[index] = job
        self._say(f"{job.job_id}: started ({part.rows} rows), {job.status}")
        return job

    # -- waiting --------------------------------------------------------------------------

    def _wait(self, index: int, job: Job) -> Job:
        watched = self._lifeline.now()
        ran_before = self._lifeline.seconds_since(job.started)
        seen = job.progress()
        while not job.ended:
            pause = next_pause(ran_before + self._lifeline.now() - watched)
            if self._lifeline.now() + pause > self._deadline:
                waited = f"{self._plan.timeout_seconds:g} s"
                raise self._incomplete(index, f"still {job.status} after waiting {waited}")
            try:
                self._lifeline.sleep(pause)
            except Interrupted as why:
                raise self._incomplete(index, f"{why} while waiting for it") from None
            try:
                job = self._cognito.describe_job(self._pool, job.job_id)
            except AwsCallError as error:
                raise self._incomplete(
                    index, f"Cognito did not answer while it ran ({error})"
                ) from None
            self._jobs[index] = job
            if job.progress() != seen:
                seen = job.progress()
                self._say(f"{job.job_id}: {seen}")
        return job

    # -- what to tell the user ----------------------------------------------------------

    def _label(self, index: int) -> str:
        job = self._jobs.get(index)
        part = f" (part {index + 1} of {self._count})" if self._count > 1 else ""
        return f"{job.job_id if job else 'no job'}{part}"

    def _jobs_of_import(self) -> str:
        listed = [
            f"{self._label(index)} {self._jobs[index].status}"
            for index in range(self._count)
            if index in self._jobs
        ]
        missing = self._count - len(listed)
        later = f"; {missing} later part{'s' if missing > 1 else ''} not created yet" * bool(
            missing
        )
        return (
            f"Jobs of this import: {', '.join(listed)}{later}. Jobs stay in Cognito (they "
            f"cannot be deleted) and are not recorded in {tool().state}."
        )

    def _incomplete(self, index: int, reason: str) -> ImportFailed:
        """The import can go on from here: the same inputs continue it."""
        job = self._jobs[index]
        action = (
            f"uploads the file to {job.job_id} again (or to a new job, if its URL has "
            "expired) and starts it"
            if job.status is JobStatus.CREATED
            else f"waits for {job.job_id}"
        )
        return ImportFailed(
            f"{self._label(index)}: {reason}. {self._jobs_of_import()} Run {tool().apply} again "
            f"with the same inputs to finish the import: it finds these jobs by name, "
            f"{action}, then goes on with the parts not done; no row is imported twice."
        )

    def _too_many_failed(self, index: int, limit: int) -> ImportFailed:
        """The failed rows of the parts so far are more than the import accepts."""
        job = self._jobs[index]
        return ImportFailed(
            f"{self._failed} rows failed, more than max_failed_users ({limit}); the last "
            f"judged is {self._label(index)}, {job.progress()}. {self._jobs_of_import()} The "
            "rows that failed, with Cognito's reasons, are in the outcome (and in outcome_file "
            f"if you set one). The next {tool().apply} with the same inputs finds these jobs and "
            "stops here again: import the corrected rows as a new import (a corrected "
            "csv_file or users), or raise max_failed_users."
        )

    def _ended(self, index: int, job: Job) -> ImportFailed:
        """A job ended without importing its part."""
        head = (
            f"{self._label(index)} ended {job.status}: "
            f"{job.completion_message or 'no message'} ({job.progress()}). "
            f"{self._jobs_of_import()} Each skipped or failed line is in CloudWatch Logs, "
            f"log group {self._log_group}, stream {job.stream_name}."
        )
        if job.status is JobStatus.FAILED:
            accept = (
                " To accept failed rows instead, set max_failed_users (the rows that failed are "
                "in the outcome, and in outcome_file if you set one)."
                if job.counts.failed
                else ""
            )
            return ImportFailed(
                f"{head} The next {tool().apply} with the same inputs finds this job and stops "
                "here again. Fix the cause, then change an input: a corrected csv_file or "
                "users (a new import), another cloud_watch_logs_role_arn, or a new job_name "
                f"to import the same rows again (users imported already are skipped).{accept}"
            )
        return ImportFailed(
            f"{head} A {job.status.lower()} job cannot be restarted: run {tool().apply} again "
            "with the same inputs and it creates a new job for this part (users imported "
            "already are skipped) and goes on with the parts not done."
        )


def _continuable(earlier: list[Job]) -> Job | None:
    """The job of an earlier attempt that holds the part's rows, newest first: one running
    or finished, else one still Created; None when all expired or were stopped."""
    for job in earlier:
        if job.status in RESUMABLE:
            return job
    return next((job for job in earlier if job.status is JobStatus.CREATED), None)


def next_pause(ran_seconds: float) -> float:
    """How long to wait before looking again at a job that has run this long."""
    return min(LONGEST_PAUSE, max(SHORTEST_PAUSE, PAUSE_SHARE * ran_seconds))
