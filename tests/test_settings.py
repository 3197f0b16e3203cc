"""AWS settings resolve as pulumi-aws resolves them: one test (or a parametrized family) per
row of the table in docs/installation-configuration.md#aws-settings, against localaws.

Each test configures the provider as the engine does (the stack's `aws:*` config, or an
explicit aws.Provider's arguments recorded with the job), sets the environment and the
shared files a deployer would, and previews an import: what it can observe tells which
setting won. A pool exists only in one region, or one account (localaws gives an assumed
role's calls its account), so a preview that finds it proves the region and the role; a
request signed with a key, or seen by a proxy, proves the credentials and the route.
"""

import importlib.util
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.config import Config as BotocoreConfig
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from cognito_user_import import UserImportJobProvider
from cognito_user_import.aws import cognito_client, forget_clients, session_of
from cognito_user_import.fields import Input
from cognito_user_import.provider import ProviderError
from cognito_user_import.settings import USES, AwsSettings, SettingError, Use, record
from tests.peers import ForwardProxy, MetadataService, tls_localaws
from tests.support import ROOT, SAMPLE, Aws

#: The role Cognito logs with; never assumed here, so any account's ARN will do.
ROLE = "arn:aws:iam::123456789012:role/cognito-import-logs"
OTHER_ACCOUNT, THIRD_ACCOUNT, CI_ACCOUNT = "111111111111", "222222222222", "333333333333"


