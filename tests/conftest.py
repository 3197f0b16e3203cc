"""Fixtures: one localaws process for the session, reset before each test that uses it."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.engine import PulumiProgram
from tests.support import ROOT, Aws, LocalAwsProcess


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


@pytest.fixture
def make_program(tmp_path: Path) -> Callable[..., PulumiProgram]:
    backend = tmp_path / "state"

    def make(
        source: Path = ROOT,
        name: str = "program",
        files: tuple[str, ...] = ("Pulumi.yaml", "__main__.py"),
    ) -> PulumiProgram:
        return PulumiProgram.copy_of(source, tmp_path / name, backend, files)

    return make


@pytest.fixture
def pool(aws: Aws) -> str:
    """A pool named "customers" that auto-verifies email, MFA off."""
    return aws.pool("customers")


@pytest.fixture
def header(aws: Aws, pool: str) -> list[str]:
    return aws.header(pool)
