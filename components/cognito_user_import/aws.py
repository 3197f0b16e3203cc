"""Where the provider meets AWS: settings from stack config, clients, and error messages.

Settings follow pulumi-aws's config keys (`aws:region`, `aws:profile`, `aws:endpoints`,
`aws:accessKey`...) so a stack configured for pulumi-aws configures this provider too, and
fall back to botocore's standard environment and credential chain. Throttling and internal
errors are retried by botocore's standard retry mode; what is left is turned into a message
that names the field or the fix.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    ProfileNotFound,
)

if TYPE_CHECKING:
    import botocore.loaders
    import botocore.model
    import botocore.session
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_logs import CloudWatchLogsClient

#: Attempts per call, the first included, for throttling and 5xx answers (`aws:maxRetries`
#: in stack config sets retries, as for pulumi-aws).
MAX_ATTEMPTS = 8
#: pulumi-aws's (Terraform's) endpoint keys for Cognito user pools and CloudWatch Logs.
ENDPOINT_KEYS = ("cognitoidp", "cognito-idp", "cognitoidentityprovider")
LOGS_ENDPOINT_KEYS = ("cloudwatchlogs", "logs", "cloudwatch-logs")
_SESSION_LOCK = threading.Lock()
_T = TypeVar("_T")


#: The stack config keys the provider reads, pulumi-aws's names (from_stack_config).
STACK_KEYS = (
    "aws:region", "aws:profile", "aws:endpoints", "aws:accessKey", "aws:secretKey",
    "aws:token", "aws:maxRetries",
)  # fmt: skip


class ConfigError(Exception):
    """A stack config key of this provider is malformed; the message names it."""


@dataclass(frozen=True)
class AwsSettings:
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    logs_endpoint_url: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    session_token: str | None = None
    max_attempts: int = MAX_ATTEMPTS

    @classmethod
    def from_stack_config(cls, get: Callable[[str], Any]) -> AwsSettings:
        """Read pulumi-aws's keys through `get` (the dynamic provider's Config.get)."""
        retries = get("aws:maxRetries")
        if retries not in (None, "") and not str(retries).strip().isdigit():
            raise ConfigError(
                f"aws:maxRetries must be a whole number of retries, 0 or more (it is "
                f"{retries!r}): `pulumi config set aws:maxRetries 7`."
            )
        return cls(
            region=get("aws:region") or None,
            profile=get("aws:profile") or None,
            endpoint_url=_endpoint(get("aws:endpoints"), ENDPOINT_KEYS),
            logs_endpoint_url=_endpoint(get("aws:endpoints"), LOGS_ENDPOINT_KEYS),
            access_key=get("aws:accessKey") or None,
            secret_key=get("aws:secretKey") or None,
            session_token=get("aws:token") or None,
            max_attempts=int(retries or MAX_ATTEMPTS - 1) + 1,
        )


ENDPOINTS_FORM = (
    "aws:endpoints must be a list of {service: url} maps, as for pulumi-aws: "
    "`pulumi config set --path 'aws:endpoints[0].cognitoidp' https://...`"
)


def _endpoint(endpoints: Any, keys: tuple[str, ...]) -> str | None:
    """`aws:endpoints` is a list of {service: url} maps, JSON-encoded in the engine's config."""
    if isinstance(endpoints, str) and endpoints:
        try:
            endpoints = json.loads(endpoints)
        except json.JSONDecodeError:
            raise ConfigError(f"{ENDPOINTS_FORM} (it is not JSON).") from None
    if endpoints and not isinstance(endpoints, list | dict):
        raise ConfigError(f"{ENDPOINTS_FORM}.")
    for entry in endpoints if isinstance(endpoints, list) else [endpoints]:
        if isinstance(entry, dict):
            for key in keys:
                if entry.get(key):
                    return str(entry[key])
    return None


# botocore's session, loader and client modules load on first use: a program that only
# pickles the provider never pays for them, and the provider host pays once, at its first call.


@cache
def _data_loader() -> botocore.loaders.Loader:
    """One loader of botocore's service models per process: every session shares its cache,
    so the Cognito model is parsed once, whether the input checks or a client ask first."""
    import botocore.loaders  # noqa: PLC0415

    return botocore.loaders.create_loader()