@pytest.fixture(autouse=True)
def deployer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A deployer's machine with no AWS settings at all: no AWS_* or proxy variables, a
    home without ~/.aws, no instance metadata (unless a test serves one). Sessions and
    clients are built afresh for each test, as each provider host builds its own."""
    for name in list(os.environ):
        if name.startswith("AWS_") or name.lower() in ("http_proxy", "https_proxy", "no_proxy"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    forget_clients()
    yield home
    forget_clients()


def endpoints(aws: Aws) -> str:
    return json.dumps(
        [{"cognitoidp": aws.endpoint, "cloudwatchlogs": aws.endpoint, "sts": aws.endpoint}]
    )


def keys() -> dict[str, str]:
    return {"aws:accessKey": "testing", "aws:secretKey": "testing"}


def provider_for(config: dict[str, str]) -> UserImportJobProvider:
    provider = UserImportJobProvider()
    provider.configure(ConfigureRequest(Config(config, "cognito-user-import")))
    return provider


def preview(config: dict[str, str], pool: str, **inputs: Any) -> list[str]:
    """What `pulumi preview` reports of a job into `pool`, the stack configured so."""
    news = {"user_pool_id": pool, "job_name": "settings", "cloud_watch_logs_role_arn": ROLE}
    result = provider_for(config).check({}, {**news, **inputs})
    return [failure.reason for failure in result.failures]


def signatures(config: dict[str, str]) -> list[str]:
    """The Authorization headers of the calls the provider makes with this config."""
    seen: list[str] = []
    client = cognito_client(AwsSettings.from_stack_config(config.get))
    client.meta.events.register(
        "before-send", lambda request, **_: seen.append(request.headers["Authorization"].decode())
    )
    return seen


def shared_files(directory: Path, config: str, credentials: str = "") -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config").write_text(config)
    (directory / "credentials").write_text(credentials)
    return directory / "config", directory / "credentials"


def pool_in_account(aws: Aws, account: str) -> str:
    """A pool that exists only in `account` (localaws keys an assumed role's calls to it)."""
    return aws.in_account(account).pool("elsewhere")


def missing(pool: str) -> str:
    return f"user_pool_id {pool!r} does not exist in this account and region"


# -- the table is pulumi-aws's own list of settings --------------------------------------


def test_every_pulumi_aws_setting_has_a_row_saying_what_the_job_does_with_it() -> None:
    """pulumi-aws's config module reads its settings by name; `assumeRole` is the older
    single role. A pulumi-aws upgrade that adds one fails here until it has a row."""
    spec = importlib.util.find_spec("pulumi_aws")
    assert spec is not None and spec.submodule_search_locations
    source = (Path(spec.submodule_search_locations[0]) / "config" / "vars.py").read_text()
    theirs = set(re.findall(r"__config__\.get\w*\('(\w+)'\)", source))
    assert len(theirs) > 30
    assert set(USES) == theirs | {"assumeRole"}


def test_the_configuration_page_shows_the_table_as_the_code_has_it() -> None:
    page = (ROOT / "docs" / "installation-configuration.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| (honoured|not used) \| (.*) \|$", page, re.MULTILINE)
    assert rows == [(name, use.value, how) for name, (use, how) in USES.items()]


# -- region: aws:region, AWS_REGION, AWS_DEFAULT_REGION, the profile's ----------------------


@pytest.mark.parametrize(
    ("config", "environment", "profile_region"),
    [
        ({"aws:region": "eu-west-1"}, {}, None),
        ({}, {"AWS_REGION": "eu-west-1"}, None),
        ({}, {"AWS_DEFAULT_REGION": "eu-west-1"}, None),
        ({}, {"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-1"}, None),
        ({"aws:region": "eu-west-1"}, {"AWS_REGION": "us-east-1"}, None),
        ({}, {}, "eu-west-1"),
        ({}, {"AWS_DEFAULT_REGION": "eu-west-1"}, "us-east-1"),
    ],
    ids=[
        "aws:region",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_REGION-before-AWS_DEFAULT_REGION",
        "aws:region-before-AWS_REGION",
        "the-profiles-region",
        "AWS_DEFAULT_REGION-before-the-profile",
    ],
)
def test_the_region_is_found_where_pulumi_aws_looks_in_its_order(
    aws: Aws,
    deployer: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, str],
    environment: dict[str, str],
    profile_region: str | None,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    if profile_region:
        shared_files(deployer / ".aws", f"[default]\nregion = {profile_region}\n")
    stack = {**config, "aws:endpoints": endpoints(aws), **keys()}
    ireland = Aws(aws.endpoint, region="eu-west-1").pool("ireland")
    virginia = aws.pool("virginia")
    assert preview(stack, ireland) == []
    forget_clients()
    [reason] = preview(stack, virginia)
    assert reason.startswith(f"{missing(virginia)}. Check user_pool_id and aws:region.")


def test_no_region_anywhere_fails_preview_naming_every_place(aws: Aws) -> None:
    [reason] = preview({"aws:endpoints": endpoints(aws), **keys()}, aws.pool())
    assert reason.startswith(
        "No AWS region for the import job: `pulumi config set aws:region us-east-1`, or set "
        "AWS_REGION or AWS_DEFAULT_REGION in the environment, or a region in the profile "
        "'default' of the shared config file"
    )
    assert "docs/installation-configuration.md#aws-settings" in reason


# -- credentials: the settings, the environment, the profile ------------------------------


def test_keys_in_the_stack_config_sign_the_calls_before_the_environments(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "environment-secret")
    base = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws)}
    stack = {**base, "aws:accessKey": "AKIAFROMSTACKCONFIG", "aws:secretKey": "s"}
    signed = signatures(stack)
    assert preview(stack, aws.pool()) == []
    assert "Credential=AKIAFROMSTACKCONFIG/" in signed[0]

    forget_clients()
    signed = signatures(base)
    assert preview(base, aws.pool()) == []
    assert "Credential=AKIAFROMENVIRONMENT/" in signed[0]


def test_half_a_key_pair_fails_preview_naming_both_settings(aws: Aws) -> None:
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), "aws:accessKey": "AKIA"}
    [reason] = preview(stack, aws.pool())
    assert reason.startswith("aws:accessKey is set without aws:secretKey: give both, or neither")


@pytest.fixture
def ops_profile(deployer: Path) -> tuple[Path, Path]:
    """The deployer's shared files: a profile `ops` (its own region and keys) beside the
    default."""
    return shared_files(
        deployer / ".aws",
        "[default]\nregion = us-east-1\n[profile ops]\nregion = eu-west-1\n",
        "[default]\naws_access_key_id = AKIADEFAULTPROFILE\naws_secret_access_key = d\n"
        "[ops]\naws_access_key_id = AKIAOPSPROFILE\naws_secret_access_key = o\n",
    )


