"""localaws: moto plus Cognito user import jobs, in process or as a server.

Importing the package registers the import-job actions on moto's cognito-idp service, so
`with moto.mock_aws():` and `python -m localaws` both answer them.
"""

from .clock import CLOCK
from .faults import FAULTS
from .models import SETTINGS
from .responses import register
from .server import LocalAwsApp, LocalAwsServer, reset, upload_app

register()

__all__ = [
    "CLOCK",
    "FAULTS",
    "SETTINGS",
    "LocalAwsApp",
    "LocalAwsServer",
    "register",
    "reset",
    "upload_app",
]
