"""CognitoUserImport: an import job and, unless one is given, the role it logs with.

The job needs a role Cognito can assume to write CloudWatch Logs. Given none, the component
creates it with pulumi-aws (trust and permissions from policies.py, scoped to this stack's
partition, region and account), and the job depends on the role and its policy, so Pulumi
creates them first and the job is never created against a half-made role.
"""

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .job import ImportOptions, UserImportJob, UserImportJobArgs
from .policies import logging_policy, trust_policy

TYPE = "cognito-user-import:index:CognitoUserImport"


@dataclass(kw_only=True)
class CognitoUserImportArgs(ImportOptions):
    """The inputs of CognitoUserImport: a job, and the role it logs with unless given."""

    cloud_watch_logs_role_arn: pulumi.Input[str] | None = None
    """An existing role for the job's CloudWatch Logs; none creates one with pulumi-aws."""


class CognitoUserImport(pulumi.ComponentResource):
    """A Cognito user import job and the CloudWatch Logs role it needs.

    Every output but `role_arn` is the job's own (UserImportJob documents each).
    """

    role_arn: pulumi.Output[str]
    """The logging role, given or created."""
    job_id: pulumi.Output[str]
    pre_signed_url: pulumi.Output[str]
    status: pulumi.Output[str]
    imported_users: pulumi.Output[int]
    skipped_users: pulumi.Output[int]
    failed_users: pulumi.Output[int]
    log_group_name: pulumi.Output[str]
    log_stream_name: pulumi.Output[str]
    jobs: pulumi.Output[list[dict[str, Any]]]
    outcome: pulumi.Output[dict[str, Any] | None]
    export: pulumi.Output[dict[str, Any] | None]

    def __init__(
        self,
        name: str,
        args: CognitoUserImportArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE, name, None, opts)
        self.role: aws.iam.Role | None = None
        self.role_policy: aws.iam.RolePolicy | None = None
        depends_on: list[pulumi.Resource] = []
        if args.cloud_watch_logs_role_arn is None:
            self.role, self.role_policy = self._create_role(name, args.user_pool_id)
            role_arn = self.role.arn
            depends_on = [self.role, self.role_policy]
        else:
            role_arn = pulumi.Output.from_input(args.cloud_watch_logs_role_arn)

        self.job = UserImportJob(
            f"{name}-job",
            UserImportJobArgs(**{**vars(args), "cloud_watch_logs_role_arn": role_arn}),
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


def forwarded_outputs() -> list[str]:
    """The job's outputs the component declares as its own: each declared once, above."""
    return [name for name in CognitoUserImport.__annotations__ if name != "role_arn"]
