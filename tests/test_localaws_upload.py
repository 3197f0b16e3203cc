"""The pre-signed URL: what S3 accepts and refuses, and that a refused PUT stores nothing."""

import http.client
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from botocore.exceptions import ClientError

from tests.support import Aws, csv_bytes, upload, user_row


def created(aws: Aws) -> tuple[str, dict[str, str]]:
    pool = aws.pool()
    return pool, aws.job(pool, aws.role())


def nothing_stored(aws: Aws, pool: str, job_id: str) -> bool:
    with pytest.raises(ClientError) as raised:
        aws.cognito.start_user_import_job(UserPoolId=pool, JobId=job_id)
    return raised.value.response["Error"]["Message"] == f"No csv file was uploaded for {job_id}"


def s3_error(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("application/xml")
    return response.text.split("<Code>")[1].split("</Code>")[0]


def test_a_put_with_the_encryption_header_is_stored(aws: Aws) -> None:
    _, job = created(aws)
    response = upload(job["PreSignedUrl"], b"body")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"841a2d689ad86bd1611447453c22c6fc"'  # md5 of "body"


def test_the_documented_curl_command_uploads(aws: Aws, tmp_path: Path) -> None:
    pool, job = created(aws)
    header = aws.header(pool)
    users = tmp_path / "users.csv"
    users.write_bytes(csv_bytes(header, [user_row(header, "curl-user")]))
    subprocess.run(
        ["curl", "--silent", "--fail", "-T", str(users), "-H",
         "x-amz-server-side-encryption:aws:kms", job["PreSignedUrl"]],
        check=True,
    )  # fmt: skip
    final = aws.run_to_end(pool, job["JobId"])
    assert final["ImportedUsers"] == 1
    user = aws.cognito.admin_get_user(UserPoolId=pool, Username="curl-user")
    assert user["UserStatus"] == "RESET_REQUIRED"


def test_without_the_encryption_header_the_signature_does_not_match(aws: Aws) -> None:
    pool, job = created(aws)
    response = upload(job["PreSignedUrl"], b"body", headers={})
    assert response.status_code == 403
    assert s3_error(response) == "SignatureDoesNotMatch"
    assert nothing_stored(aws, pool, job["JobId"])


def test_another_encryption_value_does_not_match(aws: Aws) -> None:
    _, job = created(aws)
    response = upload(job["PreSignedUrl"], b"b", headers={"x-amz-server-side-encryption": "AES256"})
    assert (response.status_code, s3_error(response)) == (403, "SignatureDoesNotMatch")


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_only_put_is_allowed(aws: Aws, method: str) -> None:
    pool, job = created(aws)
    response = requests.request(method, job["PreSignedUrl"], data=b"x", timeout=30)
    assert (response.status_code, s3_error(response)) == (405, "MethodNotAllowed")
    assert nothing_stored(aws, pool, job["JobId"])


def test_an_expired_url_is_refused(aws: Aws) -> None:
    pool, job = created(aws)
    aws.control("clock", {"advance": 900})
    response = upload(job["PreSignedUrl"], b"body")
    assert (response.status_code, s3_error(response)) == (403, "AccessDenied")
    assert "expired" in response.text
    assert nothing_stored(aws, pool, job["JobId"])


def test_the_expired_url_fault_creates_a_job_whose_url_has_expired(aws: Aws) -> None:
    pool = aws.pool()
    aws.control("faults", {"operation": "CreateUserImportJob", "kind": "expired-url"})
    job = aws.job(pool, aws.role())
    response = upload(job["PreSignedUrl"], b"body")
    assert (response.status_code, s3_error(response)) == (403, "AccessDenied")
    assert "expired" in response.text
    assert upload(aws.job(pool, aws.role("second"))["PreSignedUrl"], b"body").status_code == 200


def test_a_url_just_inside_its_lifetime_is_accepted(aws: Aws) -> None:
    _, job = created(aws)
    aws.control("clock", {"advance": 890})
    assert upload(job["PreSignedUrl"], b"body").status_code == 200


@pytest.mark.parametrize(
    ("original", "forged"),
    [
        ("X-Amz-Expires=899", "X-Amz-Expires=99999"),
        ("/import-", "/import-X"),
        ("X-Amz-Signature=", "X-Amz-Signature=0"),
    ],
)
def test_a_tampered_url_is_refused(aws: Aws, original: str, forged: str) -> None:
    pool, job = created(aws)
    response = upload(job["PreSignedUrl"].replace(original, forged), b"body")
    assert response.status_code == 403
    assert s3_error(response) in ("SignatureDoesNotMatch", "AccessDenied")
    assert nothing_stored(aws, pool, job["JobId"])


def raw_put(url: str, content_length: int) -> http.client.HTTPConnection:
    """A PUT whose Content-Length we choose, whatever body follows (or does not)."""
    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.netloc, timeout=30)
    connection.putrequest("PUT", f"{parsed.path}?{parsed.query}")
    connection.putheader("x-amz-server-side-encryption", "aws:kms")
    connection.putheader("Content-Length", str(content_length))
    connection.endheaders()
    return connection


def test_an_upload_over_100_mb_is_refused_before_it_is_read(aws: Aws) -> None:
    pool, job = created(aws)
    connection = raw_put(job["PreSignedUrl"], 100 * 1024 * 1024 + 1)
    response = connection.getresponse()
    assert response.status == 400
    assert b"<Code>EntityTooLarge</Code>" in response.read()
    connection.close()
    assert nothing_stored(aws, pool, job["JobId"])


def test_a_body_shorter_than_its_content_length_stores_nothing(aws: Aws) -> None:
    pool, job = created(aws)
    connection = raw_put(job["PreSignedUrl"], 1000)
    connection.send(b"short")
    connection.sock.shutdown(1)
    assert connection.getresponse().status == 400
    connection.close()
    assert nothing_stored(aws, pool, job["JobId"])


def test_a_second_upload_replaces_the_first(aws: Aws) -> None:
    pool, job = created(aws)
    aws.upload_users(pool, job["PreSignedUrl"], ["first"])
    aws.upload_users(pool, job["PreSignedUrl"], ["second"])
    aws.run_to_end(pool, job["JobId"])
    users = [u["Username"] for u in aws.cognito.list_users(UserPoolId=pool)["Users"]]
    assert users == ["second"]
