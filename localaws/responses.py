"""The six import-job operations on the wire, added to moto's cognito-idp responses.

moto dispatches a JSON request to the method named after its X-Amz-Target action and
serializes an ActionResult through botocore's output shape, so each method here only reads
parameters, applies the model's constraints, and calls the backend. `register()` adds them
to moto's class from outside: no fork of moto, no edit of site-packages.
"""

import json
from typing import Any

from moto.cognitoidp.models import CognitoIdpUserPool, CognitoIdpUserPoolAttribute
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult
from moto.logs.responses import LogsResponse

from .faults import FAULTS
from .models import MAX_PAGE, STATE_LOCK, ImportJobBackend, import_job_backends
from .validation import validate_request


class ImportJobResponses(CognitoIdpResponse):
    """Methods that register() copies onto moto's CognitoIdpResponse."""

    @property
    def import_jobs(self) -> ImportJobBackend:
        return import_job_backends[self.current_account][self.region]

    def _import_request(self, operation: str) -> tuple[dict[str, Any], str | None]:
        """The request's parameters, validated, and the kind of a fault that does not fail
        the call but shapes its answer (`expired-url`); other armed faults raise here."""
        params: dict[str, Any] = self.parameters
        fault = FAULTS.trip(operation, role_arn=params.get("CloudWatchLogsRoleArn", ""))
        validate_request(operation, params)
        return params, fault

    def _endpoint(self) -> str:
        host = self.headers.get("Host", "")
        scheme = "https" if host.endswith(".amazonaws.com") else "http"
        return f"{scheme}://{host}"

    def create_user_import_job(self) -> ActionResult:
        params, fault = self._import_request("CreateUserImportJob")
        with STATE_LOCK:
            job = self.import_jobs.create_job(
                user_pool_id=params["UserPoolId"],
                job_name=params["JobName"],
                role_arn=params["CloudWatchLogsRoleArn"],
                password_hashing_algorithm=params.get("PasswordHashingAlgorithm"),
                endpoint=self._endpoint(),
                url_already_expired=fault == "expired-url",
            )
            return ActionResult({"UserImportJob": job.to_json()})

    def start_user_import_job(self) -> ActionResult:
        params, _ = self._import_request("StartUserImportJob")
        with STATE_LOCK:
            job = self.import_jobs.start_job(params["UserPoolId"], params["JobId"])
            return ActionResult({"UserImportJob": job.to_json()})

    def stop_user_import_job(self) -> ActionResult:
        params, _ = self._import_request("StopUserImportJob")
        with STATE_LOCK:
            job = self.import_jobs.stop_job(params["UserPoolId"], params["JobId"])
            return ActionResult({"UserImportJob": job.to_json()})

    def describe_user_import_job(self) -> ActionResult:
        params, _ = self._import_request("DescribeUserImportJob")
        with STATE_LOCK:
            job = self.import_jobs.describe_job(params["UserPoolId"], params["JobId"])
            return ActionResult({"UserImportJob": job.to_json()})

    def list_user_import_jobs(self) -> ActionResult:
        params, _ = self._import_request("ListUserImportJobs")
        with STATE_LOCK:
            jobs, token = self.import_jobs.list_jobs(
                user_pool_id=params["UserPoolId"],
                max_results=min(params["MaxResults"], MAX_PAGE),
                pagination_token=params.get("PaginationToken"),
            )
            body: dict[str, Any] = {"UserImportJobs": [job.to_json() for job in jobs]}
            if token:
                body["PaginationToken"] = token
            return ActionResult(body)

    def get_csv_header(self) -> ActionResult:
        params, _ = self._import_request("GetCSVHeader")
        with STATE_LOCK:
            header = self.import_jobs.csv_header(params["UserPoolId"])
            return ActionResult({"UserPoolId": params["UserPoolId"], "CSVHeader": header})


_ACTIONS = (
    "import_jobs",
    "_import_request",
    "_endpoint",
    "create_user_import_job",
    "start_user_import_job",
    "stop_user_import_job",
    "describe_user_import_job",
    "list_user_import_jobs",
    "get_csv_header",
)


_MOTO_GET_LOG_EVENTS = LogsResponse.get_log_events


def _get_log_events(self: LogsResponse) -> str:
    """moto's GetLogEvents, after any fault armed for it: denied, or lines not there yet."""
    if FAULTS.trip("GetLogEvents") == "log-lag":
        token = self._get_param("nextToken") or f"f/{-1:056d}"  # moto's empty-stream cursor
        return json.dumps({"events": [], "nextForwardToken": token, "nextBackwardToken": "b/0"})
    return _MOTO_GET_LOG_EVENTS(self)


_MOTO_LIST_USERS = CognitoIdpResponse.list_users


def _list_users(self: CognitoIdpResponse) -> ActionResult:
    """moto's ListUsers, after any fault armed for it (a copy's export reads every page)."""
    FAULTS.trip("ListUsers")
    return _MOTO_LIST_USERS(self)


_MOTO_POOL_INIT = CognitoIdpUserPool.__init__


def _pool_init(self: CognitoIdpUserPool, *args: Any, **kwargs: Any) -> None:
    """moto's pool, with the standard attributes in its schema whatever custom ones it was
    created with: moto keeps them only for a pool without custom attributes, and Cognito
    lists them in every pool's SchemaAttributes (their constraints judge imported rows)."""
    _MOTO_POOL_INIT(self, *args, **kwargs)
    standard = CognitoIdpUserPoolAttribute.STANDARD_SCHEMA
    for name, schema in standard.items():
        if name not in self.schema_attributes:
            self.schema_attributes[name] = CognitoIdpUserPoolAttribute(name, False, schema)


def register() -> None:
    """Teach moto's cognito-idp the import-job actions, GetLogEvents and ListUsers the
    faults, and its pools their standard schema (idempotent)."""
    for name in _ACTIONS:
        setattr(CognitoIdpResponse, name, ImportJobResponses.__dict__[name])
    CognitoIdpUserPool.__init__ = _pool_init  # type: ignore[method-assign]
    LogsResponse.get_log_events = _get_log_events  # type: ignore[method-assign]
    CognitoIdpResponse.list_users = _list_users  # type: ignore[method-assign]
