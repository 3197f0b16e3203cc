"""How Cognito judges an import CSV: the header against GetCSVHeader, then each row.

This is localaws's own reading of the current developer guide ("Creating the user import
CSV file", "Viewing the user pool import results in the CloudWatch console"); README.md's
fidelity table quotes the words behind each rule. The product validates CSVs with an
implementation of its own, so a misreading on one side shows up as a failing test.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolAttribute

MAX_ROWS = 500_000
MAX_ROW_CHARACTERS = 16_000
BOOLEANS = frozenset({"true", "false"})
#: The guide's FAILED line for a user without a verified auto-verified attribute, verbatim.
NOT_AUTO_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)
#: The guide's words for a user whose values the pool's schema refuses ("Viewing the user
#: pool import results": "The user data doesn't match the schema.").
SCHEMA_MISMATCH = "The user data doesn't match the schema."
#: Cognito's words when a username has the format of an alias users sign in with (the guide,
#: "Working with user attributes": "If you select email address as an alias, Amazon Cognito
#: doesn't accept a user name that matches a valid email address format").
ALIAS_FORMATS = {
    "email": (
        re.compile(r"[^@\s]+@[^@\s]+"),
        "Username cannot be of email format, since user pool is configured for email alias.",
    ),
    "phone_number": (
        re.compile(r"\+[0-9]+"),
        "Username cannot be of phone number format, since user pool is configured for phone "
        "number alias.",
    ),
}
#: Columns the guide's own rules judge (booleans and formats): the schema adds nothing.
_OWN_RULES = {"birthdate", "updated_at", "email_verified", "phone_number_verified"}
#: First sign-in factors that need no password: users imported with the matching verified
#: attribute can sign in at once, so they are imported CONFIRMED.
PASSWORDLESS = {"EMAIL_OTP": "email", "SMS_OTP": "phone_number"}
_BIRTHDATE = re.compile(r"\d{2}/\d{2}/\d{4}")

#: GetCSVHeader's standard columns, in the order Cognito returns them.
STANDARD_COLUMNS = (
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
)
TRAILING_COLUMNS = ("cognito:mfa_enabled", "cognito:username")


def csv_header(pool: CognitoIdpUserPool) -> list[str]:
    custom = [name for name, attr in pool.schema_attributes.items() if attr.custom]
    return [*STANDARD_COLUMNS, *custom, *TRAILING_COLUMNS]


def header_problem(header: list[str], expected: list[str]) -> str | None:
    """Why a header fails the whole job, or None: every column present, none unknown."""
    missing = [column for column in expected if column not in header]
    unknown = [column for column in header if column not in expected]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    parts = []
    if missing:
        parts.append("missing columns: " + ", ".join(missing))
    if unknown:
        parts.append("unknown columns: " + ", ".join(unknown))
    if duplicated:
        parts.append("repeated columns: " + ", ".join(duplicated))
    if not parts:
        return None
    return "The CSV header does not match the user pool's header (" + "; ".join(parts) + ")."


@dataclass(frozen=True)
class SchemaRule:
    """What one attribute of the pool's schema takes (moto keeps the constraints as text)."""

    name: str
    data_type: str
    developer_only: bool
    string: dict[str, str]
    number: dict[str, str]

    @classmethod
    def of(cls, attribute: CognitoIdpUserPoolAttribute) -> "SchemaRule":
        return cls(
            name=attribute.name,
            data_type=attribute.data_type,
            developer_only=bool(attribute.developer_only),
            string=dict(attribute.string_constraints or {}),
            number=dict(attribute.number_constraints or {}),
        )

    def takes(self, value: str) -> bool:
        """Whether the schema takes this (trimmed, non-empty) value."""
        if self.developer_only:
            return False  # an import sets no developer-only attribute (our reading)
        if self.data_type == "Boolean":
            return value.lower() in BOOLEANS
        if self.data_type == "DateTime":
            try:
                datetime.fromisoformat(value)
            except ValueError:
                return False
            return True
        if self.data_type == "Number":
            if not re.fullmatch(r"[+-]?[0-9]+", value):
                return False
            return _within(int(value), self.number.get("MinValue"), self.number.get("MaxValue"))
        return _within(len(value), self.string.get("MinLength"), self.string.get("MaxLength"))


def _within(number: int, least: str | None, most: str | None) -> bool:
    return (not least or number >= int(least)) and (not most or number <= int(most))


