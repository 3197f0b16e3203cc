"""The emulator's notion of now, which tests can move forward instead of sleeping.

URL expiry (15 minutes) and job expiry (about a day) are real-time rules; advancing this
clock exercises them in milliseconds.
"""

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        #: When frozen: the moment time stopped. Then only `advance` moves the clock, so a
        #: test's timeline does not depend on how busy the machine is.
        self._frozen_at: float | None = None

    def now(self) -> float:
        with self._lock:
            base = time.time() if self._frozen_at is None else self._frozen_at
            return base + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            return self._offset

    def freeze(self) -> float:
        """Stop real time flowing into the clock; returns the clock's now."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = time.time()
            return self._frozen_at + self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None


CLOCK = Clock()


def clock_datetime() -> datetime:
    """Now by CLOCK in moto's form for user dates: a naive UTC datetime."""
    return datetime.fromtimestamp(CLOCK.now(), UTC).replace(tzinfo=None)
