"""UserImportJob: the Pulumi resource class of one Cognito user import job.

Pulumi wiring only (typed inputs, declared outputs, the secret URL); the AWS calls live in
provider.py, which this module hands to the engine: as a dynamic provider in Python
programs, or served by the cognito-user-import plugin (plugin.py) to programs in other
languages, where the job is `ServedUserImportJob`.
"""

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .args import CognitoUserImportArgs
from .aws import STACK_KEYS
from .fields import CONTENT_HASH, OUTPUTS, SECRET_OUTPUTS
from .provider import UserImportJobProvider


@dataclass(kw_only=True)
class UserImportJobArgs(CognitoUserImportArgs):
    """The inputs of a bare UserImportJob, whose logging role is managed elsewhere: the
    component's, the role required (CognitoUserImportArgs documents each input)."""

    cloud_watch_logs_role_arn: pulumi.Input[str]


def _properties(args: UserImportJobArgs) -> tuple[dict[str, Any], list[str]]:
    """The job's properties (its inputs, its outputs to come) and its secret outputs: the URL,
    and the digest of declared users, secret like them (a file's is not)."""
    props = {**vars(args), **dict.fromkeys(OUTPUTS)}
    if args.users is not None:
        props["users"] = pulumi.Output.secret(args.users)
    return props, [*SECRET_OUTPUTS, *([CONTENT_HASH] if args.users is not None else [])]


#: The job's type when the plugin serves it, as a resource of the plugin's own package.
SERVED_JOB_TYPE = "cognito-user-import:index:UserImportJob"
#: The served job's input holding the stack's `aws:*` settings (plugin.py says why).
AWS_SETTINGS = "aws_settings"
_served_by_plugin = False


def serve_jobs_from_plugin() -> None:
    """In the plugin's process: components declare `ServedUserImportJob`s from now on."""
    global _served_by_plugin  # noqa: PLW0603 - one switch a process, set at its start
    _served_by_plugin = True


def jobs_served_by_plugin() -> bool:
    return _served_by_plugin


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
        props, secret_outputs = _properties(args)
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


class ServedUserImportJob(pulumi.CustomResource):
    """The job as the cognito-user-import plugin serves it to programs in other languages:
    the same inputs, outputs and provider as UserImportJob, run in the plugin's own
    environment instead of the program's Python. Its outputs are the ones UserImportJob
    declares."""

    def __init__(
        self,
        resource_name: str,
        args: UserImportJobArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        aws = pulumi.Config("aws")
        settings = {
            key: value for key in STACK_KEYS if (value := aws.get(key.removeprefix("aws:")))
        }
        props, secret_outputs = _properties(args)
        props[AWS_SETTINGS] = pulumi.Output.secret(settings)
        super().__init__(
            SERVED_JOB_TYPE,
            resource_name,
            props,
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=secret_outputs)
            ),
        )
