"""Real protocol peers the AWS settings are tested against, each on a loopback port: an
HTTP forward proxy, an EC2 instance metadata service, and localaws behind TLS.

They speak the protocols botocore and urllib3 speak (absolute-URI proxying, IMDSv2's token
then credentials, TLS with a certificate of our own), so a setting that is not honoured
fails a test the way it would fail a deployer.
"""

import datetime
import http.client
import ipaddress
import json
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server

from localaws.server import LocalAwsApp


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class ForwardProxy:
    """An HTTP proxy that forwards absolute-URI requests and records each (method, URL)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []

    @contextmanager
    def running(self) -> Iterator[str]:
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                seen.append((self.command, self.path))
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                connection = http.client.HTTPConnection(target.netloc, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
                path = target.path + (f"?{target.query}" if target.query else "")
                connection.request(self.command, path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward  # noqa: N815 - http.server names

            def do_CONNECT(self) -> None:
                """A tunnel to an HTTPS endpoint: the client speaks TLS through it."""
                seen.append(("CONNECT", self.path))
                host, port = self.path.rsplit(":", 1)
                upstream = socket.create_connection((host, int(port)), timeout=60)
                self.send_response(200, "Connection established")
                self.end_headers()
                sockets = [self.connection, upstream]
                while True:
                    readable, _, _ = select.select(sockets, [], [], 60)
                    if not readable:
                        break
                    for source in readable:
                        data = source.recv(65536)
                        if not data:
                            upstream.close()
                            return
                        (upstream if source is self.connection else self.connection).sendall(data)

            def log_message(self, *_: object) -> None:
                return

        with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
            yield url


class MetadataService:
    """EC2's instance metadata service (IMDSv2): a session token, then the role's
    credentials, the way botocore's instance-metadata provider asks for them."""

    ROLE = "deployer-instance-role"

    def __init__(self, access_key: str = "ASIAINSTANCEROLE") -> None:
        self.access_key = access_key
        self.asked: list[str] = []

    @contextmanager
    def running(self) -> Iterator[str]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: str, status: int = 200) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self) -> None:
                service.asked.append(self.path)
                self._answer("metadata-token")

            def do_GET(self) -> None:
                service.asked.append(self.path)
                prefix = "/latest/meta-data/iam/security-credentials/"
                if self.path == prefix:
                    self._answer(service.ROLE)
                elif self.path == prefix + service.ROLE:
                    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=6)
                    self._answer(
                        json.dumps(
                            {
                                "Code": "Success",
                                "AccessKeyId": service.access_key,
                                "SecretAccessKey": "instance-secret",
                                "Token": "instance-token",
                                "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            }
                        )
                    )
                else:
                    self._answer("", 404)

            def log_message(self, *_: object) -> None:
                return

        with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
            yield url


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files: the CA bundle a deployer
    would name in customCaBundle."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localaws test CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "ca.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@contextmanager
def tls_localaws(directory: Path) -> Iterator[tuple[str, Path]]:
    """localaws served over HTTPS in this process (its own state), and its CA bundle."""
    cert, key = self_signed_certificate(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = make_server("127.0.0.1", 0, LocalAwsApp(), threaded=True, ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_port}", cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
