"""State and rules of Cognito user import jobs, kept beside moto's cognito-idp backend.

A job advances when it is observed (DescribeUserImportJob, ListUserImportJobs), one step per
observation: Start answers Pending, the next poll sees InProgress, the one after a terminal
status. That is how a client polling real Cognito sees a small import, and it keeps tests
deterministic without sleeping.
"""

import json
import os
import random
import string
import threading
from dataclasses import dataclass
from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool, cognitoidp_backends
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.utilities.paginator import paginate

from .clock import CLOCK
from .csvrules import csv_header
from .exceptions import (
    InvalidPaginationToken,
    LimitExceededException,
    PreconditionNotMetException,
    ResourceNotFoundError,
)
from .importer import run_import
from .job import (
    CREATED,
    EXPIRED,
    EXPIRED_MESSAGE,
    IN_PROGRESS,
    PENDING,
    STOPPED,
    STOPPED_MESSAGE,
    STOPPING,
    ImportJob,
)
from .upload import UPLOADS, URL_LIFETIME_SECONDS, presign

#: Every request that touches localaws state runs under this lock: moto's server has none,
#: and Pulumi calls from several threads at once.
STATE_LOCK = threading.RLock()

MAX_JOBS_PER_POOL = 1000
MAX_PAGE = 50
#: ListUserImportJobs pages through moto's own paginator (tokens, checksums, bad tokens).
PAGINATION_MODEL: dict[str, dict[str, Any]] = {
    "list_jobs": {
        "input_token": "pagination_token",
        "limit_key": "max_results",
        "limit_default": MAX_PAGE,
        "unique_attribute": "job_id",
        "fail_on_invalid_token": InvalidPaginationToken,
    }
}


@dataclass
class Settings:
    """Tunable rules; the defaults are what AWS was observed to do."""

    #: A Created job never started expires after 24-48 h; ~24.5 h was observed.
    job_expiry_seconds: float = float(os.environ.get("LOCALAWS_JOB_EXPIRY_SECONDS", "88200"))
    #: Observations an InProgress job stays InProgress before it imports (1: the next poll).
    #: Higher values give tests time to stop a running job or to time out waiting for it.
    polls_in_progress: int = int(os.environ.get("LOCALAWS_POLLS_IN_PROGRESS", "1"))
    #: Seconds of localaws's clock an import runs, from its start (0: no minimum). With
    #: the clock advanced instead of slept, a 30-minute import takes milliseconds.
    import_seconds: float = float(os.environ.get("LOCALAWS_IMPORT_SECONDS", "0"))

    def reset(self) -> None:
        defaults = Settings()
        self.job_expiry_seconds = defaults.job_expiry_seconds
        self.polls_in_progress = defaults.polls_in_progress
        self.import_seconds = defaults.import_seconds


SETTINGS = Settings()


