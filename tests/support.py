"""Test helpers shared by the suites: a localaws process, AWS clients on it, CSV builders.

Tests talk to localaws the way users do, over HTTP with boto3 and plain PUTs; helpers here
only save typing, they hold no product logic.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import requests
from pulumi.dynamic import ConfigureRequest, CreateResult, ReadResult, UpdateResult
from pulumi.dynamic.config import Config

from cognito_user_import import UserImportJobProvider
from cognito_user_import.aws import cognito_client, logs_client
from cognito_user_import.calls import Cognito
from cognito_user_import.inputs import JobInputs, parse
from cognito_user_import.lifeline import Lifeline
from cognito_user_import.policies import trust_policy
from cognito_user_import.service import ImportService
from cognito_user_import.settings import AwsSettings

ROOT = Path(__file__).resolve().parent.parent
#: The sample CSV: five users, valid for a pool that auto-verifies email with MFA off.
SAMPLE = ROOT / "examples" / "csv-as-code" / "users.csv"
#: After the sample in the guide's "Creating the user import CSV file": its header order
#: (cognito:username first, cognito:mfa_enabled last) and booleans written TRUE/FALSE.
GUIDE_SAMPLE = (
    "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,"
    "profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,"
    "phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled\n"
    "John,,John,Doe,,,,,,,johndoe@example.com,TRUE,,02/01/1985,,,+12345550100,FALSE,"
    "123 Any Street,,FALSE\n"
    "Jane,,Jane,Roe,,,,,,,janeroe@example.com,TRUE,,01/01/1985,,,+12345550199,FALSE,"
    "100 Main Street,,FALSE\n"
)
#: The job's own Pulumi type (it was the shared "pulumi-python:dynamic:Resource" before).
JOB_TYPE = "pulumi-python:dynamic/cognito:UserImportJob"
REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SSE = {"x-amz-server-side-encryption": "aws:kms"}

#: The logging role's trust document, as the product writes it.
COGNITO_TRUST = trust_policy()
#: GetCSVHeader of a pool with only standard attributes.
STANDARD_HEADER = [
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
    "profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
    "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
    "cognito:mfa_enabled", "cognito:username",
]  # fmt: skip


#: How long a process the tests end may take to go before it counts as hung: a guard against
#: a hang, never a measure of speed.
HANG_GUARD_SECONDS = 120


class LocalAwsProcess:
    """`python -m localaws --port 0` in a child process, as a user would start it (or
    `command`, e.g. the `localaws` script of a virtualenv of the user's)."""

    def __init__(self, command: list[str] | None = None) -> None:
        self._process = subprocess.Popen(
            command or [sys.executable, "-m", "localaws", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        match = re.search(r"http://[\d.]+:\d+", line)
        if match is None:
            self._process.kill()
            raise RuntimeError(f"localaws did not start: {line!r}")
        self.endpoint = match.group(0)
        self.pid = self._process.pid

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C or a CI job's end sends it. How soon localaws ends is not timed
        (a loaded machine delays any exit); the guard only stops a hang from holding the
        suite, and fails it."""
        self._process.terminate()
        try:
            self._process.wait(timeout=HANG_GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
            raise


@dataclass
class Aws:
    """Clients on one localaws endpoint, plus its control API."""

    endpoint: str
    region: str = REGION
    credentials: dict[str, str] = field(default_factory=lambda: dict(CREDENTIALS))
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str, **config: Any) -> Any:
        key = service + json.dumps(config, sort_keys=True, default=str)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                service,  # type: ignore[call-overload]
                **{
                    "endpoint_url": self.endpoint,
                    "region_name": self.region,
                    **self.credentials,
                    **config,
                },
            )
        return self._clients[key]

    def in_account(self, account: str, role: str = "deployer") -> "Aws":
        """The same endpoint, with the credentials of a role assumed in `account` (localaws
        gives an assumed role's calls its account, as AWS does)."""
        assumed = self.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="setup"
        )["Credentials"]
        return Aws(
            self.endpoint,
            self.region,
            {
                "aws_access_key_id": assumed["AccessKeyId"],
                "aws_secret_access_key": assumed["SecretAccessKey"],
                "aws_session_token": assumed["SessionToken"],
            },
        )

    @property
    def cognito(self) -> Any:
        return self.client("cognito-idp")

    def control(self, action: str, body: dict[str, Any] | None = None, method: str = "POST") -> Any:
        response = requests.request(
            method, f"{self.endpoint}/_localaws/{action}", json=body or {}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("reset")

    def pool(self, name: str = "pool", **config: Any) -> str:
        config.setdefault("AutoVerifiedAttributes", ["email"])
        created = self.cognito.create_user_pool(PoolName=name, **config)
        return str(created["UserPool"]["Id"])

    def role(self, name: str = "cognito-import-logs", trust: dict[str, Any] | None = None) -> str:
        created = self.client("iam").create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(trust or COGNITO_TRUST)
        )
        return str(created["Role"]["Arn"])

    def header(self, pool_id: str) -> list[str]:
        return list(self.cognito.get_csv_header(UserPoolId=pool_id)["CSVHeader"])

    def users(self, pool_id: str) -> dict[str, str]:
        """Username -> status of every user in the pool."""
        listed = self.cognito.list_users(UserPoolId=pool_id)["Users"]
        return {user["Username"]: user["UserStatus"] for user in listed}

    def upload_users(self, pool_id: str, url: str, usernames: Iterable[str]) -> None:
        """PUT a valid CSV of these users to a job's pre-signed URL."""
        header = self.header(pool_id)
        rows = [user_row(header, name) for name in usernames]
        assert upload(url, csv_bytes(header, rows)).status_code == 200

    def job(self, pool_id: str, role_arn: str, name: str = "import") -> dict[str, Any]:
        created = self.cognito.create_user_import_job(
            UserPoolId=pool_id, JobName=name, CloudWatchLogsRoleArn=role_arn
        )
        return dict(created["UserImportJob"])

    def describe(self, pool_id: str, job_id: str) -> dict[str, Any]:
        described = self.cognito.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)
        return dict(described["UserImportJob"])

    def run_to_end(self, pool_id: str, job_id: str, polls: int = 10) -> dict[str, Any]:
        """Start a job and poll it to a terminal status, as a client of real Cognito would."""
        self.cognito.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
        for _ in range(polls):
            job = self.describe(pool_id, job_id)
            if job["Status"] in ("Succeeded", "Failed", "Stopped", "Expired"):
                return job
        raise AssertionError(f"job {job_id} still {job['Status']} after {polls} polls")

    def log_messages(self, pool_id: str, pool_name: str, job: dict[str, Any]) -> list[str]:
        events = self.client("logs").get_log_events(
            logGroupName=f"/aws/cognito/userpools/{pool_id}/{pool_name}",
            logStreamName=f"{job['JobId']}/{job['JobName']}",
        )["events"]
        return [event["message"] for event in events]


def upload(url: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.put(url, data=body, headers=SSE if headers is None else headers, timeout=60)


def user_row(header: list[str], username: str, **values: str) -> dict[str, str]:
    """A valid row for a pool that auto-verifies email and has MFA off."""
    row = dict.fromkeys(header, "")
    row.update(
        {
            "cognito:username": username,
            "cognito:mfa_enabled": "false",
            "email": f"{username}@example.com",
            "email_verified": "true",
        }
    )
    row.update(values)
    return row


def csv_bytes(header: list[str], rows: Iterable[dict[str, str]]) -> bytes:
    """Cognito's CSV dialect: unquoted values, a literal comma written `\\,`."""

    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace(",", "\\,")

    lines = [",".join(header)]
    lines += [",".join(escape(row[column]) for column in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


#: How often a condition is looked at: the only sleep a test makes.
POLL_SECONDS = 0.05


def wait_for(predicate: Any, timeout: float = 10.0) -> float:
    """Wait until `predicate()` holds; the seconds it took (to report, never to compare).
    `timeout` only guards against a hang: a test waits for what it needs, and a busy
    machine makes it wait longer, not fail."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError("condition not met in time")
        time.sleep(POLL_SECONDS)
    return time.monotonic() - started


def run_cli(
    name: str,
    command: list[str],
    cwd: Path,
    env: dict[str, str],
    log: list[str],
    shown: Callable[[str], str],
    check: bool,
    timeout: float,
) -> "subprocess.CompletedProcess[str]":
    """A CLI run to its end (the timeout only guards a hang): what it said appended to
    `log` and passed through `shown` (which fails on a traceback), a failure raised when
    `check`."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    log.append(f"$ {name} {' '.join(command[1:])}\n{result.stdout}{result.stderr}")
    shown(result.stdout + result.stderr)
    if check and result.returncode != 0:
        raise AssertionError(f"{name} failed:\n{log[-1]}")
    return result


def environment_without_aws() -> dict[str, str]:
    """The environment minus the caller's AWS settings, so tests never reach a real account."""
    return {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}


def stack_config(endpoint: str, **extra: str) -> dict[str, str]:
    """The config as the engine hands it to Configure: pulumi-aws's keys, JSON-encoded."""
    return {
        "aws:region": "us-east-1",
        "aws:endpoints": json.dumps([{"cognitoidp": endpoint, "cloudwatchlogs": endpoint}]),
        "aws:accessKey": "testing",
        "aws:secretKey": "testing",
        **extra,
    }


def outs_of(result: CreateResult | ReadResult | UpdateResult) -> dict[str, Any]:
    assert isinstance(result.outs, dict)
    return result.outs


def configured(
    endpoint: str, config: dict[str, str] | None = None, **kwargs: Any
) -> UserImportJobProvider:
    provider = UserImportJobProvider(**kwargs)
    raw = stack_config(endpoint, **(config or {}))
    provider.configure(ConfigureRequest(Config(raw, "cognito-user-import")))
    return provider


class VirtualTime(Lifeline):
    """A lifeline whose sleeps advance localaws's clock instead of waiting: a 30-minute
    import is watched in milliseconds, on the provider's real poll schedule. localaws's
    clock is frozen first, so the provider's clock and Cognito's move together and only
    by these sleeps, however busy the machine."""

    def __init__(self, aws: Aws) -> None:
        super().__init__()
        self._aws = aws
        self._now = 0.0
        self._epoch = float(aws.control("clock", {"freeze": True})["now"])
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self._now += seconds
        self._aws.control("clock", {"advance": seconds})

    def now(self) -> float:
        return self._now

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self._epoch + self._now, UTC)


def import_service(aws: Aws, lifeline: Lifeline, said: list[str]) -> ImportService:
    """The provider's import service on localaws, with its own lifeline and messages."""
    settings = AwsSettings.from_stack_config(stack_config(aws.endpoint).get)

    def connect(region: str | None = None) -> Cognito:
        regional = settings.for_region(region)
        return Cognito(cognito_client(regional), 0.0, regional)

    return ImportService(
        connect,
        lambda: logs_client(settings),
        said.append,
        lifeline,
    )


def standin_aws_plugin(directory: Path) -> Path:
    """A folder holding `pulumi-resource-aws`: tests/standin_aws_plugin.py (why, there),
    for a test's PATH."""
    directory.mkdir(parents=True)
    plugin = directory / "pulumi-resource-aws"
    plugin.write_text(
        f'#!/bin/sh\nexec "{ROOT / ".venv" / "bin" / "python"}" '
        f'"{ROOT / "tests" / "standin_aws_plugin.py"}" "$@"\n'
    )
    plugin.chmod(0o755)
    return directory


def job_inputs(**props: Any) -> JobInputs:
    """Inputs as the provider parses them at its boundary, for a test of the service."""
    inputs, violations = parse(props)
    assert violations == [], violations
    return inputs


def clone_of_the_repository(destination: Path) -> Path:
    """What `git clone` of this repository gives: every file git tracks (or would track: the
    working tree's, as CI's clean clone has them), and nothing it ignores."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination
