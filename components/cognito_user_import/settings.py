"""The AWS settings of an import job, read as pulumi-aws reads its own.

A stack set up for pulumi-aws sets up the job too: the same names (the stack's `aws:*`
config, or the arguments of an explicit `aws.Provider` given to the component), then the
same environment variables and shared files, in the same order. Every pulumi-aws setting
is in USES with what the job does with it, so none is dropped without a word; a test holds
USES to pulumi-aws's own list of settings, and the configuration page to USES.

(The module is long because pulumi-aws's list of settings is: one row and one reader each.)

Values arrive as the engine hands them over: strings, with lists and objects as JSON
(stack config, and the arguments of an explicit provider, which pulumi-aws's SDKs encode
so), or as plain values. `AwsSettings.parse` turns them into typed values once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from .errors import UserError


class Use(StrEnum):
    """What the job does with a pulumi-aws setting."""

    HONOURED = "honoured"
    NOT_USED = "not used"


#: Every setting of pulumi-aws 7 (its `aws:*` config keys and `aws.Provider` arguments),
#: with what the job does with it. `assumeRole` is the single role of older stacks.
USES: dict[str, tuple[Use, str]] = {
    "region": (Use.HONOURED, "then AWS_REGION, AWS_DEFAULT_REGION, the profile's region"),
    "profile": (Use.HONOURED, "then AWS_PROFILE; a profile set here ignores the key variables"),
    "accessKey": (Use.HONOURED, "with secretKey and token; then AWS_ACCESS_KEY_ID and the chain"),
    "secretKey": (Use.HONOURED, "then AWS_SECRET_ACCESS_KEY"),
    "token": (Use.HONOURED, "then AWS_SESSION_TOKEN"),
    "sharedConfigFiles": (Use.HONOURED, "one file; then AWS_CONFIG_FILE, ~/.aws/config"),
    "sharedCredentialsFiles": (
        Use.HONOURED,
        "one file; then AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials",
    ),
    "assumeRoles": (Use.HONOURED, "each role assumed in turn, from the credentials above"),
    "assumeRole": (Use.HONOURED, "the older single role, as one entry of assumeRoles"),
    "assumeRoleWithWebIdentity": (
        Use.HONOURED,
        "then AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE",
    ),
    "endpoints": (Use.HONOURED, "the cognitoidp, cloudwatchlogs and sts entries"),
    "stsRegion": (Use.HONOURED, "the region of the calls that assume roles"),
    "maxRetries": (Use.HONOURED, "then AWS_MAX_ATTEMPTS; default 7 retries"),
    "retryMode": (Use.HONOURED, "standard or adaptive; then AWS_RETRY_MODE; default standard"),
    "allowedAccountIds": (Use.HONOURED, "the credentials' account must be one of them"),
    "forbiddenAccountIds": (Use.HONOURED, "the credentials' account must be none of them"),
    "skipMetadataApiCheck": (Use.HONOURED, "true: no credentials from the instance metadata"),
    "ec2MetadataServiceEndpoint": (Use.HONOURED, "then AWS_EC2_METADATA_SERVICE_ENDPOINT"),
    "ec2MetadataServiceEndpointMode": (
        Use.HONOURED,
        "IPv4 or IPv6; then AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    ),
    "customCaBundle": (Use.HONOURED, "then AWS_CA_BUNDLE"),
    "insecure": (Use.HONOURED, "true: TLS certificates are not verified"),
    "httpProxy": (Use.HONOURED, "then HTTP_PROXY; the upload goes the same way"),
    "httpsProxy": (Use.HONOURED, "then HTTPS_PROXY; the upload goes the same way"),
    "noProxy": (Use.HONOURED, "then NO_PROXY"),
    "useFipsEndpoint": (Use.HONOURED, "then AWS_USE_FIPS_ENDPOINT"),
    "useDualstackEndpoint": (Use.HONOURED, "then AWS_USE_DUALSTACK_ENDPOINT"),
    "userAgents": (Use.HONOURED, "added to the User-Agent of every call"),
    "defaultTags": (Use.NOT_USED, "import jobs have no tags"),
    "ignoreTags": (Use.NOT_USED, "import jobs have no tags"),
    "tagPolicyCompliance": (Use.NOT_USED, "import jobs have no tags"),
    "s3UsePathStyle": (Use.NOT_USED, "the upload goes to the URL Cognito signs"),
    "s3UsEast1RegionalEndpoint": (Use.NOT_USED, "the upload goes to the URL Cognito signs"),
    "skipCredentialsValidation": (Use.NOT_USED, "the job makes no separate credentials check"),
    "skipRegionValidation": (Use.NOT_USED, "the job makes no separate region check"),
    "skipRequestingAccountId": (Use.NOT_USED, "asked only for allowedAccountIds"),
    "tokenBucketRateLimiterCapacity": (Use.NOT_USED, "the retry mode's own budget applies"),
}

#: The endpoints entries the job uses, by service, under every name pulumi-aws accepts.
ENDPOINT_NAMES = {
    "cognito-idp": ("cognitoidp", "cognitoidentityprovider", "cognito-idp"),
    "logs": ("cloudwatchlogs", "logs", "cloudwatchlog", "cloudwatch-logs"),
    "sts": ("sts",),
}
RETRY_MODES = ("standard", "adaptive")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms)")
_DURATION_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


class SettingError(UserError):
    """An AWS setting is malformed, missing or cannot be honoured; the message names it and
    where it was read from."""


@dataclass(frozen=True)
class Origin:
    """Where the settings were read: the stack's `aws:*` config, an explicit provider, or a
    Terraform provider block (`terraform`: named as the Terraform AWS provider names them)."""

    provider: str | None = None
    terraform: bool = False

    def key(self, name: str) -> str:
        """How the user names a setting: `aws:region`, `region` of the provider, or
        `region` in the Terraform provider block."""
        if self.terraform:
            return f'`{terraform_name(name)}` in the `provider "{self.provider}"` block'
        if self.provider is None:
            return f"aws:{name}"
        return f"`{name}` of the aws.Provider {self.provider!r}"

    def set_hint(self, name: str, example: str) -> str:
        if self.terraform:
            block = f'`provider "{self.provider}"` block'
            value = example if example.isdigit() else f'"{example}"'
            return f"set `{terraform_name(name)} = {value}` in the {block}"
        if self.provider is None:
            return f"`pulumi config set aws:{name} {example}`"
        return f"give the aws.Provider {self.provider!r} `{name}`"

    @property
    def peer(self) -> str:
        """The AWS provider whose rule the job's settings follow, for the user's stack."""
        return "the Terraform AWS provider" if self.terraform else "pulumi-aws"

    @property
    def guide(self) -> str:
        """The page listing every setting, for the user's tool."""
        if self.terraform:
            return "docs/terraform/index.md#aws-settings"
        return "docs/installation-configuration.md#aws-settings"


