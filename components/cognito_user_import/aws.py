"""Where the provider meets AWS: sessions and clients from the settings, and error messages.

The settings (settings.py) are resolved here against the environment and the shared files,
in pulumi-aws's order: the region from the setting, then AWS_REGION, then
AWS_DEFAULT_REGION, then the profile's (botocore alone reads neither the setting nor
AWS_REGION, so the region is always given to it); the credentials from the setting, else
botocore's chain (environment, profile, web identity, container, instance metadata), then
each role to assume in turn. Throttling and internal errors are retried by botocore's retry
modes; what is left becomes a message that names the setting, the input or the fix, and
says whether running again can help (`AwsCallError.kind`).
"""

from __future__ import annotations

import gc
import os
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

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

from .errors import UserError
from .settings import AwsSettings

if TYPE_CHECKING:
    import botocore.loaders
    import botocore.model
    import botocore.session
    from botocore.credentials import Credentials
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient
    from mypy_boto3_logs import CloudWatchLogsClient

#: Attempts per call, the first included, for throttling and 5xx answers, when neither
#: maxRetries nor AWS_MAX_ATTEMPTS says otherwise.
MAX_ATTEMPTS = 8
_SESSION_LOCK = threading.RLock()
_T = TypeVar("_T")


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


# botocore's session, loader and client modules load on first use: a program that only
# pickles the provider never pays for them, and the provider host pays once, at its first call.


@cache
def _data_loader() -> botocore.loaders.Loader:
    """One loader of botocore's service models per process: every session shares its cache,
    so the Cognito model is parsed once, whether the input checks or a client ask first."""
    import botocore.loaders  # noqa: PLC0415

    return botocore.loaders.create_loader()


def _kept(built: _T) -> _T:
    """Freeze what is alive once botocore has built a model or a client (gc.freeze): the
    cyclic GC never walks those objects again. They live as long as the process (in the
    provider host, one operation); what few unreachable cycles exist at that moment stay
    until exit. Without this, every full collection, and the host's exit (which the engine
    waits for at the end of each `pulumi up` and preview), walks botocore's modules, models
    and endpoint data: a tenth of a second a host."""
    gc.freeze()
    return built


@cache
def _model_session() -> botocore.session.Session:
    import botocore.session  # noqa: PLC0415

    session = botocore.session.Session()
    session.register_component("data_loader", _data_loader())
    return session


def service_model(name: str) -> botocore.model.ServiceModel:
    """A service's botocore model (its shapes and their rules), from the shared loader."""
    with _SESSION_LOCK:
        return _kept(_model_session().get_service_model(name))


@dataclass(frozen=True)
class Region:
    """The region the calls go to, and the setting it came from (for messages)."""

    name: str
    source: str


@cache
def session_of(settings: AwsSettings) -> botocore.session.Session:
    """One botocore session per settings and process, built under _SESSION_LOCK (sessions
    are not thread-safe to build or to make clients with): the shared files, the profile,
    the instance-metadata settings, and the credentials, resolved on first use."""
    import botocore.session  # noqa: PLC0415

    session = botocore.session.Session()
    session.register_component("data_loader", _data_loader())
    variables = {
        "profile": settings.profile,
        "config_file": settings.shared_config_file,
        "credentials_file": settings.shared_credentials_file,
        "ec2_metadata_service_endpoint": settings.ec2_metadata_endpoint,
        "ec2_metadata_service_endpoint_mode": settings.ec2_metadata_endpoint_mode,
    }
    for name, value in variables.items():
        if value:
            session.set_config_variable(name, value)
    if settings.skip_metadata_api_check:
        session.get_component("credential_provider").remove("iam-role")
    if settings.access_key:
        _given(session, _static_credentials(settings))
    if settings.web_identity is not None or settings.assume_roles:
        _given(session, _assumed_credentials(session, settings))
    return session


