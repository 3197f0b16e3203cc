"""The pool's schema and sign-in settings as rules for the values of imported rows.

DescribeUserPool says what an import accepts beyond the CSV guide's own rules: each schema
attribute's data type and constraints, which attributes only a developer may set, and who
counts as the same user (UsernameConfiguration, UsernameAttributes, AliasAttributes). These
are read here once a pool, as plain data the scan cache can key verdicts by; csvfile.py
judges rows by them and csvblock.py proves rows clean of them.

Sources, quoted where each rule is applied: [CSV] the developer guide's "Creating the user
import CSV file"; [LOG] its "Viewing the user pool import results in the CloudWatch console"
("The user data doesn't match the schema."); [API] the API reference's SchemaAttributeType,
StringAttributeConstraintsType, NumberAttributeConstraintsType and UsernameConfigurationType;
[ATTR] the guide's "Working with user attributes" (aliases and username attributes).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: Columns whose values other rules of the guide already judge (formats and booleans of
#: their own); the schema adds nothing to say about them.
JUDGED_ELSEWHERE = frozenset({"birthdate", "updated_at", "email_verified", "phone_number_verified"})
#: [ATTR] "If you select email address as an alias, Amazon Cognito doesn't accept a user
#: name that matches a valid email address format. Similarly, if you select phone number as
#: an alias, Amazon Cognito doesn't accept a user name for that user pool that matches a
#: valid phone number format."
EMAIL_FORMAT = re.compile(r"[^@\s]+@[^@\s]+")
PHONE_FORMAT = re.compile(r"\+\d+")
FORMATS = {"email": EMAIL_FORMAT, "phone_number": PHONE_FORMAT}
#: [API] UsernameConfigurationType: case insensitivity "also enables both preferred_username
#: and email alias to be case insensitive, in addition to the username attribute."
FOLDED_WITH_USERNAMES = frozenset({"email", "preferred_username"})
_NUMBER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class Attribute:
    """One schema attribute's rules for an imported value (None: no bound)."""

    name: str
    data_type: str = "String"
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    developer_only: bool = False

    @classmethod
    def from_aws(cls, attribute: Mapping[str, Any]) -> "Attribute":
        strings = attribute.get("StringAttributeConstraints") or {}
        numbers = attribute.get("NumberAttributeConstraints") or {}
        return cls(
            name=str(attribute["Name"]),
            data_type=str(attribute.get("AttributeDataType") or "String"),
            min_length=_bound(strings.get("MinLength")),
            max_length=_bound(strings.get("MaxLength")),
            min_value=_bound(numbers.get("MinValue")),
            max_value=_bound(numbers.get("MaxValue")),
            developer_only=bool(attribute.get("DeveloperOnlyAttribute")),
        )

    def problem(self, value: str) -> str | None:
        """Why Cognito's schema refuses this trimmed, non-empty value, or None."""
        if self.developer_only:
            return (
                "is a developer-only attribute (DeveloperOnlyAttribute), which an import does "
                "not set; leave it empty and set it with AdminUpdateUserAttributes"
            )
        if self.data_type == "Number":
            return self._number_problem(value)
        if self.data_type == "Boolean":
            return None if value.lower() in ("true", "false") else "must be true or false"
        if self.data_type == "DateTime":
            return None if _is_date_time(value) else "must be a date and time in ISO 8601"
        return self._length_problem(value)

    def takes_as_is(self, value: str) -> bool:
        """Whether the value, untrimmed, surely has no problem(): a cheap test for values
        that need no trimming, or that only a maximum length judges (trimming only shortens
        them)."""
        if self.data_type == "String" and not self.min_length and not self.developer_only:
            return self.max_length is None or len(value) <= self.max_length
        return value.strip() == value and self.problem(value) is None

    def _number_problem(self, value: str) -> str | None:
        if not _NUMBER.fullmatch(value):
            return "must be a whole number"
        number = int(value)
        if self.min_value is not None and number < self.min_value:
            return f"must be at least {self.min_value} (the pool's MinValue)"
        if self.max_value is not None and number > self.max_value:
            return f"must be at most {self.max_value} (the pool's MaxValue)"
        return None

    def _length_problem(self, value: str) -> str | None:
        if self.min_length is not None and len(value) < self.min_length:
            return f"must be at least {self.min_length} characters long (the pool's MinLength)"
        if self.max_length is not None and len(value) > self.max_length:
            return f"must be at most {self.max_length} characters long (the pool's MaxLength)"
        return None


@dataclass(frozen=True)
class SignIn:
    """Who is the same user in a pool: what a row's identity is compared by."""

    case_sensitive: bool = True
    #: Attributes users sign in with instead of a username (UsernameAttributes).
    username_attributes: tuple[str, ...] = ()
    #: Attributes users may sign in with besides their username (AliasAttributes).
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_aws(cls, pool: Mapping[str, Any]) -> "SignIn":
        configuration = pool.get("UsernameConfiguration") or {}
        return cls(
            # [API] CaseSensitive: "true ... This is the default value."
            case_sensitive=bool(configuration.get("CaseSensitive", True)),
            username_attributes=tuple(pool.get("UsernameAttributes") or ()),
            aliases=tuple(pool.get("AliasAttributes") or ()),
        )

    def unique(self) -> tuple[str, ...]:
        """Attributes no two users may share: each signs a user in."""
        return tuple(dict.fromkeys([*self.username_attributes, *self.aliases]))

    def folded(self, column: str) -> bool:
        """Whether the pool compares this column's values ignoring case."""
        return not self.case_sensitive and (
            column == "cognito:username" or column in FOLDED_WITH_USERNAMES
        )


def schema_of(pool: Mapping[str, Any], header: Sequence[str]) -> tuple[Attribute, ...]:
    """The schema attributes of the header's columns that can refuse a value, by name."""
    found = []
    for described in pool.get("SchemaAttributes") or ():
        attribute = Attribute.from_aws(described)
        if attribute.name in header and attribute.name not in JUDGED_ELSEWHERE:
            found.append(attribute)
    return tuple(sorted((a for a in found if _can_refuse(a)), key=lambda a: a.name))


def _can_refuse(attribute: Attribute) -> bool:
    if attribute.developer_only or attribute.data_type != "String":
        return True
    return bool(attribute.min_length) or attribute.max_length is not None


def _bound(text: object) -> int | None:
    return int(str(text)) if text not in (None, "") else None


def _is_date_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
