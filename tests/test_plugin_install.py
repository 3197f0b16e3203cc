"""The plugin installed the way Pulumi users install component plugins, from fresh folders
with no PYTHONPATH, through the real CLI: from a clone of the repository with no wheelhouse
and no index holding the package (the `clone` fixture's first use), named by a YAML
program's `packages:` entry; a virtualenv that repairs itself (missing the package, holding
another version) or says in one line how to fix it; and the plugin archive a release
publishes, installed with `pulumi plugin install`."""

import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cognito_user_import import __version__
from tests.conftest import NO_WHEELHOUSE, built_from_the_repository, plugin_package, yaml_example
from tests.docblocks import run_by
from tests.engine import PulumiProgram
from tests.support import ROOT, Aws

#: The same worker as the other tests of the product as a user gets it.
pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("outside-the-repository")]


def yaml_program(
    aws: Aws, make_program: Callable[..., PulumiProgram], name: str, plugin: Path | None
) -> tuple[PulumiProgram, str]:
    """The YAML example with nothing to install the package from but what the way tested
    gives (the clone, or an index)."""
    return yaml_example(aws, make_program, name, plugin, dict(NO_WHEELHOUSE))


def test_a_yaml_programs_packages_entry_naming_the_clones_folder_imports(
    aws: Aws, make_program: Callable[..., PulumiProgram], clone: Path
) -> None:
    program, pool = yaml_program(aws, make_program, "from-a-clone", clone / "plugin")
    assert (
        f"cognito-user-import: {clone / 'plugin'}"
        in (program.directory / "Pulumi.yaml").read_text()
    )
    program.up()
    outputs = program.outputs()
    assert (outputs["status"], outputs["importedUsers"]) == ("Succeeded", 5)
    assert set(aws.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}
    assert built_from_the_repository(clone / "plugin")


def schema_run(clone: Path, tmp_path: Path, **env: str) -> "subprocess.CompletedProcess[str]":
    """`pulumi package get-schema <plugin>`: the plugin run, as the engine runs it."""
    tool = PulumiProgram(tmp_path / "tool", tmp_path / "tool-state", extra_env=NO_WHEELHOUSE)
    tool.directory.mkdir()
    tool.extra_env = {**tool.extra_env, **env}
    return tool.run("package", "get-schema", str(clone / "plugin"), check=False)


def uninstall(plugin: Path) -> None:
    python = str(plugin / "venv" / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "uninstall", "-y", "-q", "cognito-user-import"], check=True
    )


def test_a_virtualenv_that_lost_the_package_installs_it_again(clone: Path, tmp_path: Path) -> None:
    uninstall(clone / "plugin")
    run = schema_run(clone, tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"name": "cognito-user-import"' in run.stdout
    assert built_from_the_repository(clone / "plugin")
    assert not list(clone.glob("*.egg-info")) and not (clone / "build").exists()


def test_a_virtualenv_holding_another_version_is_reinstalled(clone: Path, tmp_path: Path) -> None:
    python = str(clone / "plugin" / "venv" / "bin" / "python")
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text(
        '[project]\nname = "cognito-user-import"\nversion = "0.0.1"\n'
        '[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n'
        "[tool.setuptools]\npackages = []\n"
    )
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(other)], check=True)
    assert plugin_package(clone / "plugin")[0] == "0.0.1"
    run = schema_run(clone, tmp_path)
    assert run.returncode == 0, run.stderr
    assert built_from_the_repository(clone / "plugin")


def test_a_stray_egg_info_in_the_working_folder_does_not_pass_for_the_package(
    clone: Path, tmp_path: Path
) -> None:
    """What an editable install leaves at a repository's root: pip run from there (the
    engine's working folder) must not take it for the installed package."""
    uninstall(clone / "plugin")
    stray = clone / "cognito_user_import.egg-info"
    stray.mkdir()
    (stray / "PKG-INFO").write_text(
        f"Metadata-Version: 2.1\nName: cognito-user-import\nVersion: {__version__}\n"
    )
    tool = PulumiProgram(clone, tmp_path / "tool-state", extra_env=NO_WHEELHOUSE)
    try:
        run = tool.run("package", "get-schema", "./plugin", check=False)
    finally:
        shutil.rmtree(stray)
    assert run.returncode == 0, run.stderr
    assert built_from_the_repository(clone / "plugin")


def test_a_plugin_that_cannot_repair_itself_says_how_in_one_line(
    clone: Path, tmp_path: Path
) -> None:
    """The folder away from any repository, with its virtualenv but no package and no index
    to get it from: one line naming the folder and the command, no traceback. (The engine
    shows a plugin's output only when it fails, as here; a repair that works is silent.)"""
    uninstall(clone / "plugin")
    project = clone / "pyproject.toml"
    hidden = project.rename(clone / "pyproject.toml.away")
    try:
        run = schema_run(clone, tmp_path, PIP_NO_INDEX="1")
    finally:
        hidden.rename(project)
    assert run.returncode != 0
    said = [line for line in run.stderr.splitlines() if "could not install" in line]
    assert len(said) == 1, run.stderr
    [documented] = run_by("tests/test_plugin_install.py")
    assert said[0].strip() == documented.text.strip().replace(
        "/home/me/proj/plugin", str(clone / "plugin")
    ).replace("0.2.0", __version__)
    assert "Traceback" not in run.stdout + run.stderr


def test_the_release_archive_installs_with_pulumi_plugin_install_and_serves_a_program(
    aws: Aws, make_program: Callable[..., PulumiProgram], package_index: str, tmp_path: Path
) -> None:
    """scripts/release.sh's plugin archive, installed as the Registry's users install a
    plugin (`pulumi plugin install resource`): its first use gets the package from a package
    index (served here, as the Python index will once the package is published), and a
    program naming no folder uses it."""
    out = tmp_path / "release"
    subprocess.run(["bash", str(ROOT / "scripts" / "release.sh"), "archives", str(out)], check=True)
    archive = out / f"pulumi-resource-cognito-user-import-v{__version__}-linux-amd64.tar.gz"
    with tarfile.open(archive) as opened:
        assert sorted(opened.getnames()) == ["PulumiPlugin.yaml", "__main__.py", "requirements.txt"]
    program, pool = yaml_program(aws, make_program, "from-the-release", None)
    program.extra_env = {**NO_WHEELHOUSE, "PIP_EXTRA_INDEX_URL": package_index}
    version = f"v{__version__}"
    program.run(
        "plugin", "install", "resource", "cognito-user-import", version, "--file", str(archive)
    )
    program.up()
    assert program.outputs()["importedUsers"] == 5
    assert set(aws.users(pool)) == {"ada", "alan", "grace", "edsger", "barbara"}
    installed = (
        program.backend / ".pulumi-home" / "plugins" / f"resource-cognito-user-import-{version}"
    )
    assert plugin_package(installed) == (__version__, "None")  # no direct URL: an index