@dataclass(frozen=True)
class PoolRules:
    """What a pool demands of every row."""

    mfa: str
    #: In name order, the order their FAILED lines are chosen in.
    required: tuple[str, ...]
    auto_verified: tuple[str, ...]
    #: Attributes a passwordless first factor of the pool sends its code to.
    passwordless: tuple[str, ...] = ()
    #: UsernameConfiguration's CaseSensitive (true when the pool does not say).
    case_sensitive: bool = True
    #: Attributes users sign in with, so that no two users may share a value of them.
    sign_in_attributes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    schema: tuple[SchemaRule, ...] = ()

    @classmethod
    def of(cls, pool: CognitoIdpUserPool) -> "PoolRules":
        required = tuple(
            sorted(
                name
                for name, attr in pool.schema_attributes.items()
                if attr.required and name in STANDARD_COLUMNS
            )
        )
        auto_verified = tuple(pool.extended_config.get("AutoVerifiedAttributes") or ())
        policies = pool.extended_config.get("Policies") or {}
        factors = (policies.get("SignInPolicy") or {}).get("AllowedFirstAuthFactors") or ()
        passwordless = tuple(PASSWORDLESS[f] for f in factors if f in PASSWORDLESS)
        config = pool.extended_config
        aliases = tuple(config.get("AliasAttributes") or ())
        header = csv_header(pool)
        return cls(
            mfa=pool.mfa_config,
            required=required,
            auto_verified=auto_verified,
            passwordless=passwordless,
            case_sensitive=(config.get("UsernameConfiguration") or {}).get("CaseSensitive", True),
            sign_in_attributes=tuple(config.get("UsernameAttributes") or ()) + aliases,
            aliases=aliases,
            schema=tuple(
                SchemaRule.of(attribute)
                for name, attribute in pool.schema_attributes.items()
                if name in header and name not in _OWN_RULES
            ),
        )

    def same_user_key(self, attribute: str, value: str) -> str:
        """What the pool compares a username or sign-in attribute by: the API reference's
        UsernameConfigurationType, CaseSensitive false: "This option also enables both
        preferred_username and email alias to be case insensitive, in addition to the
        username attribute." """
        folded = attribute in ("cognito:username", "email", "preferred_username")
        return value.lower() if folded and not self.case_sensitive else value


def pool_problem(rules: PoolRules) -> str | None:
    """Why no user of this pool can be imported, or None."""
    if not rules.auto_verified:
        return (
            "The user pool auto-verifies neither email nor phone_number; imported users "
            "could not reset their passwords."
        )
    return None


def _is_true(value: str) -> bool:
    return value.lower() == "true"


def trimmed(values: dict[str, str]) -> dict[str, str]:
    """The guide: "Any leading or trailing white space in an attribute value will be
    trimmed"."""
    return {name: value.strip() for name, value in values.items()}


def row_problem(row: dict[str, str], rules: PoolRules) -> str | None:
    """Why Cognito fails this (trimmed) row, or None if it can be imported."""
    username = row["cognito:username"]
    if not username:
        return "cognito:username is required."
    if " " in username or "\t" in username:
        return "cognito:username must not contain spaces or tabs."
    mfa = row["cognito:mfa_enabled"].lower()
    if mfa and mfa not in BOOLEANS:
        return "cognito:mfa_enabled must be true, false or blank."
    if rules.mfa == "ON" and mfa == "false":
        return "The user pool requires MFA, so cognito:mfa_enabled must be true or blank."
    if rules.mfa == "OFF" and mfa == "true":
        return "MFA is off in the user pool, so cognito:mfa_enabled must be false or blank."
    flags = {
        "email": row["email_verified"].lower(),
        "phone_number": row["phone_number_verified"].lower(),
    }
    for attribute, flag in flags.items():
        if flag and flag not in BOOLEANS:
            return f"{attribute}_verified must be true or false."
    if not flags["email"] and not flags["phone_number"]:
        return "Either email_verified or phone_number_verified is required."
    for attribute, flag in flags.items():
        if flag == "true" and not row[attribute]:
            return f"{attribute} is required when {attribute}_verified is true."
    if rules.auto_verified and not any(
        flags[attribute] == "true" for attribute in rules.auto_verified
    ):
        return NOT_AUTO_VERIFIED
    for attribute in rules.required:
        if not row[attribute]:
            return f"{attribute} is required by the user pool."
    if row["birthdate"] and not _valid_birthdate(row["birthdate"]):
        return "birthdate must be a date written mm/dd/yyyy."
    if row["updated_at"] and not row["updated_at"].isdigit():
        return "updated_at must be a number of seconds since the epoch."
    for alias in rules.aliases:
        if alias in ALIAS_FORMATS and ALIAS_FORMATS[alias][0].fullmatch(username):
            return ALIAS_FORMATS[alias][1]
    for rule in rules.schema:
        if row[rule.name] and not rule.takes(row[rule.name]):
            return SCHEMA_MISMATCH
    return None


def imported_status(row: dict[str, str], rules: PoolRules) -> str:
    """RESET_REQUIRED ("Successfully imported users have their status set to
    PasswordReset"), or CONFIRMED when the pool lets the user sign in without a password
    through an attribute the row verifies."""
    if any(_is_true(row[f"{attribute}_verified"]) for attribute in rules.passwordless):
        return "CONFIRMED"
    return "RESET_REQUIRED"


def _valid_birthdate(value: str) -> bool:
    if not _BIRTHDATE.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%m/%d/%Y")
    except ValueError:
        return False
    return True
