"""The local language host (engine/language_host.py) ends the way the engine ends it.

The engine stops its language host with SIGINT after every run (and others send SIGTERM):
that is the host's normal end, so it exits 0 at once, printing nothing, instead of the
KeyboardInterrupt traceback gRPC's wait turned it into (seen in one `make demo` of three).
"""

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support import HANG_GUARD_SECONDS, ROOT

HOST = ROOT / "engine" / "language_host.py"


@pytest.fixture
def engine() -> Iterator[str]:
    """Something listening where the host is told the engine is, so the host stays up."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_the_engines_signal_ends_the_host_at_once_without_a_word(
    engine: str, signum: signal.Signals
) -> None:
    host = subprocess.Popen(
        [sys.executable, "-u", str(HOST), engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert host.stdout is not None
    assert int(host.stdout.readline()) > 0  # its port: serving
    host.send_signal(signum)
    out, err = host.communicate(timeout=HANG_GUARD_SECONDS)
    assert (host.returncode, out, err) == (0, "", "")
