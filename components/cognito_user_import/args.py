"""The inputs of an import, documented once: CognitoUserImport takes them, UserImportJob
takes them with the role required, and the schema served to other languages (plugin/) reads
their descriptions from the docstrings here.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi


@dataclass(kw_only=True)
class CognitoUserImportArgs:
    """The inputs of an import: where, under what name, what to import and how, and the
    role Cognito logs with."""

    user_pool_id: pulumi.Input[str]
    """The user pool to import into, e.g. `us-east-1_AbCdEf123`."""
    job_name: pulumi.Input[str]
    """1-128 letters, digits, spaces and `+ = , . @ -`."""

    password_hashing_algorithm: pulumi.Input[str] | None = None
    """BCRYPT, SCRYPT, ARGON2ID or PBKDF2_SHA256, passed to CreateUserImportJob as given.
    AWS documents no CSV column for a password hash: none is checked or written."""
    csv_file: pulumi.Input[str] | None = None
    """Import as code: a CSV file to upload. State keeps its path and SHA-256, never its
    contents."""
    users: pulumi.Input[Sequence[Mapping[str, Any]]] | None = None
    """Or user records (column -> value) rendered with the pool's header. They are inputs,
    so state keeps them, always as a secret (encrypted)."""
    source_user_pool_id: pulumi.Input[str] | None = None
    """Or copy the users of another pool: every user this pool lacks, rendered into its
    header (federated and disabled users, and rows it would refuse, are skipped and counted
    in `export`). Needs start and wait. Passwords, groups, MFA devices and `sub`s are not
    copied (docs/guides/copy-a-pool.md)."""
    source_region: pulumi.Input[str] | None = None
    """The source pool's region. Default: the region the source pool's id begins with."""
    copy_trigger: pulumi.Input[Any] | None = None
    """Any value: a copy runs once, and again (for the users the target still lacks) each
    time this value changes."""
    start: pulumi.Input[bool] | None = None
    """Start the job once the file is uploaded. Default: false."""
    wait: pulumi.Input[bool] | None = None
    """Wait for the job to end (needs start); a split import needs it. Default: false."""
    wait_timeout_seconds: pulumi.Input[float] | None = None
    """How long `pulumi up` waits for the whole import (every job of a split one), in
    seconds; past it the update fails naming the job, and the next `pulumi up` goes on
    waiting for it. Default: 1800."""
    rows_per_job: pulumi.Input[int] | None = None
    """Rows per job, at most 500,000 (Cognito's limit); larger CSVs become several jobs.
    Default: 500000."""
    max_failed_users: pulumi.Input[int] | None = None
    """How many rows may fail (over every job of the import) before `pulumi up` fails; 0
    fails it on the first. Unset, `up` fails only when Cognito fails a job, and not for a
    job whose every row was skipped (every user is then in the pool). Default: unset."""
    outcome_file: pulumi.Input[str] | None = None
    """Where `up` writes the rows that were skipped or failed (the source's header, and the
    reason in a last column `import_outcome`), on the deployer's disk only."""
    cloud_watch_logs_role_arn: pulumi.Input[str] | None = None
    """A role Cognito assumes to write the import's CloudWatch Logs. Default: a role
    CognitoUserImport creates with pulumi-aws."""
