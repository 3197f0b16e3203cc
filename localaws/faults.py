"""Run-time fault injection, so reliability tests meet throttling and outages on demand.

Faults are armed per operation and consumed by the next calls, in order. They are switched
in process (`FAULTS.arm(...)`) or over HTTP (`POST /_localaws/faults`, see server.py).
"""

import threading
from dataclasses import dataclass

from .exceptions import (
    AccessDeniedException,
    InternalErrorException,
    InvalidParameterException,
    TooManyRequestsException,
)

#: What a role created seconds ago looks like to Cognito before IAM has propagated it.
IAM_PROPAGATION_MESSAGE = (
    "Unable to assume role {role_arn}: verify that the role exists and trusts "
    "cognito-idp.amazonaws.com."
)

KINDS = ("throttle", "internal", "iam-propagation", "expired-url", "access-denied", "log-lag")
#: Faults that apply to CreateUserImportJob alone, and to CloudWatch Logs' GetLogEvents alone.
CREATE_ONLY = ("iam-propagation", "expired-url")
LOGS_ONLY = ("access-denied", "log-lag")


@dataclass
class _Armed:
    kind: str
    remaining: int


class FaultPlan:
    """Faults waiting for their operation; thread-safe, as the server answers in parallel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[str, list[_Armed]] = {}

    def arm(self, operation: str, kind: str, count: int = 1) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
        if kind in CREATE_ONLY and operation != "CreateUserImportJob":
            raise ValueError(f"{kind} applies to CreateUserImportJob only")
        if (kind in LOGS_ONLY) != (operation == "GetLogEvents"):
            raise ValueError("GetLogEvents takes access-denied and log-lag, and only those")
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._armed.setdefault(operation, []).append(_Armed(kind, count))

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def pending(self) -> dict[str, list[dict[str, object]]]:
        with self._lock:
            return {
                op: [{"kind": a.kind, "remaining": a.remaining} for a in armed]
                for op, armed in self._armed.items()
                if armed
            }

    def trip(self, operation: str, role_arn: str = "") -> str | None:
        """Raise the next armed fault for this operation; return the kind of one to apply.

        `expired-url` does not fail the call: the job is created with a URL signed 15
        minutes ago, which S3 refuses as expired. `log-lag` neither: GetLogEvents answers
        as if CloudWatch Logs had not received the job's lines yet.
        """
        with self._lock:
            armed = self._armed.get(operation)
            if not armed:
                return None
            fault = armed[0]
            fault.remaining -= 1
            if fault.remaining == 0:
                armed.pop(0)
        if fault.kind == "throttle":
            raise TooManyRequestsException("Rate exceeded")
        if fault.kind == "internal":
            raise InternalErrorException("An internal error occurred (injected by localaws).")
        if fault.kind in ("expired-url", "log-lag"):
            return fault.kind
        if fault.kind == "access-denied":
            raise AccessDeniedException(
                "User is not authorized to perform: logs:GetLogEvents (injected by localaws)."
            )
        raise InvalidParameterException(IAM_PROPAGATION_MESSAGE.format(role_arn=role_arn))


FAULTS = FaultPlan()