def _static_credentials(settings: AwsSettings) -> Credentials:
    """The key pair of the settings (AwsSettings.parse refuses half of one)."""
    from botocore.credentials import Credentials  # noqa: PLC0415

    assert settings.access_key and settings.secret_key
    return Credentials(settings.access_key, settings.secret_key, settings.token)


def _given(session: botocore.session.Session, credentials: Credentials) -> None:
    """Make `credentials` the session's, in place of botocore's chain."""
    from botocore.credentials import CredentialProvider, CredentialResolver  # noqa: PLC0415

    class Given(CredentialProvider):
        METHOD = "cognito-user-import"

        def load(self) -> Credentials:
            return credentials

    session.register_component("credential_provider", CredentialResolver([Given()]))


def _assumed_credentials(session: botocore.session.Session, settings: AwsSettings) -> Any:
    """The web identity's role, then each role of assumeRoles in turn, each assumed with
    the credentials before it and refreshed before it expires (an import can outlast a
    role session)."""
    from botocore.credentials import (  # noqa: PLC0415
        AssumeRoleCredentialFetcher,
        AssumeRoleWithWebIdentityCredentialFetcher,
        DeferredRefreshableCredentials,
    )
    from botocore.utils import FileWebIdentityTokenLoader  # noqa: PLC0415

    sts_region = (
        settings.sts_region
        or (_region_before_profile(settings) or _profile_region(settings, session)).name
    )

    def sts_client(service: str, **kwargs: Any) -> Any:
        return session.create_client(
            service, region_name=sts_region, endpoint_url=settings.endpoint("sts"), **kwargs
        )

    identity = settings.web_identity
    if identity is not None:
        token = identity.token
        web = AssumeRoleWithWebIdentityCredentialFetcher(
            client_creator=sts_client,
            web_identity_token_loader=(
                (lambda: token) if token else FileWebIdentityTokenLoader(identity.token_file)
            ),
            role_arn=identity.role_arn,
            extra_args={"RoleSessionName": identity.session_name, **identity.request()},
        )
        credentials = DeferredRefreshableCredentials(web.fetch_credentials, "assume-role")
    else:
        credentials = session.get_component("credential_provider").load_credentials()
        if credentials is None:
            raise NoCredentialsError()
    for role in settings.assume_roles:
        fetcher = AssumeRoleCredentialFetcher(
            client_creator=sts_client,
            source_credentials=credentials,
            role_arn=role.role_arn,
            extra_args={"RoleSessionName": role.session_name, **role.request()},
        )
        credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
    return credentials


def region(settings: AwsSettings) -> Region:
    """The region of the calls: the setting, AWS_REGION, AWS_DEFAULT_REGION, the profile's."""
    found = _region_before_profile(settings)
    if found is not None:
        return found
    with _SESSION_LOCK, _explained_settings(settings):
        return _profile_region(settings, session_of(settings))


def _region_before_profile(settings: AwsSettings) -> Region | None:
    if settings.region:
        return Region(settings.region, settings.origin.key("region"))
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(variable):
            return Region(os.environ[variable], variable)
    return None


def _profile_region(settings: AwsSettings, session: botocore.session.Session) -> Region:
    profile = session.get_config_variable("profile") or "default"
    configured = session.get_scoped_config().get("region")
    if configured:
        return Region(str(configured), f"the region of the profile {profile!r}")
    raise AwsCallError(
        f"No AWS region for the import job: {settings.origin.set_hint('region', 'us-east-1')}, "
        "or set AWS_REGION or AWS_DEFAULT_REGION in the environment, or a region in the "
        f"profile {profile!r} of the shared config file; pulumi-aws looks in the same places, "
        "in that order (docs/installation-configuration.md#aws-settings)",
        Kind.SETTING,
    )


