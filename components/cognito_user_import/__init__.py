"""Amazon Cognito user import jobs as Pulumi resources.

`CognitoUserImport` is the component most programs want (a job plus its logging role);
`UserImportJob` is the bare resource, for a role managed elsewhere.
"""

from .component import CognitoUserImport, CognitoUserImportArgs
from .job import ImportOptions, UserImportJob, UserImportJobArgs
from .provider import UserImportJobProvider

__all__ = [
    "CognitoUserImport",
    "CognitoUserImportArgs",
    "ImportOptions",
    "UserImportJob",
    "UserImportJobArgs",
    "UserImportJobProvider",
]