@cache
def _session(profile: str | None) -> botocore.session.Session:
    """One session a profile per process, built under _SESSION_LOCK: building one registers
    botocore's handlers (a tenth of a host's first call), and it resolves its credentials once.
    Callers hold the lock: sessions are not thread-safe to build or to make clients with."""
    import botocore.session  # noqa: PLC0415

    session = botocore.session.get_session()
    session.register_component("data_loader", _data_loader())
    if profile:
        session.set_config_variable("profile", profile)
    return session


def service_model(name: str) -> botocore.model.ServiceModel:
    """A service's botocore model (its shapes and their rules), from the shared loader."""
    with _SESSION_LOCK:
        return _kept(_session(None).get_service_model(name))


def _kept(built: _T) -> _T:
    """Freeze what is alive once botocore has built a model or a client (gc.freeze): the
    cyclic GC never walks those objects again. They live as long as the process (in the
    provider host, one operation); what few unreachable cycles exist at that moment stay
    until exit. Without this, every full collection, and the host's exit (which the engine
    waits for at the end of each `pulumi up` and preview), walks botocore's modules, models
    and endpoint data: a tenth of a second a host."""
    gc.freeze()
    return built


def _client(settings: AwsSettings, service: str, endpoint_url: str | None) -> Any:
    """A botocore client: boto3 would add only its resource layer, which the provider never
    uses, for a third of the import time."""
    from botocore.config import Config  # noqa: PLC0415

    with _SESSION_LOCK:
        client = _session(settings.profile).create_client(
            service,
            region_name=settings.region,
            endpoint_url=endpoint_url,
            aws_access_key_id=settings.access_key,
            aws_secret_access_key=settings.secret_key,
            aws_session_token=settings.session_token,
            config=Config(
                retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
                connect_timeout=10,
                read_timeout=60,
            ),
        )
    return _kept(client)


@cache
def logs_client(settings: AwsSettings) -> CloudWatchLogsClient:
    """CloudWatch Logs, where Cognito writes each line's outcome (aws:endpoints'
    `cloudwatchlogs` entry, as for pulumi-aws)."""
    client: CloudWatchLogsClient = _client(settings, "logs", settings.logs_endpoint_url)
    return client


@cache
def cognito_client(settings: AwsSettings) -> CognitoIdentityProviderClient:
    """One client per settings, built on first use (never pickled with the provider)."""
    client: CognitoIdentityProviderClient = _client(settings, "cognito-idp", settings.endpoint_url)
    # The stub types handlers as returning None; botocore does read needs-retry answers.
    client.meta.events.register_first(
        "needs-retry.cognito-identity-provider",
        _quota_is_final,  # type: ignore[arg-type]
    )
    return client


