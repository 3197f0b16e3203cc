"""One version, written once (`_version.py`): the package's metadata, `__version__`, the
plugin's requirement and its schema (tests/test_plugin.py) carry it, and the changelog
records it; a release (scripts/release.sh, its workflow) checks it before it publishes."""

import re
import subprocess
import tomllib
from importlib import metadata

import yaml

from cognito_user_import import __version__
from tests.support import ROOT


def test_the_installed_metadata_carries_the_version() -> None:
    assert metadata.version("cognito-user-import") == __version__


def test_the_plugin_serves_exactly_this_version_with_the_packages_dependencies() -> None:
    """The plugin's folder installs the package at this version (plugin/__main__.py), after
    Pulumi has installed its requirements.txt: the dependencies pyproject.toml declares."""
    entry = (ROOT / "plugin" / "__main__.py").read_text()
    assert f'VERSION = "{__version__}"' in entry
    requirements = (ROOT / "plugin" / "requirements.txt").read_text().splitlines()
    listed = [line for line in requirements if line and not line.startswith("#")]
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert listed == declared


def test_the_changelog_records_this_version_in_keep_a_changelogs_form() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert released[0] == __version__  # the newest first
    assert released == sorted(released, key=lambda v: tuple(map(int, v.split("."))), reverse=True)


def release_check(*tag: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "release.sh"), "check", *tag],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_a_release_refuses_a_tag_of_another_version() -> None:
    assert release_check(f"v{__version__}").returncode == 0
    refused = release_check("v9.9.9")
    assert refused.returncode == 1
    assert refused.stderr.strip() == f"release: tag v9.9.9 is not v{__version__} (_version.py)"


def test_the_release_workflow_publishes_only_what_make_release_check_built() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*.*.*"]  # YAML 1.1 reads `on` as True
    jobs = workflow["jobs"]
    runs = {name: [step.get("run", "") for step in job["steps"]] for name, job in jobs.items()}
    assert runs["test"][-1] == "bash .ci/run"
    assert 'make release-check RELEASE_TAG="${GITHUB_REF_NAME}"' in runs["build"]
    assert jobs["build"]["needs"] == "test"
    assert jobs["publish-python"]["needs"] == "build"
    assert jobs["publish-python"]["permissions"] == {"id-token": "write"}
    assert jobs["publish-plugin"]["needs"] == "publish-python"
    assert any("release/pulumi-resource-*.tar.gz" in run for run in runs["publish-plugin"])
    assert any("release/terraform-provider-*.zip" in run for run in runs["publish-plugin"])
