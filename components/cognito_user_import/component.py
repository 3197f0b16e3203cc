"""CognitoUserImport: an import job and, unless one is given, the role it logs with.

The job needs a role Cognito can assume to write CloudWatch Logs. Given none, the component
creates it with pulumi-aws (trust and permissions from policies.py, scoped to this stack's
partition, region and account), and the job depends on the role and its policy, so Pulumi
creates them first and the job is never created against a half-made role.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from .job import UserImportJob, UserImportJobArgs
from .policies import logging_policy, trust_policy

TYPE = "cognito-user-import:index:CognitoUserImport"


@dataclass
class CognitoUserImportArgs:
    user_pool_id: pulumi.Input[str]
    job_name: pulumi.Input[str]
    #: An existing role for the job's CloudWatch Logs; None creates one.
    cloud_watch_logs_role_arn: pulumi.Input[str] | None = None
    password_hashing_algorithm: pulumi.Input[str] | None = None
    #: Import as code, as on UserImportJobArgs: a CSV file or user records, whether to
    #: start and wait, how long, and how many rows a job.
    csv_file: pulumi.Input[str] | None = None
    users: pulumi.Input[Sequence[Mapping[str, Any]]] | None = None
    start: pulumi.Input[bool] | None = None
    wait: pulumi.Input[bool] | None = None
    wait_timeout_seconds: pulumi.Input[float] | None = None
    rows_per_job: pulumi.Input[int] | None = None


class CognitoUserImport(pulumi.ComponentResource):
    role_arn: pulumi.Output[str]
    job_id: pulumi.Output[str]
    pre_signed_url: pulumi.Output[str]
    status: pulumi.Output[str]
    imported_users: pulumi.Output[int]
    skipped_users: pulumi.Output[int]
    failed_users: pulumi.Output[int]
    log_group_name: pulumi.Output[str]
    log_stream_name: pulumi.Output[str]
    jobs: pulumi.Output[list[dict[str, Any]]]

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
            self.role, self.role_policy = self._create_role(name)
            role_arn = self.role.arn
            depends_on = [self.role, self.role_policy]
        else:
            role_arn = pulumi.Output.from_input(args.cloud_watch_logs_role_arn)

        self.job = UserImportJob(
            f"{name}-job",
            UserImportJobArgs(
                user_pool_id=args.user_pool_id,
                job_name=args.job_name,
                cloud_watch_logs_role_arn=role_arn,
                password_hashing_algorithm=args.password_hashing_algorithm,
                csv_file=args.csv_file,
                users=args.users,
                start=args.start,
                wait=args.wait,
                wait_timeout_seconds=args.wait_timeout_seconds,
                rows_per_job=args.rows_per_job,
            ),
            pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )
        self.role_arn = role_arn
        self.job_id = self.job.job_id
        self.pre_signed_url = self.job.pre_signed_url
        self.status = self.job.status
        self.imported_users = self.job.imported_users
        self.skipped_users = self.job.skipped_users
        self.failed_users = self.job.failed_users
        self.log_group_name = self.job.log_group_name
        self.log_stream_name = self.job.log_stream_name
        self.jobs = self.job.jobs
        self.register_outputs(
            {
                "role_arn": self.role_arn,
                "job_id": self.job_id,
                "pre_signed_url": self.pre_signed_url,
                "status": self.status,
                "imported_users": self.imported_users,
                "skipped_users": self.skipped_users,
                "failed_users": self.failed_users,
                "log_group_name": self.log_group_name,
                "log_stream_name": self.log_stream_name,
                "jobs": self.jobs,
            }
        )

    def _create_role(self, name: str) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
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
            policy=pulumi.Output.all(partition, region, account).apply(
                lambda parts: json.dumps(logging_policy(*parts))
            ),
            opts=child,
        )
        return role, policy
