"""CognitoUserImport: an import job and, unless one is given, the role it logs with.

The job needs a role Cognito can assume to write CloudWatch Logs. Given none, the component
creates it with pulumi-aws (trust and permissions from policies.py, scoped to this stack's
partition, region and account), and the job depends on the role and its policy, so Pulumi
creates them first and the job is never created against a half-made role.
"""

import json
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from .args import CognitoUserImportArgs
from .fields import Input
from .job import (
    ServedUserImportJob,
    UserImportJob,
    UserImportJobArgs,
    jobs_served_by_plugin,
)
from .outputs import CopyExport, JobSummary, Outcome
from .policies import logging_policy, trust_policy

TYPE = "cognito-user-import:index:CognitoUserImport"


class CognitoUserImport(pulumi.ComponentResource):
    """A Cognito user import job and the CloudWatch Logs role it needs.

    Every output but `role_arn` is the job's own, forwarded (and documented here, where the
    schema served to other languages reads it).
    """

    role_arn: pulumi.Output[str]
    """The logging role, given or created."""
    job_id: pulumi.Output[str | None]
    """`import-` and 10 characters: the (first) job's id."""
    pre_signed_url: pulumi.Output[str | None]
    """Where to PUT the CSV, for 15 minutes after creation. A secret: it is a credential."""
    status: pulumi.Output[str]
    """The import's status as of the last `up`: Created, Pending, InProgress, Stopping,
    Stopped, Expired, Failed or Succeeded. After a job ends outside `up`, `pulumi refresh
    --run-program` (or `pulumi up --refresh`) brings the stack's outputs up to date."""
    imported_users: pulumi.Output[int]
    """Users imported, over every job of the import."""
    skipped_users: pulumi.Output[int]
    """Lines skipped (the user existed), over every job."""
    failed_users: pulumi.Output[int]
    """Lines that failed, over every job."""
    log_group_name: pulumi.Output[str | None]
    """The CloudWatch Logs group where Cognito logs every line's outcome (succeeded, skipped
    or failed, by line number)."""
    log_stream_name: pulumi.Output[str | None]
    """The (first) job's log stream: `<jobId>/<job name>`."""
    jobs: pulumi.Output[list[JobSummary]]
    """Every job of the import: one, or one per part of a CSV split by Cognito's limits."""
    outcome: pulumi.Output[Outcome | None]
    """What became of every line, read from CloudWatch Logs when `up` waited (or at a
    refresh after the jobs ended): counts by status and reason, the first lines skipped or
    failed in your file's numbering, and whether every line was read."""
    export: pulumi.Output[CopyExport | None]
    """What a copy read from the source pool and left out, by reason; counts and column
    names only."""

    def __init__(
        self,
        name: str,
        args: CognitoUserImportArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        args = _args_of(args)
        self.role: aws.iam.Role | None = None
        self.role_policy: aws.iam.RolePolicy | None = None
        depends_on: list[pulumi.Resource] = []
        if args.cloud_watch_logs_role_arn is None:
            self.role, self.role_policy = self._create_role(name, args.user_pool_id)
            role_arn = self.role.arn
            depends_on = [self.role, self.role_policy]
        else:
            role_arn = pulumi.Output.from_input(args.cloud_watch_logs_role_arn)

        job_class = ServedUserImportJob if jobs_served_by_plugin() else UserImportJob
        self.job: UserImportJob | ServedUserImportJob = job_class(
            f"{name}-job",
            UserImportJobArgs(**{**vars(args), Input.CLOUD_WATCH_LOGS_ROLE_ARN: role_arn}),
            pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )
        self.role_arn = role_arn
        forwarded = {name: getattr(self.job, name) for name in forwarded_outputs()}
        for output_name, output in forwarded.items():
            setattr(self, output_name, output)
        self.register_outputs({"role_arn": self.role_arn, **forwarded})

    def _create_role(
        self, name: str, pool_id: pulumi.Input[str]
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        child = pulumi.ResourceOptions(parent=self)
        invoke = pulumi.InvokeOutputOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-logs",
            assume_role_policy=json.dumps(trust_policy()),
            description="Lets Amazon Cognito write user import job logs to CloudWatch Logs.",
            opts=child,
        )
        partition = aws.get_partition_output(opts=invoke).partition
        region = aws.get_region_output(opts=invoke).region
        account = aws.get_caller_identity_output(opts=invoke).account_id
        policy = aws.iam.RolePolicy(
            f"{name}-logs-policy",
            role=role.id,
            policy=pulumi.Output.all(partition, region, account, pool_id).apply(
                lambda parts: json.dumps(logging_policy(*parts))
            ),
            opts=child,
        )
        return role, policy


def _args_of(args: CognitoUserImportArgs | Mapping[str, Any]) -> CognitoUserImportArgs:
    """Python programs pass the Args class; Pulumi's component provider host (plugin/),
    serving programs in other languages, passes the inputs as a mapping of its fields."""
    return args if isinstance(args, CognitoUserImportArgs) else CognitoUserImportArgs(**args)


def forwarded_outputs() -> list[str]:
    """The job's outputs the component declares as its own: each declared once, above."""
    return [name for name in CognitoUserImport.__annotations__ if name != "role_arn"]
