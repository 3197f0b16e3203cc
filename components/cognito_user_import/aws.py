"""Where the provider meets AWS: sessions and clients made from the settings.

The settings (settings.py) are resolved here against the environment and the shared files,
in pulumi-aws's order: the region from the setting, then AWS_REGION, then
AWS_DEFAULT_REGION, then the profile's (botocore alone reads neither the setting nor
AWS_REGION, so the region is always given to it); the credentials from the setting, else
botocore's chain (environment, profile, web identity, container, instance metadata), then
each role to assume in turn. Throttling and internal errors are retried by botocore's retry
modes; what is left becomes a message (awserrors.py).
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
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
)

from .awserrors import AwsCallError, Kind, Subject, explain, explained
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
        f"profile {profile!r} of the shared config file; {settings.origin.peer} looks in the "
        f"same places, in that order ({settings.origin.guide})",
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


@contextmanager
def _explained_settings(settings: AwsSettings) -> Iterator[None]:
    """A failure to build a session (an unknown profile, an unreadable shared file) named
    by the setting it came from."""
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise explain(error, "reading the AWS settings", settings=settings) from None
