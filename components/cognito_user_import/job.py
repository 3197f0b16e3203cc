"""UserImportJob: the Pulumi resource class of one Cognito user import job.

Pulumi wiring only (typed inputs, declared outputs, the secret URL); the AWS calls live in
provider.py, which this module hands to the engine.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .fields import CONTENT_HASH, OUTPUTS, SECRET_OUTPUTS
from .provider import UserImportJobProvider


@dataclass(kw_only=True)
class ImportOptions:
    """The inputs every import has, shared by UserImportJobArgs and CognitoUserImportArgs:
    where, under what name, what to import and how."""

    user_pool_id: pulumi.Input[str]
    """The user pool to import into, e.g. `us-east-1_AbCdEf123`."""
    job_name: pulumi.Input[str]
    """1-128 letters, digits, spaces and `+ = , . @ -`."""

    password_hashing_algorithm: pulumi.Input[str] | None = None
    """BCRYPT, SCRYPT, ARGON2ID or PBKDF2_SHA256, passed to CreateUserImportJob."""
    csv_file: pulumi.Input[str] | None = None
    """Import as code: a CSV file to upload. State keeps its path and SHA-256, never its
    contents."""
    users: pulumi.Input[Sequence[Mapping[str, Any]]] | None = None
    """Or user records (column -> value) rendered with the pool's header. They are inputs,
    so state keeps them, always as a secret (encrypted)."""
    source_user_pool_id: pulumi.Input[str] | None = None
    """Or copy the users of another pool: every user this pool lacks, rendered into its
    header (federated and disabled users, and rows it would refuse, are skipped and counted
    in `export`). Needs start and wait. Passwords, groups, MFA devices and `sub`s are not
    copied (see the README)."""
    source_region: pulumi.Input[str] | None = None
    """The source pool's region; by default the one its id begins with."""
    copy_trigger: pulumi.Input[Any] | None = None
    """Any value: a copy runs once, and again (for the users the target still lacks) each
    time this value changes."""
    start: pulumi.Input[bool] | None = None
    """Start the job once the file is uploaded."""
    wait: pulumi.Input[bool] | None = None
    """Wait for the job to end (needs start); a split import needs it."""
    wait_timeout_seconds: pulumi.Input[float] | None = None
    """How long `pulumi up` waits (default 1,800); past it the update fails naming the job,
    and the next `pulumi up` goes on waiting for it."""
    rows_per_job: pulumi.Input[int] | None = None
    """Rows per job, at most 500,000 (Cognito's limit); larger CSVs become several jobs."""
    outcome_file: pulumi.Input[str] | None = None
    """Where `up` writes the rows that were skipped or failed (the source's header, and the
    reason in a last column `import_outcome`), on the deployer's disk only."""


@dataclass(kw_only=True)
class UserImportJobArgs(ImportOptions):
    """The inputs of a bare UserImportJob, whose logging role is managed elsewhere."""

    cloud_watch_logs_role_arn: pulumi.Input[str]
    """A role Cognito assumes to write the import's CloudWatch Logs."""


#: The type every dynamic resource had before this one declared its own; stacks created
#: then upgrade through this alias, without replacing their jobs.
SHARED_DYNAMIC_TYPE = "pulumi-python:dynamic:Resource"


class UserImportJob(Resource, module="cognito", name="UserImportJob"):
    """A Cognito user import job; its id is `<userPoolId>/<jobId>`.

    Its type is `pulumi-python:dynamic/cognito:UserImportJob`. Every input change replaces
    the job (Cognito jobs are immutable). Destroying it stops a job that is still running and
    releases a finished one: Cognito cannot delete jobs.
    """

    user_pool_id: pulumi.Output[str]
    """The user pool the job imports into."""
    job_name: pulumi.Output[str]
    """The name given; Cognito's names of the import's jobs are in `jobs`."""
    cloud_watch_logs_role_arn: pulumi.Output[str]
    """The role Cognito logs with."""
    password_hashing_algorithm: pulumi.Output[str | None]
    """As given."""
    job_id: pulumi.Output[str]
    """`import-` and 10 characters: the (first) job's id."""
    pre_signed_url: pulumi.Output[str]
    """Where to PUT the CSV, for 15 minutes after creation. A secret: it is a credential."""
    status: pulumi.Output[str]
    """The import's status as of the last `up`: Created, Pending, InProgress, Stopping,
    Stopped, Expired, Failed or Succeeded. After a job ends outside `up`, `pulumi refresh
    --run-program` (or `pulumi up --refresh`) brings the stack's outputs up to date."""
    creation_date: pulumi.Output[str]
    """When the (first) job was created, ISO 8601."""
    start_date: pulumi.Output[str | None]
    """When it was started."""
    completion_date: pulumi.Output[str | None]
    """When it ended."""
    completion_message: pulumi.Output[str | None]
    """Cognito's message about how it ended."""
    imported_users: pulumi.Output[int]
    """Users imported, over every job of the import."""
    skipped_users: pulumi.Output[int]
    """Lines skipped (the user existed), over every job."""
    failed_users: pulumi.Output[int]
    """Lines that failed, over every job."""
    log_group_name: pulumi.Output[str]
    """The CloudWatch Logs group Cognito writes each skipped or failed line to."""
    log_stream_name: pulumi.Output[str]
    """The (first) job's log stream: `<jobId>/<job name>`."""
    jobs: pulumi.Output[list[dict[str, Any]]]
    """Every job of the import: one, or one per part of a CSV split by Cognito's limits."""
    content_sha256: pulumi.Output[str | None]
    """SHA-256 of the CSV imported (file or rendered users); never the contents."""
    outcome: pulumi.Output[dict[str, Any] | None]
    """What became of every line, read from CloudWatch Logs when `up` waited (or at a
    refresh after the jobs ended): counts by status and reason, the first lines skipped or
    failed as `{line, status, reason}` in the user's file, whether every line was read."""

    export: pulumi.Output[dict[str, Any] | None]
    """What a copy read and left out: `source_users`, `rows` sent, `already_in_target`,
    `skipped` (reason -> users) and `dropped_columns` (attribute -> users with a value)."""

    def __init__(
        self,
        resource_name: str,
        args: UserImportJobArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {**vars(args), **dict.fromkeys(OUTPUTS)}
        if args.users is not None:
            props["users"] = pulumi.Output.secret(args.users)
        # The digest of declared users is secret like them; a file's is not.
        secret_outputs = [*SECRET_OUTPUTS, *([CONTENT_HASH] if args.users is not None else [])]
        secret = pulumi.ResourceOptions(
            additional_secret_outputs=secret_outputs,
            aliases=[pulumi.Alias(type_=SHARED_DYNAMIC_TYPE)],
        )
        super().__init__(
            UserImportJobProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(opts, secret),
        )

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> "UserImportJob":
        """Read an existing job, `<userPoolId>/<jobId>`, without managing it."""
        # Read by id alone: the provider reads every property back from Cognito.
        blank = UserImportJobArgs(user_pool_id="", job_name="", cloud_watch_logs_role_arn="")
        return UserImportJob(
            resource_name, blank, pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        )
