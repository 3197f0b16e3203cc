"""Running an import job: the role, the file, each row, the users and the CloudWatch log.

The file is read twice as a stream (a check of size and encoding, then the import), never
held whole in memory. Row outcomes go to the job's log stream by line number only, as in
AWS: a log must not leak the personal data in the file.
"""

import csv
import gc
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpUser,
    CognitoIdpUserPool,
    cognitoidp_backends,
)
from moto.iam.models import iam_backends
from moto.logs.models import logs_backends

from .clock import clock_datetime
from .csvrules import (
    MAX_ROW_CHARACTERS,
    MAX_ROWS,
    PoolRules,
    csv_header,
    header_problem,
    imported_status,
    pool_problem,
    row_problem,
    trimmed,
)
from .job import FAILED, SUCCEEDED, ImportJob
from .upload import UPLOADS

SUCCESS_MESSAGE = "Import Job Completed Successfully."
#: The guide's log line for each imported user: one line for every user, whatever happened.
SUCCEEDED_LINE = "[SUCCEEDED] Line Number {line} - The import succeeded."
TOO_MANY_FAILURES = "Too many users have failed or been skipped during the import."
_LOG_BATCH = 10_000


class JobFailure(Exception):
    """A reason the whole job fails, shown as its CompletionMessage."""


def log_group_name(pool: CognitoIdpUserPool) -> str:
    return f"/aws/cognito/userpools/{pool.id}/{pool.name}"


def log_stream_name(job: ImportJob) -> str:
    return f"{job.job_id}/{job.job_name}"


def run_import(job: ImportJob) -> None:
    """Take an InProgress job to a terminal status."""
    try:
        pool = cognitoidp_backends[job.account_id][job.region].user_pools.get(job.user_pool_id)
        if pool is None:
            raise JobFailure(f"The user pool {job.user_pool_id} no longer exists.")
        _check_role(job)
        problem = pool_problem(PoolRules.of(pool))
        if problem:
            raise JobFailure(problem)
        path = UPLOADS.path_for(job.account_id, job.job_id)
        if path is None:
            raise JobFailure(f"No csv file was uploaded for {job.job_id}")
        _check_file(path)
        with _cyclic_gc_paused(), _JobLog(job, pool) as log:
            _import_rows(job, pool, path, log)
    except JobFailure as failure:
        job.finish(FAILED, str(failure))
        return
    if job.imported_users == 0 and job.skipped_users + job.failed_users > 0:
        job.finish(FAILED, TOO_MANY_FAILURES)
    else:
        job.finish(SUCCEEDED, SUCCESS_MESSAGE)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A bulk load makes only objects that live on (users, log events) or die by reference
    count (each row): the cyclic collector finds nothing to free, yet each of its full
    passes walks every user already in the process. Paused, a 500,000-row import takes
    about a third less time. Reference counting still frees each row at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_role(job: ImportJob) -> None:
    unusable = (
        f"Cognito could not assume the role {job.role_arn}: it must exist and trust "
        "cognito-idp.amazonaws.com to write the import log."
    )
    roles = iam_backends[job.account_id]["global"].roles.values()
    role = next((role for role in roles if role.arn == job.role_arn), None)
    if role is None or not _trusts_cognito(role.assume_role_policy_document):
        raise JobFailure(unusable)


def _trusts_cognito(document: Any) -> bool:
    policy = json.loads(document) if isinstance(document, str) else document
    statements = policy.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        services = statement.get("Principal", {}).get("Service", [])
        actions = statement.get("Action", [])
        services = [services] if isinstance(services, str) else services
        actions = [actions] if isinstance(actions, str) else actions
        if (
            statement.get("Effect") == "Allow"
            and "cognito-idp.amazonaws.com" in services
            and ("sts:AssumeRole" in actions or "sts:*" in actions)
        ):
            return True
    return False


def _check_file(path: str) -> None:
    """Whole-file rules, before any user is created: encoding, BOM and row count."""
    with open(path, "rb") as raw:
        if raw.read(3) == b"\xef\xbb\xbf":
            raise JobFailure("The CSV file must be UTF-8 without a byte order mark.")
        raw.seek(0)
        rows = -1  # the header is not a user
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise JobFailure(f"The CSV file is not valid UTF-8 (line {number}).") from error
            rows += 1
    if rows > MAX_ROWS:
        raise JobFailure(
            f"The CSV file has {rows} users; at most {MAX_ROWS} are allowed in one job."
        )


