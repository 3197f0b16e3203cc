"""The job's property names, each written once: its inputs and outputs as Pulumi and the
engine's wire name them, and the AWS request members behind them.

Every other module names a property through `Input` or `Output` (a test reads the source
and fails on a property name written as a string elsewhere), so the resource class, the
provider, the service and the checks cannot disagree about one. The typed inputs the
provider parses at its boundary (inputs.py) have these names as their fields.
"""

from enum import StrEnum, auto


class Input(StrEnum):
    """Every input of the job, by its name in Python and on the engine's wire."""

    USER_POOL_ID = auto()
    JOB_NAME = auto()
    CLOUD_WATCH_LOGS_ROLE_ARN = auto()
    PASSWORD_HASHING_ALGORITHM = auto()
    CSV_FILE = auto()
    USERS = auto()
    SOURCE_USER_POOL_ID = auto()
    SOURCE_REGION = auto()
    COPY_TRIGGER = auto()
    START = auto()
    WAIT = auto()
    WAIT_TIMEOUT_SECONDS = auto()
    ROWS_PER_JOB = auto()
    MAX_FAILED_USERS = auto()
    OUTCOME_FILE = auto()
    #: Computed by check from the CSV's bytes: state holds this, never the contents.
    CONTENT_SHA256 = auto()
    #: The job's AWS settings when they are not the stack's own `aws:*` config: an explicit
    #: aws.Provider's arguments, or (through the plugin) the stack's config (settings.record).
    AWS_SETTINGS = auto()


class Output(StrEnum):
    """Every output the job computes (its inputs are repeated beside them)."""

    JOB_ID = auto()
    PRE_SIGNED_URL = auto()
    STATUS = auto()
    CREATION_DATE = auto()
    START_DATE = auto()
    COMPLETION_DATE = auto()
    COMPLETION_MESSAGE = auto()
    IMPORTED_USERS = auto()
    SKIPPED_USERS = auto()
    FAILED_USERS = auto()
    #: Where the job writes its CloudWatch log.
    LOG_GROUP_NAME = auto()
    LOG_STREAM_NAME = auto()
    #: Every job of the import (one, or one per part of a file split by Cognito's limits).
    JOBS = auto()
    #: What became of every line, read back from CloudWatch Logs when `up` waited.
    OUTCOME = auto()
    #: What a copy read from the source and left out, by reason (counts and names only).
    EXPORT = auto()


#: CreateUserImportJob's request: the inputs it takes, and its members' names.
REQUEST = {
    Input.USER_POOL_ID: "UserPoolId",
    Input.JOB_NAME: "JobName",
    Input.CLOUD_WATCH_LOGS_ROLE_ARN: "CloudWatchLogsRoleArn",
    Input.PASSWORD_HASHING_ALGORITHM: "PasswordHashingAlgorithm",
}
OPTIONAL_REQUEST = frozenset({Input.PASSWORD_HASHING_ALGORITHM})
#: A copy: the pool whose users are imported, its region when not the stack's, and any
#: value whose change runs a new copy (copying.py).
COPY_INPUTS = (Input.SOURCE_USER_POOL_ID, Input.SOURCE_REGION, Input.COPY_TRIGGER)
#: What an import can send: one of these.
SOURCES = (Input.CSV_FILE, Input.USERS, Input.SOURCE_USER_POOL_ID)
#: Inputs whose change needs a new job: each is part of the import's key (its jobs' names,
#: importer.ImportKey), so a new job is never mistaken for the old one's. `users` is left
#: out: its secret value is compared through CONTENT_SHA256.
REPLACE_ON = (*REQUEST, Input.CONTENT_SHA256, *COPY_INPUTS, Input.ROWS_PER_JOB)
#: Inputs changed in place: recorded, and an import asked to start or to wait now is
#: continued on its own jobs (never a replacement, whose old resource would stop them).
UPDATE_ON = (
    Input.CSV_FILE,
    Input.START,
    Input.WAIT,
    Input.WAIT_TIMEOUT_SECONDS,
    Input.MAX_FAILED_USERS,
    Input.OUTCOME_FILE,
    Input.AWS_SETTINGS,
)
#: Inputs the outputs repeat (diff compares the new inputs with them). Not `users`: secret
#: personal data, kept (encrypted) as an input only.
ECHOED = tuple(name for name in Input if name is not Input.USERS)
#: An import's totals, over its jobs.
COUNTERS = (Output.IMPORTED_USERS, Output.SKIPPED_USERS, Output.FAILED_USERS)
#: What the resource class declares as its outputs: the request's inputs it repeats, what
#: it computes, and the content's digest.
DECLARED = (*REQUEST, *Output, Input.CONTENT_SHA256)
#: The pre-signed URL is a bearer credential for 15 minutes: secret in state and outputs.
#: (The AWS settings, which may hold keys, are secret too when the job has them: job.py.)
SECRET_OUTPUTS = (Output.PRE_SIGNED_URL,)
DEFAULT_WAIT_TIMEOUT_SECONDS = 1800.0
