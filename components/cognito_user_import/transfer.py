"""The HTTP PUT of a CSV part to a job's pre-signed URL, streamed from disk.

The URL signs `host;x-amz-server-side-encryption`, so the header is sent exactly as signed
and nothing else that would break the signature. The URL is a credential: no message here
contains it (urllib3's own exceptions would, so they are not passed on). urllib3 is what
botocore already loaded: the provider host pays no import for the upload, and a program that
only pickles the provider loads neither. The upload goes through the proxy the job's AWS
calls use (aws.proxies), so a deployer behind one reaches S3 the same way.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .csvfile import Part

if TYPE_CHECKING:
    import urllib3

SSE_HEADER = {"x-amz-server-side-encryption": "aws:kms"}
_CHUNK = 1024 * 1024


class UrlExpired(Exception):
    """S3 refused the PUT because the URL's 15 minutes are over: the job needs replacing."""


class UploadFailed(Exception):
    """S3 refused the PUT, or could not be reached."""


class _PartReader(io.RawIOBase):
    """The header, then bytes [start, end) of the file: one job's CSV without a copy."""

    def __init__(self, header: bytes, handle: IO[bytes], start: int, end: int) -> None:
        self._header = header
        self._handle = handle
        self._remaining = end - start
        self._size = len(header) + self._remaining
        self._position = 0
        handle.seek(start)

    def __len__(self) -> int:
        return self._size

    def tell(self) -> int:
        return self._position

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._header:
            count = min(len(buffer), len(self._header))
            buffer[:count] = self._header[:count]
            self._header = self._header[count:]
            self._position += count
            return count
        data = self._handle.read(min(len(buffer), self._remaining, _CHUNK))
        self._remaining -= len(data)
        self._position += len(data)
        buffer[: len(data)] = data
        return len(data)


@cache
def _http(proxy: str | None) -> urllib3.PoolManager:
    """One pool per proxy (or none) for every upload of the host; no retries (a PUT body
    is a stream, read once)."""
    import urllib3  # noqa: PLC0415

    timeout = urllib3.Timeout(connect=10, read=900)
    if proxy:
        return urllib3.ProxyManager(proxy, retries=False, timeout=timeout)
    return urllib3.PoolManager(retries=False, timeout=timeout)


def put_part(url: str, path: Path, header: bytes, part: Part, proxy: str | None = None) -> None:
    """PUT one part, through `proxy` when the job's AWS calls go through one (aws.proxies)."""
    from urllib3.exceptions import HTTPError  # noqa: PLC0415

    with path.open("rb") as handle, _PartReader(header, handle, part.start, part.end) as body:
        # An explicit Content-Length: S3 refuses chunked uploads.
        headers = {**SSE_HEADER, "Content-Length": str(len(body))}
        try:
            response = _http(proxy).request("PUT", url, body=body, headers=headers)
        except HTTPError as error:
            via = f" through the proxy {proxy}" if proxy else ""
            raise UploadFailed(
                f"the upload could not reach S3{via} ({type(error).__name__}); check the "
                "network path to the pre-signed URL's host, and the proxy settings"
            ) from None
    if 200 <= response.status < 300:
        return
    text = response.data.decode("utf-8", "replace")
    code = _xml_field(text, "Code") or str(response.status)
    message = _xml_field(text, "Message") or response.reason or ""
    if response.status == 403 and "expired" in message.lower():
        raise UrlExpired(f"the upload URL expired ({message})")
    raise UploadFailed(f"S3 refused the upload: HTTP {response.status} {code}: {message}")


def _xml_field(text: str, name: str) -> str | None:
    match = re.search(f"<{name}>(.*?)</{name}>", text, re.DOTALL)
    return match.group(1) if match else None
