"""Request validation from botocore's cognito-idp model, as the real service applies it.

botocore's client checks only presence, types and minimum lengths; the service checks the
rest (maximum lengths, patterns, enums, ranges). localaws reads the same model so that a
rule AWS changes reaches the emulator with a botocore upgrade, not a code edit.
"""

import re
from functools import cache
from typing import Any

import botocore.session
from botocore.model import OperationModel, Shape, StructureShape

from .exceptions import InvalidParameterException


@cache
def _operation(name: str) -> OperationModel:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return model.operation_model(name)


@cache
def _pattern(expression: str) -> re.Pattern[str]:
    return re.compile(expression)


def _field_name(member: str) -> str:
    """AWS reports members in camelCase: `JobName` -> `jobName`."""
    return member[:1].lower() + member[1:]


def _violations(member: str, shape: Shape, value: Any) -> list[str]:
    rules = shape.metadata
    where = f"Value '{value}' at '{_field_name(member)}' failed to satisfy constraint: Member must"
    found: list[str] = []
    if isinstance(value, str):
        if "min" in rules and len(value) < rules["min"]:
            found.append(f"{where} have length greater than or equal to {rules['min']}")
        if "max" in rules and len(value) > rules["max"]:
            found.append(f"{where} have length less than or equal to {rules['max']}")
        if "pattern" in rules and not _pattern(rules["pattern"]).fullmatch(value):
            found.append(f"{where} satisfy regular expression pattern: {rules['pattern']}")
        enum: list[str] = getattr(shape, "enum", [])
        if enum and value not in enum:
            found.append(f"{where} satisfy enum value set: [{', '.join(enum)}]")
    elif isinstance(value, int) and not isinstance(value, bool):
        if "min" in rules and value < rules["min"]:
            found.append(f"{where} have value greater than or equal to {rules['min']}")
        if "max" in rules and value > rules["max"]:
            found.append(f"{where} have value less than or equal to {rules['max']}")
    return found


def validate_request(operation: str, params: dict[str, Any]) -> None:
    """Raise InvalidParameterException listing every violated rule, in AWS's wording."""
    shape = _operation(operation).input_shape
    assert isinstance(shape, StructureShape)
    found: list[str] = []
    for member in shape.required_members:
        if params.get(member) is None:
            found.append(
                f"Value null at '{_field_name(member)}' failed to satisfy constraint: "
                "Member must not be null"
            )
    for member, member_shape in shape.members.items():
        if params.get(member) is not None:
            found.extend(_violations(member, member_shape, params[member]))
    if found:
        noun = "error" if len(found) == 1 else "errors"
        raise InvalidParameterException(
            f"{len(found)} validation {noun} detected: " + "; ".join(found)
        )