#: pulumi-aws's setting names as the Terraform AWS provider names them, where the two differ
#: other than by case: its `assume_role` blocks are pulumi-aws's `assumeRoles`, the older
#: single `assumeRole` has no Terraform name, and a digit stands apart (`us_east_1`).
_TERRAFORM_NAMES: dict[str, str | None] = {
    "assumeRoles": "assume_role",
    "assumeRole": None,
    "s3UsEast1RegionalEndpoint": "s3_us_east_1_regional_endpoint",
}


def terraform_name(name: str) -> str | None:
    """A setting's name in a Terraform provider block (pulumi-aws's names are that provider's,
    camel-cased), or None when Terraform has no such setting."""
    if name in _TERRAFORM_NAMES:
        return _TERRAFORM_NAMES[name]
    return re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), name)


@dataclass(frozen=True)
class RoleToAssume:
    """One entry of assumeRoles (sts:AssumeRole)."""

    role_arn: str
    session_name: str = "cognito-user-import"
    external_id: str | None = None
    duration_seconds: int | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None

    def request(self) -> dict[str, Any]:
        """The AssumeRole arguments besides the role and the session name."""
        extra: dict[str, Any] = {}
        if self.external_id:
            extra["ExternalId"] = self.external_id
        if self.duration_seconds:
            extra["DurationSeconds"] = self.duration_seconds
        if self.policy:
            extra["Policy"] = self.policy
        if self.policy_arns:
            extra["PolicyArns"] = [{"arn": arn} for arn in self.policy_arns]
        if self.tags:
            extra["Tags"] = [{"Key": key, "Value": value} for key, value in self.tags]
        if self.transitive_tag_keys:
            extra["TransitiveTagKeys"] = list(self.transitive_tag_keys)
        if self.source_identity:
            extra["SourceIdentity"] = self.source_identity
        return extra