class ImportJobBackend(BaseBackend):
    """Import jobs of one account and region; moto resets it with its other backends."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.jobs: dict[str, ImportJob] = {}

    def user_pool(self, user_pool_id: str) -> CognitoIdpUserPool:
        backend = cognitoidp_backends[self.account_id][self.region_name]
        pool: CognitoIdpUserPool = backend.describe_user_pool(user_pool_id)
        return pool

    def _job(self, user_pool_id: str, job_id: str) -> ImportJob:
        self.user_pool(user_pool_id)
        job = self.jobs.get(job_id)
        if job is None or job.user_pool_id != user_pool_id:
            raise ResourceNotFoundError(f"Import job {job_id} does not exist.")
        return job

    def create_job(
        self,
        user_pool_id: str,
        job_name: str,
        role_arn: str,
        password_hashing_algorithm: str | None,
        endpoint: str,
        url_already_expired: bool = False,
    ) -> ImportJob:
        self.user_pool(user_pool_id)
        in_pool = sum(1 for job in self.jobs.values() if job.user_pool_id == user_pool_id)
        if in_pool >= MAX_JOBS_PER_POOL:
            raise LimitExceededException(
                f"The user pool {user_pool_id} already has {MAX_JOBS_PER_POOL} import jobs, "
                "the maximum allowed."
            )
        job_id = "import-" + "".join(random.choices(string.ascii_letters + string.digits, k=10))
        now = CLOCK.now()
        signed_at = now - URL_LIFETIME_SECONDS - 1 if url_already_expired else now
        url = presign(endpoint, self.region_name, self.account_id, user_pool_id, job_id, signed_at)
        job = ImportJob(
            account_id=self.account_id,
            region=self.region_name,
            job_id=job_id,
            job_name=job_name,
            user_pool_id=user_pool_id,
            role_arn=role_arn,
            password_hashing_algorithm=password_hashing_algorithm,
            pre_signed_url=url,
            creation_date=now,
        )
        self.jobs[job_id] = job
        return job

    def start_job(self, user_pool_id: str, job_id: str) -> ImportJob:
        job = self._job(user_pool_id, job_id)
        expire_if_due(job)
        if job.status != CREATED:
            raise PreconditionNotMetException(
                f"Import job {job_id} is {job.status}; only a Created job can be started."
            )
        if UPLOADS.path_for(job.account_id, job_id) is None:
            raise PreconditionNotMetException(f"No csv file was uploaded for {job_id}")
        job.status = PENDING
        job.start_date = CLOCK.now()
        return job

    def stop_job(self, user_pool_id: str, job_id: str) -> ImportJob:
        job = self._job(user_pool_id, job_id)
        if job.status not in (PENDING, IN_PROGRESS):
            raise PreconditionNotMetException(
                f"Import job {job_id} is {job.status}; only a Pending or InProgress job can be "
                "stopped."
            )
        job.status = STOPPING
        return job

    def describe_job(self, user_pool_id: str, job_id: str) -> ImportJob:
        job = self._job(user_pool_id, job_id)
        advance_account(self.account_id)
        return job

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_jobs(self, user_pool_id: str) -> list[ImportJob]:
        """Newest first; moto's paginator cuts the pages (call with max_results and
        pagination_token, get (page, next token))."""
        self.user_pool(user_pool_id)
        advance_account(self.account_id)
        return sorted(
            (job for job in self.jobs.values() if job.user_pool_id == user_pool_id),
            key=lambda job: job.sequence,
            reverse=True,
        )

    def csv_header(self, user_pool_id: str) -> list[str]:
        return csv_header(self.user_pool(user_pool_id))


def expire_if_due(job: ImportJob) -> None:
    if job.status == CREATED and CLOCK.now() - job.creation_date >= SETTINGS.job_expiry_seconds:
        job.finish(EXPIRED, EXPIRED_MESSAGE)


def advance_account(account_id: str) -> None:
    """One observed step of every job of the account (one active import per account)."""
    jobs = sorted(
        (
            job
            for backend in import_job_backends[account_id].values()
            for job in backend.jobs.values()
        ),
        key=lambda job: job.sequence,
    )
    for job in jobs:
        expire_if_due(job)
        if job.status == STOPPING:
            job.finish(STOPPED, STOPPED_MESSAGE)
    active = next((job for job in jobs if job.status == IN_PROGRESS), None)
    if active is not None:
        active.polls_in_progress += 1
        started = active.start_date or CLOCK.now()
        ran_long_enough = CLOCK.now() - started >= SETTINGS.import_seconds
        if active.polls_in_progress >= SETTINGS.polls_in_progress and ran_long_enough:
            run_import(active)
        return
    waiting = next((job for job in jobs if job.status == PENDING), None)
    if waiting is not None:
        waiting.status = IN_PROGRESS


def sign_in_federated(
    user_pool_id: str, provider: str, subject: str, attributes: dict[str, str]
) -> str:
    """What a first sign-in through an identity provider leaves in a pool: a user named
    `<provider>_<subject>` with status EXTERNAL_PROVIDER and an `identities` attribute. No
    API call makes one (only a sign-in does), so the control API offers it to tests."""
    region = user_pool_id.partition("_")[0]
    pool = cognitoidp_backends[DEFAULT_ACCOUNT_ID][region].describe_user_pool(user_pool_id)
    identities = [{"providerName": provider, "userId": subject, "providerType": provider}]
    listed = [{"Name": name, "Value": value} for name, value in attributes.items()]
    listed.append({"Name": "identities", "Value": json.dumps(identities)})
    username = f"{provider}_{subject}"
    pool.users[username] = CognitoIdpUser(user_pool_id, username, None, "EXTERNAL_PROVIDER", listed)
    return username


import_job_backends = BackendDict(ImportJobBackend, "cognito-idp")
