"""Input rules, applied before any AWS call: CreateUserImportJob's from botocore's model,
and the import-as-code inputs' own.

Reading the AWS rules from the model, not copying regexes, means a botocore upgrade brings
AWS's current rules. Every failure is returned at once, each naming the property and rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from pulumi.runtime.rpc import UNKNOWN, contains_unknowns

from .aws import service_model
from .copying import REGION, region_of
from .csvfile import MAX_ROWS_PER_JOB
from .fields import INPUTS, OPTIONAL_INPUTS

if TYPE_CHECKING:
    from botocore.model import Shape, StructureShape


@dataclass(frozen=True)
class Violation:
    property: str
    reason: str


def is_unknown(value: Any) -> bool:
    """An input the engine does not know yet (preview): the sentinel string or SDK object."""
    return value == UNKNOWN or contains_unknowns(value)


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


def check_inputs(inputs: dict[str, Any]) -> list[Violation]:
    """Every way these inputs break CreateUserImportJob's rules; unknown values pass."""
    members = _request_shape().members
    violations = []
    for name, member in INPUTS.items():
        value = inputs.get(name)
        if is_unknown(value):
            continue
        if value is None or value == "":
            if name not in OPTIONAL_INPUTS:
                violations.append(Violation(name, "is required"))
            continue
        if not isinstance(value, str):
            violations.append(Violation(name, f"must be a string (got {type(value).__name__})"))
            continue
        violations += [Violation(name, reason) for reason in _rules(members[member], value)]
    return violations


def _is_whole(value: Any) -> bool:
    """Numbers cross the engine's wire as doubles: 500000 arrives as 500000.0."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value == int(value)


def check_import_inputs(inputs: dict[str, Any]) -> list[Violation]:
    """How csv_file, users, start, wait, wait_timeout_seconds, rows_per_job and
    max_failed_users combine."""
    known = {k: v for k, v in inputs.items() if not is_unknown(v)}
    found = []
    csv_file, users = known.get("csv_file"), known.get("users")
    if csv_file is not None and not (isinstance(csv_file, str) and csv_file):
        found.append(Violation("csv_file", "must be the path of a CSV file"))
    if users is not None and not (
        isinstance(users, list) and all(isinstance(user, dict) for user in users)
    ):
        found.append(Violation("users", "must be a list of records (attribute -> value)"))
    if csv_file and users:
        found.append(Violation("users", "give csv_file or users, not both"))
    found += _copy_violations(inputs, known)
    for flag in ("start", "wait"):
        if known.get(flag) is not None and not isinstance(known[flag], bool):
            found.append(Violation(flag, "must be true or false"))
    if known.get("start") and not any(inputs.get(name) for name in SOURCES):
        found.append(
            Violation("start", "needs csv_file, users or source_user_pool_id: nothing to import")
        )
    if known.get("wait") and not inputs.get("start"):
        found.append(Violation("wait", "needs start: true (a job that is not started never ends)"))
    timeout = known.get("wait_timeout_seconds")
    number = isinstance(timeout, int | float) and not isinstance(timeout, bool)
    if timeout is not None and not (number and timeout > 0):
        found.append(Violation("wait_timeout_seconds", "must be a number of seconds above 0"))
    rows = known.get("rows_per_job")
    if rows is not None and not (_is_whole(rows) and 1 <= rows <= MAX_ROWS_PER_JOB):
        found.append(
            Violation("rows_per_job", f"must be a whole number from 1 to {MAX_ROWS_PER_JOB:,}")
        )
    limit = known.get("max_failed_users")
    if limit is not None and not (_is_whole(limit) and limit >= 0):
        found.append(Violation("max_failed_users", "must be a whole number, 0 or more"))
    if limit is not None and not any(inputs.get(name) for name in SOURCES):
        found.append(Violation("max_failed_users", "needs csv_file, users or source_user_pool_id"))
    return found


#: What an import can send: one of these.
SOURCES = ("csv_file", "users", "source_user_pool_id")


def _copy_violations(inputs: dict[str, Any], known: dict[str, Any]) -> list[Violation]:
    """source_user_pool_id, source_region and copy_trigger, and how they combine."""
    source, region = known.get("source_user_pool_id"), known.get("source_region")
    found = []
    if source is not None:
        pool_shape = _request_shape().members["UserPoolId"]
        if not isinstance(source, str) or not source:
            found.append(Violation("source_user_pool_id", "must be a user pool id"))
        else:
            found += [Violation("source_user_pool_id", r) for r in _rules(pool_shape, source)]
        if inputs.get("csv_file") or inputs.get("users"):
            found.append(
                Violation("source_user_pool_id", "give one of csv_file, users or this, not two")
            )
        if source == known.get("user_pool_id"):
            found.append(
                Violation("source_user_pool_id", "is the target pool itself; copy another pool")
            )
        flags = [inputs.get("start"), inputs.get("wait")]
        if not any(is_unknown(flag) for flag in flags) and not all(flags):
            found.append(
                Violation(
                    "wait",
                    "a copy needs start: true and wait: true: `up` reads the source, sends "
                    "what the target lacks and records how it ended",
                )
            )
    if region is not None:
        if not source:
            found.append(Violation("source_region", "needs source_user_pool_id"))
        elif not (isinstance(region, str) and REGION.fullmatch(region)):
            found.append(Violation("source_region", "must be a region name, e.g. us-west-2"))
        elif region_of(source) not in (None, region):
            found.append(
                Violation(
                    "source_region",
                    f"is {region}, but the pool id {source} begins with the region it is in: "
                    f"{region_of(source)}",
                )
            )
    if known.get("copy_trigger") is not None and not inputs.get("source_user_pool_id"):
        found.append(Violation("copy_trigger", "needs source_user_pool_id"))
    return found
