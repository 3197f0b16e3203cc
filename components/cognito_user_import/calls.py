"""The Cognito calls a provider operation makes, each failure explained for the user.

One object per operation, holding the client and the inputs its messages name.
"""

import time
from typing import Any

from botocore import xform_name
from botocore.exceptions import BotoCoreError, ClientError

from .aws import explain, is_role_not_assumable


class Cognito:
    def __init__(self, client: Any, inputs: dict[str, Any], iam_propagation_seconds: float) -> None:
        self._client = client
        self._inputs = inputs
        self._iam_propagation_seconds = iam_propagation_seconds

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        try:
            return dict(getattr(self._client, xform_name(operation))(**params))
        except (ClientError, BotoCoreError) as error:
            raise explain(error, operation, self._inputs) from error

    def user_pool(self, pool_id: str) -> dict[str, Any]:
        return dict(self.call("DescribeUserPool", UserPoolId=pool_id)["UserPool"])

    def csv_header(self, pool_id: str) -> list[str]:
        return list(self.call("GetCSVHeader", UserPoolId=pool_id)["CSVHeader"])

    def describe(self, pool_id: str, job_id: str) -> dict[str, Any]:
        return self._job("DescribeUserImportJob", UserPoolId=pool_id, JobId=job_id)

    def start(self, pool_id: str, job_id: str) -> dict[str, Any]:
        return self._job("StartUserImportJob", UserPoolId=pool_id, JobId=job_id)

    def stop(self, pool_id: str, job_id: str) -> dict[str, Any]:
        return self._job("StopUserImportJob", UserPoolId=pool_id, JobId=job_id)

    def _job(self, operation: str, **params: Any) -> dict[str, Any]:
        return dict(self.call(operation, **params)["UserImportJob"])

    def create_job(self, request: dict[str, str]) -> dict[str, Any]:
        """CreateUserImportJob, waiting (bounded) while a new role propagates through IAM."""
        deadline = time.monotonic() + self._iam_propagation_seconds
        pause = 1.0
        while True:
            try:
                return dict(self._client.create_user_import_job(**request)["UserImportJob"])
            except ClientError as error:
                if not is_role_not_assumable(error) or time.monotonic() + pause > deadline:
                    raise explain(error, "CreateUserImportJob", self._inputs) from error
            except BotoCoreError as error:
                raise explain(error, "CreateUserImportJob", self._inputs) from error
            time.sleep(pause)
            pause = min(pause * 2, 10.0)
