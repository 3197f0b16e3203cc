"""Fixtures: one localaws process for the session, reset before each test that uses it."""

from collections.abc import Iterator

import pytest

from tests.support import Aws, LocalAwsProcess


@pytest.fixture(scope="session")
def localaws_endpoint() -> Iterator[str]:
    process = LocalAwsProcess()
    try:
        yield process.endpoint
    finally:
        process.stop()


@pytest.fixture
def aws(localaws_endpoint: str) -> Aws:
    session = Aws(localaws_endpoint)
    session.reset()
    return session
