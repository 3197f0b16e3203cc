"""Cognito's error shapes that moto's cognito-idp lacks; the others are moto's own.

moto renders each as `{"__type": code, "message": ...}` with HTTP 400, serialized through
botocore's model like moto's errors.
"""

from moto.cognitoidp.exceptions import InvalidParameterException, ResourceNotFoundError
from moto.core.exceptions import JsonRESTError


class CognitoError(JsonRESTError):
    """A Cognito error moto has no class for."""

    code_name = "InternalErrorException"

    def __init__(self, message: str) -> None:
        super().__init__(error_type=self.code_name, message=message)


class PreconditionNotMetException(CognitoError):
    code_name = "PreconditionNotMetException"


class LimitExceededException(CognitoError):
    code_name = "LimitExceededException"


class TooManyRequestsException(CognitoError):
    code_name = "TooManyRequestsException"


class InternalErrorException(CognitoError):
    """Cognito's only 5xx error: retryable by botocore's standard retry mode."""

    code_name = "InternalErrorException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = 500


class AccessDeniedException(CognitoError):
    """What CloudWatch Logs answers a caller without the permission."""

    code_name = "AccessDeniedException"


class InvalidPaginationToken(InvalidParameterException):
    """What Cognito answers a PaginationToken it did not issue (raised by moto's paginator)."""

    def __init__(self) -> None:
        super().__init__("Invalid pagination token.")


__all__ = [
    "AccessDeniedException",
    "InternalErrorException",
    "InvalidPaginationToken",
    "InvalidParameterException",
    "LimitExceededException",
    "PreconditionNotMetException",
    "ResourceNotFoundError",
    "TooManyRequestsException",
]
