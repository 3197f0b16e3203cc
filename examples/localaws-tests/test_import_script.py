"""Test your own import script against localaws, in your test's own process: no AWS account,
no network, no server to start. Needs `pip install "cognito-user-import[localaws]" pytest`.

`import_users` stands for a script of yours; the test gives it a pool and a role made in
localaws, then checks what Cognito would report.
"""

import time
import urllib.request
from typing import Any

import boto3

import localaws

TRUST = '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "cognito-idp.amazonaws.com"}}]}'  # noqa: E501


def import_users(cognito: Any, pool_id: str, role_arn: str, csv: bytes) -> dict[str, Any]:
    """Your script: create a job, PUT the CSV to its URL, start it, wait for its end."""
    job = cognito.create_user_import_job(
        UserPoolId=pool_id, JobName="nightly", CloudWatchLogsRoleArn=role_arn
    )["UserImportJob"]
    upload = urllib.request.Request(
        job["PreSignedUrl"], data=csv, method="PUT",
        headers={"x-amz-server-side-encryption": "aws:kms"},
    )  # fmt: skip
    urllib.request.urlopen(upload).close()
    cognito.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    while job["Status"] not in ("Succeeded", "Failed", "Stopped", "Expired"):
        time.sleep(0.2)
        job = cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        job = job["UserImportJob"]
    return dict(job)


def test_my_import_script_imports_every_user() -> None:
    with localaws.running() as endpoint:
        session = boto3.Session(
            region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        cognito = session.client("cognito-idp", endpoint_url=endpoint)
        pool = cognito.create_user_pool(PoolName="customers", AutoVerifiedAttributes=["email"])
        pool_id = pool["UserPool"]["Id"]
        role = session.client("iam", endpoint_url=endpoint).create_role(
            RoleName="cognito-import-logs", AssumeRolePolicyDocument=TRUST
        )["Role"]["Arn"]
        header = cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
        rows = [
            {"cognito:username": name, "email": f"{name}@example.com", "email_verified": "true"}
            for name in ("ada", "alan")
        ]
        csv = "\n".join([",".join(header)] + [",".join(r.get(c, "") for c in header) for r in rows])

        job = import_users(cognito, pool_id, role, csv.encode())

        assert (job["Status"], job["ImportedUsers"]) == ("Succeeded", 2)
        users = cognito.list_users(UserPoolId=pool_id)["Users"]
        assert {u["Username"]: u["UserStatus"] for u in users} == {
            "ada": "RESET_REQUIRED", "alan": "RESET_REQUIRED"}  # fmt: skip
