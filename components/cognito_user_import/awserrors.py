"""AWS failures told as the person running Pulumi needs them: each names the setting, the
input or the fix, and has a kind that says whether running again can help (preview fails on
every kind but `TRANSIENT`, which may be over by `up`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    CredentialRetrievalError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSLError,
)

from .commands import tool
from .errors import UserError
from .fields import Input
from .settings import AwsSettings


class Kind(StrEnum):
    """What a failure means for whoever runs Pulumi, and for preview's verdict."""

    #: A setting is missing or wrong (region, credentials, profile, endpoint TLS): the same
    #: run fails again until it is fixed. Preview fails on it.
    SETTING = "setting"
    #: The credentials may not make the call: preview fails on it.
    DENIED = "denied"
    #: The pool (or the job) does not exist: preview fails on it.
    NOT_FOUND = "not found"
    #: AWS could not be reached or kept failing: running again may work. Preview says what
    #: it could not check and passes; `up` checks again.
    TRANSIENT = "transient"
    #: AWS refused the call for another reason, named in the message.
    REFUSED = "refused"


class AwsCallError(UserError):
    """An AWS failure explained for the person running `pulumi up`."""

    def __init__(self, message: str, kind: Kind = Kind.REFUSED, code: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        #: Cognito's error code, when Cognito answered.
        self.code = code

    @property
    def not_found(self) -> bool:
        """Cognito answered ResourceNotFoundException: the pool (or the job) is gone."""
        return self.kind is Kind.NOT_FOUND

    @property
    def transient(self) -> bool:
        return self.kind is Kind.TRANSIENT


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


@dataclass(frozen=True)
class PoolInputs:
    """The inputs that name a pool and its region: what a failure about it sends the user
    to check (the target's, or a copy's source's)."""

    pool: str = Input.USER_POOL_ID
    #: None: the region setting itself.
    region: str | None = None


TARGET_INPUTS = PoolInputs()
SOURCE_INPUTS = PoolInputs(Input.SOURCE_USER_POOL_ID, Input.SOURCE_REGION)


@dataclass(frozen=True)
class Subject:
    """What a call was about, so its failure names the right thing."""

    pool_id: str = "?"
    job_id: str | None = None
    role_arn: str = "?"
    inputs: PoolInputs = TARGET_INPUTS


@contextmanager
def explained(operation: str, subject: Subject, settings: AwsSettings) -> Iterator[None]:
    """Turn a botocore failure inside the block into an AwsCallError about `subject`."""
    try:
        yield
    except (ClientError, BotoCoreError) as error:
        raise explain(error, operation, subject, settings) from None


def explain(
    error: Exception,
    operation: str,
    subject: Subject = Subject(),
    settings: AwsSettings | None = None,
) -> AwsCallError:
    """Turn an AWS or botocore failure into a message naming the setting, field or fix."""
    origin = (settings or AwsSettings()).origin
    if isinstance(error, NoRegionError):
        return AwsCallError(
            f"No AWS region is set: {origin.set_hint('region', 'us-east-1')}, or set "
            f"AWS_REGION or AWS_DEFAULT_REGION ({origin.guide})",
            Kind.SETTING,
        )
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return AwsCallError(
            f"No AWS credentials found for {operation}: set AWS_ACCESS_KEY_ID and "
            f"AWS_SECRET_ACCESS_KEY (or a role to assume) in the environment, or "
            f"{origin.key('profile')} or AWS_PROFILE, or {origin.key('accessKey')} and "
            f"{origin.key('secretKey')} ({origin.guide})",
            Kind.SETTING,
        )
    if isinstance(error, CredentialRetrievalError):
        return AwsCallError(
            f"The AWS credentials could not be obtained ({error}): check "
            f"{origin.key('assumeRoles')}, {origin.key('assumeRoleWithWebIdentity')} or the "
            f"profile's role ({origin.guide})",
            Kind.SETTING,
        )
    if isinstance(error, ProfileNotFound):
        return AwsCallError(
            f"{error} (from {origin.key('profile')} or AWS_PROFILE): name a profile of the "
            "shared config or credentials file",
            Kind.SETTING,
        )
    if isinstance(error, SSLError):
        return AwsCallError(
            f"{operation}: the endpoint's TLS certificate could not be verified ({error}). "
            f"Give its CA in {origin.key('customCaBundle')} or AWS_CA_BUNDLE.",
            Kind.SETTING,
        )
    if isinstance(error, ConnectionError):
        return AwsCallError(
            f"Could not reach AWS for {operation} ({error}). Check the network, "
            f"{origin.key('region')} and, if you set them, {origin.key('endpoints')} and the "
            "proxy settings.",
            Kind.TRANSIENT,
        )
    if isinstance(error, BotoCoreError):
        return AwsCallError(f"{operation} failed before reaching AWS: {error}", Kind.SETTING)
    if not isinstance(error, ClientError):
        return AwsCallError(f"{operation} failed: {error}", Kind.TRANSIENT)
    code = error_code(error)
    kind, message = _client_error(error, operation, subject, settings)
    return AwsCallError(message, kind, code)


#: Codes that mean the credentials themselves are wrong (not a permission of the call).
_BAD_CREDENTIALS = ("UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken",
                    "ExpiredTokenException", "SignatureDoesNotMatch")  # fmt: skip
_DENIED = ("NotAuthorizedException", "AccessDeniedException", "AccessDenied")
_THROTTLED = ("TooManyRequestsException", "ThrottlingException", "Throttling")


def _client_error(
    error: ClientError, operation: str, subject: Subject, settings: AwsSettings | None
) -> tuple[Kind, str]:
    pool, role = subject.pool_id, subject.role_arn
    code, message = error_code(error), error_message(error)
    attempts = int(error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)) + 1
    said = f"(AWS: {code}: {message})"
    origin = (settings or AwsSettings()).origin
    if code == "ResourceNotFoundException" and subject.job_id:
        return Kind.NOT_FOUND, (
            f"user import job {subject.job_id} was not found in user pool {pool!r}: the job "
            f"id is wrong, or the pool is gone (with its jobs). Check the id, user_pool_id "
            f"and {origin.key('region')}. {said}"
        )
    if code == "ResourceNotFoundException":
        names = subject.inputs
        region_name = names.region or origin.key("region")
        return Kind.NOT_FOUND, (
            f"{names.pool} {pool!r} does not exist in this account and region. Check "
            f"{names.pool} and {region_name}. {said}"
        )
    if is_role_not_assumable(error):
        return Kind.REFUSED, (
            f"Cognito cannot use cloud_watch_logs_role_arn {role!r}: the role must exist and "
            "trust cognito-idp.amazonaws.com (docs/guides/iam-permissions.md#the-logging-role). "
            f"A role created moments ago can take a minute to propagate through IAM. {said}"
        )
    if code == "LimitExceededException":
        return Kind.REFUSED, (
            f"User pool {pool!r} has reached Cognito's quota of import jobs (1,000 a pool; jobs "
            f"cannot be deleted). Request an increase in Service Quotas, or import into "
            f"another pool. {said}"
        )
    if code in _BAD_CREDENTIALS:
        return Kind.SETTING, (
            f"AWS did not accept the credentials for {operation}: they are wrong or expired. "
            "Check the credentials in the environment, the profile, or the role to assume "
            f"({origin.guide}). {said}"
        )
    if code in _DENIED:
        passing = f" or iam:PassRole on {role!r}" if operation == "CreateUserImportJob" else ""
        return Kind.DENIED, (
            f"The deployer's AWS credentials may not call {_action(operation)} on {pool!r}"
            f"{passing}. Grant the permissions in "
            f"docs/guides/iam-permissions.md#what-the-deployer-needs. {said}"
        )
    if code in _THROTTLED:
        return Kind.TRANSIENT, (
            f"{_service(operation)} throttled {operation} {attempts} times in a row. Run again "
            "later, or "
            f"with fewer parallel operations ({tool().one_at_a_time}). {said}"
        )
    if code in ("InternalErrorException", "InternalFailure", "ServiceUnavailable"):
        return Kind.TRANSIENT, (
            f"{_service(operation)} failed internally on {operation} {attempts} times in a row; "
            f"run again. {said}"
        )
    if code == "OperationNotEnabledException":
        return Kind.REFUSED, (
            f"{operation} is not enabled for {pool!r} in this region (a replica region of a "
            f"multi-Region pool?). Import in the pool's primary region. {said}"
        )
    if code == "InvalidParameterException":
        return Kind.REFUSED, f"Cognito rejected an input of {operation}. {said}"
    return Kind.REFUSED, f"{operation} failed. {said}"


#: The services the job calls besides Cognito: operation -> (its name, its IAM prefix).
_OTHER_SERVICES = {"GetCallerIdentity": ("STS", "sts"), "GetLogEvents": ("CloudWatch Logs", "logs")}


def _service(operation: str) -> str:
    return _OTHER_SERVICES.get(operation, ("Cognito", ""))[0]


def _action(operation: str) -> str:
    """The IAM action of an operation."""
    return f"{_OTHER_SERVICES.get(operation, ('', 'cognito-idp'))[1]}:{operation}"
