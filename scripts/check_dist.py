"""Check what `make dist` built: each distribution holds every file a user needs.

twine checks that the metadata renders; this checks the rest a user relies on: every module
of both packages and their PEP 561 markers in the wheel, the runtime dependencies declared
(and moto only under the `localaws` extra), the `localaws` command, the license, and an sdist
that can rebuild the same wheel. Usage: python scripts/check_dist.py <dist-dir>
"""

import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"cognito_user_import": ROOT / "components" / "cognito_user_import",
            "localaws": ROOT / "localaws"}  # fmt: skip
#: What the package needs at run time, and what only the extra brings.
RUNTIME = {"pulumi", "pulumi-aws", "botocore", "numpy"}
EXTRA = {"localaws": {"moto"}}
SDIST_FILES = {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md"}


def version() -> str:
    scope: dict[str, str] = {}
    exec((PACKAGES["cognito_user_import"] / "_version.py").read_text(), scope)
    return scope["__version__"]


def package_files() -> set[str]:
    return {
        f"{name}/{path.relative_to(folder)}"
        for name, folder in PACKAGES.items()
        for path in folder.rglob("*")
        if path.suffix in {".py", ".typed"} and "__pycache__" not in path.parts
    }


def check_wheel(wheel: Path) -> list[str]:
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"cognito_user_import-{version()}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    problems += [f"{wheel.name} lacks {name}" for name in sorted(package_files() - names)]
    if not any(name.startswith(f"{info}/licenses/LICENSE") for name in names):
        problems.append(f"{wheel.name} carries no LICENSE")
    requires = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    core = {r.name for r in requires if r.marker is None}
    if core != RUNTIME:
        problems.append(f"runtime dependencies are {sorted(core)}, expected {sorted(RUNTIME)}")
    for extra, expected in EXTRA.items():
        found = {r.name for r in requires if r.marker and r.marker.evaluate({"extra": extra})}
        if found != expected:
            problems.append(f"extra {extra} brings {sorted(found)}, expected {sorted(expected)}")
    if "localaws = localaws.__main__:main" not in entry_points:
        problems.append("no `localaws` console script")
    if metadata.get("License-Expression") != "Apache-2.0":
        problems.append("no License-Expression")
    if "Typing :: Typed" not in (metadata.get_all("Classifier") or []):
        problems.append("not classified as typed")
    return problems


def check_sdist(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as archive:
        top = f"cognito_user_import-{version()}/"
        names = {name.removeprefix(top) for name in archive.getnames()}
    wanted = SDIST_FILES | {
        f"components/{name}" if name.startswith("cognito_user_import") else name
        for name in package_files()
    }
    problems = [f"{sdist.name} lacks {name}" for name in sorted(wanted - names)]
    strays = sorted(name for name in names if name.startswith("tests/"))
    if strays:
        problems.append(f"{sdist.name} holds part of the test suite, e.g. {strays[0]}")
    return problems


def main(dist: Path) -> int:
    wheels = list(dist.glob(f"cognito_user_import-{version()}-py3-none-any.whl"))
    sdists = list(dist.glob(f"cognito_user_import-{version()}.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        print(f"check_dist: expected one wheel and one sdist of {version()} in {dist}")
        return 1
    problems = check_wheel(wheels[0]) + check_sdist(sdists[0])
    for problem in problems:
        print(f"check_dist: {problem}")
    if not problems:
        print(f"check_dist: {wheels[0].name} and {sdists[0].name} hold what a user needs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