def proxies(settings: AwsSettings, url: str) -> dict[str, str]:
    """The proxy for one URL (an endpoint, or an upload), as pulumi-aws decides it: the
    httpProxy or httpsProxy setting, else HTTP_PROXY or HTTPS_PROXY; none for a host that
    noProxy, else NO_PROXY, names."""
    parts = urlsplit(url)
    scheme, host = parts.scheme, parts.hostname or ""
    given = settings.https_proxy if scheme == "https" else settings.http_proxy
    proxy = given or urllib.request.getproxies_environment().get(scheme)
    if not proxy:
        return {}
    no_proxy = {"no": settings.no_proxy} if settings.no_proxy is not None else None
    return {} if _bypassed(host, no_proxy) else {scheme: proxy}


def _bypassed(host: str, no_proxy: dict[str, str] | None) -> bool:
    """urllib's own reading of NO_PROXY (hosts, domains, ports, `*`), for a given list."""
    bypass: Callable[..., bool] = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return bool(bypass(host, no_proxy))


def _some_proxy(settings: AwsSettings) -> bool:
    environment = urllib.request.getproxies_environment()
    return bool(settings.http_proxy or settings.https_proxy or {"http", "https"} & set(environment))


def _client(settings: AwsSettings, service: str) -> Any:
    """A botocore client: boto3 would add only its resource layer, which the provider never
    uses, for a third of the import time."""
    from botocore.config import Config  # noqa: PLC0415

    where = region(settings)
    with _SESSION_LOCK, _explained_settings(settings):
        session = session_of(settings)
        arguments: dict[str, Any] = {"region_name": where.name}
        if settings.endpoint(service):
            arguments["endpoint_url"] = settings.endpoint(service)
        if settings.insecure:
            arguments["verify"] = False
            # Asked for in the settings: no warning on every request (pulumi-aws gives none).
            warnings.filterwarnings("ignore", message="Unverified HTTPS request")
        elif settings.custom_ca_bundle:
            arguments["verify"] = settings.custom_ca_bundle
        config = Config(
            retries={"mode": _retry_mode(settings), "total_max_attempts": _attempts(settings)},
            connect_timeout=10,
            read_timeout=60,
            use_fips_endpoint=settings.use_fips_endpoint,
            use_dualstack_endpoint=settings.use_dualstack_endpoint,
            user_agent_extra=" ".join(settings.user_agents) or None,
        )
        # botocore applies the environment's proxies when given none: `{}` means none. The
        # proxy depends on the endpoint's URL, which only a client knows (FIPS, dual-stack).
        client = session.create_client(service, config=config, **arguments)
        if _some_proxy(settings):
            routed = proxies(settings, client.meta.endpoint_url)
            client = session.create_client(
                service, config=config.merge(Config(proxies=routed)), **arguments
            )
    _check_account(settings, session, where.name)
    return _kept(client)


def _attempts(settings: AwsSettings) -> int:
    if settings.max_retries is not None:
        return settings.max_retries + 1
    from_environment = os.environ.get("AWS_MAX_ATTEMPTS", "").strip()
    return int(from_environment) if from_environment.isdigit() else MAX_ATTEMPTS


def _retry_mode(settings: AwsSettings) -> Literal["standard", "adaptive"]:
    mode = settings.retry_mode or os.environ.get("AWS_RETRY_MODE", "").strip().lower()
    return "adaptive" if mode == "adaptive" else "standard"


def _check_account(settings: AwsSettings, session: Any, region_name: str) -> None:
    """allowedAccountIds / forbiddenAccountIds: the credentials' account (GetCallerIdentity,
    once per settings and process), before any call that changes anything."""
    if not (settings.allowed_account_ids or settings.forbidden_account_ids):
        return
    account = _account(settings, region_name)
    origin = settings.origin
    if settings.allowed_account_ids and account not in settings.allowed_account_ids:
        raise AwsCallError(
            f"The AWS credentials belong to account {account}, which "
            f"{origin.key('allowedAccountIds')} does not list: the job is not created in an "
            "account the stack does not allow. Use the credentials of an allowed account.",
            Kind.SETTING,
        )
    if account in settings.forbidden_account_ids:
        raise AwsCallError(
            f"The AWS credentials belong to account {account}, which "
            f"{origin.key('forbiddenAccountIds')} lists: the job is not created in a "
            "forbidden account. Use the credentials of another account.",
            Kind.SETTING,
        )


