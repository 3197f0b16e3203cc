"""The same localaws code in process, under moto's mock_aws: no server, no port."""

import gc
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from werkzeug.test import Client

import localaws
import localaws.importer
from tests.support import COGNITO_TRUST, csv_bytes, user_row


@pytest.fixture
def cognito() -> Iterator[Any]:
    with mock_aws():
        localaws.reset()
        yield boto3.client("cognito-idp", region_name="us-east-1")
    localaws.reset()


def put(url: str, body: bytes, headers: dict[str, str]) -> Any:
    """PUT to a pre-signed URL through localaws's upload WSGI app."""
    parsed = urlparse(url)
    return Client(localaws.upload_app).put(
        parsed.path,
        query_string=parsed.query,
        data=body,
        headers={"Host": parsed.netloc, **headers},
    )


def test_a_whole_import_in_process(cognito: Any) -> None:
    pool = cognito.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    role = boto3.client("iam").create_role(
        RoleName="logs", AssumeRolePolicyDocument=json.dumps(COGNITO_TRUST)
    )["Role"]["Arn"]
    job = cognito.create_user_import_job(UserPoolId=pool, JobName="j", CloudWatchLogsRoleArn=role)[
        "UserImportJob"
    ]
    url = urlparse(job["PreSignedUrl"])
    assert url.netloc == "aws-cognito-idp-user-import-us-east-1.s3.us-east-1.amazonaws.com"
    header = cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
    body = csv_bytes(header, [user_row(header, "ann"), user_row(header, "ben")])
    assert put(job["PreSignedUrl"], body, {}).status_code == 403
    assert (
        put(job["PreSignedUrl"], body, {"x-amz-server-side-encryption": "aws:kms"}).status_code
        == 200
    )
    assert (
        cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"][
            "Status"
        ]
        == "Pending"
    )
    statuses = [
        cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
        for _ in range(2)
    ]
    assert [s["Status"] for s in statuses] == ["InProgress", "Succeeded"]
    assert statuses[-1]["ImportedUsers"] == 2
    users = cognito.list_users(UserPoolId=pool)["Users"]
    assert {(u["Username"], u["UserStatus"]) for u in users} == {
        ("ann", "RESET_REQUIRED"),
        ("ben", "RESET_REQUIRED"),
    }


def test_faults_in_process(cognito: Any) -> None:
    pool = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    localaws.FAULTS.arm("GetCSVHeader", "internal")
    no_retry = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    with pytest.raises(ClientError) as raised:
        no_retry.get_csv_header(UserPoolId=pool)
    assert raised.value.response["Error"]["Code"] == "InternalErrorException"
    assert no_retry.get_csv_header(UserPoolId=pool)["CSVHeader"]


def test_the_clock_in_process(cognito: Any) -> None:
    pool = cognito.create_user_pool(PoolName="p")["UserPool"]["Id"]
    job = cognito.create_user_import_job(
        UserPoolId=pool, JobName="j", CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
    )["UserImportJob"]
    localaws.CLOCK.advance(localaws.SETTINGS.job_expiry_seconds)
    described = cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    assert described["UserImportJob"]["Status"] == "Expired"


def test_validation_in_process(cognito: Any) -> None:
    with pytest.raises(ClientError) as raised:
        cognito.create_user_import_job(
            UserPoolId="us-east-1_x",
            JobName="no/slashes",
            CloudWatchLogsRoleArn="arn:aws:iam::1:role/r",
        )
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"


def test_list_and_stop_in_process(cognito: Any) -> None:
    pool = cognito.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    role = "arn:aws:iam::123456789012:role/r"
    first, second = (
        cognito.create_user_import_job(UserPoolId=pool, JobName=name, CloudWatchLogsRoleArn=role)[
            "UserImportJob"
        ]
        for name in ("first", "second")
    )
    listed = cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=1)
    assert [job["JobId"] for job in listed["UserImportJobs"]] == [second["JobId"]]
    rest = cognito.list_user_import_jobs(
        UserPoolId=pool, MaxResults=1, PaginationToken=listed["PaginationToken"]
    )
    assert [job["JobId"] for job in rest["UserImportJobs"]] == [first["JobId"]]
    header = cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
    sse = {"x-amz-server-side-encryption": "aws:kms"}
    assert (
        put(first["PreSignedUrl"], csv_bytes(header, [user_row(header, "x")]), sse).status_code
        == 200
    )
    cognito.start_user_import_job(UserPoolId=pool, JobId=first["JobId"])
    stopping = cognito.stop_user_import_job(UserPoolId=pool, JobId=first["JobId"])["UserImportJob"]
    assert stopping["Status"] == "Stopping"
    described = cognito.describe_user_import_job(UserPoolId=pool, JobId=first["JobId"])
    assert described["UserImportJob"]["Status"] == "Stopped"


def test_an_import_pauses_the_cyclic_collector_and_restores_it(
    cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk load runs without the cyclic collector (benchmarks/localaws_import.py); the
    process gets it back however the job ends."""
    pool = cognito.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"][
        "Id"
    ]
    role = boto3.client("iam").create_role(
        RoleName="logs", AssumeRolePolicyDocument=json.dumps(COGNITO_TRUST)
    )["Role"]["Arn"]
    header = cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
    enabled_while_creating: list[bool] = []
    create_user = localaws.importer._create_user

    def observed(*args: Any) -> None:
        enabled_while_creating.append(gc.isenabled())
        create_user(*args)

    monkeypatch.setattr(localaws.importer, "_create_user", observed)
    sse = {"x-amz-server-side-encryption": "aws:kms"}
    bodies = {
        "whole": csv_bytes(header, [user_row(header, "ann")]),
        "bad-header": b"cognito:username\nann\n",
    }
    for name, body in bodies.items():
        job = cognito.create_user_import_job(
            UserPoolId=pool, JobName=name, CloudWatchLogsRoleArn=role
        )["UserImportJob"]
        assert put(job["PreSignedUrl"], body, sse).status_code == 200
        cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        for _ in range(2):
            ended = cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        assert gc.isenabled(), name
        expected = "Succeeded" if name == "whole" else "Failed"
        assert ended["UserImportJob"]["Status"] == expected
    assert enabled_while_creating == [False]
