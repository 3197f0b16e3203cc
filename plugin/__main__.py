"""The cognito-user-import plugin's entry point: Pulumi runs `python <this folder>` in the
virtualenv PulumiPlugin.yaml names, which Pulumi creates from requirements.txt beside it
(the package's dependencies, from the package index).

The package itself is installed here, at the version this folder serves, before anything
imports it: from the repository this folder sits in, when it does (a clone is enough), else
from the package index or a wheelhouse pip is pointed at (PIP_FIND_LINKS). A virtualenv
that lacks it, or holds another version (an interrupted install, an older plugin), is
repaired the same way; when that cannot be done, one line says which folder and which
command fix it, never a traceback. What the plugin serves is `cognito_user_import.plugin`.
"""

import fcntl
import shutil
import subprocess
import sys
import tempfile
import tomllib
from importlib import import_module, invalidate_caches, metadata
from pathlib import Path
from typing import Any

#: The package version this plugin serves (tests/test_version.py holds it to the package's).
VERSION = "0.2.0"
PACKAGE = "cognito-user-import"
HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent


def installed() -> str | None:
    invalidate_caches()
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None


def project_of_repository() -> dict[str, Any] | None:
    """The pyproject.toml of the folder holding this one, when it is this package's."""
    try:
        project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return project if project.get("project", {}).get("name") == PACKAGE else None


def build_copy(project: dict[str, Any], into: Path) -> Path:
    """The files a build of the repository reads, copied into `into`: pip builds a folder in
    place, and setuptools would leave its egg-info and build/ in the repository (a stray
    egg-info at its root passes for an installed package whenever the root is on the path),
    and two plugin instances building at once would delete each other's files."""
    meta = project["project"]
    readme = meta.get("readme")
    names = {"pyproject.toml", "MANIFEST.in", *meta.get("license-files", [])}
    names |= {readme} if isinstance(readme, str) else set()
    names |= set(project.get("tool", {}).get("setuptools", {}).get("package-dir", {}).values())
    for name in sorted(names):
        source, target = REPOSITORY / name, into / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return into


def say(message: str) -> None:
    print(f"{PACKAGE} plugin: {message}", file=sys.stderr, flush=True)


def pip_install(requirement: str, cwd: str) -> int:
    """pip in this virtualenv, isolated (-I) from PYTHONPATH and the working folder, where
    something else calling itself the package could satisfy it."""
    pip = [sys.executable, "-I", "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    return subprocess.call([*pip, requirement], stdout=sys.stderr, cwd=cwd)


def repair() -> bool:
    """Install the package at VERSION into this virtualenv; whether it now holds it."""
    found = installed()
    why = "lacks the package" if found is None else f"holds {PACKAGE} {found}, not {VERSION}"
    project = project_of_repository()
    wanted = str(REPOSITORY) if project else f"{PACKAGE}=={VERSION}"
    say(f"the virtualenv {sys.prefix} {why}; installing {wanted}")
    with tempfile.TemporaryDirectory(prefix="cognito-user-import-build-") as work:
        source = str(build_copy(project, Path(work) / "source")) if project else wanted
        code = pip_install(source, work)
    if code == 0 and installed() == VERSION:
        return True
    say(
        f"could not install {wanted} into {sys.prefix} (pip exit code {code}); run "
        f"`{sys.executable} -m pip install '{wanted}'` (with PIP_FIND_LINKS naming a folder "
        f"that holds the wheel, when no package index has it), or delete {sys.prefix} for "
        "Pulumi to make it again"
    )
    return False


def repaired_once() -> bool:
    """Repair under a lock on the virtualenv: the engine may start several instances of the
    plugin at once, and one install is enough."""
    with open(Path(sys.prefix) / ".cognito-user-import.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return installed() == VERSION or repair()


def main() -> int:
    if installed() != VERSION and not repaired_once():
        return 1
    try:
        served = import_module("cognito_user_import.plugin")
    except ImportError as error:
        say(f"the package is installed but does not import ({error}); delete {sys.prefix} "
            "for Pulumi to make it again")  # fmt: skip
        return 1
    served.main(sys.argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
