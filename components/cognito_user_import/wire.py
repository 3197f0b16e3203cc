"""The job's properties as the engine keeps them: the resource's id, the outputs built from
the jobs Cognito describes, and what state of earlier versions recorded, read today.

The provider translates the engine's calls; this is the shape of what it hands back.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pulumi.runtime import rpc

from .errors import UserError
from .fields import COUNTERS, ECHOED, Input, Output
from .jobs import Job, JobStatus, overall_status
from .outputs import camel_keys, job_summary

ID_SEPARATOR = "/"
#: The id's job part for a copy that had no user to send, so made no job.
NO_JOB = "no-job"


def job_resource_id(user_pool_id: str, job_id: str) -> str:
    """`<poolId>/<jobId>`: enough to read the job back with nothing else (pulumi import)."""
    return f"{user_pool_id}{ID_SEPARATOR}{job_id}"


def parse_resource_id(resource_id: str) -> tuple[str, str]:
    pool_id, separator, job_id = resource_id.partition(ID_SEPARATOR)
    if not separator or not pool_id or not (job_id.startswith("import-") or job_id == NO_JOB):
        raise UserError(
            f"{resource_id!r} is not a user import job id; expected <userPoolId>/<jobId>, "
            "e.g. us-east-1_AbCdEf123/import-AbCdEf1234"
        )
    return pool_id, job_id


def secret(value: str) -> dict[str, str]:
    """A value as the engine's wire format marks a secret; dynamic providers have no other
    way to return one from check."""
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}


def echoed(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs the outputs repeat."""
    return {name: props.get(name) for name in ECHOED}


def found_inputs(job: Job) -> dict[str, Any]:
    """The request's inputs as Cognito describes the job (read by id alone)."""
    return {
        Input.USER_POOL_ID: job.pool_id,
        Input.JOB_NAME: job.job_name,
        Input.CLOUD_WATCH_LOGS_ROLE_ARN: job.role_arn,
        Input.PASSWORD_HASHING_ALGORITHM: job.password_hashing_algorithm,
    }


def job_outputs(
    repeated: dict[str, Any], jobs: Sequence[Job], log_group: str, first_lines: list[int]
) -> dict[str, Any]:
    """The first job's fields, the import's totals, and every job in `jobs`."""
    first = jobs[0]
    totals = sum((job.counts for job in jobs), start=type(first.counts)())
    outputs = dict(repeated)
    outputs.update(
        {
            Output.JOB_ID: first.job_id,
            Output.PRE_SIGNED_URL: first.pre_signed_url,
            Output.STATUS: overall_status(list(jobs)),
            Output.CREATION_DATE: _iso(first.created),
            Output.START_DATE: _iso(first.started),
            Output.COMPLETION_DATE: _iso(first.completed),
            Output.COMPLETION_MESSAGE: first.completion_message,
            Output.IMPORTED_USERS: totals.imported,
            Output.SKIPPED_USERS: totals.skipped,
            Output.FAILED_USERS: totals.failed,
            Output.LOG_GROUP_NAME: log_group,
            Output.LOG_STREAM_NAME: first.stream_name,
            Output.JOBS: [
                job_summary(job, line) for job, line in zip(jobs, first_lines, strict=True)
            ],
        }
    )
    return outputs


def no_jobs() -> dict[str, Any]:
    """The outputs of an import that made no job: every count 0, done."""
    outputs: dict[str, Any] = dict.fromkeys(Output)
    outputs.update(dict.fromkeys(COUNTERS, 0))
    outputs.update({Output.STATUS: JobStatus.SUCCEEDED, Output.JOBS: []})
    return outputs


def recorded_jobs(props: Mapping[str, Any]) -> list[tuple[str, int | None]]:
    """Each job recorded in `jobs`, and where its rows start."""
    recorded = [camel_keys(job) for job in props.get(Output.JOBS) or []]
    return [(job["jobId"], job.get("firstLine")) for job in recorded]


def first_lines(props: Mapping[str, Any], jobs: Sequence[Job]) -> list[int]:
    """Where each job's rows start in the user's file (a split import's parts)."""
    recorded = [line for _, line in recorded_jobs(props)]
    if len(recorded) == len(jobs) and all(line is not None for line in recorded):
        return [int(line or 2) for line in recorded]
    return [2] * len(jobs)  # read by id alone: one job, its rows from line 2


def recorded_statuses(props: Mapping[str, Any]) -> list[str]:
    """The status of each recorded job (or the import's, when none is recorded)."""
    jobs = [camel_keys(job) for job in props.get(Output.JOBS) or []]
    return [str(job.get(Output.STATUS)) for job in jobs] or [str(props.get(Output.STATUS))]


def _iso(value: datetime | None) -> str | None:
    """State holds JSON: timestamps become ISO 8601 strings."""
    return value.isoformat() if value is not None else None
