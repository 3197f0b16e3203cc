"""localaws over HTTP: moto's server app, import-job uploads, and a control API for tests.

One WSGI app answers everything on one port: S3-style PUTs to pre-signed URLs go to the
upload store, `/_localaws/*` switches faults, the clock and settings at run time, and every
other request goes to moto (all of its services, our cognito-idp actions included). moto's
server has no locks of its own, so each request to it runs under the state lock.
"""

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from moto.core.base_backend import BackendDict
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from .clock import CLOCK
from .faults import FAULTS
from .models import SETTINGS, STATE_LOCK, sign_in_federated
from .upload import UPLOADS, UploadRefused, incomplete_body, locate

StartResponse = Callable[..., Any]
CONTROL_PREFIX = "/_localaws/"


def reset() -> None:
    """Forget everything: moto's backends, jobs, uploads, faults, clock offset, settings."""
    with STATE_LOCK:
        BackendDict.reset()
        UPLOADS.clear()
        FAULTS.clear()
        CLOCK.reset()
        SETTINGS.reset()


def _json(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _control(request: Request) -> Response:
    action = request.path.removeprefix(CONTROL_PREFIX).strip("/")
    body: dict[str, Any] = request.get_json(silent=True) or {}
    try:
        if action == "health":
            return _json({"status": "ok"})
        if action == "reset" and request.method == "POST":
            reset()
            return _json({"reset": True})
        if action == "faults":
            if request.method == "POST":
                FAULTS.arm(body["operation"], body["kind"], int(body.get("count", 1)))
            elif request.method == "DELETE":
                FAULTS.clear()
            return _json({"pending": FAULTS.pending()})
        if action == "clock" and request.method == "POST":
            if body.get("freeze"):
                return _json({"now": CLOCK.freeze()})
            return _json({"offset": CLOCK.advance(float(body["advance"]))})
        if action == "federated-user" and request.method == "POST":
            with STATE_LOCK:
                username = sign_in_federated(
                    body["user_pool_id"],
                    body["provider"],
                    body["subject"],
                    dict(body.get("attributes") or {}),
                )
            return _json({"username": username})
        if action == "settings" and request.method == "POST":
            if "job_expiry_seconds" in body:
                SETTINGS.job_expiry_seconds = float(body["job_expiry_seconds"])
            if "polls_in_progress" in body:
                SETTINGS.polls_in_progress = max(1, int(body["polls_in_progress"]))
            if "import_seconds" in body:
                SETTINGS.import_seconds = max(0.0, float(body["import_seconds"]))
            return _json(asdict(SETTINGS))
    except (KeyError, ValueError, TypeError) as error:
        return _json({"error": f"bad control request: {error}"}, status=400)
    return _json({"error": f"unknown control action {request.method} {action!r}"}, status=404)


def _upload(request: Request, bucket: str, key: str) -> Response:
    try:
        etag = UPLOADS.put(
            request.method, bucket, key, request.args, dict(request.headers), request.stream
        )
    except ClientDisconnected:
        refused = incomplete_body()
    except UploadRefused as error:
        refused = error
    else:
        return Response(b"", status=200, headers={"ETag": etag})
    return Response(refused.xml(), status=refused.status, mimetype="application/xml")


class LocalAwsApp:
    """The WSGI application; `upload_app` alone serves pre-signed URLs in process."""

    def __init__(self) -> None:
        self._moto = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith(CONTROL_PREFIX):
            return _control(request)(environ, start_response)
        located = locate(request.host, request.path)
        if located is not None:
            return _upload(request, *located)(environ, start_response)
        with STATE_LOCK:
            return list(self._moto(environ, start_response))


def upload_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Pre-signed URL PUTs only: what an in-process test sends its uploads to."""
    request = Request(environ)
    located = locate(request.host, request.path)
    if located is None:
        return Response(b"not an import-job upload URL", status=404)(environ, start_response)
    return _upload(request, *located)(environ, start_response)


class LocalAwsServer:
    """localaws on a loopback port (port 0 picks a free one)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server: BaseWSGIServer = make_server(
            host, port, LocalAwsApp(), threaded=True, request_handler=MotoRequestHandler
        )

    @property
    def endpoint(self) -> str:
        return f"http://{self._server.host}:{self._server.server_port}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """localaws served from a thread of this process for the `with` block, which gets its
    endpoint; state starts empty and is forgotten at the end. For a user's own tests:

        with localaws.running() as endpoint:
            boto3.client("cognito-idp", endpoint_url=endpoint, ...)
    """
    reset()
    server = LocalAwsServer(host, port)
    thread = threading.Thread(target=server.serve_forever, name="localaws", daemon=True)
    thread.start()
    try:
        yield server.endpoint
    finally:
        server.stop()
        thread.join()
        reset()
