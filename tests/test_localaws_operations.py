"""The six import-job operations over HTTP: shapes, constraints, statuses and errors."""

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support import ACCOUNT, Aws, csv_bytes, upload, user_row


def error_of(call: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


def uploaded_job(aws: Aws, pool: str, role: str, users: int = 1, name: str = "import") -> str:
    job = aws.job(pool, role, name)
    header = aws.header(pool)
    rows = [user_row(header, f"{name}-user{i}") for i in range(users)]
    assert upload(job["PreSignedUrl"], csv_bytes(header, rows)).status_code == 200
    return str(job["JobId"])


def test_create_returns_a_created_job_with_a_presigned_url(aws: Aws) -> None:
    pool, role = aws.pool(), aws.role()
    job = aws.job(pool, role, "Customer import")
    assert re.fullmatch(r"import-[0-9a-zA-Z]{10}", job["JobId"])
    assert job["Status"] == "Created"
    assert job["JobName"] == "Customer import"
    assert job["UserPoolId"] == pool
    assert job["CloudWatchLogsRoleArn"] == role
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (0, 0, 0)
    assert "StartDate" not in job and "CompletionDate" not in job
    url = urlparse(job["PreSignedUrl"])
    assert url.path == f"/aws-cognito-idp-user-import-us-east-1/{ACCOUNT}/{pool}/{job['JobId']}"
    query = parse_qs(url.query)
    assert query["X-Amz-Expires"] == ["899"]
    assert query["X-Amz-SignedHeaders"] == ["host;x-amz-server-side-encryption"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert {"X-Amz-Date", "X-Amz-Credential", "X-Amz-Signature"} <= set(query)


def test_create_echoes_the_password_hashing_algorithm(aws: Aws) -> None:
    job = aws.cognito.create_user_import_job(
        UserPoolId=aws.pool(),
        JobName="hashed",
        CloudWatchLogsRoleArn=aws.role(),
        PasswordHashingAlgorithm="ARGON2ID",
    )["UserImportJob"]
    assert job["PasswordHashingAlgorithm"] == "ARGON2ID"


def test_create_in_a_missing_pool_is_resource_not_found(aws: Aws) -> None:
    code, message = error_of(
        aws.cognito.create_user_import_job,
        UserPoolId="us-east-1_missing",
        JobName="x",
        CloudWatchLogsRoleArn=aws.role(),
    )
    assert code == "ResourceNotFoundException"
    assert "us-east-1_missing" in message


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("JobName", "bad/name", "regular expression pattern"),
        ("JobName", "x" * 129, "length less than or equal to 128"),
        ("UserPoolId", "nounderscore", "regular expression pattern"),
        ("UserPoolId", "a_" + "b" * 54, "length less than or equal to 55"),
        ("CloudWatchLogsRoleArn", "arn:aws:iam::notanumber:role/x", "regular expression"),
        ("PasswordHashingAlgorithm", "MD5", "enum value set"),
    ],
)
def test_create_enforces_the_model_constraints(aws: Aws, field: str, value: str, rule: str) -> None:
    params = {"UserPoolId": aws.pool(), "JobName": "ok", "CloudWatchLogsRoleArn": aws.role()}
    params[field] = value
    # The service, not botocore's client-side checks, is under test here.
    client = aws.client("cognito-idp", config=Config(parameter_validation=False))
    code, message = error_of(client.create_user_import_job, **params)
    assert code == "InvalidParameterException"
    assert rule in message
    assert f"at '{field[0].lower() + field[1:]}'" in message


def test_create_reports_every_violation_at_once(aws: Aws) -> None:
    client = aws.client("cognito-idp", config=Config(parameter_validation=False))
    code, message = error_of(
        client.create_user_import_job, UserPoolId="bad", JobName="", CloudWatchLogsRoleArn="x"
    )
    assert code == "InvalidParameterException"
    # "" breaks length and pattern, "bad" the pattern, "x" length and pattern.
    assert message.startswith("5 validation errors detected")


def test_a_pool_holds_at_most_1000_jobs(aws: Aws) -> None:
    pool, role = aws.pool(), aws.role()
    for i in range(1000):
        aws.job(pool, role, f"job{i}")
    code, message = error_of(
        aws.cognito.create_user_import_job,
        UserPoolId=pool,
        JobName="one too many",
        CloudWatchLogsRoleArn=role,
    )
    assert code == "LimitExceededException"
    assert "1000" in message


