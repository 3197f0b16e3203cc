"""The pre-signed S3 URL of an import job: how it is signed, and what S3 enforces on the PUT.

Real Cognito signs a PUT to a service-owned bucket with SigV4, `X-Amz-Expires=899` and the
signed headers `host;x-amz-server-side-encryption`. localaws signs the same query with an
HMAC key of its own, so a tampered URL, a missing encryption header or an expired URL are
refused as S3 refuses them, and nothing is stored when a rule is broken.
"""

import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape

from .clock import CLOCK

BUCKET_PREFIX = "aws-cognito-idp-user-import-"
URL_LIFETIME_SECONDS = 899
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
SSE_HEADER = "x-amz-server-side-encryption"
SSE_VALUE = "aws:kms"
SIGNED_HEADERS = f"host;{SSE_HEADER}"
_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_CHUNK = 1024 * 1024
_SIGNING_KEY = secrets.token_bytes(32)


def _signature(key: str, amz_date: str, expires: str, credential: str, sse: str) -> str:
    message = "\n".join(("PUT", key, amz_date, expires, credential, f"{SSE_HEADER}:{sse}"))
    return hmac.new(_SIGNING_KEY, message.encode(), hashlib.sha256).hexdigest()


def presign(endpoint: str, region: str, account: str, pool_id: str, job_id: str, now: float) -> str:
    """The URL a client PUTs its CSV to.

    On an AWS-shaped endpoint (in process, under moto's mock) the URL is virtual-hosted like
    the real one; on a local server it is path-style on that server, which is where the PUT
    has to arrive.
    """
    bucket = BUCKET_PREFIX + region
    key = f"{account}/{pool_id}/{job_id}"
    moment = datetime.fromtimestamp(now, tz=UTC)
    amz_date = moment.strftime(_DATE_FORMAT)
    credential = f"LOCALAWS/{moment:%Y%m%d}/{region}/s3/aws4_request"
    expires = str(URL_LIFETIME_SECONDS)
    query = urlencode(
        {
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
            "X-Amz-Date": amz_date,
            "X-Amz-SignedHeaders": SIGNED_HEADERS,
            "X-Amz-Expires": expires,
            "X-Amz-Credential": credential,
            "X-Amz-Signature": _signature(key, amz_date, expires, credential, SSE_VALUE),
        },
        quote_via=quote,
    )
    if endpoint.endswith(".amazonaws.com"):
        return f"https://{bucket}.s3.{region}.amazonaws.com/{key}?{query}"
    return f"{endpoint.rstrip('/')}/{bucket}/{key}?{query}"


class UploadRefused(Exception):
    """An S3 error answer: status, code and message, rendered as S3's XML."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def xml(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message>"
            f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
        ).encode()


def locate(host: str, path: str) -> tuple[str, str] | None:
    """(bucket, key) of an upload request, virtual-hosted or path-style; None if not one."""
    hostname = host.split(":", maxsplit=1)[0]
    if hostname.startswith(BUCKET_PREFIX) and ".s3." in hostname:
        return hostname.split(".s3.", maxsplit=1)[0], path.lstrip("/")
    parts = path.lstrip("/").split("/", 1)
    if len(parts) == 2 and parts[0].startswith(BUCKET_PREFIX):
        return parts[0], parts[1]
    return None


class UploadStore:
    """Uploaded CSVs on disk, one file a job: an import streams it, never holds it whole."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._directory = tempfile.mkdtemp(prefix="localaws-uploads-")
        self._paths: dict[tuple[str, str], str] = {}

    def path_for(self, account: str, job_id: str) -> str | None:
        with self._lock:
            return self._paths.get((account, job_id))

    def clear(self) -> None:
        with self._lock:
            for path in self._paths.values():
                if os.path.exists(path):
                    os.remove(path)
            self._paths.clear()

    def put(
        self,
        method: str,
        bucket: str,
        key: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: IO[bytes],
    ) -> str:
        """Apply S3's rules to a PUT and store the body; returns the ETag."""
        headers = {name.lower(): value for name, value in headers.items()}
        if method != "PUT":
            raise UploadRefused(
                405,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource.",
            )
        _verify(bucket, key, query, headers)
        length_header = headers.get("content-length")
        if length_header is None:
            raise UploadRefused(
                411, "MissingContentLength", "You must provide the Content-Length HTTP header."
            )
        length = int(length_header)
        if length > MAX_UPLOAD_BYTES:
            raise UploadRefused(
                400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size."
            )
        account, _pool_id, job_id = key.split("/")
        digest = hashlib.md5(usedforsecurity=False)
        handle, partial = tempfile.mkstemp(dir=self._directory, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                remaining = length
                while remaining:
                    chunk = body.read(min(_CHUNK, remaining))
                    if not chunk:
                        raise incomplete_body()
                    digest.update(chunk)
                    out.write(chunk)
                    remaining -= len(chunk)
            final = os.path.join(self._directory, f"{account}-{job_id}.csv")
            shutil.move(partial, final)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        with self._lock:
            self._paths[(account, job_id)] = final
        return f'"{digest.hexdigest()}"'


def _verify(bucket: str, key: str, query: Mapping[str, str], headers: Mapping[str, str]) -> None:
    parts = key.split("/")
    region = bucket.removeprefix(BUCKET_PREFIX)
    fields = ("X-Amz-Date", "X-Amz-Expires", "X-Amz-Credential", "X-Amz-Signature")
    if len(parts) != 3 or any(name not in query for name in fields):
        raise UploadRefused(403, "AccessDenied", "Access Denied")
    if (
        query.get("X-Amz-SignedHeaders") != SIGNED_HEADERS
        or f"/{region}/" not in query["X-Amz-Credential"]
    ):
        raise _mismatch()
    expected = _signature(
        key,
        query["X-Amz-Date"],
        query["X-Amz-Expires"],
        query["X-Amz-Credential"],
        headers.get(SSE_HEADER, ""),
    )
    if not hmac.compare_digest(expected, query["X-Amz-Signature"]):
        raise _mismatch()
    signed_at = datetime.strptime(query["X-Amz-Date"], _DATE_FORMAT).replace(tzinfo=UTC)
    if CLOCK.now() > signed_at.timestamp() + int(query["X-Amz-Expires"]):
        raise UploadRefused(403, "AccessDenied", "Request has expired")


def incomplete_body() -> UploadRefused:
    return UploadRefused(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.",
    )


def _mismatch() -> UploadRefused:
    return UploadRefused(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
    )


UPLOADS = UploadStore()