def _quota_is_final(response: Any = None, **_: Any) -> bool | None:
    """Veto botocore's retry of LimitExceededException.

    botocore's retry modes count that code as throttling, but from Cognito it is a quota
    (1,000 import jobs a pool): retrying only makes the user wait for the same answer.
    The first handler's non-None answer decides; None leaves the decision to botocore.
    """
    if (
        response is not None
        and response[1].get("Error", {}).get("Code") == "LimitExceededException"
    ):
        return False
    return None


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def error_message(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Message", ""))


def is_role_not_assumable(error: ClientError) -> bool:
    """Cognito's answer while a new role has not propagated through IAM yet."""
    message = error_message(error).lower()
    return error_code(error) == "InvalidParameterException" and (
        "role" in message and ("assume" in message or "trust" in message)
    )


class AwsCallError(Exception):
    """An AWS failure explained for the person running `pulumi up`."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        #: Cognito's error code, when Cognito answered.
        self.code = code

    @property
    def not_found(self) -> bool:
        """Cognito answered ResourceNotFoundException: the pool (or the job) is gone."""
        return self.code == "ResourceNotFoundException"


@dataclass(frozen=True)
class PoolInputs:
    """The inputs that name a pool and its region: what a failure about it sends the user
    to check (the target's, or a copy's source's)."""

    pool: str = "user_pool_id"
    region: str = "aws:region"


TARGET_INPUTS = PoolInputs()
SOURCE_INPUTS = PoolInputs("source_user_pool_id", "source_region")


@dataclass(frozen=True)
class Subject:
    """What a call was about, so its failure names the right thing."""

    pool_id: str = "?"
    job_id: str | None = None
    role_arn: str = "?"
    inputs: PoolInputs = TARGET_INPUTS


def explain(error: Exception, operation: str, subject: Subject = Subject()) -> AwsCallError:
    """Turn an AWS or botocore failure into a message naming the field or the fix."""
    if isinstance(error, NoRegionError):
        return AwsCallError(
            "No AWS region is set: run `pulumi config set aws:region <region>` or set AWS_REGION."
        )
    if isinstance(error, NoCredentialsError):
        return AwsCallError(
            "No AWS credentials found: set aws:profile in stack config, or AWS_PROFILE / "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment."
        )
    if isinstance(error, ProfileNotFound):
        return AwsCallError(f"{error} (from aws:profile or AWS_PROFILE).")
    if isinstance(error, EndpointConnectionError):
        return AwsCallError(
            f"Could not reach the Cognito endpoint ({error}). Check aws:region, or the "
            "cognitoidp entry of aws:endpoints if you set one."
        )
    if isinstance(error, BotoCoreError):
        return AwsCallError(f"{operation} failed before reaching AWS: {error}")
    if not isinstance(error, ClientError):
        return AwsCallError(f"{operation} failed: {error}")
    code = error_code(error)
    return AwsCallError(_client_error_message(error, operation, subject), code)


def _client_error_message(error: ClientError, operation: str, subject: Subject) -> str:
    pool, role = subject.pool_id, subject.role_arn
    code, message = error_code(error), error_message(error)
    attempts = int(error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1
    said = f"(AWS: {code}: {message})"
    if code == "ResourceNotFoundException" and subject.job_id:
        return (
            f"user import job {subject.job_id} was not found in user pool {pool!r}: the job "
            f"id is wrong, or the pool is gone (with its jobs). Check the id, user_pool_id "
            f"and aws:region. {said}"
        )
    if code == "ResourceNotFoundException":
        names = subject.inputs
        return (
            f"{names.pool} {pool!r} does not exist in this account and region. Check "
            f"{names.pool} and {names.region}. {said}"
        )
    if is_role_not_assumable(error):
        return (
            f"Cognito cannot use cloud_watch_logs_role_arn {role!r}: the role must exist and "
            f"trust cognito-idp.amazonaws.com (see README, 'The logging role'). A role created "
            f"moments ago can take a minute to propagate through IAM. {said}"
        )
    if code == "LimitExceededException":
        return (
            f"User pool {pool!r} has reached Cognito's quota of import jobs (1,000 a pool; jobs "
            f"cannot be deleted). Request an increase in Service Quotas, or import into "
            f"another pool. {said}"
        )
    if code in ("NotAuthorizedException", "AccessDeniedException", "UnrecognizedClientException"):
        return (
            f"The deployer's AWS credentials may not call cognito-idp:{operation} on {pool!r}"
            + (f" or iam:PassRole on {role!r}" if operation == "CreateUserImportJob" else "")
            + f". Grant the permissions listed in README, 'IAM permissions'. {said}"
        )
    if code in ("TooManyRequestsException", "ThrottlingException"):
        return (
            f"Cognito throttled {operation} {attempts} times in a row. Run again later, or "
            f"with fewer parallel operations (`pulumi up --parallel 1`). {said}"
        )
    if code == "InternalErrorException":
        return (
            f"Cognito failed internally on {operation} {attempts} times in a row; run again. {said}"
        )
    if code == "OperationNotEnabledException":
        return (
            f"{operation} is not enabled for {pool!r} in this region (a replica region of a "
            f"multi-Region pool?). Import in the pool's primary region. {said}"
        )
    if code == "InvalidParameterException":
        return f"Cognito rejected an input of {operation}. {said}"
    return f"{operation} failed. {said}"