def test_start_without_an_upload_is_a_precondition_failure(aws: Aws) -> None:
    pool = aws.pool()
    job = aws.job(pool, aws.role())
    code, message = error_of(aws.cognito.start_user_import_job, UserPoolId=pool, JobId=job["JobId"])
    assert code == "PreconditionNotMetException"
    assert message == f"No csv file was uploaded for {job['JobId']}"


def test_a_job_goes_pending_then_in_progress_then_succeeded(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, aws.role(), users=3)
    started = aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)["UserImportJob"]
    assert started["Status"] == "Pending"
    assert "StartDate" in started
    assert aws.describe(pool, job_id)["Status"] == "InProgress"
    done = aws.describe(pool, job_id)
    assert done["Status"] == "Succeeded"
    assert (done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == (3, 0, 0)
    assert done["CompletionMessage"] == "Import Job Completed Successfully."
    assert done["CompletionDate"] >= done["StartDate"]


def test_only_a_created_job_can_be_started(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, aws.role())
    aws.run_to_end(pool, job_id)
    code, message = error_of(aws.cognito.start_user_import_job, UserPoolId=pool, JobId=job_id)
    assert code == "PreconditionNotMetException"
    assert "Succeeded" in message


def test_one_job_is_active_per_account_and_the_next_waits_pending(aws: Aws) -> None:
    pool_a, pool_b, role = aws.pool("a"), aws.pool("b"), aws.role()
    first, second = (
        uploaded_job(aws, pool_a, role, name="first"),
        uploaded_job(aws, pool_b, role, name="second"),
    )
    aws.cognito.start_user_import_job(UserPoolId=pool_a, JobId=first)
    assert aws.describe(pool_a, first)["Status"] == "InProgress"
    aws.cognito.start_user_import_job(UserPoolId=pool_b, JobId=second)
    # Every poll advances the whole account one step: this one finishes the first job ...
    assert aws.describe(pool_b, second)["Status"] == "Pending"
    # ... this one lets the second in, and the next finishes it.
    assert aws.describe(pool_a, first)["Status"] == "Succeeded"
    assert aws.describe(pool_b, second)["Status"] == "Succeeded"


def test_stop_takes_an_active_job_to_stopped(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, aws.role())
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)
    stopped = aws.cognito.stop_user_import_job(UserPoolId=pool, JobId=job_id)["UserImportJob"]
    assert stopped["Status"] == "Stopping"
    final = aws.describe(pool, job_id)
    assert final["Status"] == "Stopped"
    assert final["CompletionMessage"] == "The Import Job was stopped by the developer."
    assert final["ImportedUsers"] == 0
    assert aws.cognito.list_users(UserPoolId=pool)["Users"] == []


def test_a_created_job_cannot_be_stopped(aws: Aws) -> None:
    pool = aws.pool()
    job = aws.job(pool, aws.role())
    code, _ = error_of(aws.cognito.stop_user_import_job, UserPoolId=pool, JobId=job["JobId"])
    assert code == "PreconditionNotMetException"


def test_describe_of_an_unknown_job_is_resource_not_found(aws: Aws) -> None:
    code, message = error_of(
        aws.cognito.describe_user_import_job, UserPoolId=aws.pool(), JobId="import-nothere00"
    )
    assert code == "ResourceNotFoundException"
    assert "import-nothere00" in message


def test_a_job_is_not_found_through_another_pool(aws: Aws) -> None:
    pool, other = aws.pool("a"), aws.pool("b")
    job = aws.job(pool, aws.role())
    code, _ = error_of(aws.cognito.describe_user_import_job, UserPoolId=other, JobId=job["JobId"])
    assert code == "ResourceNotFoundException"


def test_list_is_newest_first_in_pages_of_at_most_50(aws: Aws) -> None:
    pool, role = aws.pool(), aws.role()
    created = [aws.job(pool, role, f"job{i}")["JobId"] for i in range(55)]
    first = aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=60)
    assert len(first["UserImportJobs"]) == 50
    second = aws.cognito.list_user_import_jobs(
        UserPoolId=pool, MaxResults=60, PaginationToken=first["PaginationToken"]
    )
    assert "PaginationToken" not in second
    listed = [job["JobId"] for job in first["UserImportJobs"] + second["UserImportJobs"]]
    assert listed == list(reversed(created))


def test_list_pages_by_max_results(aws: Aws) -> None:
    pool, role = aws.pool(), aws.role()
    for i in range(3):
        aws.job(pool, role, f"job{i}")
    page = aws.cognito.list_user_import_jobs(UserPoolId=pool, MaxResults=2)
    assert len(page["UserImportJobs"]) == 2 and "PaginationToken" in page


