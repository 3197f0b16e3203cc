"""Every file the product writes that holds users' data or a traceback is readable by the
deployer alone (0600), in a directory only the deployer can enter (0700), whatever the
umask: the users declared in code rendered for upload, a copy's export, the retry file,
the scan cache, a bug report. docs/guides/pulumi-operations.md#where-your-users-data-goes
lists them; this holds each to it."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cognito_user_import.inputs import JobInputs
from cognito_user_import.private import open_private, temporary_directory
from cognito_user_import.scancache import cache_directory, scanned
from cognito_user_import.source import Source
from tests.support import ROOT, SAMPLE, STANDARD_HEADER

GUIDE = ROOT / "docs" / "guides" / "pulumi-operations.md"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def generous_umask() -> Iterator[None]:
    """A deployer whose umask lets everyone read what they write."""
    before = os.umask(0o000)
    yield
    os.umask(before)


def test_declared_users_are_rendered_to_a_private_file_removed_after() -> None:
    users = [{"cognito:username": "ada", "email": "ada@example.com", "email_verified": "true"}]
    source = Source.of(JobInputs(users=tuple(users)))
    assert source is not None and source.records
    with source.csv(list(STANDARD_HEADER)) as path:
        assert "ada@example.com" in path.read_text()
        assert (mode(path), mode(path.parent)) == (0o600, 0o700)
    assert not path.exists() and not path.parent.exists()


def test_a_private_file_is_private_from_its_first_byte_even_if_it_existed(tmp_path: Path) -> None:
    """The retry file goes where the user asks: an existing file there is truncated and made
    private before anything is written; missing folders are made private."""
    existing = tmp_path / "not-imported.csv"
    existing.write_text("old rows")
    existing.chmod(0o644)
    with open_private(existing) as out:
        assert mode(existing) == 0o600 and existing.read_text() == ""
        out.write("line")
    nested = tmp_path / "new" / "folder" / "retry.csv"
    with open_private(nested, "wb") as out:
        out.write(b"rows")
    assert (mode(nested), mode(nested.parent)) == (0o600, 0o700)


def test_a_copys_export_is_written_in_a_private_directory() -> None:
    with temporary_directory("cognito-copy-") as directory:
        assert mode(directory) == 0o700
    assert not directory.exists()


def test_the_scan_cache_is_private() -> None:
    scanned(SAMPLE, None, 500_000)
    entries = [path for path in cache_directory().rglob("*") if path.is_file()]
    assert entries
    assert {mode(path) for path in entries} == {0o600}
    assert mode(cache_directory()) == 0o700


def test_the_guide_lists_every_place_users_data_goes() -> None:
    section = GUIDE.read_text().split("## Where your users' data goes", 1)[1].split("\n## ")[0]
    for place in (
        "state", "stack's outputs", "CloudWatch Logs", "the CLI's output", "temporary",
        "scan cache", "retry file", "bug report", "content_sha256", "pre-signed URL",
    ):  # fmt: skip
        assert place in section, place
