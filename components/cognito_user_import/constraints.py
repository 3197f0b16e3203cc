"""Input rules read from botocore's cognito-idp model, applied before any AWS call.

Reading them from the model, not copying regexes, means a botocore upgrade brings AWS's
current rules. Every failure is returned at once, each naming the property and the rule.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
from botocore.model import Shape, StructureShape
from pulumi.runtime.rpc import UNKNOWN, contains_unknowns

from .fields import INPUTS, OPTIONAL_INPUTS


@dataclass(frozen=True)
class Violation:
    property: str
    reason: str


def is_unknown(value: Any) -> bool:
    """An input the engine does not know yet (preview): the sentinel string or SDK object."""
    return value == UNKNOWN or contains_unknowns(value)


@cache
def _request_shape() -> StructureShape:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    shape = model.operation_model("CreateUserImportJob").input_shape
    assert isinstance(shape, StructureShape)
    return shape


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