@pytest.mark.usefixtures("ops_profile")
@pytest.mark.parametrize(
    ("config", "environment", "key"),
    [
        ({"aws:profile": "ops"}, {}, "AKIAOPSPROFILE"),
        ({}, {"AWS_PROFILE": "ops"}, "AKIAOPSPROFILE"),
        ({"aws:profile": "ops"}, {"AWS_PROFILE": "default"}, "AKIAOPSPROFILE"),
        # A profile named in the settings outranks keys in the environment (botocore and
        # the AWS SDK for Go v2 under pulumi-aws agree); AWS_PROFILE does not.
        ({"aws:profile": "ops"}, {"AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"},
         "AKIAOPSPROFILE"),
        ({}, {"AWS_PROFILE": "ops", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "e"},
         "AKIAENV"),
    ],
    ids=["aws:profile", "AWS_PROFILE", "aws:profile-before-AWS_PROFILE",
         "aws:profile-before-key-variables", "key-variables-before-AWS_PROFILE"],
)  # fmt: skip
def test_the_profile_gives_its_keys_and_region(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, str],
    environment: dict[str, str],
    key: str,
) -> None:
    pool = Aws(aws.endpoint, region="eu-west-1").pool()
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    stack = {**config, "aws:endpoints": endpoints(aws)}
    signed = signatures(stack)
    assert preview(stack, pool) == []
    assert re.search(rf"Credential={key}/\d{{8}}/eu-west-1/cognito-idp/", signed[0])


@pytest.mark.usefixtures("ops_profile")
def test_an_unknown_profile_fails_preview_naming_where_it_came_from(aws: Aws) -> None:
    [reason] = preview({"aws:profile": "nope", "aws:endpoints": endpoints(aws)}, aws.pool())
    assert "The config profile (nope) could not be found" in reason
    assert "(from aws:profile or AWS_PROFILE)" in reason


def test_shared_files_named_in_the_settings_are_read_before_the_variables(
    aws: Aws, deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, credentials = shared_files(
        deployer / "named",
        "[profile ci]\nregion = eu-west-1\n",
        "[ci]\naws_access_key_id = AKIANAMEDFILES\naws_secret_access_key = n\n",
    )
    elsewhere = shared_files(deployer / "elsewhere", "[profile ci]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(elsewhere[0]))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(elsewhere[1]))
    stack = {
        "aws:profile": "ci",
        "aws:sharedConfigFiles": json.dumps([str(config)]),
        "aws:sharedCredentialsFiles": json.dumps([str(credentials)]),
        "aws:endpoints": endpoints(aws),
    }
    signed = signatures(stack)
    assert preview(stack, Aws(aws.endpoint, region="eu-west-1").pool()) == []
    assert re.search(r"Credential=AKIANAMEDFILES/\d{8}/eu-west-1/", signed[0])


def test_the_variables_name_the_shared_files_when_the_settings_do_not(
    aws: Aws, deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, credentials = shared_files(
        deployer / "variables",
        "[default]\nregion = eu-west-1\n",
        "[default]\naws_access_key_id = AKIAVARIABLEFILES\naws_secret_access_key = v\n",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    stack = {"aws:endpoints": endpoints(aws)}
    signed = signatures(stack)
    assert preview(stack, Aws(aws.endpoint, region="eu-west-1").pool()) == []
    assert "Credential=AKIAVARIABLEFILES/" in signed[0]


def test_more_than_one_shared_file_fails_preview_naming_the_setting(aws: Aws) -> None:
    stack = {"aws:region": "us-east-1", "aws:sharedConfigFiles": '["/a", "/b"]', **keys()}
    [reason] = preview(stack, aws.pool())
    assert reason.startswith("aws:sharedConfigFiles lists 2 files; the import job reads one")


# -- roles: assumeRoles (and the older assumeRole), assumeRoleWithWebIdentity ------------


def test_assume_roles_are_assumed_in_turn_from_the_credentials(aws: Aws) -> None:
    first = {"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer", "sessionName": "ci"}
    second = {"roleArn": f"arn:aws:iam::{THIRD_ACCOUNT}:role/importer", "externalId": "x-1"}
    base = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys()}
    here = aws.pool("here")
    other = pool_in_account(aws, OTHER_ACCOUNT)
    third = pool_in_account(aws, THIRD_ACCOUNT)

    assert preview(base, here) == []
    assert preview(base, other)[0].startswith(missing(other))
    one = {**base, "aws:assumeRoles": json.dumps([first])}
    assert preview(one, other) == []
    assert preview(one, here)[0].startswith(missing(here))
    chain = {**base, "aws:assumeRoles": json.dumps([first, second])}
    assert preview(chain, third) == []
    assert preview(chain, other)[0].startswith(missing(other))


def test_the_older_single_assume_role_is_read_as_one_entry(aws: Aws) -> None:
    role = {"role_arn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer", "duration": "1h"}
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(),
             "aws:assumeRole": json.dumps(role)}  # fmt: skip
    assert preview(stack, pool_in_account(aws, OTHER_ACCOUNT)) == []
    settings = AwsSettings.from_stack_config(stack.get)
    assert settings.assume_roles[0].duration_seconds == 3600


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ('[{"sessionName": "x"}]', "aws:assumeRoles[0] needs roleArn, the role to assume"),
        ('[{"roleArn": "arn:aws:iam::1:role/r", "duration": "an hour"}]',
         "aws:assumeRoles[0].duration must be a duration such as 1h, 15m or 1h30m"),
        ("not json", "aws:assumeRoles must be an object with roleArn (or a list of them) "
         "(it is not JSON)"),
    ],
)  # fmt: skip
def test_a_malformed_role_fails_preview_naming_it(aws: Aws, roles: str, expected: str) -> None:
    stack = {"aws:region": "us-east-1", "aws:assumeRoles": roles, **keys()}
    [reason] = preview(stack, aws.pool())
    assert reason.startswith(expected)


