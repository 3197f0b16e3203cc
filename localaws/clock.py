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

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            return self._offset

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0


CLOCK = Clock()


def clock_datetime() -> datetime:
    """Now by CLOCK in moto's form for user dates: a naive UTC datetime."""
    return datetime.fromtimestamp(CLOCK.now(), UTC).replace(tzinfo=None)
