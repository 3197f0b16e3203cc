"""Whether the `pulumi up` that asked for an import is still there to hear how it ends.

Pulumi's dynamic-provider host ignores the engine's Cancel, keeps a running create alive
through Ctrl-C (its thread pool is joined at exit), and outlives a killed CLI: its parent is
a shell wrapper that stays alive. Pulumi's own Go plugins health-check the engine whose
address they were started with and exit when it is gone; this does the same for the
provider, and also notices the host itself shutting down (Ctrl-C reaches it). Waiting code
sleeps on `LIFELINE`, so it stops within a second of either, saying which job it leaves.
"""

import os
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from .commands import tool
from .host import in_dynamic_host

#: How often the engine is checked, and how many failed checks in a row mean it is gone.
CHECK_SECONDS = 1.0
FAILED_CHECKS = 2
#: After asking the wait to stop: how long it has to say so before the host exits anyway.
GRACE_SECONDS = 2.0
_ADDRESS = re.compile(r"^(?P<host>[\w.\-]+|\[[0-9a-fA-F:]+\]):(?P<port>\d+)$")


class Interrupted(Exception):
    """The run that asked for this work is gone or going; the message says why."""


class Lifeline:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._reason = ""
        self._watching = False
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        """Pause, or raise Interrupted as soon as the run goes away."""
        if self._stop.wait(seconds):
            raise Interrupted(self._reason)

    def now(self) -> float:
        """The time waits are measured in: the one clock of the waiting code, which a test
        or a benchmark replaces with its own (and `sleep` with one that does not wait)."""
        return time.monotonic()

    def utcnow(self) -> datetime:
        """The date Cognito's timestamps are compared with, from the same replaceable clock."""
        return datetime.now(UTC)

    def seconds_since(self, moment: datetime | None) -> float:
        """How long ago a Cognito timestamp was (0 for none, or one in the future)."""
        if moment is None:
            return 0.0
        return max(0.0, (self.utcnow() - moment).total_seconds())

    def tries(
        self, seconds: float, first: float = 1.0, growth: float = 2.0, longest: float = 10.0
    ) -> Iterator[None]:
        """The one retry loop: yields before the first try, then before each retry after a
        pause that grows from `first` by `growth` up to `longest`, while `seconds` last. The
        caller returns when a try succeeds; the loop ending means it never did."""
        deadline = self.now() + seconds
        pause = first
        yield
        while self.now() + pause <= deadline:
            self.sleep(pause)
            yield
            pause = min(pause * growth, longest)

    def cut(self, reason: str) -> None:
        self._reason = reason
        self._stop.set()

    def reset(self) -> None:
        self._reason = ""
        self._stop.clear()

    def watch_host(self) -> None:
        """Inside Pulumi's dynamic-provider host only: watch the engine and the host."""
        if in_dynamic_host():
            self.watch(engine_address(sys.argv[1:]))

    def watch(self, address: tuple[str, int] | None) -> None:
        """In a plugin Pulumi started: watch the engine at `address`, and this process."""
        with self._lock:
            if self._watching:
                return
            self._watching = True
        threading.Thread(target=self._watch, args=(address,), name="lifeline", daemon=True).start()

    def _watch(self, address: tuple[str, int] | None) -> None:
        failures = 0
        while True:
            time.sleep(CHECK_SECONDS)
            if not threading.main_thread().is_alive():
                self.cut(f"the {tool().operation} was interrupted (Ctrl-C)")
                break
            failures = 0 if address is None or reachable(address) else failures + 1
            if failures >= FAILED_CHECKS:
                self.cut(f"{tool().caller} that started this {tool().operation} is gone")
                break
        time.sleep(GRACE_SECONDS)
        os._exit(1)  # an upload in flight would otherwise keep the host alive to its end


def engine_address(argv: list[str]) -> tuple[str, int] | None:
    """The engine's `host:port`, which Pulumi passes as a plugin's last argument."""
    for argument in reversed(argv):
        match = _ADDRESS.match(argument)
        if match:
            return match["host"].strip("[]"), int(match["port"])
    return None


def reachable(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=CHECK_SECONDS):
            return True
    except OSError:
        return False


LIFELINE = Lifeline()