def test_both_role_settings_at_once_fail_preview(aws: Aws) -> None:
    role = json.dumps({"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/r"})
    stack = {"aws:region": "us-east-1", "aws:assumeRole": role, "aws:assumeRoles": f"[{role}]"}
    [reason] = preview(stack, aws.pool())
    assert reason.startswith("aws:assumeRole and aws:assumeRoles are both set")


@pytest.mark.parametrize("from_file", [False, True], ids=["token", "token-file"])
def test_a_web_identity_role_is_assumed_with_its_token(
    aws: Aws, deployer: Path, from_file: bool
) -> None:
    """What a CI job's OIDC token does: no keys anywhere, the role assumed with the token."""
    token_file = deployer / "token"
    token_file.write_text("ci-oidc-token")
    identity: dict[str, str] = {"roleArn": f"arn:aws:iam::{CI_ACCOUNT}:role/ci"}
    identity |= (
        {"webIdentityTokenFile": str(token_file)}
        if from_file
        else {"webIdentityToken": "ci-oidc-token"}
    )
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws),
             "aws:assumeRoleWithWebIdentity": json.dumps(identity)}  # fmt: skip
    assert preview(stack, pool_in_account(aws, CI_ACCOUNT)) == []


def test_the_web_identity_variables_are_read_when_the_settings_name_no_role(
    aws: Aws, deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_file = deployer / "token"
    token_file.write_text("ci-oidc-token")
    monkeypatch.setenv("AWS_ROLE_ARN", f"arn:aws:iam::{CI_ACCOUNT}:role/ci")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", aws.endpoint)
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws)}
    assert preview(stack, pool_in_account(aws, CI_ACCOUNT)) == []


def test_a_web_identity_without_a_token_fails_preview(aws: Aws) -> None:
    identity = json.dumps({"roleArn": f"arn:aws:iam::{CI_ACCOUNT}:role/ci"})
    stack = {"aws:region": "us-east-1", "aws:assumeRoleWithWebIdentity": identity}
    assert preview(stack, aws.pool()) == [
        "aws:assumeRoleWithWebIdentity needs webIdentityToken or webIdentityTokenFile"
    ]


def test_sts_region_is_the_region_roles_are_assumed_in(aws: Aws) -> None:
    role = json.dumps([{"roleArn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer"}])
    stack = {"aws:region": "us-east-1", "aws:stsRegion": "eu-central-1", **keys(),
             "aws:endpoints": endpoints(aws), "aws:assumeRoles": role}  # fmt: skip
    signed: list[bytes] = []

    def record_signature(request: Any, **_: Any) -> None:
        signed.append(request.headers["Authorization"])

    session_of(AwsSettings.from_stack_config(stack.get)).register(
        "before-send.sts",
        record_signature,  # type: ignore[arg-type]
    )
    assert preview(stack, pool_in_account(aws, OTHER_ACCOUNT)) == []
    assert re.search(rb"/eu-central-1/sts/aws4_request", signed[0])


