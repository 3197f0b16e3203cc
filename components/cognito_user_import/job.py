"""UserImportJob: the Pulumi resource class of one Cognito user import job.

Pulumi wiring only (typed inputs, declared outputs, the secret URL); the AWS calls live in
provider.py, which this module hands to the engine.
"""

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .args import CognitoUserImportArgs
from .fields import CONTENT_HASH, OUTPUTS, SECRET_OUTPUTS
from .provider import UserImportJobProvider


@dataclass(kw_only=True)
class UserImportJobArgs(CognitoUserImportArgs):
    """The inputs of a bare UserImportJob, whose logging role is managed elsewhere: the
    component's, the role required (CognitoUserImportArgs documents each input)."""

    cloud_watch_logs_role_arn: pulumi.Input[str]


#: The type every dynamic resource had before this one declared its own; stacks created
#: then upgrade through this alias, without replacing their jobs.
SHARED_DYNAMIC_TYPE = "pulumi-python:dynamic:Resource"


class UserImportJob(Resource, module="cognito", name="UserImportJob"):
    """A Cognito user import job; its id is `<userPoolId>/<jobId>`.

    Its type is `pulumi-python:dynamic/cognito:UserImportJob`. Every input change replaces
    the job (Cognito jobs are immutable). Destroying it stops a job that is still running and
    releases a finished one: Cognito cannot delete jobs. The outputs CognitoUserImport
    forwards (job_id, status, the counters, jobs, outcome, export...) are documented there.
    """

    user_pool_id: pulumi.Output[str]
    """The user pool the job imports into."""
    job_name: pulumi.Output[str]
    """The name given; Cognito's names of the import's jobs are in `jobs`."""
    cloud_watch_logs_role_arn: pulumi.Output[str]
    """The role Cognito logs with."""
    password_hashing_algorithm: pulumi.Output[str | None]
    """As given."""
    job_id: pulumi.Output[str | None]
    pre_signed_url: pulumi.Output[str | None]
    status: pulumi.Output[str]
    creation_date: pulumi.Output[str]
    """When the (first) job was created, ISO 8601."""
    start_date: pulumi.Output[str | None]
    """When it was started."""
    completion_date: pulumi.Output[str | None]
    """When it ended."""
    completion_message: pulumi.Output[str | None]
    """Cognito's message about how it ended."""
    imported_users: pulumi.Output[int]
    skipped_users: pulumi.Output[int]
    failed_users: pulumi.Output[int]
    log_group_name: pulumi.Output[str | None]
    log_stream_name: pulumi.Output[str | None]
    jobs: pulumi.Output[list[dict[str, Any]]]
    content_sha256: pulumi.Output[str | None]
    """SHA-256 of the CSV imported (file or rendered users); never the contents."""
    outcome: pulumi.Output[dict[str, Any] | None]

    export: pulumi.Output[dict[str, Any] | None]

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
