"""The job's inputs, parsed once at the provider's boundary into a typed, frozen value.

The engine hands the provider a dict of wire values (numbers as doubles, unknowns as a
sentinel in preview); `parse` turns it into `JobInputs` and every way the values break the
rules, before any AWS call: CreateUserImportJob's rules read from botocore's model (so a
botocore upgrade brings AWS's current ones), and how the import's own inputs combine. The
service and the checks take `JobInputs` and never a dict; each failure names its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from pulumi.runtime.rpc import UNKNOWN, contains_unknowns

from .aws import service_model
from .copying import REGION, region_of
from .csvfile import MAX_ROWS_PER_JOB
from .fields import (
    COPY_INPUTS,
    DEFAULT_WAIT_TIMEOUT_SECONDS,
    OPTIONAL_REQUEST,
    REQUEST,
    SOURCES,
    Input,
)

if TYPE_CHECKING:
    from botocore.model import Shape, StructureShape
    from mypy_boto3_cognito_idp.type_defs import CreateUserImportJobRequestTypeDef


class Violation(NamedTuple):
    """Something `pulumi preview` reports: the input it is about ("" for a setting or the
    deployer's permissions, which are no input), and why."""

    input: str
    reason: str


def is_unknown(value: Any) -> bool:
    """An input the engine does not know yet (preview): the sentinel string or SDK object."""
    return value == UNKNOWN or contains_unknowns(value)


@dataclass(frozen=True)
class JobInputs:
    """Every input of a job, typed; an input not known yet (preview) is None here and named
    in `unknown`. Field names are `fields.Input`'s (a test holds them equal)."""

    user_pool_id: str | None = None
    job_name: str | None = None
    cloud_watch_logs_role_arn: str | None = None
    password_hashing_algorithm: str | None = None
    csv_file: str | None = None
    users: tuple[dict[str, Any], ...] | None = None
    source_user_pool_id: str | None = None
    source_region: str | None = None
    copy_trigger: Any = None
    start: bool = False
    wait: bool = False
    wait_timeout_seconds: float = DEFAULT_WAIT_TIMEOUT_SECONDS
    rows_per_job: int = MAX_ROWS_PER_JOB
    max_failed_users: int | None = None
    outcome_file: str | None = None
    content_sha256: str | None = None
    aws_settings: Mapping[str, Any] | None = field(default=None, repr=False)
    unknown: frozenset[str] = frozenset()

    def known(self, name: Input) -> bool:
        return name not in self.unknown

    def request(self) -> CreateUserImportJobRequestTypeDef:
        """CreateUserImportJob's request, from the inputs it takes (parsed: all present)."""
        request = {
            member: getattr(self, name)
            for name, member in REQUEST.items()
            if getattr(self, name) is not None
        }
        return cast("CreateUserImportJobRequestTypeDef", request)


def parse(props: Mapping[str, Any]) -> tuple[JobInputs, list[Violation]]:
    """The typed inputs, and every way `props` breaks the rules (all at once, each naming
    its input and the rule). An input that breaks one is left at its default."""
    reader = _Reader(props)
    typed: dict[str, Any] = {}
    for name in REQUEST:
        typed[name] = reader.request_member(name)
    typed[Input.CSV_FILE] = reader.csv_file()
    typed[Input.USERS] = reader.users()
    reader.one_source()
    typed.update(reader.copy())
    typed[Input.START] = reader.flag(Input.START)
    typed[Input.WAIT] = reader.flag(Input.WAIT)
    reader.flags_combine()
    typed[Input.WAIT_TIMEOUT_SECONDS] = reader.timeout()
    typed[Input.ROWS_PER_JOB] = reader.rows_per_job()
    typed[Input.MAX_FAILED_USERS] = reader.max_failed_users()
    typed[Input.OUTCOME_FILE] = reader.text(Input.OUTCOME_FILE)
    typed[Input.CONTENT_SHA256] = reader.text(Input.CONTENT_SHA256)
    typed[Input.AWS_SETTINGS] = reader.aws_settings()
    inputs = JobInputs(
        **{name: value for name, value in typed.items() if value is not None},
        unknown=frozenset(reader.unknown),
    )
    return inputs, reader.violations


def input_names() -> set[str]:
    """JobInputs' fields that are inputs (the set `fields.Input` must equal)."""
    return {item.name for item in fields(JobInputs)} - {"unknown"}


@cache
def _request_shape() -> StructureShape:
    model = service_model("cognito-idp")
    # An operation with input has a structure as its input shape.
    return cast("StructureShape", model.operation_model("CreateUserImportJob").input_shape)


def _rules(shape: Shape, value: str) -> list[str]:
    rules = shape.metadata
    found = []
    low, high = rules.get("min"), rules.get("max")
    if (low is not None and len(value) < low) or (high is not None and len(value) > high):
        found.append(f"must be {low} to {high} characters long (it is {len(value)})")
    pattern = rules.get("pattern")
    if pattern and not re.fullmatch(pattern, value):
        found.append(f"must match the pattern {pattern} (got {value!r})")
    enum: list[str] = getattr(shape, "enum", [])
    if enum and value not in enum:
        found.append(f"must be one of {', '.join(enum)} (got {value!r})")
    return found


def _is_whole(value: Any) -> bool:
    """Numbers cross the engine's wire as doubles: 500000 arrives as 500000.0."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value == int(value)


class _Reader:
    """Reads one input at a time from the wire, noting the unknown and the violations."""

    def __init__(self, props: Mapping[str, Any]) -> None:
        self.unknown = {name for name in Input if is_unknown(props.get(name))}
        #: The known values only: an unknown one is neither a value nor a violation.
        self._known = {name: props.get(name) for name in Input if name not in self.unknown}
        self._props = props
        self.violations: list[Violation] = []

    def _fail(self, name: Input, reason: str) -> None:
        self.violations.append(Violation(name, reason))

    def _given(self, name: Input) -> bool:
        """Given a value, known or not (an unknown counts: it will be one)."""
        return name in self.unknown or self._known.get(name) not in (None, "", [], {})

    def request_member(self, name: Input) -> str | None:
        """A member of CreateUserImportJob's request, by botocore's model of it."""
        if name in self.unknown:
            return None
        value = self._known.get(name)
        if value is None or value == "":
            if name not in OPTIONAL_REQUEST:
                self._fail(name, "is required")
            return None
        if not isinstance(value, str):
            self._fail(name, f"must be a string (got {type(value).__name__})")
            return None
        reasons = _rules(_request_shape().members[REQUEST[name]], value)
        for reason in reasons:
            self._fail(name, reason)
        return None if reasons else value

    def text(self, name: Input) -> str | None:
        value = self._known.get(name)
        return value if isinstance(value, str) and value else None

    def flag(self, name: Input) -> bool | None:
        value = self._known.get(name)
        if value is not None and not isinstance(value, bool):
            self._fail(name, "must be true or false")
            return None
        return value

    def csv_file(self) -> str | None:
        value = self._known.get(Input.CSV_FILE)
        if value is not None and not (isinstance(value, str) and value):
            self._fail(Input.CSV_FILE, "must be the path of a CSV file")
            return None
        return value or None

    def users(self) -> tuple[dict[str, Any], ...] | None:
        value = self._known.get(Input.USERS)
        if value is None:
            return None
        if not (isinstance(value, list) and all(isinstance(user, dict) for user in value)):
            self._fail(Input.USERS, "must be a list of records (attribute -> value)")
            return None
        return tuple(value) or None

    def timeout(self) -> float | None:
        value = self._known.get(Input.WAIT_TIMEOUT_SECONDS)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if value is not None and not (number and value > 0):
            self._fail(Input.WAIT_TIMEOUT_SECONDS, "must be a number of seconds above 0")
            return None
        return None if value is None else float(value)

    def rows_per_job(self) -> int | None:
        value = self._known.get(Input.ROWS_PER_JOB)
        if value is not None and not (_is_whole(value) and 1 <= value <= MAX_ROWS_PER_JOB):
            self._fail(Input.ROWS_PER_JOB, f"must be a whole number from 1 to {MAX_ROWS_PER_JOB:,}")
            return None
        return None if value is None else int(value)

    def max_failed_users(self) -> int | None:
        value = self._known.get(Input.MAX_FAILED_USERS)
        if value is not None and not (_is_whole(value) and value >= 0):
            self._fail(Input.MAX_FAILED_USERS, "must be a whole number, 0 or more")
            return None
        if value is not None and not any(self._given(name) for name in SOURCES):
            self._fail(Input.MAX_FAILED_USERS, "needs csv_file, users or source_user_pool_id")
        return None if value is None else int(value)

    def aws_settings(self) -> Mapping[str, Any] | None:
        value = self._known.get(Input.AWS_SETTINGS)
        return value if isinstance(value, Mapping) and value else None

    def copy(self) -> dict[str, Any]:
        """source_user_pool_id, source_region and copy_trigger, and how they combine."""
        source = self._known.get(Input.SOURCE_USER_POOL_ID)
        region = self._known.get(Input.SOURCE_REGION)
        typed: dict[str, Any] = dict.fromkeys(COPY_INPUTS)
        if source is not None:
            pool_shape = _request_shape().members[REQUEST[Input.USER_POOL_ID]]
            if not isinstance(source, str) or not source:
                self._fail(Input.SOURCE_USER_POOL_ID, "must be a user pool id")
            else:
                reasons = _rules(pool_shape, source)
                for reason in reasons:
                    self._fail(Input.SOURCE_USER_POOL_ID, reason)
                typed[Input.SOURCE_USER_POOL_ID] = None if reasons else source
            if self._given(Input.CSV_FILE) or self._given(Input.USERS):
                self._fail(
                    Input.SOURCE_USER_POOL_ID, "give one of csv_file, users or this, not two"
                )
            if source == self._known.get(Input.USER_POOL_ID):
                self._fail(
                    Input.SOURCE_USER_POOL_ID, "is the target pool itself; copy another pool"
                )
            flags = [Input.START, Input.WAIT]
            if not any(name in self.unknown for name in flags) and not all(
                self._known.get(name) for name in flags
            ):
                self._fail(
                    Input.WAIT,
                    "a copy needs start: true and wait: true: `up` reads the source, sends "
                    "what the target lacks and records how it ended",
                )
        if region is not None:
            if not source:
                self._fail(Input.SOURCE_REGION, "needs source_user_pool_id")
            elif not (isinstance(region, str) and REGION.fullmatch(region)):
                self._fail(Input.SOURCE_REGION, "must be a region name, e.g. us-west-2")
            elif region_of(source) not in (None, region):
                self._fail(
                    Input.SOURCE_REGION,
                    f"is {region}, but the pool id {source} begins with the region it is in: "
                    f"{region_of(source)}",
                )
            else:
                typed[Input.SOURCE_REGION] = region
        trigger = self._known.get(Input.COPY_TRIGGER)
        if trigger is not None and not self._given(Input.SOURCE_USER_POOL_ID):
            self._fail(Input.COPY_TRIGGER, "needs source_user_pool_id")
        typed[Input.COPY_TRIGGER] = trigger
        return typed

    def one_source(self) -> None:
        if self._known.get(Input.CSV_FILE) and self._known.get(Input.USERS):
            self._fail(Input.USERS, "give csv_file or users, not both")

    def flags_combine(self) -> None:
        """Starting needs something to import; waiting needs a start."""
        if self._known.get(Input.START) and not any(self._given(name) for name in SOURCES):
            self._fail(
                Input.START, "needs csv_file, users or source_user_pool_id: nothing to import"
            )
        if self._known.get(Input.WAIT) and not self._props.get(Input.START):
            self._fail(Input.WAIT, "needs start: true (a job that is not started never ends)")