# -- endpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cognitoidp", "cognitoidentityprovider"])
def test_the_endpoints_entry_for_cognito_is_used_under_either_name(aws: Aws, name: str) -> None:
    stack = {"aws:region": "us-east-1", **keys(),
             "aws:endpoints": json.dumps([{"s3": "http://s3"}, {name: aws.endpoint}])}  # fmt: skip
    assert preview(stack, aws.pool()) == []


def test_the_endpoint_variables_are_read_when_the_settings_name_none(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws.endpoint)
    assert preview({"aws:region": "us-east-1", **keys()}, aws.pool()) == []


def test_a_malformed_endpoints_setting_fails_preview_with_its_form(aws: Aws) -> None:
    [reason] = preview({"aws:endpoints": "cognitoidp=http://x", **keys()}, aws.pool())
    assert reason.startswith("aws:endpoints must be a list of {service: url} maps")


def test_a_session_token_in_the_settings_goes_with_the_keys(aws: Aws) -> None:
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(),
             "aws:token": "session-token-from-config"}  # fmt: skip
    tokens: list[bytes] = []
    cognito_client(AwsSettings.from_stack_config(stack.get)).meta.events.register(
        "before-send", lambda request, **_: tokens.append(request.headers["X-Amz-Security-Token"])
    )
    assert preview(stack, aws.pool()) == []
    assert tokens == [b"session-token-from-config"]


# -- retries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "environment", "attempts"),
    [
        ({"aws:maxRetries": "1"}, {}, 2),
        ({}, {"AWS_MAX_ATTEMPTS": "3"}, 3),
        ({"aws:maxRetries": "0"}, {"AWS_MAX_ATTEMPTS": "3"}, 1),
    ],
    ids=["aws:maxRetries", "AWS_MAX_ATTEMPTS", "aws:maxRetries-before-AWS_MAX_ATTEMPTS"],
)
def test_retries_of_a_throttled_call_follow_max_retries(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, str],
    environment: dict[str, str],
    attempts: int,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    pool = aws.pool()
    job = aws.job(pool, aws.role())
    aws.control("faults", {"operation": "DescribeUserImportJob", "kind": "throttle", "count": 5})
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(), **config}
    with pytest.raises(ProviderError, match=f"Cognito throttled DescribeUserImportJob {attempts} "):
        provider_for(stack).read(f"{pool}/{job['JobId']}", {})
    remaining = aws.control("faults", method="GET")["pending"]["DescribeUserImportJob"]
    assert remaining[0]["remaining"] == 5 - attempts


@pytest.mark.parametrize(
    ("config", "environment", "mode"),
    [({}, {}, "standard"), ({"aws:retryMode": "adaptive"}, {}, "adaptive"),
     ({}, {"AWS_RETRY_MODE": "adaptive"}, "adaptive"),
     ({"aws:retryMode": "standard"}, {"AWS_RETRY_MODE": "adaptive"}, "standard")],
    ids=["default", "aws:retryMode", "AWS_RETRY_MODE", "aws:retryMode-before-AWS_RETRY_MODE"],
)  # fmt: skip
def test_the_retry_mode_is_the_settings(
    aws: Aws,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, str],
    environment: dict[str, str],
    mode: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(), **config}
    client = cognito_client(AwsSettings.from_stack_config(stack.get))
    retries: dict[str, Any] = getattr(client.meta.config, "retries")  # noqa: B009 - untyped
    assert retries["mode"] == mode
    assert preview(stack, aws.pool()) == []


def test_an_unknown_retry_mode_fails_preview(aws: Aws) -> None:
    [reason] = preview({"aws:region": "us-east-1", "aws:retryMode": "eager"}, aws.pool())
    assert reason == "aws:retryMode must be standard or adaptive (it is 'eager')"


# -- accounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "accounts", "allowed"),
    [
        ("allowedAccountIds", ["123456789012"], True),
        ("allowedAccountIds", [OTHER_ACCOUNT], False),
        ("forbiddenAccountIds", [OTHER_ACCOUNT], True),
        ("forbiddenAccountIds", ["123456789012"], False),
    ],
)
def test_the_credentials_account_must_be_allowed_and_not_forbidden(
    aws: Aws, setting: str, accounts: list[str], allowed: bool
) -> None:
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(),
             f"aws:{setting}": json.dumps(accounts)}  # fmt: skip
    failures = preview(stack, aws.pool())
    if allowed:
        assert failures == []
    else:
        [reason] = failures
        assert reason.startswith("The AWS credentials belong to account 123456789012, which ")
        assert f"aws:{setting}" in reason


