"""Cognito's error shapes, raised by localaws and serialized by moto through botocore's model."""

from moto.core.exceptions import JsonRESTError


class CognitoError(JsonRESTError):
    """A Cognito error; moto renders it as `{"__type": code, "message": ...}` with HTTP 400."""

    code_name = "InternalErrorException"

    def __init__(self, message: str) -> None:
        super().__init__(error_type=self.code_name, message=message)


class InvalidParameterException(CognitoError):
    code_name = "InvalidParameterException"


class ResourceNotFoundException(CognitoError):
    code_name = "ResourceNotFoundException"


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


ERRORS_BY_CODE: dict[str, type[CognitoError]] = {
    cls.code_name: cls
    for cls in (
        InvalidParameterException,
        ResourceNotFoundException,
        PreconditionNotMetException,
        LimitExceededException,
        TooManyRequestsException,
        InternalErrorException,
    )
}