@pytest.mark.parametrize("max_results", [0, 61])
def test_list_max_results_is_1_to_60(aws: Aws, max_results: int) -> None:
    client = aws.client("cognito-idp", config=Config(parameter_validation=False))
    code, message = error_of(
        client.list_user_import_jobs, UserPoolId=aws.pool(), MaxResults=max_results
    )
    assert code == "InvalidParameterException"
    assert "maxResults" in message


def test_list_rejects_a_forged_token(aws: Aws) -> None:
    code, _ = error_of(
        aws.cognito.list_user_import_jobs,
        UserPoolId=aws.pool(),
        MaxResults=10,
        PaginationToken="not-a-token",
    )
    assert code == "InvalidParameterException"


def test_csv_header_lists_standard_then_custom_attributes(aws: Aws) -> None:
    pool = aws.pool(
        Schema=[{"Name": "tier", "AttributeDataType": "String", "Mutable": True}],
    )
    answer = aws.cognito.get_csv_header(UserPoolId=pool)
    header = answer["CSVHeader"]
    assert answer["UserPoolId"] == pool
    assert header[:3] == ["name", "given_name", "family_name"]
    assert {"email", "email_verified", "phone_number", "phone_number_verified"} <= set(header)
    assert header[-3:] == ["custom:tier", "cognito:mfa_enabled", "cognito:username"]


def test_csv_header_of_a_missing_pool_is_resource_not_found(aws: Aws) -> None:
    code, _ = error_of(aws.cognito.get_csv_header, UserPoolId="us-east-1_missing")
    assert code == "ResourceNotFoundException"


def test_a_created_job_expires_after_the_configured_age(aws: Aws) -> None:
    pool = aws.pool()
    job = aws.job(pool, aws.role())
    aws.control("clock", {"advance": 88_200})
    expired = aws.describe(pool, job["JobId"])
    assert expired["Status"] == "Expired"
    assert expired["CompletionMessage"] == "The user import job has expired."
    code, _ = error_of(aws.cognito.start_user_import_job, UserPoolId=pool, JobId=job["JobId"])
    assert code == "PreconditionNotMetException"


def test_the_expiry_age_is_configurable_at_run_time(aws: Aws) -> None:
    pool = aws.pool()
    job = aws.job(pool, aws.role())
    aws.control("settings", {"job_expiry_seconds": 60})
    aws.control("clock", {"advance": 61})
    assert aws.describe(pool, job["JobId"])["Status"] == "Expired"
    aws.reset()
    assert aws.control("settings")["job_expiry_seconds"] == 88_200


def test_a_job_can_be_held_in_progress_and_stopped_there(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, aws.role())
    aws.control("settings", {"polls_in_progress": 5})
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)
    statuses = [aws.describe(pool, job_id)["Status"] for _ in range(4)]
    assert statuses == ["InProgress"] * 4
    aws.cognito.stop_user_import_job(UserPoolId=pool, JobId=job_id)
    assert aws.describe(pool, job_id)["Status"] == "Stopped"


def test_a_role_that_does_not_exist_fails_the_job(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, f"arn:aws:iam::{ACCOUNT}:role/never-created")
    final = aws.run_to_end(pool, job_id)
    assert final["Status"] == "Failed"
    assert "could not assume the role" in final["CompletionMessage"]
    assert aws.cognito.list_users(UserPoolId=pool)["Users"] == []


def test_a_role_that_does_not_trust_cognito_fails_the_job(aws: Aws) -> None:
    pool = aws.pool()
    lambda_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    job_id = uploaded_job(aws, pool, aws.role("lambda-role", trust=lambda_trust))
    final = aws.run_to_end(pool, job_id)
    assert final["Status"] == "Failed"
    assert "cognito-idp.amazonaws.com" in final["CompletionMessage"]


def test_a_deleted_pool_fails_a_started_job(aws: Aws) -> None:
    pool = aws.pool()
    job_id = uploaded_job(aws, pool, aws.role())
    aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)
    aws.cognito.delete_user_pool(UserPoolId=pool)
    code, _ = error_of(aws.cognito.describe_user_import_job, UserPoolId=pool, JobId=job_id)
    assert code == "ResourceNotFoundException"


def test_other_moto_services_answer_on_the_same_endpoint(aws: Aws) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="still-here")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["still-here"]
    assert aws.client("sts").get_caller_identity()["Account"] == ACCOUNT