class _Lines:
    """Feeds csv.reader one physical line at a time and remembers the line's length."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self.last_length = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._handle:
            self.last_length = len(line.rstrip("\r\n"))
            yield line


def _taken(pool: CognitoIdpUserPool, rules: PoolRules) -> dict[str, set[str]]:
    """Who is in the pool already: its usernames, and the values of each attribute users
    sign in with, each as the pool compares it (rules.same_user_key)."""
    taken: dict[str, set[str]] = {"cognito:username": set()}
    taken.update({attribute: set() for attribute in rules.sign_in_attributes})
    for username, user in pool.users.items():
        taken["cognito:username"].add(rules.same_user_key("cognito:username", username))
        for attribute in rules.sign_in_attributes:
            value = user.attribute_lookup.get(attribute)
            if value:
                taken[attribute].add(rules.same_user_key(attribute, value))
    return taken


def _import_rows(job: ImportJob, pool: CognitoIdpUserPool, path: str, log: "_JobLog") -> None:
    rules = PoolRules.of(pool)
    taken = _taken(pool, rules)
    # Users are created now by the emulator's clock, as the job's dates are: a user an
    # import made is never older than the job that made it, however far tests moved it.
    created = clock_datetime()
    with open(path, encoding="utf-8", newline="") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, quoting=csv.QUOTE_NONE, escapechar="\\")
        header = next(reader, None)
        if header is None:
            raise JobFailure("The CSV file is empty; it needs the header from GetCSVHeader.")
        problem = header_problem(header, csv_header(pool))
        if problem:
            raise JobFailure(problem)
        for values in reader:
            line = reader.line_num
            if lines.last_length > MAX_ROW_CHARACTERS:
                reason: str | None = f"The line is longer than {MAX_ROW_CHARACTERS} characters."
            elif len(values) != len(header):
                reason = "The number of values does not match the number of columns in the header."
            else:
                row = trimmed(dict(zip(header, values, strict=True)))
                reason = row_problem(row, rules)
                keys = {
                    attribute: rules.same_user_key(attribute, row[attribute])
                    for attribute in taken
                    if row[attribute]
                }
                if reason is None and keys["cognito:username"] in taken["cognito:username"]:
                    job.skipped_users += 1
                    log.write(f"[SKIPPED] Line Number {line} - The user already exists.")
                    continue
                in_use = [a for a in rules.sign_in_attributes if keys.get(a) in taken[a]]
                if reason is None and in_use:
                    reason = f"An account with the given {in_use[0]} already exists."
                if reason is None:
                    _create_user(pool, row, imported_status(row, rules), created)
                    for attribute, key in keys.items():
                        taken[attribute].add(key)
                    job.imported_users += 1
                    log.write(SUCCEEDED_LINE.format(line=line))
                    continue
            job.failed_users += 1
            log.write(f"[FAILED] Line Number {line} - {reason}")


def _create_user(
    pool: CognitoIdpUserPool, row: dict[str, str], status: str, created: datetime
) -> None:
    attributes = [
        {"Name": name, "Value": value.lower() if name.endswith("_verified") else value}
        for name, value in row.items()
        if value and not name.startswith("cognito:")
    ]
    username = row["cognito:username"]
    user = CognitoIdpUser(pool.id, username, None, status, attributes)
    user.create_date = user.last_modified_date = created
    pool.users[username] = user


class _JobLog:
    """The job's CloudWatch log stream in moto's logs backend, written in batches."""

    def __init__(self, job: ImportJob, pool: CognitoIdpUserPool) -> None:
        self._backend = logs_backends[job.account_id][job.region]
        self._group = log_group_name(pool)
        self._stream = log_stream_name(job)
        self._pending: list[dict[str, Any]] = []

    def __enter__(self) -> "_JobLog":
        if self._group not in self._backend.groups:
            self._backend.create_log_group(self._group, tags={})
        if self._stream not in self._backend.groups[self._group].streams:
            self._backend.create_log_stream(self._group, self._stream)
        return self

    def write(self, message: str) -> None:
        # Real time, not the emulator's clock: CloudWatch refuses events far in the future.
        self._pending.append({"timestamp": int(time.time() * 1000), "message": message})
        if len(self._pending) >= _LOG_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._backend.put_log_events(self._group, self._stream, self._pending)
            self._pending = []

    def __exit__(self, *_: object) -> None:
        self._flush()