# -- instance metadata ---------------------------------------------------------------------


@pytest.mark.parametrize("where", ["setting", "variable"])
def test_instance_credentials_come_from_the_metadata_endpoint_given(
    aws: Aws, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    metadata = MetadataService()
    with metadata.running() as url:
        stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws)}
        if where == "setting":
            stack["aws:ec2MetadataServiceEndpoint"] = url
        else:
            monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url)
        signed = signatures(stack)
        assert preview(stack, aws.pool()) == []
    assert "Credential=ASIAINSTANCEROLE/" in signed[0]
    assert "/latest/api/token" in metadata.asked


def test_skip_metadata_api_check_takes_no_credentials_from_the_instance(aws: Aws) -> None:
    os.environ.pop("AWS_EC2_METADATA_DISABLED")
    metadata = MetadataService()
    with metadata.running() as url:
        stack = {
            "aws:region": "us-east-1",
            "aws:endpoints": endpoints(aws),
            "aws:ec2MetadataServiceEndpoint": url,
            "aws:skipMetadataApiCheck": "true",
        }
        [reason] = preview(stack, aws.pool())
    assert reason.startswith("No AWS credentials found for DescribeUserPool")
    assert metadata.asked == []


def test_the_metadata_endpoint_mode_is_botocores_and_must_be_ipv4_or_ipv6(aws: Aws) -> None:
    """The mode chooses the metadata service's default address ([fd00:ec2::254] for IPv6),
    which no test machine serves: the setting reaches the session botocore's instance
    credentials read it from."""
    stack = {"aws:region": "us-east-1", "aws:ec2MetadataServiceEndpointMode": "IPv5"}
    [reason] = preview(stack, aws.pool())
    assert reason.startswith("aws:ec2MetadataServiceEndpointMode must be IPv4 or IPv6")
    settings = AwsSettings.from_stack_config({"aws:ec2MetadataServiceEndpointMode": "IPv6"}.get)
    mode = session_of(settings).get_config_variable("ec2_metadata_service_endpoint_mode")
    assert mode == "IPv6"


# -- TLS -----------------------------------------------------------------------------------


