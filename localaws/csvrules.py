"""How Cognito judges an import CSV: the header against GetCSVHeader, then each row.

This is localaws's own reading of the documented rules. The product validates CSVs with an
implementation of its own, so a misreading on one side shows up as a failing test.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from moto.cognitoidp.models import CognitoIdpUserPool

MAX_ROWS = 500_000
MAX_ROW_CHARACTERS = 16_000
BOOLEANS = frozenset({"true", "false"})
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
class PoolRules:
    """What a pool demands of every row."""

    mfa: str
    required: frozenset[str]
    auto_verified: tuple[str, ...]

    @classmethod
    def of(cls, pool: CognitoIdpUserPool) -> "PoolRules":
        required = frozenset(
            name
            for name, attr in pool.schema_attributes.items()
            if attr.required and name in STANDARD_COLUMNS
        )
        auto_verified = tuple(pool.extended_config.get("AutoVerifiedAttributes") or ())
        return cls(mfa=pool.mfa_config, required=required, auto_verified=auto_verified)


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


def row_problem(row: dict[str, str], rules: PoolRules) -> str | None:
    """Why Cognito fails this row, or None if it can be imported."""
    username = row["cognito:username"]
    if not username:
        return "cognito:username is required."
    if any(character.isspace() for character in username):
        return "cognito:username must not contain whitespace."
    mfa = row["cognito:mfa_enabled"].lower()
    if mfa not in BOOLEANS:
        return "cognito:mfa_enabled must be true or false."
    if rules.mfa == "ON" and mfa != "true":
        return "The user pool requires MFA, so cognito:mfa_enabled must be true."
    if rules.mfa == "OFF" and mfa != "false":
        return "MFA is off in the user pool, so cognito:mfa_enabled must be false."
    for flag in ("email_verified", "phone_number_verified"):
        if row[flag] and row[flag].lower() not in BOOLEANS:
            return f"{flag} must be true or false."
    if not row["email_verified"] and not row["phone_number_verified"]:
        return "Either email_verified or phone_number_verified is required."
    for attribute in ("email", "phone_number"):
        if _is_true(row[f"{attribute}_verified"]) and not row[attribute]:
            return f"{attribute} is required when {attribute}_verified is true."
    if rules.auto_verified and not any(
        _is_true(row[f"{attribute}_verified"]) and row[attribute]
        for attribute in rules.auto_verified
    ):
        wanted = " or ".join(rules.auto_verified)
        return f"The user needs a verified {wanted}, which the user pool auto-verifies."
    for attribute in sorted(rules.required):
        if not row[attribute]:
            return f"{attribute} is required by the user pool."
    if row["birthdate"] and not _valid_birthdate(row["birthdate"]):
        return "birthdate must be a date written mm/dd/yyyy."
    if row["updated_at"] and not row["updated_at"].isdigit():
        return "updated_at must be a number of seconds since the epoch."
    return None


def _valid_birthdate(value: str) -> bool:
    if not _BIRTHDATE.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%m/%d/%Y")
    except ValueError:
        return False
    return True
