"""localaws: moto plus Cognito user import jobs, in process or as a server.

Importing the package registers the import-job actions on moto's cognito-idp service, so
`with moto.mock_aws():`, `with localaws.running() as endpoint:` and the `localaws` command
all answer them. It needs moto, which the `localaws` extra installs
(`pip install "cognito-user-import[localaws]"`); without it the package still imports, and
every name, and the command, says which install is missing instead of a traceback.
"""

from typing import Any

#: What to install when moto (or its server's dependencies) is missing.
INSTALL = 'pip install "cognito-user-import[localaws]"'

try:
    from .clock import CLOCK
    from .faults import FAULTS
    from .models import SETTINGS
    from .responses import register
    from .server import LocalAwsApp, LocalAwsServer, reset, running, upload_app
except ModuleNotFoundError as missing:
    MISSING: str | None = (
        f"localaws needs {missing.name}, which the localaws extra installs: {INSTALL}"
    )

    def __getattr__(name: str) -> Any:
        raise ModuleNotFoundError(MISSING)

else:
    MISSING = None
    register()

__all__ = [
    "CLOCK",
    "FAULTS",
    "MISSING",
    "SETTINGS",
    "LocalAwsApp",
    "LocalAwsServer",
    "register",
    "reset",
    "running",
    "upload_app",
]