@cache
def _account(settings: AwsSettings, region_name: str) -> str:
    with _SESSION_LOCK, _explained_settings(settings):
        sts: Any = session_of(settings).create_client(
            "sts",
            region_name=settings.sts_region or region_name,
            endpoint_url=settings.endpoint("sts"),
        )
    with explained("GetCallerIdentity", Subject(), settings):
        return str(sts.get_caller_identity()["Account"])


def forget_clients() -> None:
    """Build every session and client afresh: for a process whose environment changes after
    its first call (a host lives one operation, and never needs this)."""
    for cached in (session_of, _account, logs_client, cognito_client):
        cached.cache_clear()


@cache
def logs_client(settings: AwsSettings) -> CloudWatchLogsClient:
    """CloudWatch Logs, where Cognito writes each line's outcome (the endpoints setting's
    `cloudwatchlogs` entry, as for pulumi-aws)."""
    client: CloudWatchLogsClient = _client(settings, "logs")
    return client


@cache
def cognito_client(settings: AwsSettings) -> CognitoIdentityProviderClient:
    """One client per settings, built on first use (never pickled with the provider)."""
    client: CognitoIdentityProviderClient = _client(settings, "cognito-idp")
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


@dataclass(frozen=True)
class PoolInputs:
    """The inputs that name a pool and its region: what a failure about it sends the user
    to check (the target's, or a copy's source's)."""

    pool: str = "user_pool_id"
    #: None: the region setting itself.
    region: str | None = None


TARGET_INPUTS = PoolInputs()
SOURCE_INPUTS = PoolInputs("source_user_pool_id", "source_region")


@dataclass(frozen=True)
class Subject:
    """What a call was about, so its failure names the right thing."""

    pool_id: str = "?"
    job_id: str | None = None
    role_arn: str = "?"
    inputs: PoolInputs = TARGET_INPUTS


@contextmanager
def _explained_settings(settings: AwsSettings) -> Iterator[None]:
    """A failure to build a session (an unknown profile, an unreadable shared file) named
    by the setting it came from."""
    try:
        yield
    except ProfileNotFound as error:
        raise AwsCallError(
            f"{error} (from {settings.origin.key('profile')} or AWS_PROFILE): name a profile "
            "of the shared config or credentials file",
            Kind.SETTING,
        ) from None
    except (BotoCoreError, ClientError) as error:
        raise explain(error, "reading the AWS settings", settings=settings) from None


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
            "AWS_REGION or AWS_DEFAULT_REGION (docs/installation-configuration.md#aws-settings)",
            Kind.SETTING,
        )
    if isinstance(error, NoCredentialsError | PartialCredentialsError):
        return AwsCallError(
            f"No AWS credentials found for {operation}: set AWS_ACCESS_KEY_ID and "
            f"AWS_SECRET_ACCESS_KEY (or a role to assume) in the environment, or "
            f"{origin.key('profile')} or AWS_PROFILE, or {origin.key('accessKey')} and "
            f"{origin.key('secretKey')} (docs/installation-configuration.md#aws-settings)",
            Kind.SETTING,
        )
    if isinstance(error, CredentialRetrievalError):
        return AwsCallError(
            f"The AWS credentials could not be obtained ({error}): check "
            f"{origin.key('assumeRoles')}, {origin.key('assumeRoleWithWebIdentity')} or the "
            "profile's role (docs/installation-configuration.md#aws-settings)",
            Kind.SETTING,
        )
    if isinstance(error, ProfileNotFound):
        return AwsCallError(f"{error} (from {origin.key('profile')} or AWS_PROFILE)", Kind.SETTING)
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
            f"(docs/installation-configuration.md#aws-settings). {said}"
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
            f"with fewer parallel operations (`pulumi up --parallel 1`). {said}"
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
