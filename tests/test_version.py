"""One version, written once (`_version.py`): the package's metadata, `__version__`, the
plugin's requirement and its schema (tests/test_plugin.py) carry it, and the changelog
records it."""

import re
from importlib import metadata

from cognito_user_import import __version__
from tests.support import ROOT


def test_the_installed_metadata_carries_the_version() -> None:
    assert metadata.version("cognito-user-import") == __version__


def test_the_plugin_installs_exactly_this_version() -> None:
    requirements = (ROOT / "plugin" / "requirements.txt").read_text().split()
    assert requirements == [f"cognito-user-import=={__version__}"]


def test_the_changelog_records_this_version_in_keep_a_changelogs_form() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert released[0] == __version__  # the newest first
    assert released == sorted(released, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
