"""UserImportJob: the Pulumi resource class of one Cognito user import job.

Pulumi wiring only (typed inputs, declared outputs, the secret URL); the AWS calls live in
provider.py, which this module hands to the engine.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .fields import OUTPUTS, SECRET_OUTPUTS
from .provider import UserImportJobProvider


@dataclass(kw_only=True)
class ImportOptions:
    """What a job imports and how; shared by UserImportJobArgs and CognitoUserImportArgs."""

    #: BCRYPT | SCRYPT | ARGON2ID | PBKDF2_SHA256, when the CSV carries password hashes.
    password_hashing_algorithm: pulumi.Input[str] | None = None
    #: Import as code: a CSV file to upload (state keeps its path and SHA-256, never its
    #: contents) ...
    csv_file: pulumi.Input[str] | None = None
    #: ... or user records (column -> value) rendered with the pool's header. They are
    #: inputs, so state keeps them, always as a secret (encrypted).
    users: pulumi.Input[Sequence[Mapping[str, Any]]] | None = None
    #: Start the job once uploaded; and wait for it to end (needs start).
    start: pulumi.Input[bool] | None = None
    wait: pulumi.Input[bool] | None = None
    #: How long to wait before leaving the job running (default 1,800).
    wait_timeout_seconds: pulumi.Input[float] | None = None
    #: Rows per job, at most 500,000 (Cognito's limit); larger CSVs become several jobs.
    rows_per_job: pulumi.Input[int] | None = None


@dataclass(kw_only=True)
class UserImportJobArgs(ImportOptions):
    user_pool_id: pulumi.Input[str]
    job_name: pulumi.Input[str]
    cloud_watch_logs_role_arn: pulumi.Input[str]


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
    job_name: pulumi.Output[str]
    cloud_watch_logs_role_arn: pulumi.Output[str]
    password_hashing_algorithm: pulumi.Output[str | None]
    job_id: pulumi.Output[str]
    #: Where to PUT the CSV, for 15 minutes after creation. A secret: it is a credential.
    pre_signed_url: pulumi.Output[str]
    status: pulumi.Output[str]
    creation_date: pulumi.Output[str]
    start_date: pulumi.Output[str | None]
    completion_date: pulumi.Output[str | None]
    completion_message: pulumi.Output[str | None]
    imported_users: pulumi.Output[int]
    skipped_users: pulumi.Output[int]
    failed_users: pulumi.Output[int]
    log_group_name: pulumi.Output[str]
    log_stream_name: pulumi.Output[str]
    #: Every job of the import: one, or one per part of a CSV split by Cognito's limits.
    jobs: pulumi.Output[list[dict[str, Any]]]
    #: SHA-256 of the CSV imported (file or rendered users).
    content_sha256: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: UserImportJobArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {**vars(args), **dict.fromkeys(OUTPUTS)}
        if args.users is not None:
            props["users"] = pulumi.Output.secret(args.users)
        secret = pulumi.ResourceOptions(
            additional_secret_outputs=list(SECRET_OUTPUTS),
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
