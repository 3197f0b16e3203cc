"""Amazon Cognito user import jobs as Pulumi resources.

`CognitoUserImport` is the component most programs want (a job plus its logging role);
`UserImportJob` is the bare resource, for a role managed elsewhere.

The names load on first use (PEP 562): Pulumi's dynamic-provider host imports
`cognito_user_import.provider` to unpickle the provider, and must not pay for pulumi-aws
and the component on every `up`, `refresh` and `destroy`.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .args import CognitoUserImportArgs
    from .component import CognitoUserImport
    from .job import UserImportJob, UserImportJobArgs
    from .provider import UserImportJobProvider

_WHERE = {
    "CognitoUserImport": ".component",
    "CognitoUserImportArgs": ".args",
    "UserImportJob": ".job",
    "UserImportJobArgs": ".job",
    "UserImportJobProvider": ".provider",
}

__all__ = [
    "CognitoUserImport",
    "CognitoUserImportArgs",
    "UserImportJob",
    "UserImportJobArgs",
    "UserImportJobProvider",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
