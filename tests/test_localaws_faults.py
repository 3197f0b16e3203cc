"""Fault injection over HTTP: throttling, internal errors and IAM propagation, on demand."""

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support import Aws

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def test_throttle_the_next_n_calls_of_an_operation(aws: Aws) -> None:
    pool = aws.pool()
    client = aws.client("cognito-idp", config=NO_RETRY)
    aws.control("faults", {"operation": "GetCSVHeader", "kind": "throttle", "count": 2})
    for _ in range(2):
        with pytest.raises(ClientError) as raised:
            client.get_csv_header(UserPoolId=pool)
        assert raised.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert client.get_csv_header(UserPoolId=pool)["CSVHeader"]
    assert aws.control("faults", method="GET") == {"pending": {}}


def test_botocore_standard_retries_ride_out_throttling(aws: Aws) -> None:
    pool = aws.pool()
    client = aws.client(
        "cognito-idp", config=Config(retries={"mode": "standard", "total_max_attempts": 4})
    )
    aws.control("faults", {"operation": "GetCSVHeader", "kind": "throttle", "count": 3})
    answer = client.get_csv_header(UserPoolId=pool)
    assert answer["ResponseMetadata"]["RetryAttempts"] == 3


def test_internal_error_is_a_500(aws: Aws) -> None:
    client = aws.client("cognito-idp", config=NO_RETRY)
    aws.control("faults", {"operation": "ListUserImportJobs", "kind": "internal"})
    with pytest.raises(ClientError) as raised:
        client.list_user_import_jobs(UserPoolId=aws.pool(), MaxResults=1)
    assert raised.value.response["Error"]["Code"] == "InternalErrorException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_iam_propagation_delay_answers_create_until_it_passes(aws: Aws) -> None:
    pool, role = aws.pool(), aws.role()
    aws.control(
        "faults", {"operation": "CreateUserImportJob", "kind": "iam-propagation", "count": 2}
    )
    for _ in range(2):
        with pytest.raises(ClientError) as raised:
            aws.job(pool, role)
        error = raised.value.response["Error"]
        assert error["Code"] == "InvalidParameterException"
        assert role in error["Message"] and "cognito-idp.amazonaws.com" in error["Message"]
    assert aws.job(pool, role)["Status"] == "Created"


def test_faults_can_be_cleared(aws: Aws) -> None:
    aws.control("faults", {"operation": "GetCSVHeader", "kind": "throttle", "count": 5})
    aws.control("faults", method="DELETE")
    assert aws.cognito.get_csv_header(UserPoolId=aws.pool())["CSVHeader"]


@pytest.mark.parametrize(
    "body",
    [
        {"operation": "GetCSVHeader", "kind": "explode"},
        {"operation": "DescribeUserImportJob", "kind": "iam-propagation"},
        {"operation": "GetCSVHeader", "kind": "throttle", "count": 0},
        {"kind": "throttle"},
    ],
)
def test_a_bad_fault_request_is_refused(aws: Aws, body: dict[str, str | int]) -> None:
    response = requests.post(f"{aws.endpoint}/_localaws/faults", json=body, timeout=10)
    assert response.status_code == 400
    assert "bad control request" in response.json()["error"]
