"""The Cognito calls the provider makes, each failure explained from what the call knew.

A failure names what the call was about (the pool, or the job in the pool), so "not found"
blames the job when the job id is what is wrong. The client is botocore's, typed by boto3's stubs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from .awserrors import (
    SOURCE_INPUTS,
    TARGET_INPUTS,
    PoolInputs,
    Subject,
    explain,
    explained,
    is_role_not_assumable,
)
from .jobs import Job
from .lifeline import LIFELINE, Lifeline
from .settings import AwsSettings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_cognito_idp.type_defs import (
        CreateUserImportJobRequestTypeDef,
        UserPoolTypeTypeDef,
        UserTypeTypeDef,
    )

#: ListUserImportJobs' page size: the model allows 60, Cognito returns at most 50.
LIST_PAGE = 60
#: ListUsers' page size: its Limit is at most 60.
USERS_PAGE = 60


class Connect(Protocol):
    """Makes the Cognito calls of the stack's region, or of another (a copy's source)."""

    def __call__(self, region: str | None = None) -> Cognito: ...


class Cognito:
    def __init__(
        self,
        client: CognitoIdentityProviderClient,
        iam_propagation_seconds: float,
        settings: AwsSettings,
        lifeline: Lifeline = LIFELINE,
        inputs: PoolInputs = TARGET_INPUTS,
    ) -> None:
        self._client = client
        self._iam_propagation_seconds = iam_propagation_seconds
        self._settings = settings
        self._lifeline = lifeline
        self._inputs = inputs

    def of_source(self) -> Cognito:
        """The same calls, their failures naming a copy's source inputs."""
        return Cognito(
            self._client,
            self._iam_propagation_seconds,
            self._settings,
            self._lifeline,
            SOURCE_INPUTS,
        )

    def _explained(self, operation: str, subject: Subject) -> Any:
        return explained(operation, subject, self._settings)

    def user_pool(self, pool_id: str) -> UserPoolTypeTypeDef:
        subject = Subject(pool_id=pool_id, inputs=self._inputs)
        with self._explained("DescribeUserPool", subject):
            return self._client.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    def csv_header(self, pool_id: str) -> list[str]:
        with self._explained("GetCSVHeader", Subject(pool_id=pool_id, inputs=self._inputs)):
            return self._client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]

    def describe_job(self, pool_id: str, job_id: str) -> Job:
        with self._explained(
            "DescribeUserImportJob", Subject(pool_id=pool_id, job_id=job_id, inputs=self._inputs)
        ):
            return Job.of(
                self._client.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)[
                    "UserImportJob"
                ]
            )

    def start(self, pool_id: str, job_id: str) -> Job:
        with self._explained(
            "StartUserImportJob", Subject(pool_id=pool_id, job_id=job_id, inputs=self._inputs)
        ):
            return Job.of(
                self._client.start_user_import_job(UserPoolId=pool_id, JobId=job_id)[
                    "UserImportJob"
                ]
            )

    def stop(self, pool_id: str, job_id: str) -> Job:
        with self._explained(
            "StopUserImportJob", Subject(pool_id=pool_id, job_id=job_id, inputs=self._inputs)
        ):
            return Job.of(
                self._client.stop_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
            )

    def jobs(self, pool_id: str) -> list[Job]:
        """Every job of the pool, newest first (botocore has no paginator for
        ListUserImportJobs; a pool holds at most 1,000 jobs)."""
        found: list[Job] = []
        token: str | None = None
        with self._explained("ListUserImportJobs", Subject(pool_id=pool_id, inputs=self._inputs)):
            while True:
                page = (
                    self._client.list_user_import_jobs(
                        UserPoolId=pool_id, MaxResults=LIST_PAGE, PaginationToken=token
                    )
                    if token
                    else self._client.list_user_import_jobs(
                        UserPoolId=pool_id, MaxResults=LIST_PAGE
                    )
                )
                found += [Job.of(job) for job in page["UserImportJobs"]]
                token = page.get("PaginationToken")
                if not token:
                    return found

    def users(self, pool_id: str) -> Iterator[UserTypeTypeDef]:
        """Every user of the pool, page by page (ListUsers through botocore's paginator, 60
        a page, the most Cognito gives; throttling is retried by the client's retry mode)."""
        pages = self._client.get_paginator("list_users").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": USERS_PAGE}
        )
        with self._explained("ListUsers", Subject(pool_id=pool_id, inputs=self._inputs)):
            for page in pages:
                yield from page["Users"]

    def create_job(self, request: CreateUserImportJobRequestTypeDef) -> Job:
        """CreateUserImportJob, waiting (bounded) while a new role propagates through IAM."""
        subject = Subject(pool_id=request["UserPoolId"], role_arn=request["CloudWatchLogsRoleArn"])
        refused: ClientError | None = None
        for _ in self._lifeline.tries(self._iam_propagation_seconds):
            try:
                return Job.of(self._client.create_user_import_job(**request)["UserImportJob"])
            except ClientError as error:
                if not is_role_not_assumable(error):
                    raise explain(error, "CreateUserImportJob", subject, self._settings) from None
                refused = error
            except BotoCoreError as error:
                raise explain(error, "CreateUserImportJob", subject, self._settings) from None
        assert refused is not None
        raise explain(refused, "CreateUserImportJob", subject, self._settings) from None
