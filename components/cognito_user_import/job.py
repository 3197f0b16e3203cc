"""UserImportJob: the Pulumi resource class of one Cognito user import job.

Pulumi wiring only (typed inputs, declared outputs, the secret URL); the AWS calls live in
provider.py, which this module hands to the engine: as a dynamic provider in Python
programs, or served by the cognito-user-import plugin (plugin.py) to programs in other
languages, where the job is `ServedUserImportJob`.
"""

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from .args import CognitoUserImportArgs
from .fields import DECLARED, SECRET_OUTPUTS, Input
from .provider import UserImportJobProvider
from .settings import USES, record

#: The engine's own invoke that reads a resource's state by URN.
GET_RESOURCE = "pulumi:pulumi:getResource"


@dataclass(kw_only=True)
class UserImportJobArgs(CognitoUserImportArgs):
    """The inputs of a bare UserImportJob, whose logging role is managed elsewhere: the
    component's, the role required (CognitoUserImportArgs documents each input)."""

    cloud_watch_logs_role_arn: pulumi.Input[str]


def _properties(
    args: UserImportJobArgs, settings: pulumi.Output[dict[str, Any]] | None
) -> tuple[dict[str, Any], list[str]]:
    """The job's properties (its inputs, its outputs to come) and its secret outputs: the URL,
    the settings, and the digest of declared users, secret like them (a file's is not)."""
    props: dict[str, Any] = {**dict.fromkeys(DECLARED), **vars(args)}
    if args.users is not None:
        props[Input.USERS] = pulumi.Output.secret(args.users)
    secret: list[str] = [*SECRET_OUTPUTS]
    if args.users is not None:
        secret.append(Input.CONTENT_SHA256)
    if settings is not None:
        props[Input.AWS_SETTINGS] = pulumi.Output.secret(settings)
        secret.append(Input.AWS_SETTINGS)
    return props, secret


def explicit_aws_provider(opts: pulumi.ResourceOptions | None) -> pulumi.ProviderResource | None:
    """The aws.Provider the resource was given, as Pulumi picks one for an `aws:` resource:
    `provider`, then `providers`, then the parent's."""
    if opts is None:
        return None
    if opts.provider is not None and opts.provider.package == "aws":
        return opts.provider
    providers = opts.providers
    if isinstance(providers, Mapping) and providers.get("aws") is not None:
        return providers["aws"]
    if providers and not isinstance(providers, Mapping):
        found = next((provider for provider in providers if provider.package == "aws"), None)
        if found is not None:
            return found
    return opts.parent.get_provider("aws::") if opts.parent is not None else None


def provider_settings(provider: pulumi.ProviderResource) -> pulumi.Output[dict[str, Any]]:
    """An explicit aws.Provider's arguments, as the job's settings. They are read from the
    provider's state through the engine (`pulumi:pulumi:getResource`): pulumi-aws's SDKs
    keep few of them as outputs, and a program in another language hands the plugin only
    a reference to its provider."""
    found = pulumi.runtime.invoke_output(GET_RESOURCE, {"urn": provider.urn})
    return pulumi.Output.all(found, provider.urn).apply(
        lambda both: record((both[0] or {}).get("state") or {}, both[1].rsplit("::", 1)[-1])
    )


def stack_settings() -> dict[str, Any]:
    """The stack's `aws:*` config, as the job's settings (what the plugin's job needs: a
    package's provider is given only its own namespace of config)."""
    aws = pulumi.Config("aws")
    return record({name: aws.get(name) for name in USES})


def _without_aws_provider(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions | None:
    """A job is not an `aws:` resource: an aws.Provider given as its `provider` would be
    refused by Pulumi, so it moves to `providers` (where children look for it)."""
    if opts is None or opts.provider is None or opts.provider.package != "aws":
        return opts
    moved = copy.copy(opts)
    providers = opts.providers
    listed = list(providers.values()) if isinstance(providers, Mapping) else list(providers or [])
    moved.provider, moved.providers = None, [*listed, opts.provider]
    return moved


#: The job's type when the plugin serves it, as a resource of the plugin's own package.
SERVED_JOB_TYPE = "cognito-user-import:index:UserImportJob"
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
    # Pulumi's Python SDK turns a resource's outputs into the types annotated here, and
    # knows dicts and its own output types, not TypedDicts: the component (component.py)
    # declares these three as outputs.JobSummary, Outcome and CopyExport.
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
        """With an explicit aws.Provider (`provider`, `providers` or the parent's), the job
        uses its settings, as pulumi-aws resources do; else the stack's `aws:*` config."""
        provider = explicit_aws_provider(opts)
        settings = provider_settings(provider) if provider is not None else None
        props, secret_outputs = _properties(args, settings)
        secret = pulumi.ResourceOptions(
            additional_secret_outputs=secret_outputs,
            aliases=[pulumi.Alias(type_=SHARED_DYNAMIC_TYPE)],
        )
        super().__init__(
            UserImportJobProvider(),
            resource_name,
            props,
            pulumi.ResourceOptions.merge(_without_aws_provider(opts), secret),
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
        provider = explicit_aws_provider(opts)
        settings = (
            provider_settings(provider)
            if provider is not None
            else pulumi.Output.from_input(stack_settings())
        )
        props, secret_outputs = _properties(args, settings)
        super().__init__(
            SERVED_JOB_TYPE,
            resource_name,
            props,
            pulumi.ResourceOptions.merge(
                opts, pulumi.ResourceOptions(additional_secret_outputs=secret_outputs)
            ),
        )