def test_an_endpoints_certificate_is_checked_against_the_ca_bundle_given(
    deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tls_localaws(deployer) as (endpoint, bundle):
        cognito = Aws(endpoint).client("cognito-idp", verify=str(bundle))
        pool = cognito.create_user_pool(PoolName="tls", AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        base = {"aws:region": "us-east-1", **keys(),
                "aws:endpoints": json.dumps([{"cognitoidp": endpoint}])}  # fmt: skip

        [reason] = preview(base, pool)
        assert "the endpoint's TLS certificate could not be verified" in reason
        assert "aws:customCaBundle or AWS_CA_BUNDLE" in reason
        forget_clients()
        assert preview({**base, "aws:customCaBundle": str(bundle)}, pool) == []
        forget_clients()
        assert preview({**base, "aws:insecure": "true"}, pool) == []
        forget_clients()
        monkeypatch.setenv("AWS_CA_BUNDLE", str(bundle))
        assert preview(base, pool) == []


# -- proxies ---------------------------------------------------------------------------------


def test_calls_and_the_upload_go_through_the_proxy_given(
    aws: Aws, deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = aws.pool()
    proxy = ForwardProxy()
    with proxy.running() as url:
        stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(),
                 "aws:httpProxy": url}  # fmt: skip
        provider = provider_for(stack)
        inputs = {"user_pool_id": pool, "job_name": "proxied", "csv_file": str(SAMPLE),
                  "cloud_watch_logs_role_arn": aws.role(), "start": True, "wait": True}  # fmt: skip
        provider.create(inputs)
        seen = {method for method, _ in proxy.requests}
        assert {"POST", "PUT"} <= seen  # Cognito's calls, and the upload to the signed URL
        assert any(
            "X-Amz-Signature" in target for method, target in proxy.requests if method == "PUT"
        )

        proxy.requests.clear()
        forget_clients()
        assert preview({**stack, "aws:noProxy": "127.0.0.1"}, pool) == []
        assert proxy.requests == []

        forget_clients()
        monkeypatch.setenv("HTTP_PROXY", url)
        assert preview({k: v for k, v in stack.items() if k != "aws:httpProxy"}, pool) == []
        assert proxy.requests != []

        proxy.requests.clear()
        forget_clients()
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert preview({k: v for k, v in stack.items() if k != "aws:httpProxy"}, pool) == []
        assert proxy.requests == []


def test_calls_to_an_https_endpoint_go_through_the_https_proxy_given(
    deployer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = ForwardProxy()
    with tls_localaws(deployer) as (endpoint, bundle), proxy.running() as url:
        cognito = Aws(endpoint).client("cognito-idp", verify=str(bundle))
        pool = cognito.create_user_pool(PoolName="tls", AutoVerifiedAttributes=["email"])[
            "UserPool"
        ]["Id"]
        stack = {"aws:region": "us-east-1", **keys(), "aws:customCaBundle": str(bundle),
                 "aws:endpoints": json.dumps([{"cognitoidp": endpoint}]),
                 "aws:httpsProxy": url}  # fmt: skip
        assert preview(stack, pool) == []
        host_port = endpoint.removeprefix("https://")
        assert proxy.requests and set(proxy.requests) == {("CONNECT", host_port)}

        proxy.requests.clear()
        forget_clients()
        monkeypatch.setenv("HTTPS_PROXY", url)
        assert preview({k: v for k, v in stack.items() if k != "aws:httpsProxy"}, pool) == []
        assert set(proxy.requests) == {("CONNECT", host_port)}


# -- endpoints chosen by botocore: FIPS, dual-stack; the User-Agent ----------------------------


@pytest.mark.parametrize(
    ("config", "environment", "fips", "dual_stack"),
    [
        ({"aws:useFipsEndpoint": "true"}, {}, True, None),
        ({}, {"AWS_USE_FIPS_ENDPOINT": "true"}, None, None),
        ({"aws:useDualstackEndpoint": "true"}, {}, None, True),
        ({}, {"AWS_USE_DUALSTACK_ENDPOINT": "true"}, None, None),
        ({}, {}, None, None),
    ],
    ids=["aws:useFipsEndpoint", "AWS_USE_FIPS_ENDPOINT", "aws:useDualstackEndpoint",
         "AWS_USE_DUALSTACK_ENDPOINT", "neither"],
)  # fmt: skip
def test_fips_and_dual_stack_endpoints_are_chosen_as_set(
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, str],
    environment: dict[str, str],
    fips: bool | None,
    dual_stack: bool | None,
) -> None:
    """Where the job would call real AWS is botocore's choice for these settings (no
    request is sent: the client only names the endpoint)."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = AwsSettings.from_stack_config({"aws:region": "us-east-1", **config}.get)
    client = cognito_client(settings)
    expected = botocore.session.Session().create_client(
        "cognito-idp",
        region_name="us-east-1",
        config=BotocoreConfig(use_fips_endpoint=fips, use_dualstack_endpoint=dual_stack),
    )
    assert client.meta.endpoint_url == expected.meta.endpoint_url
    if fips or "AWS_USE_FIPS_ENDPOINT" in environment:
        assert client.meta.endpoint_url == "https://cognito-idp-fips.us-east-1.amazonaws.com"


def test_user_agents_are_added_to_every_call(aws: Aws) -> None:
    stack = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys(),
             "aws:userAgents": '["pipeline/1.4 (nightly)"]'}  # fmt: skip
    agents: list[bytes] = []
    cognito_client(AwsSettings.from_stack_config(stack.get)).meta.events.register(
        "before-send", lambda request, **_: agents.append(request.headers["User-Agent"])
    )
    assert preview(stack, aws.pool()) == []
    assert agents[0].endswith(b" pipeline/1.4 (nightly)")


# -- settings the job does not use ---------------------------------------------------------------


def test_settings_the_job_makes_no_call_for_change_nothing(aws: Aws) -> None:
    """Each `not used` row set as a stack would set it: the job's calls are the same."""
    values = {
        "defaultTags": '{"tags": {"team": "identity"}}', "ignoreTags": '{"keys": ["x"]}',
        "tagPolicyCompliance": "error", "s3UsePathStyle": "true",
        "s3UsEast1RegionalEndpoint": "regional", "skipCredentialsValidation": "true",
        "skipRegionValidation": "true", "skipRequestingAccountId": "true",
        "tokenBucketRateLimiterCapacity": "500",
    }  # fmt: skip
    assert set(values) == {name for name, (use, _) in USES.items() if use is Use.NOT_USED}
    base = {"aws:region": "us-east-1", "aws:endpoints": endpoints(aws), **keys()}
    with_them = {**base, **{f"aws:{name}": value for name, value in values.items()}}
    assert AwsSettings.from_stack_config(with_them.get) == AwsSettings.from_stack_config(base.get)
    assert preview(with_them, aws.pool()) == []


# -- an explicit aws.Provider: its arguments, recorded with the job -------------------------------


def test_an_explicit_providers_settings_are_the_jobs_and_the_stacks_are_not_read(
    aws: Aws,
) -> None:
    """pulumi-aws's explicit providers read no stack config: nor does the job given one."""
    pool = Aws(aws.endpoint, region="eu-west-1").pool()
    misleading = {
        "aws:region": "us-east-1",
        "aws:endpoints": '[{"cognitoidp": "http://127.0.0.1:9"}]',
    }
    arguments = {"region": "eu-west-1", "accessKey": "testing", "secretKey": "testing",
                 "endpoints": json.dumps([{"cognitoidp": aws.endpoint}])}  # fmt: skip
    assert preview(misleading, pool, **{Input.AWS_SETTINGS: record(arguments, "prod")}) == []


def test_an_explicit_providers_missing_setting_is_named_on_it(aws: Aws) -> None:
    recorded = record({"endpoints": json.dumps([{"cognitoidp": aws.endpoint}])}, "prod")
    [reason] = preview({"aws:region": "us-east-1"}, aws.pool(), **{Input.AWS_SETTINGS: recorded})
    assert reason.startswith(
        "No AWS region for the import job: give the aws.Provider 'prod' `region`, or set "
        "AWS_REGION or AWS_DEFAULT_REGION"
    )
    [reason] = preview({}, aws.pool(), **{Input.AWS_SETTINGS: record({"maxRetries": "x"}, "prod")})
    assert reason.startswith("`maxRetries` of the aws.Provider 'prod' must be a whole number")


def test_the_settings_the_plugin_of_0_2_0_recorded_are_still_read() -> None:
    old = {"aws:region": "eu-west-1", "aws:accessKey": "a", "aws:secretKey": "s"}
    settings = AwsSettings.from_record(old)
    assert (settings.region, settings.access_key, settings.origin.provider) == (
        "eu-west-1",
        "a",
        None,
    )


# -- the Terraform provider's block (terraform/): the same rule, Terraform's names -----------


def test_a_terraform_provider_block_is_read_by_the_terraform_aws_providers_names() -> None:
    block = {
        "region": "eu-west-1",
        "assume_role": [{"role_arn": "arn:aws:iam::111111111111:role/deployer", "duration": "1h"}],
        "endpoints": [{"cognitoidp": "http://127.0.0.1:5000", "sts": "http://127.0.0.1:5001"}],
        "max_retries": 3.0,  # Terraform's numbers arrive as floats
        "skip_metadata_api_check": True,
    }
    record = {"provider": "cognitouserimport", "host": "terraform", "settings": block}
    settings = AwsSettings.from_record(record)
    assert settings.region == "eu-west-1"
    assert [(r.role_arn, r.duration_seconds) for r in settings.assume_roles] == [
        ("arn:aws:iam::111111111111:role/deployer", 3600)
    ]
    assert settings.endpoint("cognito-idp") == "http://127.0.0.1:5000"
    assert settings.endpoint("sts") == "http://127.0.0.1:5001"
    assert (settings.max_retries, settings.skip_metadata_api_check) == (3, True)


def test_a_terraform_block_names_its_settings_in_terraforms_words() -> None:
    record = {"provider": "cognitouserimport", "host": "terraform", "settings": {"retry_mode": "x"}}
    with pytest.raises(SettingError) as raised:
        AwsSettings.from_record(record)
    assert str(raised.value).startswith(
        '`retry_mode` in the `provider "cognitouserimport"` block must be standard or adaptive'
    )
    origin = AwsSettings.from_record({**record, "settings": {}}).origin
    assert origin.set_hint("maxRetries", "7") == (
        'set `max_retries = 7` in the `provider "cognitouserimport"` block'
    )
    assert origin.guide == "docs/terraform/index.md#aws-settings"