@dataclass(frozen=True)
class WebIdentity:
    """assumeRoleWithWebIdentity (sts:AssumeRoleWithWebIdentity): a token, or a file of one."""

    role_arn: str
    session_name: str = "cognito-user-import"
    token: str | None = None
    token_file: str | None = None
    duration_seconds: int | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()

    def request(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.duration_seconds:
            extra["DurationSeconds"] = self.duration_seconds
        if self.policy:
            extra["Policy"] = self.policy
        if self.policy_arns:
            extra["PolicyArns"] = [{"arn": arn} for arn in self.policy_arns]
        return extra


@dataclass(frozen=True)
class AwsSettings:
    """The settings as given (before the environment and the shared files are consulted,
    which `aws.py` does when it connects): typed, hashable, no secret in its repr."""

    origin: Origin = field(default_factory=Origin)
    region: str | None = None
    profile: str | None = None
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    shared_config_file: str | None = None
    shared_credentials_file: str | None = None
    assume_roles: tuple[RoleToAssume, ...] = ()
    web_identity: WebIdentity | None = field(default=None, repr=False)
    #: Service ("cognito-idp", "logs", "sts") -> endpoint URL.
    endpoints: tuple[tuple[str, str], ...] = ()
    sts_region: str | None = None
    max_retries: int | None = None
    retry_mode: str | None = None
    allowed_account_ids: tuple[str, ...] = ()
    forbidden_account_ids: tuple[str, ...] = ()
    skip_metadata_api_check: bool = False
    ec2_metadata_endpoint: str | None = None
    ec2_metadata_endpoint_mode: str | None = None
    custom_ca_bundle: str | None = None
    insecure: bool = False
    http_proxy: str | None = None
    https_proxy: str | None = None
    no_proxy: str | None = None
    use_fips_endpoint: bool | None = None
    use_dualstack_endpoint: bool | None = None
    user_agents: tuple[str, ...] = ()

    def endpoint(self, service: str) -> str | None:
        return dict(self.endpoints).get(service)

    def for_region(self, region: str | None) -> AwsSettings:
        """The same settings in another region (a copy's source pool), or these."""
        return self if not region or region == self.region else replace(self, region=region)

    @classmethod
    def parse(cls, get: Callable[[str], Any], origin: Origin = Origin()) -> AwsSettings:
        """Read every setting by its pulumi-aws name through `get` (None when not set);
        a malformed one raises SettingError naming it."""
        reader = _Reader(get, origin)
        roles = reader.roles("assumeRoles") or reader.roles("assumeRole")
        if reader.present("assumeRoles") and reader.present("assumeRole"):
            raise SettingError(
                f"{origin.key('assumeRole')} and {origin.key('assumeRoles')} are both set: "
                "keep assumeRoles (a list, assumed in turn), as pulumi-aws 6 and later read"
            )
        retry_mode = reader.text("retryMode")
        if retry_mode is not None and retry_mode not in RETRY_MODES:
            raise SettingError(
                f"{origin.key('retryMode')} must be standard or adaptive (it is {retry_mode!r})"
            )
        access_key, secret_key = reader.text("accessKey"), reader.text("secretKey")
        if bool(access_key) != bool(secret_key):
            given, lacking = (
                ("accessKey", "secretKey") if access_key else ("secretKey", "accessKey")
            )
            raise SettingError(
                f"{origin.key(given)} is set without {origin.key(lacking)}: give both, or "
                "neither (then the environment, the profile or a role provide the credentials)"
            )
        mode = reader.text("ec2MetadataServiceEndpointMode")
        if mode is not None and mode.lower() not in ("ipv4", "ipv6"):
            raise SettingError(
                f"{origin.key('ec2MetadataServiceEndpointMode')} must be IPv4 or IPv6 "
                f"(it is {mode!r})"
            )
        return cls(
            origin=origin,
            region=reader.text("region"),
            profile=reader.text("profile"),
            access_key=access_key,
            secret_key=secret_key,
            token=reader.text("token"),
            shared_config_file=reader.one_file("sharedConfigFiles"),
            shared_credentials_file=reader.one_file("sharedCredentialsFiles"),
            assume_roles=roles,
            web_identity=reader.web_identity("assumeRoleWithWebIdentity"),
            endpoints=reader.endpoints("endpoints"),
            sts_region=reader.text("stsRegion"),
            max_retries=reader.whole("maxRetries"),
            retry_mode=retry_mode,
            allowed_account_ids=reader.texts("allowedAccountIds"),
            forbidden_account_ids=reader.texts("forbiddenAccountIds"),
            skip_metadata_api_check=bool(reader.flag("skipMetadataApiCheck")),
            ec2_metadata_endpoint=reader.text("ec2MetadataServiceEndpoint"),
            ec2_metadata_endpoint_mode=mode,
            custom_ca_bundle=reader.text("customCaBundle"),
            insecure=bool(reader.flag("insecure")),
            http_proxy=reader.text("httpProxy"),
            https_proxy=reader.text("httpsProxy"),
            no_proxy=reader.text("noProxy"),
            use_fips_endpoint=reader.flag("useFipsEndpoint"),
            use_dualstack_endpoint=reader.flag("useDualstackEndpoint"),
            user_agents=reader.texts("userAgents"),
        )

    @classmethod
    def from_stack_config(cls, get: Callable[[str], Any]) -> AwsSettings:
        """From the stack's config, as the engine gives it to a provider (`aws:<name>`)."""
        return cls.parse(lambda name: get(f"aws:{name}"))

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> AwsSettings:
        """From what `record` made (the job's `aws_settings` input), or what the Terraform
        provider sends (host "terraform", its block's settings by their Terraform names). The
        plugin of 0.2.0 recorded the stack's config by key (`aws:region`): read as the stack's."""
        if "settings" not in record:
            return cls.from_stack_config(record.get)
        values = record.get("settings") or {}
        provider = record.get("provider")
        if record.get("host") == "terraform":  # the Terraform provider's block (terraform/)

            def given(name: str) -> Any:
                terraform = terraform_name(name)
                return values.get(terraform) if terraform else None

            return cls.parse(given, Origin(str(provider), terraform=True))
        return cls.parse(values.get, Origin(str(provider) if provider else None))


def record(values: Mapping[str, Any], provider: str | None = None) -> dict[str, Any]:
    """The job's `aws_settings` input: the settings by pulumi-aws name, and the explicit
    provider's name when they are its arguments (None: the stack's `aws:*` config)."""
    kept = {name: value for name, value in values.items() if name in USES and value is not None}
    return {"provider": provider, "settings": kept}


class _Reader:
    """One setting at a time, by its pulumi-aws name, each failure naming it."""

    def __init__(self, get: Callable[[str], Any], origin: Origin) -> None:
        self._get = get
        self._origin = origin

    def present(self, name: str) -> bool:
        return self._get(name) not in (None, "", [], {})

    def _fail(self, name: str, form: str) -> SettingError:
        return SettingError(f"{self._origin.key(name)} must be {form}")

    def _structured(self, name: str, form: str) -> Any:
        """A list or object: as given, or decoded from the JSON the engine passes."""
        value = self._get(name)
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise self._fail(name, f"{form} (it is not JSON)") from None
        return value

    def text(self, name: str) -> str | None:
        value = self._get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self._fail(name, f"a string (it is {type(value).__name__})")
        return value

    def flag(self, name: str) -> bool | None:
        value = self._get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self._fail(name, f"true or false (it is {value!r})")

    def whole(self, name: str) -> int | None:
        value = self._get(name)
        if value is None or value == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            number = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        else:
            raise self._fail(
                name,
                f"a whole number, 0 or more (it is {value!r}): {self._origin.set_hint(name, '7')}",
            )
        if number < 0:
            raise self._fail(name, f"a whole number, 0 or more (it is {number})")
        return number

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._structured(name, "a list of strings")
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(name, "a list of strings")
        return tuple(value)

    def one_file(self, name: str) -> str | None:
        files = self.texts(name)
        if len(files) > 1:
            raise SettingError(
                f"{self._origin.key(name)} lists {len(files)} files; the import job reads one "
                "(botocore, which makes its calls, reads one shared config file and one shared "
                "credentials file): merge them into one and name that"
            )
        return files[0] if files else None

    def endpoints(self, name: str) -> tuple[tuple[str, str], ...]:
        form = (
            "a list of {service: url} maps, as for pulumi-aws: "
            f"`pulumi config set --path '{self._origin.key(name)}[0].cognitoidp' https://...`"
        )
        value = self._structured(name, form)
        if not value:
            return ()
        entries = value if isinstance(value, list) else [value]
        if not all(isinstance(entry, dict) for entry in entries):
            raise self._fail(name, form)
        found: dict[str, str] = {}
        for service, names in ENDPOINT_NAMES.items():
            for entry in entries:
                url = next((entry[key] for key in names if entry.get(key)), None)
                if url:
                    found.setdefault(service, str(url))
        return tuple(sorted(found.items()))

    def _objects(self, name: str) -> list[dict[str, Any]]:
        value = self._structured(name, "an object with roleArn (or a list of them)")
        if not value:
            return []
        entries = value if isinstance(value, list) else [value]
        if not all(isinstance(entry, dict) for entry in entries):
            raise self._fail(name, "an object with roleArn (or a list of them)")
        return [_camel_keys(entry) for entry in entries]

    def roles(self, name: str) -> tuple[RoleToAssume, ...]:
        roles = []
        for index, entry in enumerate(self._objects(name)):
            where = f"{self._origin.key(name)}[{index}]"
            role_arn = entry.get("roleArn")
            if not role_arn:
                raise SettingError(f"{where} needs roleArn, the role to assume")
            tags = entry.get("tags") or {}
            roles.append(
                RoleToAssume(
                    role_arn=str(role_arn),
                    session_name=str(entry.get("sessionName") or RoleToAssume.session_name),
                    external_id=entry.get("externalId") or None,
                    duration_seconds=_duration(entry, where),
                    policy=entry.get("policy") or None,
                    policy_arns=tuple(entry.get("policyArns") or ()),
                    tags=tuple(sorted((str(k), str(v)) for k, v in tags.items())),
                    transitive_tag_keys=tuple(entry.get("transitiveTagKeys") or ()),
                    source_identity=entry.get("sourceIdentity") or None,
                )
            )
        return tuple(roles)

    def web_identity(self, name: str) -> WebIdentity | None:
        entries = self._objects(name)
        if not entries:
            return None
        entry, where = entries[0], self._origin.key(name)
        role_arn = entry.get("roleArn")
        token, token_file = entry.get("webIdentityToken"), entry.get("webIdentityTokenFile")
        if not role_arn:
            raise SettingError(f"{where} needs roleArn, the role to assume")
        if not token and not token_file:
            raise SettingError(f"{where} needs webIdentityToken or webIdentityTokenFile")
        return WebIdentity(
            role_arn=str(role_arn),
            session_name=str(entry.get("sessionName") or WebIdentity.session_name),
            token=token or None,
            token_file=token_file or None,
            duration_seconds=_duration(entry, where),
            policy=entry.get("policy") or None,
            policy_arns=tuple(entry.get("policyArns") or ()),
        )


def _camel_keys(entry: Mapping[str, Any]) -> dict[str, Any]:
    """pulumi-aws's SDKs send roleArn; a Python dict argument may arrive as role_arn."""
    return {re.sub(r"_([a-z])", lambda m: m[1].upper(), key): value for key, value in entry.items()}


def _duration(entry: Mapping[str, Any], where: str) -> int | None:
    """pulumi-aws's `duration` ("1h", "15m", "1h30m"), or the older `durationSeconds`."""
    seconds = entry.get("durationSeconds")
    if seconds not in (None, ""):
        return int(seconds)
    text = entry.get("duration")
    if not text:
        return None
    parts = _DURATION.findall(str(text))
    if not parts or "".join(number + unit for number, unit in parts) != str(text):
        raise SettingError(
            f"{where}.duration must be a duration such as 1h, 15m or 1h30m (it is {text!r})"
        )
    return int(sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts))
