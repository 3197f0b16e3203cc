"""Pool settings that stop every import job into the pool, judged from DescribeUserPool.

A job into such a pool is created, then fails or never starts, and a Failed job keeps
blocking the inputs that made it until they change: so preview refuses the pool before any
job exists, and create refuses it again (the pool may have changed since), naming the
setting and the fix. Each rule quotes the current developer guide, "Importing users into
user pools from a CSV file" ([CSV] below).
"""

from collections.abc import Mapping
from typing import Any

from .errors import UserError

#: [CSV] "If the user pool has no auto-verified attributes, the import job will not start."
NO_AUTO_VERIFICATION = (
    "auto-verifies neither email nor phone_number (its AutoVerifiedAttributes is empty), and "
    'Cognito starts no import job into such a pool (the guide: "If the user pool has no '
    'auto-verified attributes, the import job will not start."); make the pool auto-verify '
    'email or phone_number (pulumi-aws: auto_verified_attributes=["email"]) and run again'
)


class PoolRefused(UserError):
    """No import job into this pool could run; the message says which setting and the fix."""


def refusals(pool: Mapping[str, Any]) -> list[str]:
    """Why no import job into `pool` (DescribeUserPool's UserPool) could run; [] if none."""
    if not pool.get("AutoVerifiedAttributes"):
        return [f"the user pool {pool.get('Id', '')} {NO_AUTO_VERIFICATION}"]
    return []
